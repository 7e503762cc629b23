/**
 * The Stepshift deployment, locally: the real tasker, completer, reconciler and canceller
 * handlers with SDK clients pointed at the Data API emulator, dynalite and the sandbox's SFN
 * endpoint; the completion rule (the contract's pattern) on the bus, into a queue with a
 * dead-letter queue, delivered in batches to the completer; the reconciler on its schedule and
 * the canceller on execution-end events. Mirrors what the CDK construct deploys.
 */
import {
  createCancellerHandler,
  createCompleterHandler,
  createDynamoDbClient,
  createReconcilerHandler,
  createRedshiftDataClient,
  createSfnClient,
  createTaskerHandler,
  completionEventPattern,
  Defaults,
  executionEndEventPattern,
  taskerStatementPrefix,
  type Clock as RuntimeClock,
  type HandlerConfig,
  type LogLevel,
  type SqsEvent as RuntimeSqsEvent,
} from '@stepshift/runtime';
import type { BusEvent } from '../bus/event-bus.js';
import { Queue } from '../queue/queue.js';
import { startQueueConsumer, type QueueConsumerHandle } from '../queue/queue-consumer.js';
import type { Sandbox } from '../sandbox.js';
import { startScheduler, type ScheduledJob } from '../time/scheduler.js';
import type { DataApiEmulatorHandle } from './data-api-emulator.js';
import { LOCAL_CREDENTIALS, startLocalDynamoDb, type LocalDynamoDb } from './local-dynamodb.js';
import { redshiftDataIntegration } from './redshift-data-integration.js';
import { StatementLog, type StatementListener } from './statement-log.js';

/** The tasker's function name recognised by default in hand-written definitions (issue 5). */
export const DEFAULT_TASKER_NAME = 'stepshift-tasker';
export const COMPLETER_FUNCTION = 'stepshift-completer';
export const RECONCILER_FUNCTION = 'stepshift-reconciler';
export const CANCELLER_FUNCTION = 'stepshift-canceller';
/** The tasker id in statement names (`stepshift.sandbox.<hash>`). */
export const DEFAULT_TASKER_ID = 'sandbox';
/** The completion queue's visibility timeout: 6x the completer's timeout, as AWS advises for SQS event sources. */
export const DEFAULT_QUEUE_VISIBILITY_SECONDS = 180;

export interface StepshiftStackOptions {
  readonly emulator: DataApiEmulatorHandle;
  /** Function names or ARNs that run the tasker. @default ['stepshift-tasker'] */
  readonly taskers?: readonly string[];
  /** @default 'sandbox' */
  readonly taskerId?: string;
  /** The statement prefix (a cdk.out tasker's `STEPSHIFT_STATEMENT_PREFIX`). @default - from taskerId */
  readonly statementPrefix?: string;
  /** @default 'sandbox' */
  readonly clusterIdentifier?: string;
  /** @default 'dev' */
  readonly database?: string;
  /** How often the reconciler runs (simulated seconds). @default 60 (Defaults.reconcileIntervalSeconds) */
  readonly reconcileIntervalSeconds?: number;
  /** @default 120 (Defaults.reconcileGraceSeconds) */
  readonly reconcileGraceSeconds?: number;
  /** @default 0 (Defaults.fastPathSeconds) */
  readonly fastPathSeconds?: number;
  /** @default 1 (Defaults.taskerReservedConcurrency) */
  readonly taskerConcurrency?: number;
  /** @default 2 (Defaults.completerReservedConcurrency) */
  readonly completerConcurrency?: number;
  /** @default 10 (Defaults.completerBatchSize) */
  readonly completerBatchSize?: number;
  /** @default 0 */
  readonly batchWindowSeconds?: number;
  /** @default 5 (Defaults.maxReceiveCount) */
  readonly maxReceiveCount?: number;
  /** @default 180 */
  readonly visibilityTimeoutSeconds?: number;
  /** Handler log level. @default 'ERROR' (the progress display tells the story) */
  readonly logLevel?: LogLevel;
  /** dynalite data directory (persist the tracking table). @default - in memory */
  readonly dynamoPath?: string;
  /** Describe every finished statement for the report and progress (one DescribeStatement each). @default true */
  readonly recordStatements?: boolean;
  /** Called for every finished statement (progress display). @default - none */
  readonly statementListeners?: readonly StatementListener[];
}

export interface StepshiftStack {
  readonly statementPrefix: string;
  readonly dynamodbEndpoint: string;
  readonly tableName: string;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly reconciler: ScheduledJob;
  /** Every statement that ended, described, with the state that ran it. */
  readonly statementLog: StatementLog;
  close(): Promise<void>;
}

/** Handler time runs `timeScale` times faster, so grace periods shrink like every other wait. */
function scaledClock(timeScale: number): RuntimeClock {
  const origin = Date.now();
  return { now: () => Math.round(origin + (Date.now() - origin) * timeScale) };
}

export async function startStepshiftStack(
  sandbox: Sandbox,
  options: StepshiftStackOptions,
): Promise<StepshiftStack> {
  const region = sandbox.region;
  const tableName = 'stepshift-tracking';
  const dynamo: LocalDynamoDb = await startLocalDynamoDb({
    tableName,
    region,
    ...(options.dynamoPath === undefined ? {} : { path: options.dynamoPath }),
  });
  const common = { region, credentials: LOCAL_CREDENTIALS };
  const redshiftData = createRedshiftDataClient({ ...common, endpoint: options.emulator.endpoint });
  const dynamodb = createDynamoDbClient({ ...common, endpoint: dynamo.endpoint });
  const sfn = createSfnClient({ ...common, endpoint: sandbox.sfnEndpoint });
  const statementPrefix =
    options.statementPrefix ?? taskerStatementPrefix(options.taskerId ?? DEFAULT_TASKER_ID);
  const config: HandlerConfig = {
    tableName,
    statementPrefix,
    target: {
      kind: 'cluster',
      clusterIdentifier: options.clusterIdentifier ?? 'sandbox',
      database: options.database ?? 'dev',
      auth: { kind: 'iam' },
    },
    fastPathSeconds: options.fastPathSeconds ?? Defaults.fastPathSeconds,
    reconcileGraceSeconds: options.reconcileGraceSeconds ?? Defaults.reconcileGraceSeconds,
    logLevel: options.logLevel ?? 'ERROR',
  };
  const runtime = { config, clock: scaledClock(sandbox.clock.timeScale) };
  const tasker = createTaskerHandler({ ...runtime, redshiftData, dynamodb, sfn });
  const completer = createCompleterHandler({ ...runtime, redshiftData, dynamodb, sfn });
  const reconcilerHandler = createReconcilerHandler({ ...runtime, redshiftData, dynamodb, sfn });
  const canceller = createCancellerHandler({ ...runtime, redshiftData, dynamodb });

  const taskerConcurrency = options.taskerConcurrency ?? Defaults.taskerReservedConcurrency;
  for (const name of options.taskers ?? [DEFAULT_TASKER_NAME]) {
    sandbox.registerHandler(name, {
      handler: (event) => tasker(event),
      concurrency: taskerConcurrency,
    });
  }
  const completerConcurrency =
    options.completerConcurrency ?? Defaults.completerReservedConcurrency;
  sandbox.registerHandler(COMPLETER_FUNCTION, {
    handler: (event) => completer(event as RuntimeSqsEvent),
    concurrency: completerConcurrency,
  });
  sandbox.registerHandler(RECONCILER_FUNCTION, {
    handler: (event) => reconcilerHandler(event),
    concurrency: 1,
  });
  sandbox.registerHandler(CANCELLER_FUNCTION, { handler: (event) => canceller(event) });
  sandbox.addIntegration(redshiftDataIntegration(redshiftData));
  sandbox.useSqlEngine((query) => options.emulator.sql(query));

  const deadLetterQueue = new Queue({
    name: 'stepshift-completion-dlq',
    clock: sandbox.clock,
    region,
  });
  const queue = new Queue({
    name: 'stepshift-completion',
    clock: sandbox.clock,
    region,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? DEFAULT_QUEUE_VISIBILITY_SECONDS,
    redrivePolicy: {
      deadLetterQueue,
      maxReceiveCount: options.maxReceiveCount ?? Defaults.maxReceiveCount,
    },
  });
  sandbox.bus.putRule({
    name: 'stepshift-completion',
    pattern: completionEventPattern(statementPrefix),
    targets: [(event: BusEvent) => void queue.send(JSON.stringify(event))],
  });
  sandbox.bus.putRule({
    name: 'stepshift-auto-cancel',
    pattern: executionEndEventPattern(),
    targets: [
      async (event: BusEvent) => void (await sandbox.lambdas.invoke(CANCELLER_FUNCTION, event)),
    ],
  });
  const statementLog = new StatementLog(
    redshiftData,
    sandbox.tokens,
    statementPrefix,
    options.statementListeners ?? [],
  );
  const recordStatements = options.recordStatements ?? true;
  const unsubscribe = options.emulator.events.subscribe((event) => {
    if (recordStatements) statementLog.record(event);
    sandbox.bus.publish(event);
  });
  const consumer: QueueConsumerHandle = startQueueConsumer({
    queue,
    clock: sandbox.clock,
    batchSize: options.completerBatchSize ?? Defaults.completerBatchSize,
    batchWindowSeconds: options.batchWindowSeconds ?? 0,
    concurrency: completerConcurrency,
    consumer: (event) => sandbox.lambdas.invoke(COMPLETER_FUNCTION, event),
  });
  const reconciler = startScheduler({
    intervalSeconds: options.reconcileIntervalSeconds ?? Defaults.reconcileIntervalSeconds,
    clock: sandbox.clock,
    job: () =>
      sandbox.lambdas.invoke(RECONCILER_FUNCTION, {
        source: 'aws.events',
        'detail-type': 'Scheduled Event',
        detail: {},
      }),
  });

  return {
    statementPrefix,
    dynamodbEndpoint: dynamo.endpoint,
    tableName,
    queue,
    deadLetterQueue,
    reconciler,
    statementLog,
    close: async () => {
      unsubscribe();
      await statementLog.drain();
      await reconciler.stop();
      await consumer.stop();
      queue.close();
      deadLetterQueue.close();
      redshiftData.destroy();
      dynamodb.destroy();
      sfn.destroy();
      await dynamo.close();
    },
  };
}
