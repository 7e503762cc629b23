import type { DataApiTarget } from '../../src/aws/data-api-target.js';
import { DynamoDbTrackingStore } from '../../src/aws/dynamodb-tracking-store.js';
import { taskerStatementPrefix } from '../../src/contract/index.js';
import { silentLogger } from '../../src/core/json-logger.js';
import { createCancellerHandler } from '../../src/handlers/canceller.js';
import { createCompleterHandler } from '../../src/handlers/completer.js';
import type { HandlerConfig } from '../../src/handlers/handler-config.js';
import { createReconcilerHandler } from '../../src/handlers/reconciler.js';
import { createTaskerHandler } from '../../src/handlers/tasker.js';
import type { Logger } from '../../src/ports/logger.js';
import { FakeRedshiftData } from './fake-redshift-data.js';
import { FakeStepFunctions } from './fake-step-functions.js';
import { ManualClock } from './fakes.js';
import type { LocalDynamoDb } from './local-dynamodb.js';

export const FLOW_TARGET: DataApiTarget = {
  kind: 'cluster',
  clusterIdentifier: 'redshift-cluster-1',
  database: 'dev',
  auth: { kind: 'dbUser', dbUser: 'etl' },
};

/**
 * The four handlers built by their factories over one dynalite table, the Data API and Step
 * Functions answered at the SDK level, and a clock the test moves (for the reconciler).
 */
export async function flowHarness(
  dynamo: LocalDynamoDb,
  options: { config?: Partial<HandlerConfig>; logger?: Logger } = {},
) {
  const redshift = new FakeRedshiftData();
  const sfn = new FakeStepFunctions();
  const clock = new ManualClock(Date.now());
  const tableName = await dynamo.createTrackingTable();
  const config: HandlerConfig = {
    tableName,
    statementPrefix: taskerStatementPrefix('flow'),
    target: FLOW_TARGET,
    ...options.config,
  };
  const common = {
    config,
    redshiftData: redshift.client,
    dynamodb: dynamo.client,
    logger: options.logger ?? silentLogger,
    clock,
  };
  return {
    redshift,
    sfn,
    clock,
    config,
    tracking: new DynamoDbTrackingStore(dynamo.client, tableName),
    tasker: createTaskerHandler({ ...common, sfn: sfn.client }),
    completer: createCompleterHandler({ ...common, sfn: sfn.client }),
    reconciler: createReconcilerHandler({ ...common, sfn: sfn.client }),
    canceller: createCancellerHandler(common),
  };
}

export type FlowHarness = Awaited<ReturnType<typeof flowHarness>>;
