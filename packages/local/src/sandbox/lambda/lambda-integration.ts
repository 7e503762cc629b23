/**
 * Task states that call Lambda: a bare function ARN (the result is the function's output), and
 * the optimized `arn:aws:states:::lambda:invoke` integration (the result is Lambda's Invoke
 * response: `{ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}`),
 * also with `.waitForTaskToken`.
 */
import { randomUUID } from 'node:crypto';
import { runtimeError } from '../asl/errors.js';
import type { TaskRequest } from '../asl/task-invocation.js';
import type { LambdaRegistry } from './lambda-registry.js';

/** True for the task resources this integration runs. */
export function isLambdaTask(request: TaskRequest): boolean {
  return (
    request.resource.bareLambda ||
    (request.resource.resourceType === 'lambda' && request.resource.action === 'invoke')
  );
}

/** The function a Task state invokes (`FunctionName` of `lambda:invoke`, or the bare ARN). */
export function lambdaFunctionOf(request: TaskRequest): string {
  if (request.resource.bareLambda) return request.resource.arn;
  const params = request.input as Record<string, unknown> | null;
  const name = typeof params === 'object' && params !== null ? params['FunctionName'] : undefined;
  if (typeof name !== 'string' || name === '') {
    throw runtimeError(
      `The lambda:invoke task '${request.stateName}' needs a "FunctionName" string in its Parameters/Arguments`,
    );
  }
  return name;
}

export async function invokeLambdaTask(
  registry: LambdaRegistry,
  request: TaskRequest,
): Promise<unknown> {
  const functionName = lambdaFunctionOf(request);
  if (request.resource.bareLambda) return registry.invoke(functionName, request.input);
  const params = request.input as Record<string, unknown>;
  const asyncInvoke = params['InvocationType'] === 'Event';
  const requestId = randomUUID();
  const payloadField = params['Payload'];
  const payload =
    typeof payloadField === 'string' && asyncInvoke === false
      ? tryParse(payloadField)
      : payloadField;
  let result: unknown = '';
  if (asyncInvoke) void registry.invoke(functionName, payload).catch(() => undefined);
  else result = await registry.invoke(functionName, payload);
  const status = asyncInvoke ? 202 : 200;
  const headers = {
    'Content-Type': 'application/json',
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-RequestId': requestId,
  };
  return {
    ExecutedVersion: '$LATEST',
    Payload: result,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: status,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: status,
  };
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
