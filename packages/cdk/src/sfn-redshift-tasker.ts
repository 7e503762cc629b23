import {
  Annotations,
  ArnFormat,
  Duration,
  Names,
  Stack,
  Token,
  type RemovalPolicy,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { Defaults } from './private/contract/defaults.js';
import { EnvVars } from './private/contract/env.js';
import {
  completionEventPattern,
  executionEndEventPattern,
  type EventPattern,
} from './private/contract/events.js';
import { MAX_WAIT_TIME_SECONDS } from './private/contract/limits.js';
import { statementPrefixIsValid } from './private/contract/naming.js';
import { TrackingStatus, TrackingTable } from './private/contract/table.js';
import { StepshiftValidationError } from './private/errors.js';
import { HANDLER_ENTRY, handlerCode, type HandlerName } from './private/handler-assets.js';
import { nagResourceName, suppressNag } from './private/nag.js';
import type { RedshiftTarget } from './redshift-target.js';

/** Log level of the handlers (`STEPSHIFT_LOG_LEVEL`). */
export enum StepshiftLogLevel {
  DEBUG = 'DEBUG',
  INFO = 'INFO',
  WARN = 'WARN',
  ERROR = 'ERROR',
}

/** Settings of one handler function; `environment` is merged into the required one. */
export interface HandlerFunctionOptions {
  /**
   * @default 256
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
   */
  readonly memorySize?: number;
  /** @default - see each function's prop documentation */
  readonly timeout?: Duration;
  /**
   * Extra environment variables, merged with the ones the handler needs. Setting one of the
   * `STEPSHIFT_*` variables the construct sets is an error: use the matching prop instead.
   * @default - only the required variables
   */
  readonly environment?: Record<string, string>;
  /** @default lambda.Architecture.ARM_64 */
  readonly architecture?: lambda.Architecture;
  /** @default - a description naming the tasker */
  readonly description?: string;
}

/** Properties of a `SfnRedshiftTasker`. */
export interface SfnRedshiftTaskerProps {
  /** Where the SQL runs and how it authenticates (`RedshiftTarget.clusterWithDbUser(...)` etc.). */
  readonly target: RedshiftTarget;
  /**
   * Identifies this tasker in statement names (`stepshift.<taskerId>.<digest>`): the
   * completion rule only matches its own prefix, so many taskers share one account.
   * Letters, digits and `_ . : -`, at most 89 characters.
   * @default - derived from the construct path (stable across deployments)
   */
  readonly taskerId?: string;
  /**
   * Key encrypting the tracking table (it holds task tokens), the queues and the handlers'
   * secrets at rest. Rotation is enabled on the key this construct creates.
   * @default - a new key with rotation, or the shared table's key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * An existing tracking table with the runtime's schema (for instance another tasker's
   * `trackingTable`): statement names carry each tasker's prefix, so rows never collide.
   * @default - a new table (pay per request, point-in-time recovery, TTL, both indexes)
   */
  readonly trackingTable?: dynamodb.ITable;
  /**
   * An existing queue for completion events. Its redrive policy and encryption are yours.
   * @default - a new KMS-encrypted, TLS-only queue with a dead-letter queue
   */
  readonly queue?: sqs.IQueue;
  /**
   * Reserved concurrency of the tasker: bounds the Data API start rate (30 calls/s per account).
   * @default 1
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
   */
  readonly taskerReservedConcurrency?: number;
  /**
   * Reserved concurrency of the completer, separate from the tasker's so throttled starts
   * never starve completions. Also the SQS event source's maximum concurrency (capped at
   * 1000), so the poller never runs more completers than are reserved; at least 2.
   * @default 2
   */
  readonly completerReservedConcurrency?: number;
  /**
   * Completion messages one completer invocation takes (1-10).
   * @default 10
   */
  readonly completerBatchSize?: number;
  /**
   * Receives of a completion message before it moves to the dead-letter queue (1-1000).
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * How long the tasker waits for a short statement to finish on the spot (0-30 s, Data API
   * `WaitTimeSeconds`). A task payload's `fastPathSeconds` overrides it per statement.
   * @default Duration.seconds(0) - off: the completion event finishes every task
   */
  readonly fastPath?: Duration;
  /**
   * How often the reconciler looks for statements whose completion event is late or lost
   * (whole minutes: EventBridge schedules run at most once a minute).
   * @default Duration.minutes(1)
   */
  readonly reconcileInterval?: Duration;
  /**
   * How long a statement may stay pending before the reconciler describes it.
   * @default Duration.minutes(2)
   */
  readonly reconcileGrace?: Duration;
  /**
   * How long tracking rows are kept after their last change (DynamoDB TTL).
   * @default Duration.days(7)
   */
  readonly trackingRetention?: Duration;
  /**
   * Cancel the still-running statements of executions that fail, time out or are aborted.
   * Narrow it to given state machines with `grantStateMachine`.
   * @default true
   */
  readonly autoCancel?: boolean;
  /** @default StepshiftLogLevel.INFO */
  readonly logLevel?: StepshiftLogLevel;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Active X-Ray tracing on the handlers.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * What happens to the table, key, queues and log groups this construct creates when they
   * leave the stack.
   * @default - each resource's CDK default (RETAIN for the table, key and log groups)
   */
  readonly removalPolicy?: RemovalPolicy;
  /** @default - timeout 60 s (30 s plus the longest fast-path wait), 256 MB */
  readonly taskerFunction?: HandlerFunctionOptions;
  /** @default - timeout 60 s, 256 MB */
  readonly completerFunction?: HandlerFunctionOptions;
}

/** The completer may read many result pages before its callback. */
const COMPLETER_TIMEOUT = Duration.seconds(60);
/** Registration plus one Data API call, before any fast-path wait. */
const TASKER_BASE_TIMEOUT = Duration.seconds(30);
/** Below the 1-minute schedule so runs never overlap. */
const RECONCILER_TIMEOUT = Duration.seconds(50);
const CANCELLER_TIMEOUT = Duration.seconds(30);
const DEFAULT_MEMORY_MB = 256;
/**
 * "Set the source queue's visibility timeout to at least six times the timeout that you
 * configure on your function" (Lambda developer guide, "Using Lambda with Amazon SQS").
 */
const VISIBILITY_TIMEOUT_FACTOR = 6;
/** SQS event source without a batching window: 1-10 messages (Lambda CreateEventSourceMapping). */
const MAX_SQS_BATCH_SIZE = 10;
/**
 * An SQS event source's maximum concurrency is 2-1000, and it must not exceed the function's
 * reserved concurrency: the poller does not account for reserved concurrency, so without the
 * cap it invokes more completers than are reserved and the throttled batches return to the
 * queue as failed receives (Lambda developer guide, "Configuring scaling behavior for SQS
 * event source mappings").
 */
const MIN_SQS_MAX_CONCURRENCY = 2;
const MAX_SQS_MAX_CONCURRENCY = 1000;
/** SQS `maxReceiveCount`: 1-1000 (SQS developer guide, dead-letter queues). */
const MAX_RECEIVE_COUNT = 1000;
/** EventBridge schedule expressions have a granularity of one minute. */
const MIN_SCHEDULE_SECONDS = 60;
/** Longest tasker id: `stepshift.` + id + `.` within the contract's 100-character prefix. */
const MAX_TASKER_ID_CHARS = 89;
/** Dead-letter messages are kept the SQS maximum, for investigation. */
const DLQ_RETENTION = Duration.days(14);

function toCdkPattern(pattern: EventPattern): events.EventPattern {
  return {
    source: [...pattern.source],
    detailType: [...pattern['detail-type']],
    detail: { ...pattern.detail },
  };
}

function wholeSeconds(
  value: Duration,
  what: string,
  min: number,
  max: number,
  fix: string,
): number {
  const seconds = value.toSeconds();
  if (Token.isUnresolved(seconds)) return seconds;
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw new StepshiftValidationError(
      `${what} must be whole seconds between ${min} and ${max} (received ${seconds} s): ${fix}`,
    );
  }
  return seconds;
}

function positiveInteger(
  value: number | undefined,
  fallback: number,
  what: string,
  max: number,
): number {
  const n = value ?? fallback;
  if (Token.isUnresolved(n)) return n;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new StepshiftValidationError(
      `${what} must be an integer from 1 to ${max} (received ${n}): ${
        n < 1 ? 'a value below 1 would stop the function or queue from working; ' : ''
      }omit it for the default ${fallback}`,
    );
  }
  return n;
}

/**
 * Runs Amazon Redshift SQL from Step Functions as if it were synchronous. Deploys the tasker
 * Lambda (starts statements with a task token), the tracking table, the EventBridge rule that
 * routes this tasker's completion events to an SQS queue, the completer Lambda that sends the
 * task's success or failure, a scheduled reconciler for lost events, an auto-cancel rule for
 * ended executions, a KMS key, log groups and alarms.
 */
export class SfnRedshiftTasker extends Construct {
  /** The tasker function: a `lambda:invoke.waitForTaskToken` Task state invokes it. */
  public readonly lambdaFunction: lambda.IFunction;
  /** Consumes completion events and calls back Step Functions. */
  public readonly completerFunction: lambda.IFunction;
  /** Completes statements whose event is late or lost. */
  public readonly reconcilerFunction: lambda.IFunction;
  /** Cancels the statements of executions that ended without success. */
  public readonly cancellerFunction?: lambda.IFunction;
  /** The role every handler shares: the Data API lets only a statement's starter read it. */
  public readonly role: iam.IRole;
  /** One row per statement started with a task token. */
  public readonly trackingTable: dynamodb.ITable;
  /** Completion events of this tasker's statements. */
  public readonly queue: sqs.IQueue;
  /** Completion events the completer could not process; undefined when `queue` was given. */
  public readonly deadLetterQueue?: sqs.IQueue;
  /** Encrypts the table, the queues and the task tokens at rest. */
  public readonly encryptionKey: kms.IKey;
  /** Routes this tasker's Data API completion events to `queue`. */
  public readonly rule: events.Rule;
  /** Runs the reconciler. */
  public readonly reconcileRule: events.Rule;
  /** Routes ended executions to the canceller; undefined when `autoCancel` is false. */
  public readonly cancelRule?: events.Rule;
  /** The statement-name prefix of this tasker (`stepshift.<taskerId>.`). */
  public readonly statementPrefix: string;
  /** The target the statements run on. */
  public readonly target: RedshiftTarget;
  /** Alarms on dead-letter depth, completer errors and orphaned statements. */
  public readonly alarms: cloudwatch.IAlarm[];

  private readonly handlerRole: iam.Role;
  private readonly environment: Record<string, string>;
  private readonly logRetention: logs.RetentionDays;
  private readonly removalPolicy: RemovalPolicy | undefined;
  private readonly tracing: boolean;
  private readonly logGroups: logs.LogGroup[] = [];
  private readonly grantedStateMachines = new Set<string>();

  public constructor(scope: Construct, id: string, props: SfnRedshiftTaskerProps) {
    super(scope, id);
    this.target = props.target;
    this.logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    this.removalPolicy = props.removalPolicy;
    this.tracing = props.tracing ?? false;

    const taskerId =
      props.taskerId ??
      Names.uniqueResourceName(this, {
        maxLength: 48,
        separator: '-',
        allowedSpecialCharacters: '-',
      });
    this.statementPrefix = this.validPrefix(taskerId);

    const taskerConcurrency = positiveInteger(
      props.taskerReservedConcurrency,
      Defaults.taskerReservedConcurrency,
      'taskerReservedConcurrency',
      Number.MAX_SAFE_INTEGER,
    );
    const completerConcurrency = positiveInteger(
      props.completerReservedConcurrency,
      Defaults.completerReservedConcurrency,
      'completerReservedConcurrency',
      Number.MAX_SAFE_INTEGER,
    );
    if (
      !Token.isUnresolved(completerConcurrency) &&
      completerConcurrency < MIN_SQS_MAX_CONCURRENCY
    ) {
      throw new StepshiftValidationError(
        `completerReservedConcurrency must be at least ${MIN_SQS_MAX_CONCURRENCY} (received ${completerConcurrency}): the SQS event source limits the completers it runs to ${MIN_SQS_MAX_CONCURRENCY}-${MAX_SQS_MAX_CONCURRENCY} (its maximum concurrency) and must not exceed the reserved concurrency, or throttled completion events end in the dead-letter queue; omit it for the default ${Defaults.completerReservedConcurrency}`,
      );
    }
    const batchSize = positiveInteger(
      props.completerBatchSize,
      Defaults.completerBatchSize,
      'completerBatchSize',
      MAX_SQS_BATCH_SIZE,
    );
    const maxReceiveCount = positiveInteger(
      props.maxReceiveCount,
      Defaults.maxReceiveCount,
      'maxReceiveCount',
      MAX_RECEIVE_COUNT,
    );
    const fastPathSeconds = wholeSeconds(
      props.fastPath ?? Duration.seconds(Defaults.fastPathSeconds),
      'fastPath',
      0,
      MAX_WAIT_TIME_SECONDS,
      'the Data API waits at most 30 s (WaitTimeSeconds); use Duration.seconds(0) to turn the fast path off',
    );
    const reconcileInterval =
      props.reconcileInterval ?? Duration.seconds(Defaults.reconcileIntervalSeconds);
    const intervalSeconds = wholeSeconds(
      reconcileInterval,
      'reconcileInterval',
      MIN_SCHEDULE_SECONDS,
      Number.MAX_SAFE_INTEGER,
      'EventBridge schedules run at most once a minute; use Duration.minutes(n)',
    );
    if (!Token.isUnresolved(intervalSeconds) && intervalSeconds % MIN_SCHEDULE_SECONDS !== 0) {
      throw new StepshiftValidationError(
        `reconcileInterval must be whole minutes (received ${intervalSeconds} s): EventBridge rate schedules count minutes; use Duration.minutes(n)`,
      );
    }
    const graceSeconds = wholeSeconds(
      props.reconcileGrace ?? Duration.seconds(Defaults.reconcileGraceSeconds),
      'reconcileGrace',
      1,
      Number.MAX_SAFE_INTEGER,
      'give the delay after which a statement without a completion event is described, e.g. Duration.minutes(2)',
    );
    const retentionSeconds = wholeSeconds(
      props.trackingRetention ?? Duration.seconds(Defaults.trackingRetentionSeconds),
      'trackingRetention',
      1,
      Number.MAX_SAFE_INTEGER,
      'give how long finished rows stay in the table, e.g. Duration.days(7)',
    );

    // Key, table, queues.
    this.encryptionKey =
      props.encryptionKey ??
      props.trackingTable?.encryptionKey ??
      new kms.Key(this, 'Key', {
        description: `Stepshift tasker ${this.statementPrefix}: tracking table, queues, task tokens`,
        enableKeyRotation: true,
        ...(this.removalPolicy !== undefined && { removalPolicy: this.removalPolicy }),
      });
    this.trackingTable = props.trackingTable ?? this.createTable();
    const completerTimeout = props.completerFunction?.timeout ?? COMPLETER_TIMEOUT;
    if (props.queue !== undefined) {
      this.queue = props.queue;
    } else {
      const dlq = new sqs.Queue(this, 'DeadLetterQueue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.encryptionKey,
        enforceSSL: true,
        retentionPeriod: DLQ_RETENTION,
        ...(this.removalPolicy !== undefined && { removalPolicy: this.removalPolicy }),
      });
      suppressNag(dlq, [
        {
          id: 'AwsSolutions::AwsSolutions-SQS3',
          reason:
            'This queue is the dead-letter queue of the completion queue; a dead-letter queue of a dead-letter queue would only hide failures. The DeadLetterAlarm watches its depth.',
        },
      ]);
      this.deadLetterQueue = dlq;
      this.queue = new sqs.Queue(this, 'Queue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.encryptionKey,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(
          completerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR,
        ),
        deadLetterQueue: { queue: dlq, maxReceiveCount },
        ...(this.removalPolicy !== undefined && { removalPolicy: this.removalPolicy }),
      });
    }

    // One role for every handler: the Data API lets only the principal that started a
    // statement describe, read or cancel it (Data API "Authorizing access").
    this.handlerRole = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Stepshift tasker ${this.statementPrefix} handlers`,
    });
    this.role = this.handlerRole;
    this.target._grantDataAccess(this, this.handlerRole);
    // Exactly the calls of the runtime's DynamoDB tracking store, on the table and its two
    // indexes (no `index/*`).
    iam.Grant.addToPrincipal({
      grantee: this.handlerRole,
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      resourceArns: [
        this.trackingTable.tableArn,
        ...[TrackingTable.indexes.byExecution, TrackingTable.indexes.pending].map(
          (index) => `${this.trackingTable.tableArn}/index/${index.indexName}`,
        ),
      ],
    });
    // The table and the queues are encrypted with the key; DynamoDB and SQS use it on the
    // handlers' behalf when they read and write.
    iam.Grant.addToPrincipal({
      grantee: this.handlerRole,
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resourceArns: [this.encryptionKey.keyArn],
    });
    const callbackArn = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.handlerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'TaskCallbacks',
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        // The task token, not the request, names the execution: any state machine of this
        // account and region may use the tasker, so the narrowest ARN is the account's
        // state machines (Step Functions "Actions, resources, and condition keys").
        resources: [callbackArn],
      }),
    );

    this.acknowledgeWildcards(callbackArn);

    this.environment = {
      ...this.target.environment(),
      [EnvVars.tableName]: this.trackingTable.tableName,
      [EnvVars.statementPrefix]: this.statementPrefix,
      [EnvVars.fastPathSeconds]: String(fastPathSeconds),
      [EnvVars.reconcileGraceSeconds]: String(graceSeconds),
      [EnvVars.trackingRetentionSeconds]: String(retentionSeconds),
      [EnvVars.logLevel]: props.logLevel ?? StepshiftLogLevel.INFO,
    };

    // Functions.
    const tasker = this.createHandler('tasker', {
      options: props.taskerFunction,
      // A task's payload may ask for the longest fast-path wait whatever the tasker's default.
      timeout: TASKER_BASE_TIMEOUT.plus(Duration.seconds(MAX_WAIT_TIME_SECONDS)),
      reservedConcurrency: taskerConcurrency,
      description: 'starts Redshift statements for Step Functions tasks',
    });
    const completer = this.createHandler('completer', {
      options: props.completerFunction,
      timeout: COMPLETER_TIMEOUT,
      reservedConcurrency: completerConcurrency,
      description: 'completes Step Functions tasks when their Redshift statement ends',
    });
    const reconciler = this.createHandler('reconciler', {
      options: undefined,
      timeout: RECONCILER_TIMEOUT,
      reservedConcurrency: 1,
      description: 'completes statements whose completion event is late or lost',
    });
    this.lambdaFunction = tasker;
    this.completerFunction = completer;
    this.reconcilerFunction = reconciler;

    completer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: Token.isUnresolved(completerConcurrency)
          ? completerConcurrency
          : Math.min(completerConcurrency, MAX_SQS_MAX_CONCURRENCY),
      }),
    );

    // Completion events of this tasker only, to the queue.
    this.rule = new events.Rule(this, 'CompletionRule', {
      description: `Redshift Data API completion events of statements named ${this.statementPrefix}*`,
      eventPattern: toCdkPattern(completionEventPattern(this.statementPrefix)),
    });
    this.rule.addTarget(new CompletionQueueTarget(this.queue));
    if (props.queue === undefined) {
      // EventBridge must encrypt what it sends to the KMS-encrypted queue ("Amazon SQS
      // permissions" in the EventBridge user guide). Conditioned on this account rather than
      // on the rule ARN: the rule targets the queue, the queue uses the key, so naming the
      // rule in the key policy would be a dependency cycle (the queue policy names the rule).
      const { statementAdded } = this.encryptionKey.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          // In a key policy "*" means this key (KMS developer guide, "Key policies").
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
      );
      if (!statementAdded) {
        Annotations.of(this).addWarningV2(
          '@stepshift/cdk:importedKey',
          'the encryption key is imported, so its policy cannot be changed here: allow events.amazonaws.com kms:Decrypt and kms:GenerateDataKey (condition aws:SourceAccount = this account), or completion events never reach the queue',
        );
      }
    }

    this.reconcileRule = new events.Rule(this, 'ReconcileSchedule', {
      description: `Stepshift reconciler of ${this.statementPrefix}`,
      schedule: events.Schedule.rate(reconcileInterval),
    });
    // A missed run is made up by the next one.
    this.reconcileRule.addTarget(new targets.LambdaFunction(reconciler, { retryAttempts: 0 }));

    if (props.autoCancel ?? true) {
      const canceller = this.createHandler('canceller', {
        options: undefined,
        timeout: CANCELLER_TIMEOUT,
        reservedConcurrency: 1,
        description: 'cancels the statements of executions that ended without success',
      });
      this.cancellerFunction = canceller;
      this.cancelRule = new events.Rule(this, 'ExecutionEndRule', {
        description: `Executions that ended without success: cancel their ${this.statementPrefix} statements`,
        eventPattern: toCdkPattern(executionEndEventPattern()),
      });
      this.cancelRule.addTarget(
        new targets.LambdaFunction(canceller, { retryAttempts: 2, maxEventAge: Duration.hours(1) }),
      );
    }

    this.alarms = this.createAlarms(completer, taskerId);
  }

  /**
   * Lets `stateMachine` invoke the tasker and, with auto-cancel on, narrows the execution-end
   * rule to the state machines granted this way.
   */
  public grantStateMachine(stateMachine: sfn.IStateMachine): iam.Grant {
    const grant = this.lambdaFunction.grantInvoke(stateMachine);
    if (
      this.cancelRule !== undefined &&
      !this.grantedStateMachines.has(stateMachine.stateMachineArn)
    ) {
      this.grantedStateMachines.add(stateMachine.stateMachineArn);
      this.cancelRule.addEventPattern({
        detail: { stateMachineArn: [stateMachine.stateMachineArn] },
      });
    }
    return grant;
  }

  /** Lets `grantee` invoke the tasker (the seed's `lambdaFunction.grantInvoke`). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.lambdaFunction.grantInvoke(grantee);
  }

  /** The two wildcards of the handler policy, each with the AWS reason no narrower one exists. */
  private acknowledgeWildcards(callbackArn: string): void {
    const policy = this.handlerRole.node.tryFindChild('DefaultPolicy');
    if (policy === undefined) return;
    const stack = Stack.of(this);
    suppressNag(policy, [
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'redshift-data:DescribeStatement, CancelStatement and GetStatementResult support no resource type ("Actions, resources, and condition keys for Amazon Redshift Data API"); the statement-owner-iam-userid condition limits them to statements this role started. With tracing on, xray:PutTraceSegments/PutTelemetryRecords support no resource type either (AWS X-Ray "Actions, resources, and condition keys").',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResourceName(stack.resolve(callbackArn))}]`,
        reason:
          'SendTaskSuccess/Failure/Heartbeat are authorized against the state machine that issued the task token; any state machine of this account and region may invoke the tasker, so the callbacks cover this account and region only. Use a dedicated tasker per trust boundary.',
      },
    ]);
  }

  private validPrefix(taskerId: string): string {
    if (Token.isUnresolved(taskerId)) {
      throw new StepshiftValidationError(
        'taskerId must be a literal string: it is part of the statement names and of the completion rule pattern',
      );
    }
    const prefix = `stepshift.${taskerId}.`;
    if (taskerId.length > MAX_TASKER_ID_CHARS || !statementPrefixIsValid(prefix)) {
      throw new StepshiftValidationError(
        `invalid taskerId '${taskerId}': use 1-${MAX_TASKER_ID_CHARS} letters, digits or _ . : - (it becomes the statement-name prefix '${prefix}')`,
      );
    }
    const clash = Stack.of(this)
      .node.findAll()
      .find((c) => c instanceof SfnRedshiftTasker && c !== this && c.statementPrefix === prefix);
    if (clash !== undefined) {
      throw new StepshiftValidationError(
        `taskerId '${taskerId}' is already used by ${clash.node.path}: two taskers with one prefix would complete each other's statements; give each a distinct taskerId`,
      );
    }
    // Rules, the reconciler and the canceller select statements by name prefix, so
    // 'stepshift.etl.' also takes 'stepshift.etl.nightly.*': on a shared table the 'etl'
    // reconciler would describe the other role's statements, be refused, and fail their tasks.
    const overlap = Stack.of(this)
      .node.findAll()
      .find(
        (c): c is SfnRedshiftTasker =>
          c instanceof SfnRedshiftTasker &&
          c !== this &&
          c.statementPrefix !== undefined &&
          (c.statementPrefix.startsWith(prefix) || prefix.startsWith(c.statementPrefix)),
      );
    if (overlap !== undefined) {
      throw new StepshiftValidationError(
        `taskerId '${taskerId}' makes the statement prefix '${prefix}', which overlaps the prefix '${overlap.statementPrefix}' of ${overlap.node.path}: the completion rule, reconciler and canceller of one would take the other's statements; choose ids where neither prefix starts with the other`,
      );
    }
    return prefix;
  }

  private createTable(): dynamodb.Table {
    const t = TrackingTable;
    const table = new dynamodb.Table(this, 'TrackingTable', {
      partitionKey: {
        name: t.partitionKey.name,
        type: attributeType(t.partitionKey.type),
      },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: t.ttlAttribute,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.encryptionKey,
      ...(this.removalPolicy !== undefined && { removalPolicy: this.removalPolicy }),
    });
    for (const index of [t.indexes.byExecution, t.indexes.pending]) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: {
          name: index.partitionKey.name,
          type: attributeType(index.partitionKey.type),
        },
        sortKey: { name: index.sortKey.name, type: attributeType(index.sortKey.type) },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }

  private createHandler(
    name: HandlerName,
    spec: {
      options: HandlerFunctionOptions | undefined;
      timeout: Duration;
      reservedConcurrency: number;
      description: string;
    },
  ): lambda.Function {
    const options = spec.options ?? {};
    const timeout = options.timeout ?? spec.timeout;
    if (!timeout.isUnresolved() && timeout.toSeconds() >= Defaults.claimLeaseSeconds) {
      // Every handler may claim a tracking row to send a callback; a handler still running
      // when its claim ends can be overtaken, and the task's outcome then depends on a race.
      throw new StepshiftValidationError(
        `the ${name} function's timeout (${timeout.toSeconds()} s) must be under ${Defaults.claimLeaseSeconds} s, the claim a handler holds on a tracking row while it sends a callback: set ${name}Function.timeout to at most ${Defaults.claimLeaseSeconds - 1} s`,
      );
    }
    const extra = options.environment ?? {};
    const clashes = Object.keys(extra).filter((k) => k in this.environment);
    if (clashes.length > 0) {
      throw new StepshiftValidationError(
        `the ${name} function's environment may not override ${clashes.join(', ')}: the construct sets them from its props (target, fastPath, reconcileGrace, trackingRetention, logLevel, taskerId); set those props instead`,
      );
    }
    const logGroup = new logs.LogGroup(this, `${capitalize(name)}Logs`, {
      retention: this.logRetention,
      ...(this.removalPolicy !== undefined && { removalPolicy: this.removalPolicy }),
    });
    this.logGroups.push(logGroup);
    logGroup.grantWrite(this.handlerRole);
    const fn = new lambda.Function(this, capitalize(name), {
      code: handlerCode(name),
      handler: HANDLER_ENTRY,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: options.architecture ?? lambda.Architecture.ARM_64,
      memorySize: options.memorySize ?? DEFAULT_MEMORY_MB,
      timeout,
      reservedConcurrentExecutions: spec.reservedConcurrency,
      description: options.description ?? `Stepshift ${this.statementPrefix}: ${spec.description}`,
      environment: { ...extra, ...this.environment },
      role: this.handlerRole,
      logGroup,
      ...(this.tracing && { tracing: lambda.Tracing.ACTIVE }),
    });
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    // The sandbox finds the handlers in a synthesized template by this metadata.
    cfn.addMetadata('stepshift:role', name);
    cfn.addMetadata('stepshift:statementPrefix', this.statementPrefix);
    suppressNag(fn, [
      {
        id: 'AwsSolutions::AwsSolutions-L1',
        reason:
          'The handler bundles are built for nodejs22.x (esbuild target node22) and tested on it; moving to a newer runtime is a deliberate release of @stepshift/cdk, not a synth-time default.',
      },
    ]);
    return fn;
  }

  private createAlarms(completer: lambda.Function, taskerId: string): cloudwatch.IAlarm[] {
    const alarms: cloudwatch.IAlarm[] = [];
    if (this.deadLetterQueue !== undefined) {
      alarms.push(
        new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
          alarmDescription: `Completion events of ${this.statementPrefix} reached the dead-letter queue: their tasks wait for the reconciler`,
          metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(5),
            statistic: 'Maximum',
          }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    alarms.push(
      new cloudwatch.Alarm(this, 'CompleterErrorsAlarm', {
        alarmDescription: `The completer of ${this.statementPrefix} failed`,
        metric: completer.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    // An ORPHANED row is a statement whose task no longer waits (timed out or closed). The
    // handlers log JSON lines; the filter takes a line whose `status` is ORPHANED or whose
    // message says a row was orphaned (the runtime's wording today).
    const namespace = 'Stepshift';
    const metricName = `OrphanedStatements-${taskerId}`;
    for (const logGroup of this.logGroups) {
      new logs.MetricFilter(this, `Orphaned${logGroup.node.id}`, {
        logGroup,
        metricNamespace: namespace,
        metricName,
        filterPattern: logs.FilterPattern.any(
          logs.FilterPattern.stringValue('$.status', '=', TrackingStatus.Orphaned),
          logs.FilterPattern.stringValue('$.message', '=', '*orphaned*'),
        ),
        metricValue: '1',
      });
    }
    alarms.push(
      new cloudwatch.Alarm(this, 'OrphanedStatementsAlarm', {
        alarmDescription: `Statements of ${this.statementPrefix} ended after their task stopped waiting (heartbeat or timeout too short?)`,
        metric: new cloudwatch.Metric({
          namespace,
          metricName,
          period: Duration.minutes(5),
          statistic: 'Sum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    return alarms;
  }
}

/**
 * The completion queue as the rule's target. Unlike `targets.SqsQueue`, which grants
 * events.amazonaws.com the queue's key without condition when the queue is encrypted, the
 * queue policy names this rule only; the key policy statement is added by the tasker.
 */
class CompletionQueueTarget implements events.IRuleTarget {
  public constructor(private readonly queue: sqs.IQueue) {}

  public bind(rule: events.IRuleRef): events.RuleTargetConfig {
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': events.CfnRule.arnForRule(rule) } },
      }),
    );
    return { arn: this.queue.queueArn, targetResource: this.queue };
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function attributeType(type: 'S' | 'N'): dynamodb.AttributeType {
  return type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER;
}
