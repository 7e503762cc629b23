import { Annotations, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { EnvVars } from './private/contract/env.js';
import { StepshiftValidationError } from './private/errors.js';

/** How the Data API authenticates to the database. */
export enum RedshiftAuth {
  /** Provisioned cluster, temporary credentials for a database user (`GetClusterCredentials`). */
  DB_USER = 'DB_USER',
  /** A Secrets Manager secret holding the database user name and password. */
  SECRET = 'SECRET',
  /** The caller's IAM identity (`GetClusterCredentialsWithIAM` / `redshift-serverless:GetCredentials`). */
  IAM = 'IAM',
}

/** A provisioned cluster and a database. */
export interface ClusterTargetProps {
  /**
   * The cluster identifier (not its endpoint): 1-63 lowercase letters, digits or hyphens,
   * starting with a letter.
   * @see https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html
   */
  readonly clusterIdentifier: string;
  /** The database the statements run in. */
  readonly database: string;
}

/** A provisioned cluster, a database and a database user for temporary credentials. */
export interface ClusterDbUserTargetProps extends ClusterTargetProps {
  /**
   * The database user the statements run as (Data API `DbUser`).
   * @see https://docs.aws.amazon.com/redshift/latest/APIReference/API_GetClusterCredentials.html
   */
  readonly dbUser: string;
}

/** A provisioned cluster, a database and a secret with the credentials. */
export interface ClusterSecretTargetProps extends ClusterTargetProps {
  /**
   * The secret with `username` and `password` (Data API `SecretArn`).
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html
   */
  readonly secret: secretsmanager.ISecret;
}

/** A Redshift Serverless workgroup and a database. */
export interface WorkgroupTargetProps {
  /** The workgroup name: 3-64 lowercase letters, digits or hyphens. */
  readonly workgroupName: string;
  /**
   * The workgroup id (a UUID, `CfnWorkgroup.attrWorkgroupWorkgroupId`). IAM scopes Data API
   * and `GetCredentials` permissions by the workgroup ARN, which holds the id, not the name.
   * @default - permissions cover every workgroup of the account in the stack's region (a
   *   synth warning says so)
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonredshiftserverless.html
   */
  readonly workgroupId?: string;
  /** The database the statements run in. */
  readonly database: string;
}

/** A Redshift Serverless workgroup, a database and a secret with the credentials. */
export interface WorkgroupSecretTargetProps extends WorkgroupTargetProps {
  /** The secret with `username` and `password` (Data API `SecretArn`). */
  readonly secret: secretsmanager.ISecret;
}

/**
 * Every target field at once, for configuration-driven code (`RedshiftTarget.fromOptions`).
 * The named factories are the better choice when the shape is known.
 */
export interface RedshiftTargetOptions {
  /** @default - no cluster: give `workgroupName` */
  readonly clusterIdentifier?: string;
  /** @default - no workgroup: give `clusterIdentifier` */
  readonly workgroupName?: string;
  /** @default - see `WorkgroupTargetProps.workgroupId` */
  readonly workgroupId?: string;
  /** The database the statements run in. */
  readonly database: string;
  /** @default - no temporary database-user credentials */
  readonly dbUser?: string;
  /** @default - no secret: IAM identity unless `dbUser` is given */
  readonly secret?: secretsmanager.ISecret;
}

/**
 * Cluster identifier rules (CreateCluster): lowercase letters, digits, hyphens; first a
 * letter; no two consecutive hyphens; no trailing hyphen; 1-63 characters.
 */
const CLUSTER_IDENTIFIER_PATTERN = /^(?!.*--)[a-z][a-z0-9-]{0,62}(?<!-)$/;
/** Serverless workgroup names: 3-64 lowercase letters, digits or hyphens (CreateWorkgroup). */
const WORKGROUP_NAME_PATTERN = /^[a-z0-9-]{3,64}$/;
/**
 * Database names: 1-64 characters, letters, digits, `_` or `$`, not starting with a digit or
 * `$` (Redshift "Names and identifiers"; unquoted identifiers, which is what the Data API
 * `Database` field takes).
 */
const DATABASE_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_$]{0,63}$/;
/**
 * Database user names for GetClusterCredentials: 1-128 characters, letters, digits and
 * `_ + . @ -`, first a letter; never `:` or `/` (API_GetClusterCredentials, `DbUser`).
 */
const DB_USER_PATTERN = /^[a-zA-Z][a-zA-Z0-9_+.@-]{0,127}$/;

function check(value: string, pattern: RegExp, what: string, howToFix: string): void {
  if (Token.isUnresolved(value)) return;
  if (!pattern.test(value)) {
    throw new StepshiftValidationError(`invalid ${what} '${value}': ${howToFix}`);
  }
}

/**
 * Where the SQL runs and as whom: a provisioned cluster or a Serverless workgroup, with
 * temporary database-user credentials, a Secrets Manager secret or the IAM identity of the
 * handlers. IAM permissions follow the choice exactly.
 */
export class RedshiftTarget {
  /** A provisioned cluster; statements run as `dbUser` with temporary credentials. */
  public static clusterWithDbUser(props: ClusterDbUserTargetProps): RedshiftTarget {
    return new RedshiftTarget(RedshiftAuth.DB_USER, props.database, {
      clusterIdentifier: props.clusterIdentifier,
      dbUser: props.dbUser,
    });
  }

  /** A provisioned cluster; statements run as the user stored in `secret`. */
  public static clusterWithSecret(props: ClusterSecretTargetProps): RedshiftTarget {
    return new RedshiftTarget(RedshiftAuth.SECRET, props.database, {
      clusterIdentifier: props.clusterIdentifier,
      secret: props.secret,
    });
  }

  /** A provisioned cluster; statements run as the database user mapped to the handlers' IAM role. */
  public static clusterWithIam(props: ClusterTargetProps): RedshiftTarget {
    return new RedshiftTarget(RedshiftAuth.IAM, props.database, {
      clusterIdentifier: props.clusterIdentifier,
    });
  }

  /** A Serverless workgroup; statements run as the user stored in `secret`. */
  public static workgroupWithSecret(props: WorkgroupSecretTargetProps): RedshiftTarget {
    return new RedshiftTarget(RedshiftAuth.SECRET, props.database, {
      workgroupName: props.workgroupName,
      workgroupId: props.workgroupId,
      secret: props.secret,
    });
  }

  /** A Serverless workgroup; statements run as the database user mapped to the handlers' IAM role. */
  public static workgroupWithIam(props: WorkgroupTargetProps): RedshiftTarget {
    return new RedshiftTarget(RedshiftAuth.IAM, props.database, {
      workgroupName: props.workgroupName,
      workgroupId: props.workgroupId,
    });
  }

  /**
   * Any combination given as one options object; rejects the incompatible ones with a
   * message naming the factory to use instead.
   */
  public static fromOptions(options: RedshiftTargetOptions): RedshiftTarget {
    const { clusterIdentifier, workgroupName, workgroupId, database, dbUser, secret } = options;
    if ((clusterIdentifier === undefined) === (workgroupName === undefined)) {
      throw new StepshiftValidationError(
        'a Redshift target needs exactly one of clusterIdentifier (provisioned cluster) or workgroupName (Redshift Serverless); ' +
          `received ${clusterIdentifier === undefined ? 'neither' : 'both'}`,
      );
    }
    if (dbUser !== undefined && secret !== undefined) {
      throw new StepshiftValidationError(
        'incompatible auth: dbUser (temporary credentials) and secret were both given; the Data API takes one. ' +
          'Use RedshiftTarget.clusterWithDbUser or RedshiftTarget.clusterWithSecret',
      );
    }
    if (workgroupName !== undefined) {
      if (dbUser !== undefined) {
        throw new StepshiftValidationError(
          `incompatible auth: dbUser '${dbUser}' with workgroup '${workgroupName}': temporary database-user ` +
            'credentials (GetClusterCredentials) exist only for provisioned clusters. Use ' +
            'RedshiftTarget.workgroupWithSecret or RedshiftTarget.workgroupWithIam',
        );
      }
      return secret !== undefined
        ? RedshiftTarget.workgroupWithSecret({ workgroupName, workgroupId, database, secret })
        : RedshiftTarget.workgroupWithIam({ workgroupName, workgroupId, database });
    }
    if (workgroupId !== undefined) {
      throw new StepshiftValidationError(
        `workgroupId '${workgroupId}' was given for cluster '${clusterIdentifier}': a workgroup id only applies to Redshift Serverless; remove it`,
      );
    }
    const cluster = clusterIdentifier as string;
    if (dbUser !== undefined) {
      return RedshiftTarget.clusterWithDbUser({ clusterIdentifier: cluster, database, dbUser });
    }
    return secret !== undefined
      ? RedshiftTarget.clusterWithSecret({ clusterIdentifier: cluster, database, secret })
      : RedshiftTarget.clusterWithIam({ clusterIdentifier: cluster, database });
  }

  /** The authentication the Data API calls use. */
  public readonly auth: RedshiftAuth;
  /** The database the statements run in. */
  public readonly database: string;
  /** Provisioned cluster identifier, or undefined for a workgroup. */
  public readonly clusterIdentifier?: string;
  /** Serverless workgroup name, or undefined for a cluster. */
  public readonly workgroupName?: string;
  /** Serverless workgroup id when known. */
  public readonly workgroupId?: string;
  /** Database user for temporary credentials (DB_USER auth). */
  public readonly dbUser?: string;
  /** Secret holding the credentials (SECRET auth). */
  public readonly secret?: secretsmanager.ISecret;

  private constructor(
    auth: RedshiftAuth,
    database: string,
    where: {
      clusterIdentifier?: string;
      workgroupName?: string;
      workgroupId?: string | undefined;
      dbUser?: string;
      secret?: secretsmanager.ISecret;
    },
  ) {
    check(
      database,
      DATABASE_NAME_PATTERN,
      'database name',
      'use 1-64 letters, digits, _ or $, starting with a letter or _ (e.g. "dev")',
    );
    if (where.clusterIdentifier !== undefined) {
      check(
        where.clusterIdentifier,
        CLUSTER_IDENTIFIER_PATTERN,
        'cluster identifier',
        'give the cluster identifier (not its endpoint or ARN): 1-63 lowercase letters, digits or hyphens, starting with a letter, without "--" or a trailing hyphen',
      );
    }
    if (where.workgroupName !== undefined) {
      check(
        where.workgroupName,
        WORKGROUP_NAME_PATTERN,
        'workgroup name',
        'give the workgroup name (not its ARN): 3-64 lowercase letters, digits or hyphens',
      );
    }
    if (where.dbUser !== undefined) {
      check(
        where.dbUser,
        DB_USER_PATTERN,
        'database user',
        'use 1-128 letters, digits or _ + . @ -, starting with a letter (no ":" or "/")',
      );
    }
    this.auth = auth;
    this.database = database;
    this.clusterIdentifier = where.clusterIdentifier;
    this.workgroupName = where.workgroupName;
    this.workgroupId = where.workgroupId;
    this.dbUser = where.dbUser;
    this.secret = where.secret;
  }

  /**
   * The environment variables the handlers read to reach this target (names from the
   * runtime contract's `EnvVars`). IAM auth is "neither DbUser nor SecretArn".
   */
  public environment(): Record<string, string> {
    const env: Record<string, string> = { [EnvVars.database]: this.database };
    if (this.clusterIdentifier !== undefined) {
      env[EnvVars.clusterIdentifier] = this.clusterIdentifier;
    }
    if (this.workgroupName !== undefined) env[EnvVars.workgroupName] = this.workgroupName;
    if (this.dbUser !== undefined) env[EnvVars.dbUser] = this.dbUser;
    if (this.secret !== undefined) env[EnvVars.secretArn] = this.secret.secretArn;
    return env;
  }

  /**
   * Grants `role` what the Data API needs for this target and auth, and nothing else.
   * Statement reads and cancels are limited to statements `role` itself started.
   *
   * @param scope any construct of the stack (for ARNs and warnings)
   * @param role the role every handler of one tasker shares (the Data API only lets the
   *   principal that started a statement describe, read or cancel it)
   * @internal
   */
  public _grantDataAccess(scope: Construct, role: iam.Role): void {
    const stack = Stack.of(scope);
    const targetArn = this.targetArn(scope);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StartStatements',
        actions: ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'],
        resources: [targetArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'OwnStatementsOnly',
        actions: [
          'redshift-data:DescribeStatement',
          'redshift-data:CancelStatement',
          'redshift-data:GetStatementResult',
        ],
        // These actions have no resource type: "you must specify all resources ("*")"
        // (Service Authorization Reference, "Actions, resources, and condition keys for Amazon
        // Redshift Data API"). The statement-owner condition narrows them to statements this
        // role started, whatever the session (the key holds "<role id>:<session>").
        resources: ['*'],
        conditions: {
          StringLike: {
            'redshift-data:statement-owner-iam-userid': [role.roleId, `${role.roleId}:*`],
          },
        },
      }),
    );
    switch (this.auth) {
      case RedshiftAuth.DB_USER:
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'TemporaryCredentials',
            actions: ['redshift:GetClusterCredentials'],
            resources: [
              this.clusterArn(stack, 'dbuser', `${this.clusterIdentifier}/${this.dbUser}`),
              this.clusterArn(stack, 'dbname', `${this.clusterIdentifier}/${this.database}`),
            ],
          }),
        );
        break;
      case RedshiftAuth.IAM:
        if (this.clusterIdentifier !== undefined) {
          role.addToPrincipalPolicy(
            new iam.PolicyStatement({
              sid: 'IamCredentials',
              actions: ['redshift:GetClusterCredentialsWithIAM'],
              resources: [
                this.clusterArn(stack, 'dbname', `${this.clusterIdentifier}/${this.database}`),
              ],
            }),
          );
        } else {
          role.addToPrincipalPolicy(
            new iam.PolicyStatement({
              sid: 'IamCredentials',
              actions: ['redshift-serverless:GetCredentials'],
              resources: [targetArn],
            }),
          );
        }
        break;
      case RedshiftAuth.SECRET: {
        const secret = this.secret as secretsmanager.ISecret;
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'ReadSecret',
            actions: ['secretsmanager:GetSecretValue'],
            // A secret imported by name has a partial ARN; Secrets Manager appends "-" and six
            // characters ("Secrets Manager ARN format" in the IAM policy examples).
            resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
          }),
        );
        secret.encryptionKey?.grantDecrypt(role);
        break;
      }
    }
  }

  private clusterArn(stack: Stack, resource: string, resourceName: string): string {
    return stack.formatArn({
      service: 'redshift',
      resource,
      resourceName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private targetArn(scope: Construct): string {
    const stack = Stack.of(scope);
    if (this.clusterIdentifier !== undefined) {
      return this.clusterArn(stack, 'cluster', this.clusterIdentifier);
    }
    if (this.workgroupId === undefined) {
      Annotations.of(scope).addWarningV2(
        '@stepshift/cdk:workgroupWithoutId',
        `Redshift Serverless permissions cover every workgroup of this account and region because workgroup '${this.workgroupName}' was given without workgroupId; ` +
          'pass workgroupId (CfnWorkgroup.attrWorkgroupWorkgroupId) to scope them to that workgroup',
      );
    }
    return stack.formatArn({
      service: 'redshift-serverless',
      resource: 'workgroup',
      resourceName: this.workgroupId ?? '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}
