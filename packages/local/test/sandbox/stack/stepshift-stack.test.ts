import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../../src/sandbox/bus/event-bus.js';
import { createBareSandbox as createSandbox, type Sandbox } from '../../../src/sandbox/sandbox.js';
import type { DataApiEmulatorHandle } from '../../../src/sandbox/stack/data-api-emulator.js';
import { LOCAL_CREDENTIALS } from '../../../src/sandbox/stack/local-dynamodb.js';
import {
  startStepshiftStack,
  type StepshiftStack,
} from '../../../src/sandbox/stack/stepshift-stack.js';

/**
 * The stack's wiring with the parts that need no Data API call: invalid payloads, foreign and
 * malformed completion events, auto-cancel of an execution without statements. The flows
 * through the Data API emulator are tested in the end-to-end suite.
 */
const listeners = new Set<(event: BusEvent) => void>();
const emulator: DataApiEmulatorHandle = {
  endpoint: 'http://127.0.0.1:9', // discard port: any Data API call fails
  events: {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  },
  sql: async (query) => ({ query }),
  close: async () => undefined,
};
const emit = (event: BusEvent): void => listeners.forEach((l) => l(event));

let sandbox: Sandbox;
let stack: StepshiftStack;

beforeAll(async () => {
  sandbox = await createSandbox({ timeScale: 1000 });
  stack = await startStepshiftStack(sandbox, {
    emulator,
    taskers: ['stepshift-tasker', 'my-tasker'],
    taskerId: 't1',
    reconcileIntervalSeconds: 3600,
  });
});

afterAll(async () => {
  await stack.close();
  await sandbox.close();
});

const taskerTask = (functionName: string, payload: Record<string, unknown>): string =>
  JSON.stringify({
    StartAt: 'Sql',
    States: {
      Sql: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: functionName,
          Payload: { 'taskToken.$': '$$.Task.Token', ...payload },
        },
        HeartbeatSeconds: 60,
        End: true,
      },
    },
  });

describe('Stepshift stack wiring', () => {
  it('creates the tracking table in dynalite from the contract schema', async () => {
    const client = new DynamoDBClient({
      endpoint: stack.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    const table = await client.send(new DescribeTableCommand({ TableName: stack.tableName }));
    client.destroy();
    expect(table.Table?.KeySchema).toEqual([{ AttributeName: 'statementName', KeyType: 'HASH' }]);
    expect(table.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual([
      'byExecution',
      'pending',
    ]);
    expect(stack.statementPrefix).toBe('stepshift.t1.');
  });

  it('fails when the payload is invalid, with Stepshift.InvalidRequest from the real tasker under any tasker name', async () => {
    for (const name of [
      'stepshift-tasker',
      'arn:aws:lambda:us-east-1:123456789012:function:my-tasker',
    ]) {
      const result = await sandbox.execute(taskerTask(name, { sqlStatement: '' }));
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('Stepshift.InvalidRequest');
      expect(JSON.parse(result.cause as string)).toMatchObject({
        errorType: 'Stepshift.InvalidRequest',
      });
    }
  });

  it('routes only its own completion events to the queue, and the completer acknowledges malformed ones', async () => {
    const base = {
      source: 'aws.redshift-data',
      'detail-type': 'Redshift Data Statement Status Change',
    };
    emit({
      ...base,
      detail: { statementName: 'someone.else', statementId: 'x', state: 'FINISHED' },
    });
    emit({ ...base, detail: { statementName: 'stepshift.t1.abc', state: 'FINISHED' } });
    await sandbox.bus.drain();
    const deadline = Date.now() + 2000;
    while (
      (stack.queue.counts().visible > 0 || stack.queue.counts().inFlight > 0) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(stack.queue.counts()).toEqual({ visible: 0, inFlight: 0 });
    expect(sandbox.lambdas.stats('stepshift-completer')).toMatchObject({ invocations: 1 });
    expect(stack.deadLetterQueue.bodies()).toEqual([]);
  });

  it('runs the canceller on an execution that ends in failure', async () => {
    const before = sandbox.lambdas.stats('stepshift-canceller')?.invocations ?? 0;
    const result = await sandbox.execute({
      StartAt: 'F',
      States: { F: { Type: 'Fail', Error: 'X' } },
    });
    expect(result.status).toBe('FAILED');
    await sandbox.bus.drain();
    expect(sandbox.lambdas.stats('stepshift-canceller')?.invocations).toBe(before + 1);
  });

  it('runs the reconciler on demand and on its schedule', async () => {
    await stack.reconciler.runNow();
    expect(stack.reconciler.runs()).toBe(1);
    expect(sandbox.lambdas.stats('stepshift-reconciler')).toMatchObject({
      invocations: 1,
      throttles: 0,
    });
  });
});
