import { EnvVars } from '../contract/index.js';
import { ConfigurationError } from '../core/configuration-error.js';

/** How the Data API reaches the database. */
export type DataApiAuth =
  /** Cluster only: temporary credentials for this database user (`GetClusterCredentials`). */
  | { readonly kind: 'dbUser'; readonly dbUser: string }
  /** A Secrets Manager secret with the credentials. */
  | { readonly kind: 'secret'; readonly secretArn: string }
  /** The caller's IAM identity (`GetClusterCredentialsWithIAM` / serverless `GetCredentials`). */
  | { readonly kind: 'iam' };

export type DataApiTarget =
  | {
      readonly kind: 'cluster';
      readonly clusterIdentifier: string;
      readonly database: string;
      readonly auth: DataApiAuth;
    }
  | {
      readonly kind: 'workgroup';
      readonly workgroupName: string;
      readonly database: string;
      readonly auth: Exclude<DataApiAuth, { kind: 'dbUser' }>;
    };

/** The target fields of an ExecuteStatement / BatchExecuteStatement request. */
export interface TargetParameters {
  ClusterIdentifier?: string;
  WorkgroupName?: string;
  Database: string;
  DbUser?: string;
  SecretArn?: string;
}

export function targetParameters(target: DataApiTarget): TargetParameters {
  const auth =
    target.auth.kind === 'dbUser'
      ? { DbUser: target.auth.dbUser }
      : target.auth.kind === 'secret'
        ? { SecretArn: target.auth.secretArn }
        : {};
  return target.kind === 'cluster'
    ? { ClusterIdentifier: target.clusterIdentifier, Database: target.database, ...auth }
    : { WorkgroupName: target.workgroupName, Database: target.database, ...auth };
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The target from the handler's environment: exactly one of cluster or workgroup, a database,
 * and at most one of DbUser (cluster only) or SecretArn; neither means IAM authentication.
 */
export function dataApiTargetFromEnv(env: Env): DataApiTarget {
  const cluster = read(env, EnvVars.clusterIdentifier);
  const workgroup = read(env, EnvVars.workgroupName);
  const database = read(env, EnvVars.database);
  const dbUser = read(env, EnvVars.dbUser);
  const secretArn = read(env, EnvVars.secretArn);
  const problems: string[] = [];
  if ((cluster === undefined) === (workgroup === undefined)) {
    problems.push(
      `set exactly one of ${EnvVars.clusterIdentifier} (provisioned cluster) or ${EnvVars.workgroupName} (Redshift Serverless)`,
    );
  }
  if (database === undefined) problems.push(`${EnvVars.database} is required`);
  if (dbUser !== undefined && secretArn !== undefined) {
    problems.push(
      `set at most one of ${EnvVars.dbUser} (temporary credentials) or ${EnvVars.secretArn} (Secrets Manager); neither means IAM authentication`,
    );
  }
  if (dbUser !== undefined && workgroup !== undefined) {
    problems.push(
      `${EnvVars.dbUser} applies to provisioned clusters only; use ${EnvVars.secretArn} or IAM with a workgroup`,
    );
  }
  if (problems.length > 0 || database === undefined) {
    throw new ConfigurationError(`Invalid Data API target: ${problems.join('; ')}`);
  }
  const auth: DataApiAuth =
    dbUser !== undefined
      ? { kind: 'dbUser', dbUser }
      : secretArn !== undefined
        ? { kind: 'secret', secretArn }
        : { kind: 'iam' };
  if (cluster !== undefined) {
    return { kind: 'cluster', clusterIdentifier: cluster, database, auth };
  }
  return {
    kind: 'workgroup',
    workgroupName: workgroup as string,
    database,
    auth: auth.kind === 'dbUser' ? { kind: 'iam' } : auth,
  };
}
