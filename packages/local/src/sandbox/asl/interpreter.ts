/**
 * The ASL interpreter: runs a state machine definition state by state with JSONPath or JSONata
 * input/output processing, Retry/Catch, Parallel and Map, variables, task tokens and timeouts,
 * and records the execution's event history. Task work is delegated to a `TaskExecutor`.
 */
import { randomUUID } from 'node:crypto';
import { Clock, setLongTimeout, type LongTimer } from '../time/clock.js';
import type { TaskTokenRegistry } from '../tokens/task-token-registry.js';
import { evaluateChoiceRule, isTimestamp } from './choice-rules.js';
import type {
  Branch,
  Catcher,
  ChoiceState,
  FailState,
  MapState,
  ParallelState,
  PassState,
  QueryLanguage,
  Retrier,
  State,
  StateMachineDefinition,
  TaskState,
  WaitState,
} from './definition.js';
import { StatesError, StatesErrors, runtimeError, toStatesError } from './errors.js';
import {
  ExecutionHistory,
  HistoryCursor,
  type HistoryEvent,
  type HistoryListener,
} from './history.js';
import { evaluateJsonata, type StatesBinding } from './jsonata-eval.js';
import { readPath, writePath, type PathRoots } from './json-path.js';
import { applyPayloadTemplate } from './payload-template.js';
import { errorMatches, retryDelaySeconds, DEFAULT_RETRY_MAX_ATTEMPTS } from './retry-policy.js';
import { runTaskAttempt, type TaskExecutor } from './task-invocation.js';
import { parseTaskResource } from './task-resource.js';
import { validateDefinition } from './validate-definition.js';
import { VariableScope } from './variable-scope.js';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '../../aws-defaults.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** The final state of an execution, as `DescribeExecution` shows it (output parsed). */
export interface ExecutionResult {
  readonly executionArn: string;
  readonly status: Exclude<ExecutionStatus, 'RUNNING'>;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: Date;
  readonly stopDate: Date;
  readonly history: readonly HistoryEvent[];
}

export interface ExecutionOptions {
  readonly executor: TaskExecutor;
  readonly tokens: TaskTokenRegistry;
  readonly clock?: Clock;
  readonly listeners?: readonly HistoryListener[];
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default 'StateMachine' */
  readonly stateMachineName?: string;
  /** @default - a random UUID */
  readonly executionName?: string;
  /** @default - a role ARN in the account */
  readonly roleArn?: string;
}

export { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '../../aws-defaults.js';

interface Scope {
  readonly cursor: HistoryCursor;
  readonly signal: AbortSignal;
  readonly variables: VariableScope;
  readonly queryLanguage: QueryLanguage;
}

interface StepResult {
  readonly output: unknown;
  readonly next: string | undefined;
}

/** Ends an execution from outside: abort or execution timeout. */
class ExecutionStop extends Error {
  constructor(
    readonly status: 'ABORTED' | 'TIMED_OUT',
    readonly error: string,
    readonly causeText: string,
  ) {
    super(`${status}: ${error}`);
  }
}

function json(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** Map fields of the distributed mode only, which the sandbox does not implement. */
const DISTRIBUTED_MAP_FIELDS = ['ItemReader', 'ItemBatcher', 'ResultWriter'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A running execution. */
export class Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly history: ExecutionHistory;
  readonly result: Promise<ExecutionResult>;
  private readonly controller = new AbortController();
  private readonly clock: Clock;
  private readonly region: string;
  private readonly startDate = new Date();
  private readonly executionName: string;
  private readonly stateMachineName: string;
  private readonly roleArn: string;

  constructor(
    private readonly definition: StateMachineDefinition,
    private readonly input: unknown,
    private readonly options: ExecutionOptions,
  ) {
    validateDefinition(definition);
    this.clock = options.clock ?? new Clock();
    this.region = options.region ?? DEFAULT_REGION;
    const account = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.stateMachineName = options.stateMachineName ?? 'StateMachine';
    this.executionName = options.executionName ?? randomUUID();
    this.stateMachineArn = `arn:aws:states:${this.region}:${account}:stateMachine:${this.stateMachineName}`;
    this.executionArn = `arn:aws:states:${this.region}:${account}:execution:${this.stateMachineName}:${this.executionName}`;
    this.roleArn = options.roleArn ?? `arn:aws:iam::${account}:role/StepshiftSandboxRole`;
    this.history = new ExecutionHistory(options.listeners ?? []);
    this.result = this.run();
  }

  /** Stops the execution as `StopExecution` does: status ABORTED. */
  abort(error = '', cause = ''): void {
    this.controller.abort(new ExecutionStop('ABORTED', error, cause));
  }

  private async run(): Promise<ExecutionResult> {
    const cursor = new HistoryCursor(this.history);
    cursor.add('ExecutionStarted', {
      input: json(this.input),
      inputDetails: { truncated: false },
      roleArn: this.roleArn,
      stateMachineArn: this.stateMachineArn,
    });
    let timer: LongTimer | undefined;
    if (this.definition.TimeoutSeconds !== undefined) {
      timer = setLongTimeout(
        () => this.controller.abort(new ExecutionStop('TIMED_OUT', StatesErrors.Timeout, '')),
        this.clock.toRealMs(this.definition.TimeoutSeconds),
      );
    }
    const scope: Scope = {
      cursor,
      signal: this.controller.signal,
      variables: new VariableScope(),
      queryLanguage: this.definition.QueryLanguage ?? 'JSONPath',
    };
    const finish = (
      fields: Omit<ExecutionResult, 'executionArn' | 'startDate' | 'stopDate' | 'history'>,
    ): ExecutionResult => ({
      executionArn: this.executionArn,
      ...fields,
      startDate: this.startDate,
      stopDate: new Date(),
      history: this.history.events,
    });
    try {
      const stopped = new Promise<never>((_, reject) => {
        const onAbort = (): void => reject(this.controller.signal.reason as Error);
        if (this.controller.signal.aborted) onAbort();
        else this.controller.signal.addEventListener('abort', onAbort, { once: true });
      });
      stopped.catch(() => undefined);
      const output = await Promise.race([
        this.runBranch(this.definition, this.input, scope),
        stopped,
      ]);
      cursor.add('ExecutionSucceeded', {
        output: json(output),
        outputDetails: { truncated: false },
      });
      return finish({ status: 'SUCCEEDED', output });
    } catch (thrown) {
      const reason: unknown = this.controller.signal.aborted
        ? this.controller.signal.reason
        : thrown;
      if (reason instanceof ExecutionStop) {
        this.controller.abort(reason);
        const type = reason.status === 'ABORTED' ? 'ExecutionAborted' : 'ExecutionTimedOut';
        cursor.add(type, { error: reason.error, cause: reason.causeText });
        return finish({
          status: reason.status,
          ...(reason.error === '' ? {} : { error: reason.error }),
          ...(reason.causeText === '' ? {} : { cause: reason.causeText }),
        });
      }
      const error = toStatesError(reason);
      this.controller.abort(error);
      cursor.add('ExecutionFailed', { error: error.name, cause: error.causeText });
      // A Fail state without Error fails the execution with no error, which DescribeExecution
      // leaves out, like an empty cause.
      return finish({
        status: 'FAILED',
        ...(error.name === '' ? {} : { error: error.name }),
        ...(error.causeText === '' ? {} : { cause: error.causeText }),
      });
    } finally {
      timer?.clear();
    }
  }

  private async runBranch(branch: Branch, input: unknown, scope: Scope): Promise<unknown> {
    let name = branch.StartAt;
    let data = input;
    for (;;) {
      if (scope.signal.aborted) throw scope.signal.reason as Error;
      const state = branch.States[name];
      if (state === undefined) throw runtimeError(`State '${name}' is not defined`);
      const step = await this.runState(name, state, data, scope);
      if (step.next === undefined) return step.output;
      name = step.next;
      data = step.output;
    }
  }

  private context(
    name: string,
    enteredTime: string,
    retryCount: number,
    token?: string,
  ): Record<string, unknown> {
    return {
      Execution: {
        Id: this.executionArn,
        Input: this.input,
        Name: this.executionName,
        RoleArn: this.roleArn,
        StartTime: this.startDate.toISOString(),
        RedriveCount: 0,
      },
      State: { EnteredTime: enteredTime, Name: name, RetryCount: retryCount },
      StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineName },
      ...(token === undefined ? {} : { Task: { Token: token } }),
    };
  }

  private async runState(
    name: string,
    state: State,
    rawInput: unknown,
    scope: Scope,
  ): Promise<StepResult> {
    const ql = state.QueryLanguage ?? scope.queryLanguage;
    const enteredTime = new Date().toISOString();
    scope.cursor.add(`${state.Type}StateEntered`, {
      name,
      input: json(rawInput),
      inputDetails: { truncated: false },
    });
    const attempts = new Map<Retrier, number>();
    let retryCount = 0;
    for (;;) {
      try {
        const step = await this.executeState(
          name,
          state,
          rawInput,
          scope,
          ql,
          enteredTime,
          retryCount,
        );
        if (state.Type !== 'Fail') {
          scope.cursor.add(`${state.Type}StateExited`, {
            name,
            output: json(step.output),
            outputDetails: { truncated: false },
          });
        }
        return step;
      } catch (thrown) {
        if (scope.signal.aborted) throw scope.signal.reason as Error;
        const error = toStatesError(thrown);
        if (state.Type === 'Fail') throw error;
        const retrier = state.Retry?.find((r) => errorMatches(r.ErrorEquals, error.name));
        if (retrier !== undefined) {
          const used = attempts.get(retrier) ?? 0;
          if (used < (retrier.MaxAttempts ?? DEFAULT_RETRY_MAX_ATTEMPTS)) {
            attempts.set(retrier, used + 1);
            await this.clock.sleep(retryDelaySeconds(retrier, used), scope.signal);
            retryCount++;
            continue;
          }
        }
        const catcher = state.Catch?.find((c) => errorMatches(c.ErrorEquals, error.name));
        if (catcher === undefined) throw error;
        const output = await this.catchOutput(
          catcher,
          error,
          rawInput,
          scope,
          ql,
          name,
          enteredTime,
          retryCount,
        );
        scope.cursor.add(`${state.Type}StateExited`, {
          name,
          output: json(output),
          outputDetails: { truncated: false },
        });
        return { output, next: catcher.Next };
      }
    }
  }

  private async catchOutput(
    catcher: Catcher,
    error: StatesError,
    rawInput: unknown,
    scope: Scope,
    ql: QueryLanguage,
    name: string,
    enteredTime: string,
    retryCount: number,
  ): Promise<unknown> {
    const errorOutput = { Error: error.name, Cause: error.causeText };
    const context = this.context(name, enteredTime, retryCount);
    if (ql === 'JSONata') {
      const states: StatesBinding = { input: rawInput, context, errorOutput };
      const variables = scope.variables.all();
      const output =
        catcher.Output === undefined
          ? errorOutput
          : await evaluateJsonata(catcher.Output, states, variables);
      if (catcher.Assign !== undefined)
        scope.variables.assign(
          (await evaluateJsonata(catcher.Assign, states, variables)) as Record<string, unknown>,
        );
      return output;
    }
    if (catcher.Assign !== undefined) {
      scope.variables.assign(
        applyPayloadTemplate(catcher.Assign, this.roots(errorOutput, context, scope)) as Record<
          string,
          unknown
        >,
      );
    }
    return this.applyResultPath(rawInput, errorOutput, catcher.ResultPath);
  }

  private roots(input: unknown, context: unknown, scope: Scope): PathRoots {
    return { input, context, variables: scope.variables.all() };
  }

  private applyResultPath(
    rawInput: unknown,
    result: unknown,
    resultPath: string | null | undefined,
  ): unknown {
    if (resultPath === null) return rawInput;
    if (resultPath === undefined) return result;
    const written = writePath(rawInput, resultPath, result);
    if (!written.ok) {
      throw new StatesError(
        StatesErrors.ResultPathMatchFailure,
        `Unable to apply ReferencePath ${resultPath} to input ${json(rawInput)}`,
      );
    }
    return written.value;
  }

  private inputPath(state: State, rawInput: unknown, context: unknown, scope: Scope): unknown {
    if (state.InputPath === null) return {};
    if (state.InputPath === undefined) return rawInput;
    return readPath(state.InputPath, this.roots(rawInput, context, scope), 'InputPath');
  }

  private outputPath(state: State, value: unknown, context: unknown, scope: Scope): unknown {
    if (state.OutputPath === null) return {};
    if (state.OutputPath === undefined) return value;
    return readPath(state.OutputPath, this.roots(value, context, scope), 'OutputPath');
  }

  /** JSONPath `Assign`: `$` is the state's result (after ResultSelector) or its effective input. */
  private assignJsonPath(state: State, value: unknown, context: unknown, scope: Scope): void {
    if (state.Assign === undefined) return;
    scope.variables.assign(
      applyPayloadTemplate(state.Assign, this.roots(value, context, scope)) as Record<
        string,
        unknown
      >,
    );
  }

  /** JSONata `Output` and `Assign`, evaluated with the same (previous) variable values. */
  private async finishJsonata(
    fields: { Output?: unknown; Assign?: Readonly<Record<string, unknown>> | undefined },
    states: StatesBinding,
    fallback: unknown,
    scope: Scope,
  ): Promise<unknown> {
    const variables = scope.variables.all();
    const output =
      fields.Output === undefined
        ? fallback
        : await evaluateJsonata(fields.Output, states, variables);
    if (fields.Assign !== undefined) {
      scope.variables.assign(
        (await evaluateJsonata(fields.Assign, states, variables)) as Record<string, unknown>,
      );
    }
    return output;
  }

  private async executeState(
    name: string,
    state: State,
    rawInput: unknown,
    scope: Scope,
    ql: QueryLanguage,
    enteredTime: string,
    retryCount: number,
  ): Promise<StepResult> {
    const context = this.context(name, enteredTime, retryCount);
    const next = state.End === true ? undefined : state.Next;
    switch (state.Type) {
      case 'Pass':
        return { output: await this.pass(state, rawInput, context, scope, ql), next };
      case 'Task':
        return {
          output: await this.task(name, state, rawInput, scope, ql, enteredTime, retryCount),
          next,
        };
      case 'Choice':
        return this.choice(state, rawInput, context, scope, ql);
      case 'Wait':
        return { output: await this.wait(state, rawInput, context, scope, ql), next };
      case 'Succeed': {
        if (ql === 'JSONata') {
          return {
            output: await this.finishJsonata(state, { input: rawInput, context }, rawInput, scope),
            next: undefined,
          };
        }
        return {
          output: this.outputPath(
            state,
            this.inputPath(state, rawInput, context, scope),
            context,
            scope,
          ),
          next: undefined,
        };
      }
      case 'Fail':
        throw await this.fail(state, rawInput, context, scope, ql);
      case 'Parallel':
        return { output: await this.parallel(name, state, rawInput, context, scope, ql), next };
      case 'Map':
        return { output: await this.map(name, state, rawInput, context, scope, ql), next };
    }
  }

  private async pass(
    state: PassState,
    rawInput: unknown,
    context: unknown,
    scope: Scope,
    ql: QueryLanguage,
  ): Promise<unknown> {
    if (ql === 'JSONata')
      return this.finishJsonata(state, { input: rawInput, context }, rawInput, scope);
    const effective = this.inputPath(state, rawInput, context, scope);
    const result =
      state.Result !== undefined
        ? state.Result
        : state.Parameters !== undefined
          ? applyPayloadTemplate(state.Parameters, this.roots(effective, context, scope))
          : effective;
    this.assignJsonPath(state, result, context, scope);
    return this.outputPath(
      state,
      this.applyResultPath(rawInput, result, state.ResultPath),
      context,
      scope,
    );
  }

  private async seconds(
    value: number | string | undefined,
    path: string | undefined,
    field: string,
    roots: PathRoots,
    states: StatesBinding,
    scope: Scope,
    ql: QueryLanguage,
    min = 1,
  ): Promise<number | undefined> {
    let seconds: unknown = value;
    if (ql === 'JSONata' && typeof value === 'string')
      seconds = await evaluateJsonata(value, states, scope.variables.all());
    if (path !== undefined) seconds = readPath(path, roots, `${field}Path`);
    if (seconds === undefined) return undefined;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < min) {
      throw runtimeError(`${field} must be an integer of at least ${min}, got ${json(seconds)}`);
    }
    return seconds;
  }

  private async task(
    name: string,
    state: TaskState,
    rawInput: unknown,
    scope: Scope,
    ql: QueryLanguage,
    enteredTime: string,
    retryCount: number,
  ): Promise<unknown> {
    const resource = parseTaskResource(state.Resource);
    if (resource === undefined)
      throw runtimeError(`The resource '${state.Resource}' is not supported by the sandbox`);
    if (resource.pattern === 'sync') {
      throw runtimeError(
        `The '.sync' integration pattern of '${state.Resource}' is not supported by the sandbox`,
      );
    }
    const token =
      resource.pattern === 'waitForTaskToken'
        ? this.options.tokens.issue({ executionArn: this.executionArn, stateName: name })
        : undefined;
    try {
      const context = this.context(name, enteredTime, retryCount, token?.token);
      const variables = scope.variables.all();
      let parameters: unknown;
      let effective: unknown = rawInput;
      if (ql === 'JSONata') {
        parameters =
          state.Arguments === undefined
            ? rawInput
            : await evaluateJsonata(state.Arguments, { input: rawInput, context }, variables);
      } else {
        effective = this.inputPath(state, rawInput, context, scope);
        parameters =
          state.Parameters === undefined
            ? effective
            : applyPayloadTemplate(state.Parameters, this.roots(effective, context, scope));
      }
      const roots = this.roots(effective, context, scope);
      const states: StatesBinding = { input: rawInput, context };
      const timeoutSeconds = await this.seconds(
        state.TimeoutSeconds,
        state.TimeoutSecondsPath,
        'TimeoutSeconds',
        roots,
        states,
        scope,
        ql,
      );
      const heartbeatSeconds = await this.seconds(
        state.HeartbeatSeconds,
        state.HeartbeatSecondsPath,
        'HeartbeatSeconds',
        roots,
        states,
        scope,
        ql,
      );
      if (
        timeoutSeconds !== undefined &&
        heartbeatSeconds !== undefined &&
        heartbeatSeconds >= timeoutSeconds
      ) {
        throw runtimeError(
          `HeartbeatSeconds (${heartbeatSeconds}) must be smaller than TimeoutSeconds (${timeoutSeconds})`,
        );
      }
      const result = await runTaskAttempt(
        {
          resource,
          parameters,
          timeoutSeconds,
          heartbeatSeconds,
          token,
          stateName: name,
          executionArn: this.executionArn,
          region: this.region,
        },
        {
          executor: this.options.executor,
          clock: this.clock,
          cursor: scope.cursor,
          signal: scope.signal,
        },
      );
      return this.finishWithResult(state, rawInput, result, context, scope, ql);
    } finally {
      token?.close();
    }
  }

  private async choice(
    state: ChoiceState,
    rawInput: unknown,
    context: unknown,
    scope: Scope,
    ql: QueryLanguage,
  ): Promise<StepResult> {
    if (ql === 'JSONata') {
      const states: StatesBinding = { input: rawInput, context };
      for (const rule of state.Choices) {
        const verdict = await evaluateJsonata(rule.Condition, states, scope.variables.all());
        if (typeof verdict !== 'boolean') {
          throw new StatesError(
            StatesErrors.QueryEvaluationError,
            `A Choice Condition must evaluate to a boolean, got ${json(verdict)}`,
          );
        }
        if (verdict) {
          const fields = {
            Output: rule.Output ?? state.Output,
            Assign: rule.Assign ?? state.Assign,
          };
          return {
            output: await this.finishJsonata(fields, states, rawInput, scope),
            next: rule.Next,
          };
        }
      }
      if (state.Default === undefined)
        throw new StatesError(StatesErrors.NoChoiceMatched, 'No Matches!');
      return {
        output: await this.finishJsonata(state, states, rawInput, scope),
        next: state.Default,
      };
    }
    const effective = this.inputPath(state, rawInput, context, scope);
    const roots = this.roots(effective, context, scope);
    const rule = state.Choices.find((r) => evaluateChoiceRule(r, roots));
    const next = rule?.Next ?? state.Default;
    if (next === undefined) throw new StatesError(StatesErrors.NoChoiceMatched, 'No Matches!');
    const assign = rule?.Assign ?? state.Assign;
    if (assign !== undefined)
      scope.variables.assign(applyPayloadTemplate(assign, roots) as Record<string, unknown>);
    return { output: this.outputPath(state, effective, context, scope), next };
  }

  private async wait(
    state: WaitState,
    rawInput: unknown,
    context: unknown,
    scope: Scope,
    ql: QueryLanguage,
  ): Promise<unknown> {
    const effective = ql === 'JSONata' ? rawInput : this.inputPath(state, rawInput, context, scope);
    const roots = this.roots(effective, context, scope);
    const states: StatesBinding = { input: rawInput, context };
    let seconds: number | undefined;
    if (state.Seconds !== undefined || state.SecondsPath !== undefined) {
      seconds =
        (await this.seconds(
          state.Seconds,
          state.SecondsPath,
          'Seconds',
          roots,
          states,
          scope,
          ql,
          0,
        )) ?? 0;
    } else {
      let timestamp: unknown = state.Timestamp;
      if (ql === 'JSONata' && typeof timestamp === 'string')
        timestamp = await evaluateJsonata(timestamp, states, scope.variables.all());
      if (state.TimestampPath !== undefined)
        timestamp = readPath(state.TimestampPath, roots, 'TimestampPath');
      if (!isTimestamp(timestamp))
        throw runtimeError(
          `The Wait state's timestamp must be an RFC 3339 timestamp, got ${json(timestamp)}`,
        );
      seconds = Math.max(0, (Date.parse(timestamp) - Date.now()) / 1000);
    }
    await this.clock.sleep(seconds, scope.signal);
    if (ql === 'JSONata') return this.finishJsonata(state, states, rawInput, scope);
    this.assignJsonPath(state, effective, context, scope);
    return this.outputPath(state, effective, context, scope);
  }

  private async fail(
    state: FailState,
    rawInput: unknown,
    context: unknown,
    scope: Scope,
    ql: QueryLanguage,
  ): Promise<StatesError> {
    let error: unknown = state.Error;
    let cause: unknown = state.Cause;
    if (ql === 'JSONata') {
      const states: StatesBinding = { input: rawInput, context };
      error = await evaluateJsonata(error, states, scope.variables.all());
      cause = await evaluateJsonata(cause, states, scope.variables.all());
    } else {
      const roots = this.roots(rawInput, context, scope);
      if (state.ErrorPath !== undefined) error = readPath(state.ErrorPath, roots, 'ErrorPath');
      if (state.CausePath !== undefined) cause = readPath(state.CausePath, roots, 'CausePath');
    }
    return new StatesError(
      typeof error === 'string' ? error : '',
      typeof cause === 'string' ? cause : '',
    );
  }

  /** Runs child branches; the first failure aborts the others and fails the state. */
  private async runChildren<T>(
    count: number,
    concurrency: number,
    scope: Scope,
    run: (index: number, child: Scope) => Promise<T>,
  ): Promise<T[]> {
    const controller = new AbortController();
    const onParentAbort = (): void => controller.abort(scope.signal.reason);
    scope.signal.addEventListener('abort', onParentAbort, { once: true });
    const results: T[] = new Array<T>(count);
    let nextIndex = 0;
    let failure: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (failure === undefined && !controller.signal.aborted && nextIndex < count) {
        const index = nextIndex++;
        const child: Scope = {
          cursor: scope.cursor.fork(),
          signal: controller.signal,
          variables: new VariableScope(scope.variables),
          queryLanguage: scope.queryLanguage,
        };
        try {
          results[index] = await run(index, child);
        } catch (thrown) {
          if (failure === undefined) {
            failure = { error: thrown };
            controller.abort(toStatesError(thrown));
          }
        }
      }
    };
    try {
      const workers = concurrency > 0 ? Math.min(concurrency, count) : count;
      await Promise.all(Array.from({ length: workers }, () => worker()));
    } finally {
      scope.signal.removeEventListener('abort', onParentAbort);
    }
    if (scope.signal.aborted) throw scope.signal.reason as Error;
    if (failure !== undefined) throw failure.error;
    return results;
  }

  private async parallel(
    _name: string,
    state: ParallelState,
    rawInput: unknown,
    context: unknown,
    scope: Scope,
    ql: QueryLanguage,
  ): Promise<unknown> {
    const variables = scope.variables.all();
    const effective = ql === 'JSONata' ? rawInput : this.inputPath(state, rawInput, context, scope);
    const branchInput =
      ql === 'JSONata'
        ? state.Arguments === undefined
          ? rawInput
          : await evaluateJsonata(state.Arguments, { input: rawInput, context }, variables)
        : state.Parameters === undefined
          ? effective
          : applyPayloadTemplate(state.Parameters, this.roots(effective, context, scope));
    scope.cursor.add('ParallelStateStarted');
    let result: unknown[];
    try {
      result = await this.runChildren(state.Branches.length, 0, scope, (index, child) => {
        const branch = state.Branches[index] as Branch;
        return this.runBranch(branch, branchInput, {
          ...child,
          queryLanguage: branch.QueryLanguage ?? ql,
        });
      });
    } catch (thrown) {
      scope.cursor.add(scope.signal.aborted ? 'ParallelStateAborted' : 'ParallelStateFailed');
      throw thrown;
    }
    scope.cursor.add('ParallelStateSucceeded');
    return this.finishWithResult(state, rawInput, result, context, scope, ql);
  }

  /** ResultSelector, Assign, ResultPath and OutputPath (or JSONata Output) of a result. */
  private async finishWithResult(
    state: TaskState | ParallelState | MapState,
    rawInput: unknown,
    result: unknown,
    context: unknown,
    scope: Scope,
    ql: QueryLanguage,
  ): Promise<unknown> {
    if (ql === 'JSONata')
      return this.finishJsonata(state, { input: rawInput, context, result }, result, scope);
    const selected =
      state.ResultSelector === undefined
        ? result
        : applyPayloadTemplate(state.ResultSelector, this.roots(result, context, scope));
    this.assignJsonPath(state, selected, context, scope);
    return this.outputPath(
      state,
      this.applyResultPath(rawInput, selected, state.ResultPath),
      context,
      scope,
    );
  }

  private async map(
    name: string,
    state: MapState,
    rawInput: unknown,
    context: unknown,
    scope: Scope,
    ql: QueryLanguage,
  ): Promise<unknown> {
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor === undefined) throw runtimeError(`The Map state '${name}' has no ItemProcessor`);
    // Running these as an inline Map would iterate the wrong items without a word.
    const distributed = DISTRIBUTED_MAP_FIELDS.filter((field) => field in state);
    if (distributed.length > 0) {
      throw runtimeError(
        `Map state '${name}' uses ${distributed.join(', ')} (distributed Map), which the sandbox does not run`,
      );
    }
    const variables = scope.variables.all();
    const states: StatesBinding = { input: rawInput, context };
    const effective = ql === 'JSONata' ? rawInput : this.inputPath(state, rawInput, context, scope);
    let items: unknown;
    if (ql === 'JSONata')
      items =
        state.Items === undefined
          ? rawInput
          : await evaluateJsonata(state.Items, states, variables);
    else
      items =
        state.ItemsPath === undefined
          ? effective
          : readPath(state.ItemsPath, this.roots(effective, context, scope), 'ItemsPath');
    if (!Array.isArray(items))
      throw runtimeError(`Map state '${name}': the items must be a JSON array, got ${json(items)}`);
    let concurrency: unknown = state.MaxConcurrency ?? 0;
    if (ql === 'JSONata' && typeof concurrency === 'string')
      concurrency = await evaluateJsonata(concurrency, states, variables);
    if (state.MaxConcurrencyPath !== undefined)
      concurrency = readPath(
        state.MaxConcurrencyPath,
        this.roots(effective, context, scope),
        'MaxConcurrencyPath',
      );
    if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 0) {
      throw runtimeError(
        `Map state '${name}': MaxConcurrency must be a non-negative integer, got ${json(concurrency)}`,
      );
    }
    const selector = state.ItemSelector ?? state.Parameters;
    scope.cursor.add('MapStateStarted', { length: items.length });
    const list = items;
    let result: unknown[];
    try {
      result = await this.runChildren(list.length, concurrency, scope, async (index, child) => {
        const mapItem = { Index: index, Value: list[index] };
        const itemScope: Scope = { ...child, queryLanguage: processor.QueryLanguage ?? ql };
        const itemContext = { ...(context as Record<string, unknown>), Map: { Item: mapItem } };
        let itemInput: unknown = list[index];
        if (selector !== undefined) {
          itemInput =
            ql === 'JSONata'
              ? await evaluateJsonata(
                  selector,
                  { input: rawInput, context: itemContext },
                  variables,
                )
              : applyPayloadTemplate(selector, this.roots(effective, itemContext, scope));
        }
        const details = { name, index };
        child.cursor.add('MapIterationStarted', details);
        try {
          const output = await this.runBranch(processor, itemInput, itemScope);
          child.cursor.add('MapIterationSucceeded', details);
          return output;
        } catch (thrown) {
          child.cursor.add(
            child.signal.aborted ? 'MapIterationAborted' : 'MapIterationFailed',
            details,
          );
          throw thrown;
        }
      });
    } catch (thrown) {
      scope.cursor.add(scope.signal.aborted ? 'MapStateAborted' : 'MapStateFailed');
      throw thrown;
    }
    scope.cursor.add('MapStateSucceeded');
    return this.finishWithResult(state, rawInput, result, context, scope, ql);
  }
}

/** Starts an execution; its `result` settles when it ends (it never rejects). */
export function startExecution(
  definition: StateMachineDefinition,
  input: unknown,
  options: ExecutionOptions,
): Execution {
  if (!isObject(definition)) throw runtimeError('A state machine definition must be a JSON object');
  return new Execution(definition, input, options);
}
