/**
 * The bare sandbox: one local Step Functions world (interpreter, task tokens over the SFN wire
 * protocol, Lambda functions with concurrency limits, event bus) in which state machines run
 * end to end. A data engineer's test creates one, executes definitions, and closes it.
 */
import { EXECUTION_EVENT_DETAIL_TYPE, EXECUTION_EVENT_SOURCE } from '@stepshift/runtime/contract';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { StateMachineDefinition } from './asl/definition.js';
import { runtimeError } from './asl/errors.js';
import type { HistoryListener } from './asl/history.js';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  startExecution,
  type Execution,
  type ExecutionResult,
} from './asl/interpreter.js';
import type { TaskExecutor, TaskRequest } from './asl/task-invocation.js';
import { EventBus } from './bus/event-bus.js';
import { invokeLambdaTask, isLambdaTask } from './lambda/lambda-integration.js';
import {
  LambdaRegistry,
  type FunctionOptions,
  type LambdaHandler,
} from './lambda/lambda-registry.js';
import { Clock } from './time/clock.js';
import { startSfnEndpoint, type SfnEndpoint } from './tokens/sfn-endpoint.js';
import { TaskTokenRegistry } from './tokens/task-token-registry.js';

/** A handler, or a handler with its function options (concurrency). */
export type HandlerRegistration =
  LambdaHandler | ({ readonly handler: LambdaHandler } & FunctionOptions);

/** Integrations added to the sandbox (the Stepshift stack adds Redshift Data API tasks). */
export interface TaskIntegration {
  /** True when the task's resource is this integration's. */
  handles(request: TaskRequest): boolean;
  run(request: TaskRequest): Promise<unknown>;
}

export interface BareSandboxOptions {
  /** Divide every Wait, heartbeat, timeout, retry interval and visibility timeout by this. @default 1 */
  readonly timeScale?: number;
  /** Lambda handlers by function name or ARN. @default - none */
  readonly handlers?: Readonly<Record<string, HandlerRegistration>>;
  /** Called with every history event of every execution (progress displays, reports). @default - none */
  readonly listeners?: readonly HistoryListener[];
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
}

export interface ExecuteOptions {
  /** The execution name (the last part of its ARN). @default - a random UUID */
  readonly name?: string;
  /** The state machine name in ARNs. @default 'StateMachine' */
  readonly stateMachineName?: string;
  /** History listeners for this execution only. */
  readonly listeners?: readonly HistoryListener[];
}

export interface Sandbox {
  /** The local Step Functions callback endpoint (`AWS_ENDPOINT_URL_SFN`). */
  readonly sfnEndpoint: string;
  readonly region: string;
  readonly accountId: string;
  readonly clock: Clock;
  readonly tokens: TaskTokenRegistry;
  readonly lambdas: LambdaRegistry;
  readonly bus: EventBus;
  /** Runs a definition (object, JSON text) to its end. Never rejects for a failed execution. */
  execute(
    definition: StateMachineDefinition | string,
    input?: unknown,
    options?: ExecuteOptions,
  ): Promise<ExecutionResult>;
  /** Starts a definition and returns the running execution (to abort it). */
  start(
    definition: StateMachineDefinition | string,
    input?: unknown,
    options?: ExecuteOptions,
  ): Execution;
  /** Registers (or replaces) a Lambda handler. */
  registerHandler(nameOrArn: string, registration: HandlerRegistration): void;
  /** Runs SQL on the sandbox's database (the Data API emulator's engine). */
  sql(query: string): Promise<unknown>;
  /** Connects `sql()` to a database (done by the Stepshift stack). */
  useSqlEngine(run: (query: string) => Promise<unknown>): void;
  /** Adds a task integration, tried before Lambda. */
  addIntegration(integration: TaskIntegration): void;
  /** Runs once when the sandbox closes (in reverse order of registration). */
  onClose(cleanup: () => Promise<void> | void): void;
  close(): Promise<void>;
}

/** A feature of the sandbox was used before what it needs was started. */
export class SandboxNotReadyError extends Error {
  override readonly name = 'SandboxNotReadyError';
}

/** A definition given as JSON text or as a file path is parsed here. */
export class InvalidStateMachineError extends Error {
  override readonly name = 'InvalidStateMachineError';
}

function parseDefinition(definition: StateMachineDefinition | string): StateMachineDefinition {
  if (typeof definition !== 'string') return definition;
  try {
    return JSON.parse(definition) as StateMachineDefinition;
  } catch (error) {
    throw new InvalidStateMachineError(
      `The state machine definition is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/** Reads an ASL file (`*.asl.json`). */
export async function readDefinitionFile(path: string): Promise<StateMachineDefinition> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidStateMachineError(
      `Cannot read the state machine file '${path}': ${(error as Error).message}`,
    );
  }
  return parseDefinition(text);
}

/** The sandbox without the Stepshift stack (see `createSandbox` for the whole). */
export async function createBareSandbox(options: BareSandboxOptions = {}): Promise<Sandbox> {
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const clock = new Clock(options.timeScale ?? 1);
  const tokens = new TaskTokenRegistry();
  const lambdas = new LambdaRegistry(region, accountId);
  const bus = new EventBus();
  const integrations: TaskIntegration[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  const running = new Set<Execution>();
  const endpoint: SfnEndpoint = await startSfnEndpoint({ tokens });
  cleanups.push(() => endpoint.close());

  const registerHandler = (nameOrArn: string, registration: HandlerRegistration): void => {
    if (typeof registration === 'function') lambdas.register(nameOrArn, registration);
    else lambdas.register(nameOrArn, registration.handler, registration);
  };
  for (const [name, registration] of Object.entries(options.handlers ?? {}))
    registerHandler(name, registration);

  const executor: TaskExecutor = (request) => {
    const integration = integrations.find((i) => i.handles(request));
    if (integration !== undefined) return integration.run(request);
    if (isLambdaTask(request)) return invokeLambdaTask(lambdas, request);
    return Promise.reject(
      runtimeError(
        `The sandbox cannot run the resource '${request.resource.arn}' of state '${request.stateName}'`,
      ),
    );
  };

  /** The `Step Functions Execution Status Change` event AWS sends when an execution ends. */
  const publishStatus = (execution: Execution, input: unknown, result: ExecutionResult): void => {
    bus.publish({
      version: '0',
      id: randomUUID(),
      source: EXECUTION_EVENT_SOURCE,
      'detail-type': EXECUTION_EVENT_DETAIL_TYPE,
      account: accountId,
      time: result.stopDate.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [execution.executionArn],
      detail: {
        executionArn: execution.executionArn,
        stateMachineArn: execution.stateMachineArn,
        name: execution.executionArn.split(':').pop(),
        status: result.status,
        startDate: result.startDate.getTime(),
        stopDate: result.stopDate.getTime(),
        input: JSON.stringify(input),
        output: result.output === undefined ? null : JSON.stringify(result.output),
        error: result.error ?? null,
        cause: result.cause ?? null,
      },
    });
  };

  const start = (
    definition: StateMachineDefinition | string,
    input: unknown = {},
    execOptions: ExecuteOptions = {},
  ): Execution => {
    const execution = startExecution(parseDefinition(definition), input, {
      executor,
      tokens,
      clock,
      region,
      accountId,
      listeners: [...(options.listeners ?? []), ...(execOptions.listeners ?? [])],
      ...(execOptions.name === undefined ? {} : { executionName: execOptions.name }),
      ...(execOptions.stateMachineName === undefined
        ? {}
        : { stateMachineName: execOptions.stateMachineName }),
    });
    running.add(execution);
    void execution.result.then((result) => {
      running.delete(execution);
      publishStatus(execution, input, result);
    });
    return execution;
  };

  let sqlEngine: ((query: string) => Promise<unknown>) | undefined;
  let closed = false;
  return {
    sql: (query) => {
      if (sqlEngine === undefined) {
        return Promise.reject(
          new SandboxNotReadyError(
            'sql() needs the Data API emulator: this sandbox was created without a database engine',
          ),
        );
      }
      return sqlEngine(query);
    },
    useSqlEngine: (run) => {
      sqlEngine = run;
    },
    sfnEndpoint: endpoint.endpoint,
    region,
    accountId,
    clock,
    tokens,
    lambdas,
    bus,
    start,
    execute: (definition, input, execOptions) => start(definition, input, execOptions).result,
    registerHandler,
    addIntegration: (integration) => integrations.push(integration),
    onClose: (cleanup) => cleanups.push(cleanup),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const execution of running)
        execution.abort('Sandbox.Closed', 'The sandbox was closed while the execution ran');
      await Promise.allSettled([...running].map((e) => e.result));
      await bus.drain();
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}
