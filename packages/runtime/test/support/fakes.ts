import { DataApiCapacityError } from '../../src/contract/index.js';
import type { Clock } from '../../src/ports/clock.js';
import type { LogFields, Logger } from '../../src/ports/logger.js';
import type {
  ExecuteInput,
  ExecuteResult,
  ResultPage,
  StatementApi,
  StatementDescription,
} from '../../src/ports/statement-api.js';
import {
  TaskGoneError,
  type TaskCallbacks,
  type TaskGoneReason,
} from '../../src/ports/task-callbacks.js';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Records every line; `lines` holds them as objects. */
export class RecordingLogger implements Logger {
  readonly lines: { level: string; message: string; fields: LogFields }[] = [];
  private record(level: string) {
    return (message: string, fields: LogFields = {}) => {
      this.lines.push({ level, message, fields });
    };
  }
  debug = this.record('DEBUG');
  info = this.record('INFO');
  warn = this.record('WARN');
  error = this.record('ERROR');
}

export type RecordedCallback =
  | { kind: 'success'; taskToken: string; output: unknown }
  | { kind: 'failure'; taskToken: string; error: string; cause: string }
  | { kind: 'heartbeat'; taskToken: string };

/**
 * Task callbacks that record what was sent. `gone` makes a token's callbacks fail for good;
 * `failNext` makes the next N calls fail with a transient error.
 */
export class RecordingCallbacks implements TaskCallbacks {
  readonly sent: RecordedCallback[] = [];
  readonly gone = new Map<string, TaskGoneReason>();
  failNext = 0;
  /** Called before each send completes (to interleave a race). */
  onSend: (() => Promise<void>) | undefined;

  private async check(taskToken: string): Promise<void> {
    if (this.onSend !== undefined) await this.onSend();
    if (this.failNext > 0) {
      this.failNext -= 1;
      const error = new Error('Rate exceeded');
      error.name = 'ThrottlingException';
      throw error;
    }
    const reason = this.gone.get(taskToken);
    if (reason !== undefined) throw new TaskGoneError(reason, `task gone: ${reason}`);
  }

  async sendSuccess(taskToken: string, output: string): Promise<void> {
    await this.check(taskToken);
    this.sent.push({ kind: 'success', taskToken, output: JSON.parse(output) as unknown });
  }
  async sendFailure(taskToken: string, error: string, cause: string): Promise<void> {
    await this.check(taskToken);
    this.sent.push({ kind: 'failure', taskToken, error, cause });
  }
  async sendHeartbeat(taskToken: string): Promise<void> {
    await this.check(taskToken);
    this.sent.push({ kind: 'heartbeat', taskToken });
  }
}

interface FakeStatement {
  description: StatementDescription;
  input: ExecuteInput;
  pages: ResultPage[];
}

/**
 * The Data API at the port level: statements start SUBMITTED; the test ends them with
 * `finish`, `fail` or `abort`. ClientTokens are idempotent like the real API.
 */
export class FakeStatementApi implements StatementApi {
  readonly statements = new Map<string, FakeStatement>();
  readonly executed: ExecuteInput[] = [];
  readonly cancelled: string[] = [];
  private readonly byClientToken = new Map<string, string>();
  private counter = 0;
  /** Errors thrown by the next execute calls, in order. */
  readonly executeErrors: unknown[] = [];
  /** Runs inside execute, after the statement was created (to interleave a race). */
  onExecuted: ((id: string) => Promise<void>) | undefined;
  /** Status the next execute returns (the fast path), if any. */
  endOnExecute: 'FINISHED' | 'FAILED' | undefined;

  async execute(input: ExecuteInput): Promise<ExecuteResult> {
    this.executed.push(input);
    const error = this.executeErrors.shift();
    if (error !== undefined) throw error;
    const known =
      input.clientToken !== undefined ? this.byClientToken.get(input.clientToken) : undefined;
    if (known !== undefined)
      return { statementId: known, status: this.get(known).description.status };
    this.counter += 1;
    const id = `stmt-${this.counter}`;
    if (input.clientToken !== undefined) this.byClientToken.set(input.clientToken, id);
    const subStatements =
      input.statement.kind === 'batch'
        ? input.statement.sqls.map((_sql, index) => ({
            id: `${id}:${index + 1}`,
            status: 'SUBMITTED' as const,
          }))
        : undefined;
    this.statements.set(id, {
      input,
      pages: [],
      description: {
        id,
        status: 'SUBMITTED',
        ...(subStatements !== undefined && { subStatements }),
      },
    });
    if (this.onExecuted !== undefined) await this.onExecuted(id);
    if (this.endOnExecute === 'FINISHED') this.finish(id);
    if (this.endOnExecute === 'FAILED') this.fail(id, 'ERROR: boom');
    return { statementId: id, status: this.get(id).description.status };
  }

  get(id: string): FakeStatement {
    const statement = this.statements.get(id);
    if (statement === undefined) throw new Error(`no statement ${id}`);
    return statement;
  }

  /** The id of the n-th started statement (1-based). */
  id(n: number): string {
    return `stmt-${n}`;
  }

  finish(id: string, extra: Partial<StatementDescription> = {}, pages: ResultPage[] = []): void {
    const statement = this.get(id);
    statement.description = {
      ...statement.description,
      status: 'FINISHED',
      durationNanos: 12_345_678,
      resultRows: -1,
      hasResultSet: false,
      ...extra,
    };
    statement.pages = pages;
  }

  fail(id: string, error: string): void {
    const statement = this.get(id);
    statement.description = { ...statement.description, status: 'FAILED', error };
  }

  abort(id: string): void {
    const statement = this.get(id);
    statement.description = { ...statement.description, status: 'ABORTED' };
  }

  /** Errors thrown by the next describe calls, in order. */
  readonly describeErrors: unknown[] = [];

  async describe(statementId: string): Promise<StatementDescription> {
    const error = this.describeErrors.shift();
    if (error !== undefined) throw error;
    return this.get(statementId).description;
  }

  async cancel(statementId: string): Promise<boolean> {
    this.cancelled.push(statementId);
    this.abort(statementId);
    return true;
  }

  async getResultPage(statementId: string, nextToken?: string): Promise<ResultPage> {
    const pages = this.statements.get(statementId.split(':')[0] ?? '')?.pages ?? [];
    const index = nextToken === undefined ? 0 : Number(nextToken);
    const page = pages[index];
    if (page === undefined) return { columns: [], records: [] };
    return index + 1 < pages.length ? { ...page, nextToken: String(index + 1) } : page;
  }
}

export function capacityError(): DataApiCapacityError {
  return new DataApiCapacityError('Redshift Data API refused for capacity (ThrottlingException)');
}
