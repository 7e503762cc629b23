import type { EngineColumn } from './result-types.js';

/** What a statement produced, with every value in PostgreSQL's text form. */
export interface EngineResult {
  readonly columns: readonly EngineColumn[];
  readonly rows: readonly (readonly (string | null)[])[];
  /** Rows returned, or rows affected for INSERT/UPDATE/DELETE. */
  readonly rowCount: number;
}

/** A database error: the message Redshift would put in `Error`, and the SQLSTATE. */
export class EngineQueryError extends Error {
  readonly code: string | undefined;

  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'EngineQueryError';
    this.code = code;
  }
}

/** Raised in place of a result when the statement was cancelled. */
export class EngineCancelledError extends Error {
  constructor() {
    super('ERROR: Query cancelled on user request');
    this.name = 'EngineCancelledError';
  }
}

/** One connection to one database, held for a statement or a whole batch. */
export interface EngineSession {
  /** Backend process id, reported as `RedshiftPid`. */
  readonly pid: number;
  query(sql: string, values: readonly (string | null)[]): Promise<EngineResult>;
  /** Stops the running query in the engine; the pending `query` rejects with `EngineCancelledError`. */
  cancel(): Promise<void>;
  /** Hands the connection back; `destroy` closes it instead (PostgreSQL: drops session state). */
  release(destroy?: boolean): void;
}

/** A database engine behind the emulator: PGlite in worker threads, or a PostgreSQL server. */
export interface Engine {
  readonly kind: 'pglite' | 'postgres';
  /**
   * A session on the database with this key. On PGlite sessions on one database are handed out
   * one at a time in request order (PGlite is single-connection); on PostgreSQL they come from
   * a pool and run concurrently; `dedicated` opens a connection of its own (held by a Data API
   * session), ignored by PGlite.
   */
  acquire(databaseKey: string, dedicated?: boolean): Promise<EngineSession>;
  close(): Promise<void>;
}
