import {
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SfnTaskCallbacks } from '../../src/aws/sfn-task-callbacks.js';
import { TaskGoneError } from '../../src/ports/task-callbacks.js';

const client = new SFNClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const sfn = mockClient(client);
const meta = { $metadata: {} };

describe('SfnTaskCallbacks', () => {
  beforeEach(() => {
    sfn.reset();
  });

  it('sends SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});
    sfn.on(SendTaskHeartbeatCommand).resolves({});
    const callbacks = new SfnTaskCallbacks(client);

    await callbacks.sendSuccess('t1', '{"a":1}');
    await callbacks.sendFailure('t2', 'Stepshift.StatementFailed', '{}');
    await callbacks.sendHeartbeat('t3');

    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 't1',
      output: '{"a":1}',
    });
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input).toEqual({
      taskToken: 't2',
      error: 'Stepshift.StatementFailed',
      cause: '{}',
    });
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)[0]?.args[0].input).toEqual({
      taskToken: 't3',
    });
  });

  it.each([
    ['TaskTimedOut', new TaskTimedOut({ message: 'Task Timed Out', ...meta })],
    ['TaskDoesNotExist', new TaskDoesNotExist({ message: 'no task', ...meta })],
    ['InvalidToken', new InvalidToken({ message: 'Invalid token', ...meta })],
  ])('fails when the task no longer waits (%s), with TaskGoneError', async (reason, error) => {
    sfn.on(SendTaskSuccessCommand).rejects(error);
    const callbacks = new SfnTaskCallbacks(client);

    const failure = callbacks.sendSuccess('t', '{}');

    await expect(failure).rejects.toBeInstanceOf(TaskGoneError);
    await expect(failure).rejects.toMatchObject({ reason });
  });

  it('fails when Step Functions is throttled, with the original error (transient)', async () => {
    const throttled = new SFNServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'Rate exceeded',
    });
    sfn.on(SendTaskFailureCommand).rejects(throttled);
    const callbacks = new SfnTaskCallbacks(client);

    await expect(callbacks.sendFailure('t', 'e', 'c')).rejects.toBe(throttled);
  });
});
