import { ResourceNotFoundException } from './errors.js';
import type { Statement } from './statement.js';

/** How long a `ClientToken` is remembered. Data API reference, ExecuteStatement `ClientToken`. */
export const CLIENT_TOKEN_RETENTION_MS = 8 * 60 * 60 * 1000;

/**
 * The statements the emulator knows, newest last. A statement and its results are forgotten
 * once older than the retention (AWS keeps them 24 hours); after that its id is unknown.
 */
export class StatementStore {
  private readonly statements = new Map<string, Statement>();
  private readonly clientTokens = new Map<string, { id: string; at: number }>();
  private active = 0;

  constructor(private readonly retentionMs: number) {}

  add(statement: Statement, clientToken: string | undefined): void {
    this.statements.set(statement.id, statement);
    this.active++;
    void statement.done.then(() => {
      this.active--;
    });
    if (clientToken !== undefined)
      this.clientTokens.set(clientToken, { id: statement.id, at: Date.now() });
  }

  /** The statement an earlier request with this `ClientToken` started, if still remembered. */
  byClientToken(clientToken: string): Statement | undefined {
    const entry = this.clientTokens.get(clientToken);
    if (entry === undefined || Date.now() - entry.at > CLIENT_TOKEN_RETENTION_MS) return undefined;
    return this.find(entry.id);
  }

  /** A statement or sub-statement (`<id>:<n>`) by id; throws ResourceNotFoundException. */
  get(id: string): Statement {
    const statement = this.find(id);
    if (statement === undefined) throw new ResourceNotFoundException('Query does not exist.', id);
    return statement;
  }

  /** Top-level statements, newest first. */
  list(): Statement[] {
    this.expire();
    return [...this.statements.values()].reverse();
  }

  /** Statements SUBMITTED or STARTED. */
  activeCount(): number {
    return this.active;
  }

  /** Forgets statements older than the retention (oldest first) and client tokens older than 8 hours. */
  expire(now = Date.now()): void {
    for (const [id, s] of this.statements) {
      if (now - s.createdAt.getTime() < this.retentionMs) break;
      if (s.status === 'SUBMITTED' || s.status === 'STARTED') continue;
      this.statements.delete(id);
    }
    for (const [token, entry] of this.clientTokens) {
      if (now - entry.at <= CLIENT_TOKEN_RETENTION_MS && this.statements.has(entry.id)) break;
      this.clientTokens.delete(token);
    }
  }

  private find(id: string): Statement | undefined {
    this.expire();
    const [parentId, index] = id.split(':');
    const parent = this.statements.get(parentId ?? '');
    if (index === undefined) return parent;
    if (parent === undefined || !parent.isBatch || !/^[1-9][0-9]*$/.test(index)) return undefined;
    return parent.subStatements[Number(index) - 1];
  }
}
