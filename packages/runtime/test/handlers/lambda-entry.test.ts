import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';

/**
 * The Lambda entry points read `EnvVars` and create their SDK clients themselves; endpoints
 * come from the SDK's own AWS_ENDPOINT_URL_* variables. Here the canceller's entry runs
 * against dynalite through them.
 */
describe('Lambda entry points', () => {
  let dynamo: LocalDynamoDb;
  const saved = { ...process.env };
  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_REDSHIFT_DATA: 'http://127.0.0.1:9',
      STEPSHIFT_TABLE_NAME: await dynamo.createTrackingTable(),
      STEPSHIFT_STATEMENT_PREFIX: 'stepshift.entry.',
      STEPSHIFT_LOG_LEVEL: 'ERROR',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await dynamo.close();
  });

  it('runs the canceller entry from the environment (an execution with nothing pending)', async () => {
    const { handler } = await import('../../src/handlers/canceller.js');

    const result = await handler({
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: { executionArn: 'arn:aws:states:us-east-1:1:execution:sm:x', status: 'FAILED' },
    });

    expect(result).toEqual({ action: 'cancelled', result: { statements: [] } });
  });

  it('ignores a malformed execution event instead of failing', async () => {
    const { handler } = await import('../../src/handlers/canceller.js');

    expect(await handler({ source: 'aws.states' })).toEqual({
      action: 'ignored',
      reason: 'detail-type is undefined, expected "Step Functions Execution Status Change"',
    });
  });

  it('fails when the tasker’s environment names no Data API target', async () => {
    const { handler } = await import('../../src/handlers/tasker.js');

    await expect(handler({ sqlStatement: 'select 1' })).rejects.toMatchObject({
      name: 'Stepshift.Configuration',
      message: expect.stringContaining('set exactly one of STEPSHIFT_CLUSTER_IDENTIFIER') as string,
    });
  });
});
