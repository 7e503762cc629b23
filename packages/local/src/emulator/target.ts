import { ValidationException } from './errors.js';

/** A cluster or workgroup the emulator serves, with the databases it has. */
export interface EmulatorTarget {
  /** Provisioned cluster identifier. Give exactly one of `clusterIdentifier` and `workgroupName`. */
  readonly clusterIdentifier?: string;
  /** Redshift Serverless workgroup name. */
  readonly workgroupName?: string;
  /** @default ['dev'] */
  readonly databases?: readonly string[];
}

/** Where a request's statement runs. */
export interface ResolvedTarget {
  readonly kind: 'cluster' | 'workgroup';
  readonly name: string;
  readonly database: string;
  readonly dbUser: string | undefined;
  readonly secretArn: string | undefined;
  /** The resource ARN the completion event lists. */
  readonly arn: string;
  /** Engine database key; undefined when the database does not exist on this target. */
  readonly databaseKey: string | undefined;
}

/** Redshift's default database name. */
export const DEFAULT_DATABASE = 'dev';

/** Cluster identifiers: 1-63 lowercase letters, digits and single hyphens, starting with a letter. Redshift API reference, CreateCluster. */
const CLUSTER_IDENTIFIER = /^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-|$)){0,62}$/;
/** Workgroup names: 3-64 lowercase letters, digits and hyphens; or a workgroup ARN. Redshift Serverless API reference. */
const WORKGROUP_NAME =
  /^(?:[a-z0-9-]{3,64}|arn:aws[a-z-]*:redshift-serverless:[a-z0-9-]+:\d{12}:workgroup\/[a-z0-9-]+)$/;
/** Database names: 1-64 characters, a letter or underscore first. Redshift Database Developer Guide, "Names and identifiers". */
const DATABASE_NAME = /^[a-zA-Z_][a-zA-Z0-9_$]{0,63}$/;

/** The fields of a request that choose a target. */
export interface TargetFields {
  readonly ClusterIdentifier?: unknown;
  readonly WorkgroupName?: unknown;
  readonly SessionId?: unknown;
  readonly Database?: unknown;
  readonly DbUser?: unknown;
  readonly SecretArn?: unknown;
}

export interface TargetResolverOptions {
  readonly targets: readonly EmulatorTarget[] | undefined;
  readonly region: string;
  readonly accountId: string;
}

/**
 * Resolves and validates a request's target. Without configured targets every well-formed
 * cluster identifier or workgroup name is accepted and served by one shared database set
 * (`dev`), so existing code works with only an endpoint change; with configured targets,
 * others are refused as AWS refuses an unknown endpoint.
 */
export class TargetResolver {
  constructor(private readonly options: TargetResolverOptions) {}

  /** Engine database keys to open at start-up. */
  databaseKeys(): string[] {
    if (this.options.targets === undefined) return [DEFAULT_DATABASE];
    return this.options.targets.flatMap((t) => {
      const { kind, name } = targetIdentity(t);
      return (t.databases ?? [DEFAULT_DATABASE]).map((db) => keyFor(kind, name, db));
    });
  }

  /** Databases of a target, for ListDatabases. */
  databasesOf(target: Pick<ResolvedTarget, 'kind' | 'name'>): string[] {
    if (this.options.targets === undefined) return [DEFAULT_DATABASE];
    const configured = this.find(target.kind, target.name);
    return [...(configured?.databases ?? [DEFAULT_DATABASE])];
  }

  /** The default database key (the first one), for the in-process `sql()` helper. */
  defaultKey(): string {
    return this.databaseKeys()[0] ?? DEFAULT_DATABASE;
  }

  /** Request fields naming the first configured target (any name serves when none are configured). */
  defaultTargetFields(): TargetFields {
    const first = this.options.targets?.[0];
    if (first === undefined) return { ClusterIdentifier: 'local' };
    const { kind, name } = targetIdentity(first);
    return kind === 'cluster' ? { ClusterIdentifier: name } : { WorkgroupName: name };
  }

  resolve(fields: TargetFields, options: { databaseRequired?: boolean } = {}): ResolvedTarget {
    const cluster = optionalString(fields.ClusterIdentifier, 'ClusterIdentifier');
    const workgroup = optionalString(fields.WorkgroupName, 'WorkgroupName');
    const session = optionalString(fields.SessionId, 'SessionId');
    const given = [cluster, workgroup, session].filter((v) => v !== undefined).length;
    if (given !== 1) {
      throw new ValidationException(
        'Exactly one of ClusterIdentifier, WorkgroupName or SessionId must be specified.',
      );
    }
    if (session !== undefined) {
      throw new ValidationException('SessionId cannot be used with this operation.');
    }
    const dbUser = optionalString(fields.DbUser, 'DbUser');
    const secretArn = optionalString(fields.SecretArn, 'SecretArn');
    const database = optionalString(fields.Database, 'Database');
    if (options.databaseRequired === true && database === undefined) {
      throw new ValidationException('Database is required.');
    }
    if (database !== undefined && !DATABASE_NAME.test(database)) {
      throw new ValidationException(
        `Database ${JSON.stringify(database)} is not a valid database name.`,
      );
    }
    let kind: 'cluster' | 'workgroup';
    let name: string;
    if (cluster !== undefined) {
      if (!CLUSTER_IDENTIFIER.test(cluster)) {
        throw new ValidationException(
          `ClusterIdentifier ${JSON.stringify(cluster)} is invalid: use 1-63 letters, digits and single hyphens, starting with a letter.`,
        );
      }
      kind = 'cluster';
      name = cluster;
    } else {
      const wg = workgroup as string;
      if (!WORKGROUP_NAME.test(wg)) {
        throw new ValidationException(
          `WorkgroupName ${JSON.stringify(wg)} is invalid: use 3-64 lowercase letters, digits and hyphens, or a workgroup ARN.`,
        );
      }
      if (dbUser !== undefined) {
        throw new ValidationException(
          'DbUser is not supported with WorkgroupName: use SecretArn or IAM identity.',
        );
      }
      kind = 'workgroup';
      name = wg.includes(':workgroup/') ? (wg.split('/').pop() as string) : wg;
    }
    if (this.options.targets !== undefined && this.find(kind, name) === undefined) {
      throw new ValidationException(
        `Redshift endpoint doesn't exist in this region. (${kind} ${JSON.stringify(name)} is not one of the emulator's configured targets.)`,
      );
    }
    const db = database ?? DEFAULT_DATABASE;
    const exists = this.databasesOf({ kind, name }).includes(db);
    const key = this.options.targets === undefined ? db : keyFor(kind, name, db);
    const { region, accountId } = this.options;
    return {
      kind,
      name,
      database: db,
      dbUser,
      secretArn,
      arn:
        kind === 'cluster'
          ? `arn:aws:redshift:${region}:${accountId}:cluster:${name}`
          : `arn:aws:redshift-serverless:${region}:${accountId}:workgroup/${name}`,
      databaseKey: exists ? key : undefined,
    };
  }

  private find(kind: 'cluster' | 'workgroup', name: string): EmulatorTarget | undefined {
    return this.options.targets?.find((t) => {
      const identity = targetIdentity(t);
      return identity.kind === kind && identity.name === name;
    });
  }
}

/** Checks a configured target list; throws a plain Error naming the bad entry. */
export function validateTargets(targets: readonly EmulatorTarget[]): void {
  targets.forEach((t, i) => {
    targetIdentity(t, i);
    for (const db of t.databases ?? []) {
      if (!DATABASE_NAME.test(db))
        throw new Error(
          `targets[${i}].databases: ${JSON.stringify(db)} is not a valid database name`,
        );
    }
  });
}

function targetIdentity(
  t: EmulatorTarget,
  index = 0,
): { kind: 'cluster' | 'workgroup'; name: string } {
  if ((t.clusterIdentifier === undefined) === (t.workgroupName === undefined)) {
    throw new Error(
      `targets[${index}] must have exactly one of clusterIdentifier and workgroupName`,
    );
  }
  return t.clusterIdentifier !== undefined
    ? { kind: 'cluster', name: t.clusterIdentifier }
    : { kind: 'workgroup', name: t.workgroupName as string };
}

function keyFor(kind: string, name: string, db: string): string {
  return `${kind}-${name}-${db}`;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationException(`${field} must be a non-empty string.`);
  }
  return value;
}
