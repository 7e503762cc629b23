import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowHarness, type FlowHarness } from '../support/flow-harness.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { sqsEvent } from '../support/sqs-records.js';

describe('completer on arbitrary messages', () => {
  let dynamo: LocalDynamoDb;
  let h: FlowHarness;
  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    h = await flowHarness(dynamo);
  });
  afterAll(async () => {
    await dynamo.close();
  });

  const envelope = fc.record(
    {
      source: fc.constantFrom('aws.redshift-data', 'aws.s3', 42),
      'detail-type': fc.constantFrom('Redshift Data Statement Status Change', 'Other'),
      detail: fc.oneof(
        fc.record(
          {
            statementId: fc.oneof(fc.uuid(), fc.string(), fc.integer()),
            statementName: fc.oneof(
              fc.string().map((s) => `${h.config.statementPrefix}${s}`),
              fc.string(),
            ),
            state: fc.constantFrom('FINISHED', 'FAILED', 'ABORTED', 'STARTED', null),
            rows: fc.oneof(fc.integer(), fc.string()),
            expireAt: fc.oneof(fc.integer(), fc.string()),
          },
          { requiredKeys: [] },
        ),
        fc.anything(),
      ),
    },
    { requiredKeys: [] },
  );

  it('acknowledges every message it cannot act on and never throws or calls back', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(envelope, fc.string(), fc.jsonValue()), { maxLength: 5 }),
        async (bodies) => {
          const response = await h.completer(sqsEvent(...bodies));
          expect(response).toEqual({ batchItemFailures: [] });
        },
      ),
      { numRuns: 60 },
    );
    expect(h.sfn.calls).toBe(0);
  });
});
