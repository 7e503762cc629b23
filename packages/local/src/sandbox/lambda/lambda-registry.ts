/**
 * Lambda functions of the sandbox: handlers registered by function name or ARN, each with a
 * concurrency limit. An invocation beyond the limit fails at once with
 * `Lambda.TooManyRequestsException`, as a function with reserved concurrency does, so a state
 * machine's `Retry` blocks run for real.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '../asl/interpreter.js';
import { functionError, functionNotFound, tooManyRequests } from './errors.js';

/** Lambda's default account concurrency (Lambda quotas page): the limit of an unreserved function. */
export const DEFAULT_FUNCTION_CONCURRENCY = 1000;
/** Lambda's default function timeout (`Timeout` default in CreateFunction) in seconds. */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;

/** The parts of the Lambda context object handlers commonly read. */
export interface LambdaContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

export type LambdaHandler = (event: unknown, context: LambdaContext) => unknown;

export interface FunctionOptions {
  /** Reserved concurrency. @default DEFAULT_FUNCTION_CONCURRENCY */
  readonly concurrency?: number;
  /** Only reported through `getRemainingTimeInMillis` (the sandbox does not kill handlers). @default 3 */
  readonly timeoutSeconds?: number;
}

interface RegisteredFunction {
  readonly name: string;
  readonly handler: LambdaHandler;
  readonly concurrency: number;
  readonly timeoutSeconds: number;
  running: number;
  invocations: number;
  throttles: number;
}

export interface FunctionStats {
  readonly invocations: number;
  readonly throttles: number;
  readonly running: number;
}

const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/;
const PARTIAL_ARN = /^\d{12}:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/;

/** The function name in a name, a full ARN or a partial ARN (qualifier dropped). */
export function functionNameOf(nameOrArn: string): string {
  return (
    FUNCTION_ARN.exec(nameOrArn)?.[1] ??
    PARTIAL_ARN.exec(nameOrArn)?.[1] ??
    nameOrArn.split(':')[0] ??
    nameOrArn
  );
}

export class LambdaRegistry {
  private readonly functions = new Map<string, RegisteredFunction>();

  constructor(
    private readonly region = DEFAULT_REGION,
    private readonly accountId = DEFAULT_ACCOUNT_ID,
  ) {}

  register(nameOrArn: string, handler: LambdaHandler, options: FunctionOptions = {}): void {
    const name = functionNameOf(nameOrArn);
    const concurrency = options.concurrency ?? DEFAULT_FUNCTION_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(
        `The concurrency of '${name}' must be a positive integer, got ${concurrency}`,
      );
    }
    this.functions.set(name, {
      name,
      handler,
      concurrency,
      timeoutSeconds: options.timeoutSeconds ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS,
      running: 0,
      invocations: 0,
      throttles: 0,
    });
  }

  /** The registered handler (to wrap it, e.g. for fault injection in tests). */
  handlerOf(nameOrArn: string): LambdaHandler | undefined {
    return this.functions.get(functionNameOf(nameOrArn))?.handler;
  }

  has(nameOrArn: string): boolean {
    return this.functions.has(functionNameOf(nameOrArn));
  }

  stats(nameOrArn: string): FunctionStats | undefined {
    const fn = this.functions.get(functionNameOf(nameOrArn));
    return fn === undefined
      ? undefined
      : { invocations: fn.invocations, throttles: fn.throttles, running: fn.running };
  }

  arnOf(nameOrArn: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${functionNameOf(nameOrArn)}`;
  }

  /**
   * Invokes a function synchronously (`RequestResponse`). Throws a `StatesError` named as Step
   * Functions reports it: `Lambda.TooManyRequestsException`, `Lambda.ResourceNotFoundException`,
   * or the function's error type.
   */
  async invoke(nameOrArn: string, payload: unknown): Promise<unknown> {
    const fn = this.functions.get(functionNameOf(nameOrArn));
    if (fn === undefined) throw functionNotFound(functionNameOf(nameOrArn));
    if (fn.running >= fn.concurrency) {
      fn.throttles++;
      throw tooManyRequests(fn.name, fn.concurrency);
    }
    fn.running++;
    fn.invocations++;
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    const requestId = randomUUID();
    const context: LambdaContext = {
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.arnOf(fn.name),
      memoryLimitInMB: '128',
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: `sandbox/${requestId}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    try {
      // Lambda hands the function a JSON copy of the payload and returns a JSON copy of the result.
      const event = payload === undefined ? {} : (JSON.parse(JSON.stringify(payload)) as unknown);
      const result = await fn.handler(event, context);
      return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
    } catch (thrown) {
      throw functionError(thrown);
    } finally {
      fn.running--;
    }
  }
}
