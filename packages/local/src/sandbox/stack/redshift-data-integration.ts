/**
 * `arn:aws:states:::aws-sdk:redshiftdata:<action>` tasks: the parameters go to the Data API
 * emulator through the real SDK client; SDK errors become `RedshiftData.<Exception>` as Step
 * Functions names them, so polling-style state machines written without Stepshift run too.
 * Step Functions expresses SDK field names in PascalCase even where the service API uses
 * camelCase (`Parameters: [{Name, Value}]`, `Records[0][0].LongValue`): converted both ways.
 * Source: Step Functions developer guide, "AWS SDK service integrations", API naming conventions.
 */
import * as RedshiftData from '@aws-sdk/client-redshift-data';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { StatesError, runtimeError } from '../asl/errors.js';
import type { TaskRequest } from '../asl/task-invocation.js';
import type { TaskIntegration } from '../sandbox.js';

const RESOURCE_TYPE = 'aws-sdk:redshiftdata';

function isObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array)
  );
}

/** SFN input → SDK input: the one camelCase input shape of the Data API is `SqlParameter`. */
function toSdkInput(input: unknown): unknown {
  if (!isObject(input)) return input ?? {};
  const parameters = input['Parameters'];
  if (!Array.isArray(parameters)) return input;
  return {
    ...input,
    Parameters: parameters.map((p: unknown) =>
      isObject(p) ? { name: p['Name'] ?? p['name'], value: p['Value'] ?? p['value'] } : p,
    ),
  };
}

/** SDK output → SFN output: PascalCase keys, ISO timestamps, base64 blobs, no `$metadata`. */
function toSfnOutput(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toSfnOutput);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === '$metadata' || field === undefined) continue;
    out[`${key.charAt(0).toUpperCase()}${key.slice(1)}`] = toSfnOutput(field);
  }
  return out;
}

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
        const output: unknown = await client.send(new Command(toSdkInput(request.input) as never), {
          abortSignal: request.signal,
        });
        return toSfnOutput(output);
      } catch (error) {
        if (error instanceof Error && error.name !== 'AbortError')
          throw new StatesError(`RedshiftData.${error.name}`, error.message);
        throw error;
      }
    },
  };
}
