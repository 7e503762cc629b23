import {
  InvalidOutput,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSfnEndpoint, type SfnEndpoint } from '../../../src/sandbox/tokens/sfn-endpoint.js';
import { TaskTokenRegistry } from '../../../src/sandbox/tokens/task-token-registry.js';
import type { TaskExecutor } from '../../../src/sandbox/asl/task-invocation.js';
import { runAsl } from '../asl/run-asl.js';

const tokens = new TaskTokenRegistry();
let endpoint: SfnEndpoint;
let sfn: SFNClient;

beforeAll(async () => {
  endpoint = await startSfnEndpoint({ tokens });
  sfn = new SFNClient({
    endpoint: endpoint.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sfn.destroy();
  await endpoint.close();
});

const WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

function callbackTask(extra: Record<string, unknown> = {}): unknown {
  return {
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task',
        Resource: WAIT,
        Parameters: { FunctionName: 'f', Payload: { 'token.$': '$$.Task.Token' } },
        ...extra,
        End: true,
      },
    },
  };
}

/** An executor that hands the token to `onToken` after the invocation returns. */
function withToken(onToken: (token: string) => Promise<void>): TaskExecutor {
  return async (request) => {
    const token = request.taskToken as string;
    setTimeout(() => void onToken(token).catch(() => undefined), 5);
    return { StatusCode: 200 };
  };
}

describe('task tokens through the real SFN client', () => {
  it('completes a task with SendTaskSuccess, once', async () => {
    // The second call's answer is awaited, not given a fixed delay (slow on a loaded machine).
    let answerSecond: (answer: unknown) => void = () => undefined;
    const second = new Promise<unknown>((resolve) => (answerSecond = resolve));
    const result = await runAsl(
      callbackTask(),
      {},
      withToken(async (taskToken) => {
        await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"rows":3}' }));
        answerSecond(
          await sfn
            .send(new SendTaskSuccessCommand({ taskToken, output: '{}' }))
            .catch((e: unknown) => e),
        );
      }),
      { tokens },
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { rows: 3 } });
    expect(await second).toBeInstanceOf(TaskTimedOut);
    expect(result.history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('fails a task with SendTaskFailure error and cause', async () => {
    const result = await runAsl(
      callbackTask(),
      {},
      withToken((taskToken) =>
        sfn
          .send(
            new SendTaskFailureCommand({
              taskToken,
              error: 'Stepshift.StatementFailed',
              cause: 'syntax error',
            }),
          )
          .then(() => undefined),
      ),
      { tokens },
    );
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'Stepshift.StatementFailed',
      cause: 'syntax error',
    });
  });

  it('keeps a task alive with heartbeats past HeartbeatSeconds', async () => {
    // 10 beats 50 ms apart outlast the 400 ms heartbeat window, with room for a slow machine.
    let beats = 0;
    const result = await runAsl(
      callbackTask({ HeartbeatSeconds: 400 }),
      {},
      withToken(async (taskToken) => {
        for (; beats < 10; beats++) {
          await new Promise((r) => setTimeout(r, 50));
          await sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
        }
        await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '"done"' }));
      }),
      { tokens, timeScale: 1000 },
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: 'done' });
    expect(beats).toBe(10);
  });

  it('fails when no heartbeat comes within HeartbeatSecondsPath, caught as States.Timeout; late callbacks get TaskTimedOut', async () => {
    let token = '';
    const definition = callbackTask({
      HeartbeatSecondsPath: '$.hb',
      TimeoutSeconds: 1000,
      Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Late' }],
    }) as {
      States: Record<string, unknown>;
    };
    definition.States['T'] = {
      ...(definition.States['T'] as object),
      End: undefined,
      Next: 'Late',
    };
    definition.States['Late'] = { Type: 'Pass', End: true };
    const result = await runAsl(
      definition,
      { hb: 20 },
      async (request) => {
        token = request.taskToken as string;
        return {};
      },
      { tokens, timeScale: 1000 },
    );
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: { Error: 'States.HeartbeatTimeout', Cause: '' },
    });
    expect(result.history.find((e) => e.type === 'TaskTimedOut')).toMatchObject({
      taskTimedOutEventDetails: {
        resourceType: 'lambda',
        resource: 'invoke.waitForTaskToken',
        error: 'States.HeartbeatTimeout',
        cause: '',
      },
    });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('fails when TimeoutSecondsPath passes before the callback, with States.Timeout', async () => {
    const result = await runAsl(
      callbackTask({ TimeoutSecondsPath: '$.t' }),
      { t: 30 },
      async () => ({}),
      { tokens, timeScale: 1000 },
    );
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(result.history.map((e) => e.type).slice(-2)).toEqual([
      'TaskTimedOut',
      'ExecutionFailed',
    ]);
  });

  it('fails when the Lambda invocation of a callback task fails', async () => {
    const result = await runAsl(
      callbackTask(),
      {},
      async () => Promise.reject(Object.assign(new Error('boom'), { name: 'TypeError' })),
      { tokens },
    );
    expect(result).toMatchObject({ status: 'FAILED', error: 'TypeError', cause: 'boom' });
  });

  it('accepts a callback sent before the invocation returns (fast path)', async () => {
    const result = await runAsl(
      callbackTask(),
      {},
      async (request) => {
        await sfn.send(
          new SendTaskSuccessCommand({
            taskToken: request.taskToken as string,
            output: '{"fast":true}',
          }),
        );
        await new Promise((r) => setTimeout(r, 20));
        return {};
      },
      { tokens },
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { fast: true } });
    expect(result.history.map((e) => e.type)).not.toContain('TaskSubmitted');
  });

  it('fails when the token is unknown, malformed or the output is not JSON', async () => {
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'AQunknown', output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(
      sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'not-a-token' })),
    ).rejects.toBeInstanceOf(InvalidToken);
    const issued = tokens.issue({ executionArn: 'arn', stateName: 'S' });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: issued.token, output: '{bad' })),
    ).rejects.toBeInstanceOf(InvalidOutput);
    issued.close();
  });
});
