/**
 * Environment variables read by the Lambda handlers. The construct sets them; the sandbox sets
 * them (or injects the same values through the handler factories).
 *
 * Endpoints are not ours to name: the AWS SDK v3 reads `AWS_ENDPOINT_URL_REDSHIFT_DATA`,
 * `AWS_ENDPOINT_URL_DYNAMODB` and `AWS_ENDPOINT_URL_SFN` itself.
 */
export const EnvVars = {
  /** Name of the DynamoDB tracking table. Required by every handler. */
  tableName: 'STEPSHIFT_TABLE_NAME',
  /** Statement-name prefix of this tasker (see `statementPrefixIsValid`). Required. */
  statementPrefix: 'STEPSHIFT_STATEMENT_PREFIX',
  /** Provisioned cluster identifier. Exactly one of cluster or workgroup. */
  clusterIdentifier: 'STEPSHIFT_CLUSTER_IDENTIFIER',
  /** Redshift Serverless workgroup name. Exactly one of cluster or workgroup. */
  workgroupName: 'STEPSHIFT_WORKGROUP_NAME',
  /** Database name. Required. */
  database: 'STEPSHIFT_DATABASE',
  /** Cluster only: database user for temporary credentials (`GetClusterCredentials`). */
  dbUser: 'STEPSHIFT_DB_USER',
  /** Secrets Manager secret ARN holding the database credentials. */
  secretArn: 'STEPSHIFT_SECRET_ARN',
  /** Seconds the tasker waits for a short statement to finish (0 disables the fast path). */
  fastPathSeconds: 'STEPSHIFT_FAST_PATH_SECONDS',
  /** Seconds a statement may stay pending before the reconciler describes it. */
  reconcileGraceSeconds: 'STEPSHIFT_RECONCILE_GRACE_SECONDS',
  /** Seconds a tracking row is kept after its last change (DynamoDB TTL). */
  trackingRetentionSeconds: 'STEPSHIFT_TRACKING_RETENTION_SECONDS',
  /** `DEBUG` | `INFO` | `WARN` | `ERROR`. */
  logLevel: 'STEPSHIFT_LOG_LEVEL',
} as const;

export type EnvVarName = (typeof EnvVars)[keyof typeof EnvVars];
