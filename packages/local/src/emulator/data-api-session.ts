import { randomUUID } from 'node:crypto';
import type { Engine, EngineSession } from './engine.js';
import { ResourceNotFoundException, ValidationException } from './errors.js';
import type { ResolvedTarget } from './target.js';

/** `SessionKeepAliveSeconds`: at most 24 hours. Data API reference, ExecuteStatement. */
export const MAX_SESSION_KEEP_ALIVE_SECONDS = 24 * 60 * 60;

export type SessionStatus = 'AVAILABLE' | 'BUSY' | 'CLOSED';

/**
 * A Data API session (`SessionKeepAliveSeconds` / `SessionId`): statements run one at a time on
 * the same database connection, so temporary tables and session settings carry over. It closes
 * `keepAliveSeconds` after its last statement ends.
 */
export interface DataApiSession {
  readonly id: string;
  readonly target: ResolvedTarget;
  readonly createdAt: Date;
  updatedAt: Date;
  keepAliveSeconds: number;
  expiresAt: Date;
  status: SessionStatus;
  currentStatementId: string | undefined;
  /**
   * The connection the session holds (PostgreSQL). PGlite has one connection per database, so
   * its sessions hold none: their statements queue with the others on that connection, where
   * temporary tables persist anyway (but are visible outside the session too).
   */
  engineSession: EngineSession | undefined;
  timer: NodeJS.Timeout | undefined;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, DataApiSession>();

  constructor(private readonly engine: Engine) {}

  async create(target: ResolvedTarget, keepAliveSeconds: number): Promise<DataApiSession> {
    const now = new Date();
    const engineSession =
      this.engine.kind === 'postgres' && target.databaseKey !== undefined
        ? await this.engine.acquire(target.databaseKey, true)
        : undefined;
    const session: DataApiSession = {
      id: randomUUID(),
      target,
      createdAt: now,
      updatedAt: now,
      keepAliveSeconds,
      expiresAt: new Date(now.getTime() + keepAliveSeconds * 1000),
      status: 'AVAILABLE',
      currentStatementId: undefined,
      engineSession,
      timer: undefined,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** An open session that is not running a statement; throws as the Data API does otherwise. */
  available(id: string): DataApiSession {
    const session = this.sessions.get(id);
    if (session === undefined) throw new ResourceNotFoundException('Session does not exist.', id);
    if (session.status === 'CLOSED') {
      throw new ValidationException(
        `Session ${id} is closed: its SessionKeepAliveSeconds ran out. Start a new session with SessionKeepAliveSeconds.`,
      );
    }
    if (session.status === 'BUSY') {
      throw new ValidationException(
        `Session ${id} is busy running statement ${session.currentStatementId ?? ''}: wait until it ends.`,
      );
    }
    return session;
  }

  /** The session runs `statementId` until `done` settles, then stays open `keepAliveSeconds`. */
  use(
    session: DataApiSession,
    statementId: string,
    done: Promise<void>,
    keepAliveSeconds: number | undefined,
  ): void {
    clearTimeout(session.timer);
    session.status = 'BUSY';
    session.currentStatementId = statementId;
    session.updatedAt = new Date();
    if (keepAliveSeconds !== undefined) session.keepAliveSeconds = keepAliveSeconds;
    void done.then(() => {
      if (session.status === 'CLOSED') return;
      session.status = 'AVAILABLE';
      session.currentStatementId = undefined;
      session.updatedAt = new Date();
      session.expiresAt = new Date(Date.now() + session.keepAliveSeconds * 1000);
      session.timer = setTimeout(() => this.close(session), session.keepAliveSeconds * 1000);
      session.timer.unref();
    });
  }

  list(): DataApiSession[] {
    return [...this.sessions.values()].reverse();
  }

  closeAll(): void {
    for (const session of this.sessions.values()) this.close(session);
  }

  private close(session: DataApiSession): void {
    clearTimeout(session.timer);
    if (session.status === 'CLOSED') return;
    session.status = 'CLOSED';
    session.updatedAt = new Date();
    // Destroy the connection rather than return it to the pool: its temporary tables must go.
    session.engineSession?.release(true);
    session.engineSession = undefined;
  }
}
