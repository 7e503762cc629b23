import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';

export type TaskOutcome =
  { kind: 'success'; output: unknown } | { kind: 'failure'; error: string; cause: string };

/**
 * Step Functions' task callbacks at the SDK level: each token takes one success or failure;
 * later callbacks on it, or on a token marked `timeOut`, get TaskTimedOut like the real API.
 */
export class FakeStepFunctions {
  readonly client = new SFNClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  readonly mock = mockClient(this.client);
  /** Callbacks accepted, in order. */
  readonly outcomes: { taskToken: string; outcome: TaskOutcome }[] = [];
  readonly heartbeats: string[] = [];
  /** Every callback call, accepted or not. */
  calls = 0;
  private readonly closed = new Set<string>();
  private throttled = 0;

  constructor() {
    this.mock
      .on(SendTaskSuccessCommand)
      .callsFake((input: { taskToken: string; output: string }) => {
        this.accept(input.taskToken, {
          kind: 'success',
          output: JSON.parse(input.output) as unknown,
        });
        return {};
      })
      .on(SendTaskFailureCommand)
      .callsFake((input: { taskToken: string; error: string; cause: string }) => {
        this.accept(input.taskToken, { kind: 'failure', error: input.error, cause: input.cause });
        return {};
      })
      .on(SendTaskHeartbeatCommand)
      .callsFake((input: { taskToken: string }) => {
        this.check(input.taskToken);
        this.heartbeats.push(input.taskToken);
        return {};
      });
  }

  /** The task of this token times out (or its execution ends): callbacks are refused. */
  timeOut(taskToken: string): void {
    this.closed.add(taskToken);
  }

  /** The next `n` callback calls fail with ThrottlingException. */
  throttleNext(n: number): void {
    this.throttled = n;
  }

  outcomesOf(taskToken: string): TaskOutcome[] {
    return this.outcomes.filter((o) => o.taskToken === taskToken).map((o) => o.outcome);
  }

  private check(taskToken: string): void {
    this.calls += 1;
    if (this.throttled > 0) {
      this.throttled -= 1;
      throw new SFNServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      });
    }
    if (this.closed.has(taskToken)) {
      throw new TaskTimedOut({
        message: 'Task Timed Out: Provided task does not exist anymore',
        $metadata: {},
      });
    }
  }

  private accept(taskToken: string, outcome: TaskOutcome): void {
    this.check(taskToken);
    this.closed.add(taskToken);
    this.outcomes.push({ taskToken, outcome });
  }
}
