import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createRedshiftDataClient, DataApiStatementApi } from '../aws/data-api-statement-api.js';
import { createDynamoDbClient, DynamoDbTrackingStore } from '../aws/dynamodb-tracking-store.js';
import { createSfnClient, SfnTaskCallbacks } from '../aws/sfn-task-callbacks.js';
import { completeStatement, type CompleteResult } from '../core/complete.js';
import type { CoreDeps } from '../core/core-deps.js';
import { parseCompletionEventBody } from '../core/events/completion-event.js';
import { metricFields } from '../core/metric-fields.js';
import { coreConfigOf, handlerConfigFromEnv, type HandlerConfig } from './handler-config.js';
import { handlerRuntime, type HandlerRuntimeOptions } from './handler-runtime.js';
import type { SqsBatchResponse, SqsEvent, SqsRecord } from './lambda-events.js';

export interface CompleterHandlerDeps extends HandlerRuntimeOptions {
  readonly config: HandlerConfig;
  readonly redshiftData: RedshiftDataClient;
  readonly dynamodb: DynamoDBClient;
  readonly sfn: SFNClient;
}

export type CompleterHandler = (event: SqsEvent) => Promise<SqsBatchResponse>;

type RecordOutcome = CompleteResult | 'malformed' | 'error';

/** Metric name per message outcome (CloudWatch metric names, in the `Stepshift` namespace). */
const metricNames: Record<RecordOutcome, string> = {
  delivered: 'CallbacksSent',
  orphaned: 'OrphanedStatements',
  busy: 'ClaimedElsewhere',
  'already-final': 'DuplicateEvents',
  foreign: 'ForeignEvents',
  untracked: 'UntrackedStatements',
  unknown: 'UnknownStatements',
  mismatch: 'MismatchedStatements',
  'not-ended': 'NotEndedEvents',
  malformed: 'MalformedEvents',
  error: 'TransientFailures',
};

/**
 * The completer: each SQS message holds one Data API completion event (the EventBridge
 * envelope as JSON). Messages that cannot succeed by retrying (malformed, foreign, unknown,
 * duplicate) are acknowledged; only transient failures are reported in `batchItemFailures`,
 * so SQS redelivers just those.
 */
export function createCompleterHandler(deps: CompleterHandlerDeps): CompleterHandler {
  const runtime = handlerRuntime('completer', deps.config, deps);
  const core: CoreDeps = {
    statements: new DataApiStatementApi(deps.redshiftData, deps.config.target),
    tracking: new DynamoDbTrackingStore(deps.dynamodb, deps.config.tableName),
    callbacks: new SfnTaskCallbacks(deps.sfn),
    config: coreConfigOf(deps.config),
    ...runtime,
  };
  const { logger } = runtime;

  async function handle(record: SqsRecord): Promise<RecordOutcome> {
    const parsed = parseCompletionEventBody(record.body);
    if (!parsed.ok) {
      logger.error('malformed completion event; acknowledged', {
        messageId: record.messageId,
        reason: parsed.reason,
        metric: 'MalformedEvent',
      });
      return 'malformed';
    }
    try {
      return await completeStatement(core, {
        statementId: parsed.event.statementId,
        ...(parsed.event.statementName !== undefined && {
          statementName: parsed.event.statementName,
        }),
        source: 'event',
      });
    } catch (error) {
      logger.warn('completion failed; message will be redelivered', {
        messageId: record.messageId,
        statementId: parsed.event.statementId,
        error,
      });
      return 'error';
    }
  }

  return async (event) => {
    const records = event.Records ?? [];
    const outcomes = await Promise.all(records.map(handle));
    const counts: Partial<Record<RecordOutcome, number>> = {};
    outcomes.forEach((outcome) => {
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    });
    logger.info('batch done', {
      messages: records.length,
      ...metricFields(
        { Handler: 'completer', StatementPrefix: core.config.statementPrefix },
        Object.fromEntries(
          Object.entries(counts).map(([outcome, count]) => [
            metricNames[outcome as RecordOutcome],
            count,
          ]),
        ),
        runtime.clock.now(),
      ),
    });
    return {
      batchItemFailures: records
        .filter((_record, index) => outcomes[index] === 'error')
        .map((record) => ({ itemIdentifier: record.messageId })),
    };
  };
}

let cached: CompleterHandler | undefined;

/** Lambda entry point: configuration from `EnvVars`, SDK clients created once per container. */
export const handler: CompleterHandler = async (event) => {
  cached ??= createCompleterHandler({
    config: handlerConfigFromEnv(process.env, { needsTarget: false }),
    redshiftData: createRedshiftDataClient(),
    dynamodb: createDynamoDbClient(),
    sfn: createSfnClient(),
  });
  return cached(event);
};
