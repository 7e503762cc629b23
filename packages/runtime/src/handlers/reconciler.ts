import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createRedshiftDataClient, DataApiStatementApi } from '../aws/data-api-statement-api.js';
import { createDynamoDbClient, DynamoDbTrackingStore } from '../aws/dynamodb-tracking-store.js';
import { createSfnClient, SfnTaskCallbacks } from '../aws/sfn-task-callbacks.js';
import type { CoreDeps } from '../core/core-deps.js';
import { metricFields } from '../core/metric-fields.js';
import { reconcile, type ReconcileSummary } from '../core/reconcile.js';
import {
  coreConfigOf,
  handlerConfigFromEnv,
  requireTarget,
  type HandlerConfig,
} from './handler-config.js';
import { handlerRuntime, type HandlerRuntimeOptions } from './handler-runtime.js';

export interface ReconcilerHandlerDeps extends HandlerRuntimeOptions {
  readonly config: HandlerConfig;
  readonly redshiftData: RedshiftDataClient;
  readonly dynamodb: DynamoDBClient;
  readonly sfn: SFNClient;
}

/** Invoked by a schedule; the event's content is not used. */
export type ReconcilerHandler = (event?: unknown) => Promise<ReconcileSummary>;

/** The reconciler: completes, submits or orphans rows pending past the grace period. */
export function createReconcilerHandler(deps: ReconcilerHandlerDeps): ReconcilerHandler {
  const runtime = handlerRuntime('reconciler', deps.config, deps);
  const core: CoreDeps = {
    statements: new DataApiStatementApi(
      deps.redshiftData,
      requireTarget(deps.config, 'reconciler'),
    ),
    tracking: new DynamoDbTrackingStore(deps.dynamodb, deps.config.tableName),
    callbacks: new SfnTaskCallbacks(deps.sfn),
    config: coreConfigOf(deps.config),
    ...runtime,
  };
  return async () => {
    const summary = await reconcile(core);
    runtime.logger.info(
      'reconciler metrics',
      metricFields(
        { Handler: 'reconciler', StatementPrefix: core.config.statementPrefix },
        {
          ReconcileExamined: summary.examined,
          ...Object.fromEntries(
            Object.entries(summary.actions).map(([action, count]) => [
              `Reconcile${action[0]?.toUpperCase() ?? ''}${action.slice(1)}`,
              count,
            ]),
          ),
        },
        runtime.clock.now(),
      ),
    );
    return summary;
  };
}

let cached: ReconcilerHandler | undefined;

/** Lambda entry point: configuration from `EnvVars`, SDK clients created once per container. */
export const handler: ReconcilerHandler = async (event) => {
  cached ??= createReconcilerHandler({
    config: handlerConfigFromEnv(process.env, { needsTarget: true }),
    redshiftData: createRedshiftDataClient(),
    dynamodb: createDynamoDbClient(),
    sfn: createSfnClient(),
  });
  return cached(event);
};
