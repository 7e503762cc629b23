import { DynamoDbTrackingStore } from '../../src/aws/dynamodb-tracking-store.js';
import { coreConfig, type CoreConfig } from '../../src/core/core-config.js';
import type { CoreDeps } from '../../src/core/core-deps.js';
import type { ExecuteRequest } from '../../src/contract/index.js';
import { FakeStatementApi, ManualClock, RecordingCallbacks, RecordingLogger } from './fakes.js';
import type { LocalDynamoDb } from './local-dynamodb.js';

export const PREFIX = 'stepshift.test.';

export interface CoreHarness {
  readonly deps: CoreDeps;
  readonly statements: FakeStatementApi;
  readonly callbacks: RecordingCallbacks;
  readonly clock: ManualClock;
  readonly logger: RecordingLogger;
  readonly tracking: DynamoDbTrackingStore;
}

/** Core deps over a fresh dynalite table, with port-level fakes for the Data API and SFN. */
export async function coreHarness(
  dynamo: LocalDynamoDb,
  config: Partial<CoreConfig> = {},
): Promise<CoreHarness> {
  const statements = new FakeStatementApi();
  const callbacks = new RecordingCallbacks();
  const clock = new ManualClock();
  const logger = new RecordingLogger();
  const tracking = new DynamoDbTrackingStore(dynamo.client, await dynamo.createTrackingTable());
  let ids = 0;
  const deps: CoreDeps = {
    statements,
    tracking,
    callbacks,
    clock,
    logger,
    config: coreConfig({ statementPrefix: PREFIX, ...config }),
    newId: () => {
      ids += 1;
      return `claim-${ids}`;
    },
  };
  return { deps, statements, callbacks, clock, logger, tracking };
}

export function executeRequest(extra: Partial<ExecuteRequest> = {}): ExecuteRequest {
  return {
    action: 'execute',
    statement: { kind: 'single', sql: 'select 1' },
    parameters: [],
    resultMode: 'none',
    taskToken: 'token-1',
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:sm:run-1',
    ...extra,
  };
}
