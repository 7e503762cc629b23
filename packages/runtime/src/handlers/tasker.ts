import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { Actions, InvalidRequestError, validateTaskerPayload } from '../contract/index.js';
import { createRedshiftDataClient, DataApiStatementApi } from '../aws/data-api-statement-api.js';
import { createDynamoDbClient, DynamoDbTrackingStore } from '../aws/dynamodb-tracking-store.js';
import { createSfnClient, SfnTaskCallbacks } from '../aws/sfn-task-callbacks.js';
import { cancelExecution, cancelStatement, type CancelResult } from '../core/cancel.js';
import type { CoreDeps } from '../core/core-deps.js';
import { describeStatement } from '../core/describe.js';
import { startStatement, type StartResult } from '../core/start.js';
import type { StatementOutput } from '../core/task-output.js';
import {
  coreConfigOf,
  handlerConfigFromEnv,
  requireTarget,
  type HandlerConfig,
} from './handler-config.js';
import { handlerRuntime, type HandlerRuntimeOptions } from './handler-runtime.js';

export interface TaskerHandlerDeps extends HandlerRuntimeOptions {
  readonly config: HandlerConfig;
  readonly redshiftData: RedshiftDataClient;
  readonly dynamodb: DynamoDBClient;
  readonly sfn: SFNClient;
}

/** execute → StartResult; cancel → CancelResult; describe → StatementOutput. */
export type TaskerResult = StartResult | CancelResult | StatementOutput;

export type TaskerHandler = (event: unknown) => Promise<TaskerResult>;

/**
 * The tasker: validates the payload, then starts (execute), cancels or describes. An invalid
 * payload throws `Stepshift.InvalidRequest` and starts nothing. For cancel and describe sent
 * with a task token (`waitForTaskToken`), the result is also sent with SendTaskSuccess.
 */
export function createTaskerHandler(deps: TaskerHandlerDeps): TaskerHandler {
  const runtime = handlerRuntime('tasker', deps.config, deps);
  const core: CoreDeps = {
    statements: new DataApiStatementApi(deps.redshiftData, requireTarget(deps.config, 'tasker')),
    tracking: new DynamoDbTrackingStore(deps.dynamodb, deps.config.tableName),
    callbacks: new SfnTaskCallbacks(deps.sfn),
    config: coreConfigOf(deps.config),
    ...runtime,
  };
  return async (event) => {
    let request;
    try {
      request = validateTaskerPayload(event);
    } catch (error) {
      if (error instanceof InvalidRequestError) {
        runtime.logger.warn('invalid payload; nothing started', { error: error.message });
      }
      throw error;
    }
    if (request.action === Actions.Execute) {
      return startStatement(core, request);
    }
    const result: CancelResult | StatementOutput =
      request.action === Actions.Describe
        ? await describeStatement(core, request.statementId)
        : 'statementId' in request
          ? { statements: [await cancelStatement(core, request.statementId)] }
          : await cancelExecution(core, request.executionArn, request);
    if (request.taskToken !== undefined) {
      await core.callbacks.sendSuccess(request.taskToken, JSON.stringify(result));
    }
    runtime.logger.info(`${request.action} done`, { action: request.action });
    return result;
  };
}

let cached: TaskerHandler | undefined;

/** Lambda entry point: configuration from `EnvVars`, SDK clients created once per container. */
export const handler: TaskerHandler = async (event) => {
  cached ??= createTaskerHandler({
    config: handlerConfigFromEnv(process.env, { needsTarget: true }),
    redshiftData: createRedshiftDataClient(),
    dynamodb: createDynamoDbClient(),
    sfn: createSfnClient(),
  });
  return cached(event);
};
