import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  type SFNClientConfig,
} from '@aws-sdk/client-sfn';
import {
  TaskGoneError,
  TaskGoneReasons,
  type TaskCallbacks,
  type TaskGoneReason,
} from '../ports/task-callbacks.js';
import { FIXED_MIDDLEWARE_CLIENT_DEFAULTS } from './aws-clients.js';

export function createSfnClient(config: SFNClientConfig = {}): SFNClient {
  return new SFNClient({ ...FIXED_MIDDLEWARE_CLIENT_DEFAULTS, ...config });
}

const goneReasons = new Set<string>(TaskGoneReasons);

/** TaskTimedOut / TaskDoesNotExist / InvalidToken become `TaskGoneError`; others pass through. */
function mapSfnError(error: unknown): unknown {
  if (error instanceof Error && goneReasons.has(error.name)) {
    return new TaskGoneError(error.name as TaskGoneReason, error.message, { cause: error });
  }
  return error;
}

/** Task callbacks through the Step Functions SDK v3 client. */
export class SfnTaskCallbacks implements TaskCallbacks {
  constructor(private readonly client: SFNClient) {}

  async sendSuccess(taskToken: string, output: string): Promise<void> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output }));
    } catch (error) {
      throw mapSfnError(error);
    }
  }

  async sendFailure(taskToken: string, error: string, cause: string): Promise<void> {
    try {
      await this.client.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    } catch (caught) {
      throw mapSfnError(caught);
    }
  }

  async sendHeartbeat(taskToken: string): Promise<void> {
    try {
      await this.client.send(new SendTaskHeartbeatCommand({ taskToken }));
    } catch (error) {
      throw mapSfnError(error);
    }
  }
}
