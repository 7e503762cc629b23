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

  constructor(private readonly retentionMs: number) {}

  add(statement: Statement, clientToken: string | undefined): void {
    this.statements.set(statement.id, statement);
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

  activeCount(): number {
    let n = 0;
    for (const s of this.statements.values())
      if (s.status === 'SUBMITTED' || s.status === 'STARTED') n++;
    return n;
  }

  expire(now = Date.now()): void {
    for (const [id, s] of this.statements) {
      if (now - s.createdAt.getTime() < this.retentionMs) break;
      if (s.status === 'SUBMITTED' || s.status === 'STARTED') continue;
      this.statements.delete(id);
    }
    for (const [token, entry] of this.clientTokens) {
      if (now - entry.at > CLIENT_TOKEN_RETENTION_MS || !this.statements.has(entry.id))
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
