import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { createRedshiftDataClient, DataApiStatementApi } from '../aws/data-api-statement-api.js';
import { createDynamoDbClient, DynamoDbTrackingStore } from '../aws/dynamodb-tracking-store.js';
import { autoCancel, type AutoCancelResult } from '../core/cancel.js';
import { parseExecutionStatusEvent } from '../core/events/execution-event.js';
import { coreConfigOf, handlerConfigFromEnv, type HandlerConfig } from './handler-config.js';
import { handlerRuntime, type HandlerRuntimeOptions } from './handler-runtime.js';

export interface CancellerHandlerDeps extends HandlerRuntimeOptions {
  readonly config: HandlerConfig;
  readonly redshiftData: RedshiftDataClient;
  readonly dynamodb: DynamoDBClient;
}

export type CancellerHandler = (event: unknown) => Promise<AutoCancelResult>;

/**
 * The execution-end canceller: on a "Step Functions Execution Status Change" event with
 * status ABORTED, TIMED_OUT or FAILED, cancels the execution's pending statements. Needs no
 * Step Functions client: the cancelled statements' tasks are gone with their execution.
 */
export function createCancellerHandler(deps: CancellerHandlerDeps): CancellerHandler {
  const runtime = handlerRuntime('canceller', deps.config, deps);
  const core = {
    statements: new DataApiStatementApi(deps.redshiftData, deps.config.target),
    tracking: new DynamoDbTrackingStore(deps.dynamodb, deps.config.tableName),
    config: coreConfigOf(deps.config),
    ...runtime,
  };
  return async (event) => {
    const parsed = parseExecutionStatusEvent(event);
    if (!parsed.ok) {
      runtime.logger.error('malformed execution status event; ignored', {
        reason: parsed.reason,
        metric: 'MalformedEvent',
      });
      return { action: 'ignored', reason: parsed.reason };
    }
    return autoCancel(core, parsed);
  };
}

let cached: CancellerHandler | undefined;

/** Lambda entry point: configuration from `EnvVars`, SDK clients created once per container. */
export const handler: CancellerHandler = async (event) => {
  cached ??= createCancellerHandler({
    config: handlerConfigFromEnv(process.env, { needsTarget: false }),
    redshiftData: createRedshiftDataClient(),
    dynamodb: createDynamoDbClient(),
  });
  return cached(event);
};
