/** What `loadStateMachineFromAssembly` returns and takes. */

/** The account and region the template's pseudo parameters resolve to. */
export interface AssemblyEnvironment {
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default 'aws' */
  readonly partition?: string;
}

/** A Lambda function of the stack, with the name and ARN the sandbox gives it. */
export interface LambdaFunctionInfo {
  readonly logicalId: string;
  /** The construct path of the function (`EtlStack/Publish`), when the assembly records it. */
  readonly constructPath: string | undefined;
  /** `FunctionName` when set, else `<stack name>-<logical id>` (CloudFormation's pattern, without its random suffix). */
  readonly functionName: string;
  readonly functionArn: string;
  /** `Handler` (`index.handler`), when set. */
  readonly handler: string | undefined;
  readonly runtime: string | undefined;
  /** Directory or file of the function's code asset inside `cdk.out`, when it has one there. */
  readonly codeAssetPath: string | undefined;
  /** `ReservedConcurrentExecutions`, when set. */
  readonly reservedConcurrency: number | undefined;
  /** `Environment.Variables`, resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Variables left out of `environment` because their value cannot be known without a
   * deployment (e.g. `Fn::ImportValue`). Always empty for Stepshift handlers: for them it is an error.
   */
  readonly unresolvedEnvironment: readonly string[];
}

/** A Stepshift handler function next to the tasker (found by its `stepshift:role` metadata). */
export interface StepshiftHandlerInfo extends LambdaFunctionInfo {
  readonly role: 'tasker' | 'completer' | 'reconciler' | 'canceller';
}

/** A Stepshift tasker found in the template, with its configuration resolved. */
export interface TaskerInfo {
  readonly logicalId: string;
  readonly constructPath: string | undefined;
  readonly functionName: string;
  readonly functionArn: string;
  /** `STEPSHIFT_STATEMENT_PREFIX`, e.g. `stepshift.etl.` */
  readonly statementPrefix: string;
  /** `STEPSHIFT_TABLE_NAME`. */
  readonly tableName: string | undefined;
  /** `STEPSHIFT_DATABASE`. */
  readonly database: string | undefined;
  /** `STEPSHIFT_CLUSTER_IDENTIFIER` (provisioned cluster). */
  readonly clusterIdentifier: string | undefined;
  /** `STEPSHIFT_WORKGROUP_NAME` (Redshift Serverless). */
  readonly workgroupName: string | undefined;
  /** `STEPSHIFT_DB_USER`. */
  readonly dbUser: string | undefined;
  /** `STEPSHIFT_SECRET_ARN`. */
  readonly secretArn: string | undefined;
  /** `STEPSHIFT_FAST_PATH_SECONDS`, or the contract's default. */
  readonly fastPathSeconds: number;
  /** `STEPSHIFT_RECONCILE_GRACE_SECONDS`, or the contract's default. */
  readonly reconcileGraceSeconds: number;
  /** The tasker's `ReservedConcurrentExecutions`, or the contract's default. */
  readonly reservedConcurrency: number;
  /** The completer's `ReservedConcurrentExecutions`, or the contract's default. */
  readonly completerReservedConcurrency: number;
  /** The completer's SQS event source `BatchSize`, or the contract's default. */
  readonly completerBatchSize: number;
  /** The completion queue's `RedrivePolicy.maxReceiveCount`, or the contract's default. */
  readonly maxReceiveCount: number;
  /** The reconciler's schedule (`rate(1 minute)` → 60), or the contract's default. */
  readonly reconcileIntervalSeconds: number;
  /** All of the tasker's environment variables, resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /** The tasker and its companion functions (same statement prefix), by role. */
  readonly handlers: Readonly<Partial<Record<StepshiftHandlerInfo['role'], StepshiftHandlerInfo>>>;
}

/** A state machine read from a cloud assembly. */
export interface LoadedStateMachine {
  /** The ASL definition with every intrinsic resolved. */
  readonly definition: object;
  /** `StateMachineName` when set, else the logical id (CloudFormation's pattern, without its random suffix). */
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly logicalId: string;
  readonly constructPath: string | undefined;
  readonly stackName: string;
  /** The Stepshift taskers of the state machine's stack. */
  readonly taskers: readonly TaskerInfo[];
  /** Every Lambda function of the stack: logical id → function ARN. */
  readonly lambdaFunctions: Readonly<Record<string, string>>;
  /** The same functions with their details. */
  readonly functions: readonly LambdaFunctionInfo[];
}
