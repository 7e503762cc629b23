import { CompletionEventBus } from './completion-event-source.js';
import { completionEvent, type CompletionState } from './completion-event.js';
import { EngineCancelledError, type Engine, type EngineSession } from './engine.js';
import type { PreparedSql } from './prepared-sql.js';
import { resultRows, StatementStatus, type Statement } from './statement.js';

export interface StatementRunnerOptions {
  readonly engine: Engine;
  readonly events: CompletionEventBus;
  readonly accountId: string;
  readonly region: string;
  readonly principal: string;
  readonly retentionMs: number;
}

/**
 * Runs statements asynchronously through their lifecycle: SUBMITTED (waiting for a session:
 * on PGlite, behind earlier statements of the same database, in submission order) → STARTED →
 * FINISHED, FAILED or ABORTED, then emits the completion event when asked. A batch runs its
 * sub-statements in order on one session: in TRANSACTION mode inside BEGIN/COMMIT (a failure
 * rolls everything back), in AUTO_COMMIT mode each on its own (a failure stops the rest).
 */
export class StatementRunner {
  private readonly sessions = new Map<string, EngineSession>();
  private nextQueryId = 100_000;

  constructor(private readonly options: StatementRunnerOptions) {}

  /**
   * Starts running; returns at once. `prepared` has one entry per statement (one for a single
   * statement). `held` is the connection of the statement's Data API session, if it holds one.
   */
  start(statement: Statement, prepared: readonly PreparedSql[], held?: EngineSession): void {
    void this.run(statement, prepared, held).catch((error: unknown) => {
      this.end(statement, 'FAILED', `ERROR: internal emulator error: ${String(error)}`);
    });
  }

  /** Requests cancellation; the statement ends ABORTED (at once when it has not started). */
  async cancel(statement: Statement): Promise<void> {
    statement.cancelRequested = true;
    const session = this.sessions.get(statement.id);
    if (session !== undefined) {
      await session.cancel();
    } else if (statement.status === StatementStatus.SUBMITTED) {
      this.abortRemaining(statement);
      this.end(statement, 'ABORTED', undefined);
    }
  }

  /** Cancels every running statement (on close, so no engine keeps a query running). */
  async cancelAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.cancel().catch(() => undefined)));
  }

  private async run(
    statement: Statement,
    prepared: readonly PreparedSql[],
    held: EngineSession | undefined,
  ): Promise<void> {
    const key = statement.target.databaseKey;
    if (key === undefined) {
      const message = `FATAL: database "${statement.target.database}" does not exist`;
      for (const sub of statement.subStatements) this.end(sub, 'FAILED', message);
      this.end(statement, 'FAILED', message);
      return;
    }
    let session: EngineSession;
    try {
      session = held ?? (await this.options.engine.acquire(key));
    } catch (error) {
      if (statement.cancelRequested) return;
      const message = error instanceof Error ? error.message : String(error);
      for (const sub of statement.subStatements) this.end(sub, 'FAILED', message);
      this.end(statement, 'FAILED', message);
      return;
    }
    if (statement.cancelRequested) {
      if (held === undefined) session.release();
      return;
    }
    this.sessions.set(statement.id, session);
    try {
      this.begin(statement, session.pid);
      if (!statement.isBatch) {
        await this.runOne(statement, statement, session, prepared[0] as PreparedSql);
      } else {
        await this.runBatch(statement, session, prepared);
      }
    } finally {
      this.sessions.delete(statement.id);
      if (held === undefined) session.release();
    }
  }

  private async runBatch(
    batch: Statement,
    session: EngineSession,
    prepared: readonly PreparedSql[],
  ): Promise<void> {
    const transaction = batch.executionMode !== 'AUTO_COMMIT';
    if (transaction) await session.query('BEGIN', []);
    for (const [index, sub] of batch.subStatements.entries()) {
      const ok = await this.runOne(batch, sub, session, prepared[index] as PreparedSql);
      if (!ok) {
        this.abortRemaining(batch);
        if (transaction) await session.query('ROLLBACK', []).catch(() => undefined);
        this.end(batch, sub.status === 'ABORTED' ? 'ABORTED' : 'FAILED', sub.error);
        return;
      }
    }
    if (transaction) {
      try {
        await session.query('COMMIT', []);
      } catch (error) {
        this.end(batch, 'FAILED', error instanceof Error ? error.message : String(error));
        return;
      }
    }
    this.end(batch, 'FINISHED', undefined);
  }

  /** Runs one statement on the session; returns whether it finished. Ends `statement` (and a single-statement parent). */
  private async runOne(
    parent: Statement,
    statement: Statement,
    session: EngineSession,
    prepared: PreparedSql,
  ): Promise<boolean> {
    if (statement !== parent) this.begin(statement, session.pid);
    if (parent.cancelRequested) {
      this.end(statement, 'ABORTED', undefined);
      return false;
    }
    if (prepared.error !== undefined) {
      this.end(statement, 'FAILED', prepared.error);
      return false;
    }
    try {
      statement.result = await session.query(prepared.sql, prepared.values);
    } catch (error) {
      const cancelled = error instanceof EngineCancelledError || parent.cancelRequested;
      this.end(
        statement,
        cancelled ? 'ABORTED' : 'FAILED',
        cancelled ? undefined : (error as Error).message,
      );
      return false;
    }
    if (parent.cancelRequested && statement === parent) {
      this.end(statement, 'ABORTED', undefined);
      return false;
    }
    this.end(statement, 'FINISHED', undefined);
    return true;
  }

  private begin(statement: Statement, pid: number): void {
    statement.status = StatementStatus.STARTED;
    statement.startedAt = performance.now();
    statement.updatedAt = new Date();
    statement.redshiftPid = pid;
    statement.redshiftQueryId = this.nextQueryId++;
  }

  private abortRemaining(batch: Statement): void {
    for (const sub of batch.subStatements) {
      if (sub.status === 'SUBMITTED' || sub.status === 'STARTED')
        this.end(sub, 'ABORTED', undefined);
    }
  }

  private end(statement: Statement, state: CompletionState, error: string | undefined): void {
    if (
      statement.status === 'FINISHED' ||
      statement.status === 'FAILED' ||
      statement.status === 'ABORTED'
    )
      return;
    statement.status = state;
    statement.error =
      state === 'ABORTED'
        ? `Query (${statement.redshiftQueryId}) cancelled on user's request`
        : error;
    statement.endedAt = performance.now();
    statement.startedAt ??= statement.endedAt;
    statement.updatedAt = new Date();
    if (statement.isBatch && statement.redshiftQueryId === -1) {
      statement.redshiftQueryId = statement.subStatements[0]?.redshiftQueryId ?? -1;
    }
    statement.markDone();
    if (statement.withEvent && !statement.id.includes(':')) {
      const o = this.options;
      this.options.events.publish(
        completionEvent({
          account: o.accountId,
          region: o.region,
          resource: statement.target.arn,
          principal: o.principal,
          statementName: statement.statementName,
          statementId: statement.id,
          redshiftQueryId: statement.redshiftQueryId,
          state,
          rows: Math.max(0, resultRows(statement)),
          expireAt: new Date(statement.createdAt.getTime() + o.retentionMs),
          time: statement.updatedAt,
        }),
      );
    }
  }
}
