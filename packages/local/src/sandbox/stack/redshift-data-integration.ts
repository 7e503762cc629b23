/**
 * `arn:aws:states:::aws-sdk:redshiftdata:<action>` tasks: the parameters go to the Data API
 * emulator through the real SDK client; SDK errors become `RedshiftData.<Exception>` as Step
 * Functions names them, so polling-style state machines written without Stepshift run too.
 * Source: Step Functions developer guide, "AWS SDK service integrations".
 */
import * as RedshiftData from '@aws-sdk/client-redshift-data';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { StatesError, runtimeError } from '../asl/errors.js';
import type { TaskRequest } from '../asl/task-invocation.js';
import type { TaskIntegration } from '../sandbox.js';

const RESOURCE_TYPE = 'aws-sdk:redshiftdata';

type CommandClass = new (input: never) => Parameters<RedshiftDataClient['send']>[0];

/** `executeStatement` → the SDK's `ExecuteStatementCommand`. */
function commandFor(action: string): CommandClass | undefined {
  const name = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
  const command = (RedshiftData as unknown as Record<string, unknown>)[name];
  return typeof command === 'function' ? (command as CommandClass) : undefined;
}

export function redshiftDataIntegration(client: RedshiftDataClient): TaskIntegration {
  return {
    handles: (request: TaskRequest) => request.resource.resourceType === RESOURCE_TYPE,
    run: async (request: TaskRequest) => {
      if (request.resource.pattern !== 'requestResponse') {
        throw runtimeError(
          `aws-sdk:redshiftdata supports only request-response, not '${request.resource.resource}'`,
        );
      }
      const Command = commandFor(request.resource.action);
      if (Command === undefined)
        throw runtimeError(
          `Unknown Redshift Data API action '${request.resource.action}' in '${request.resource.arn}'`,
        );
      try {
        const output = (await client.send(new Command((request.input ?? {}) as never), {
          abortSignal: request.signal,
        })) as unknown as Record<string, unknown>;
        const { $metadata: _metadata, ...rest } = output;
        return JSON.parse(JSON.stringify(rest)) as unknown;
      } catch (error) {
        if (error instanceof Error && error.name !== 'AbortError')
          throw new StatesError(`RedshiftData.${error.name}`, error.message);
        throw error;
      }
    },
  };
}
