import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/create-sandbox.js';
import type { BusEvent } from '../../src/sandbox/bus/event-bus.js';

describe('createSandbox', () => {
  it('executes definitions against registered handlers and publishes execution status events', async () => {
    const sandbox = await createSandbox({
      stepshift: false,
      timeScale: 1000,
      handlers: {
        double: async (event) => (event as { n: number }).n * 2,
        'arn:aws:lambda:us-east-1:123456789012:function:fail': {
          handler: async () => Promise.reject(new TypeError('nope')),
          concurrency: 1,
        },
      },
    });
    const statusEvents: BusEvent[] = [];
    sandbox.bus.putRule({
      name: 'ends',
      pattern: { source: ['aws.states'], detail: { status: ['FAILED', 'SUCCEEDED'] } },
      targets: [(e) => void statusEvents.push(e)],
    });
    try {
      const ok = await sandbox.execute(
        {
          StartAt: 'D',
          States: {
            D: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: 'double', 'Payload.$': '$' },
              OutputPath: '$.Payload',
              End: true,
            },
          },
        },
        { n: 21 },
        { name: 'ok-run', stateMachineName: 'Doubler' },
      );
      expect(ok).toMatchObject({
        status: 'SUCCEEDED',
        output: 42,
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:Doubler:ok-run',
      });
      const failed = await sandbox.execute(
        JSON.stringify({
          StartAt: 'F',
          States: {
            F: {
              Type: 'Task',
              Resource: 'arn:aws:lambda:us-east-1:123456789012:function:fail',
              End: true,
            },
          },
        }),
      );
      expect(failed).toMatchObject({ status: 'FAILED', error: 'TypeError' });
      await sandbox.bus.drain();
      expect(statusEvents.map((e) => (e.detail as { status: string }).status)).toEqual([
        'SUCCEEDED',
        'FAILED',
      ]);
      expect(statusEvents[0]).toMatchObject({
        source: 'aws.states',
        'detail-type': 'Step Functions Execution Status Change',
        resources: ['arn:aws:states:us-east-1:123456789012:execution:Doubler:ok-run'],
        detail: {
          name: 'ok-run',
          stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Doubler',
          input: '{"n":21}',
          output: '42',
          error: null,
        },
      });
    } finally {
      await sandbox.close();
    }
  });

  it('aborts running executions when it closes', async () => {
    const sandbox = await createSandbox({ stepshift: false });
    const execution = sandbox.start({
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 3600, End: true } },
    });
    await sandbox.close();
    expect(await execution.result).toMatchObject({ status: 'ABORTED', error: 'Sandbox.Closed' });
    expect(execution.history.events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'ExecutionAborted',
    ]);
  });

  it('times out an execution after its TimeoutSeconds', async () => {
    const sandbox = await createSandbox({ stepshift: false, timeScale: 1000 });
    try {
      const result = await sandbox.execute({
        TimeoutSeconds: 5,
        StartAt: 'W',
        States: { W: { Type: 'Wait', Seconds: 3600, End: true } },
      });
      expect(result).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      expect(result.history.at(-1)?.type).toBe('ExecutionTimedOut');
    } finally {
      await sandbox.close();
    }
  });

  it('fails when sql() is used without a database engine', async () => {
    const sandbox = await createSandbox({ stepshift: false });
    await expect(sandbox.sql('select 1')).rejects.toThrow('sql() needs the Data API emulator');
    await sandbox.close();
  });
});
