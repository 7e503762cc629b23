import pg from 'pg';
import {
  EngineCancelledError,
  EngineQueryError,
  type Engine,
  type EngineResult,
  type EngineSession,
} from './engine.js';

/** Hands every value back in PostgreSQL's text form; the emulator maps types itself. */
const TEXT_TYPES = { getTypeParser: () => (text: string) => text };

/** SQLSTATE of "canceling statement due to user request" (pg_cancel_backend). */
const QUERY_CANCELED = '57014';

/** How often and how many times a cancel is repeated while the query still runs. */
const CANCEL_RETRY_MS = 50;
const CANCEL_ATTEMPTS = 100;

/** Connections per database pool: enough for the benchmark's 64 concurrent clients to queue briefly. */
const POOL_SIZE = 16;
/**
 * Connections kept apart for `pg_cancel_backend`: a cancel taken from a statement pool waits
 * behind the very statements it should stop when every connection of the pool runs one.
 */
const CANCEL_POOL_SIZE = 2;

interface PgError {
  readonly message?: string;
  readonly code?: string;
}

export interface PostgresEngineOptions {
  /** `postgres://user:pass@host:port/db`: the server, and the database that serves keys mapped to `undefined`. */
  readonly connectionString: string;
  /** Database key → PostgreSQL database name (created when missing); `undefined` = the connection string's own. */
  readonly databases: ReadonlyMap<string, string | undefined>;
  readonly setupSql: string;
}

/**
 * A real PostgreSQL server: one pool per emulated database, true concurrency, and cancel by
 * `pg_cancel_backend` on the statement's backend from another connection.
 */
export class PostgresEngine implements Engine {
  readonly kind = 'postgres';
  private readonly pools = new Map<string, pg.Pool>();
  private readonly urls = new Map<string, string>();
  private readonly cancelPool: pg.Pool;

  private constructor(private readonly options: PostgresEngineOptions) {
    this.cancelPool = new pg.Pool({
      connectionString: options.connectionString,
      max: CANCEL_POOL_SIZE,
    });
    this.cancelPool.on('error', () => undefined);
  }

  static async start(options: PostgresEngineOptions): Promise<PostgresEngine> {
    const engine = new PostgresEngine(options);
    const admin = new pg.Client({ connectionString: options.connectionString });
    await admin.connect();
    try {
      for (const name of new Set(options.databases.values())) {
        if (name === undefined) continue;
        const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0)
          await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      }
    } finally {
      await admin.end();
    }
    for (const [key, name] of options.databases) {
      const url = new URL(options.connectionString);
      if (name !== undefined) url.pathname = `/${encodeURIComponent(name)}`;
      const pool = new pg.Pool({
        connectionString: url.toString(),
        max: POOL_SIZE,
        options: '-c TimeZone=UTC',
      });
      pool.on('error', () => undefined);
      engine.pools.set(key, pool);
      engine.urls.set(key, url.toString());
      await pool.query(options.setupSql);
    }
    return engine;
  }

  /** A pooled connection, or with `dedicated` one of its own (Data API sessions), so sessions never starve the pool. */
  async acquire(databaseKey: string, dedicated = false): Promise<EngineSession> {
    const pool = this.pools.get(databaseKey);
    if (pool === undefined)
      throw new EngineQueryError(`FATAL: database "${databaseKey}" does not exist`, '3D000');
    let client: pg.ClientBase;
    let release: (destroy?: boolean) => void;
    if (dedicated) {
      const own = new pg.Client({
        connectionString: this.urls.get(databaseKey),
        options: '-c TimeZone=UTC',
      });
      own.on('error', () => undefined);
      await own.connect();
      client = own;
      release = () => void own.end().catch(() => undefined);
    } else {
      const pooled = await pool.connect();
      client = pooled;
      release = (destroy) => pooled.release(destroy === true);
    }
    const pid = (client as unknown as { processID: number }).processID;
    let inFlight = false;
    let cancelled = false;
    return {
      pid,
      query: async (sql, values): Promise<EngineResult> => {
        inFlight = true;
        cancelled = false;
        try {
          const result = await client.query({
            text: sql,
            values: [...values],
            rowMode: 'array',
            types: TEXT_TYPES,
          });
          const columns = result.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID }));
          const rows = (result.rows as unknown[][]).map((row) =>
            row.map((v) => (v === null ? null : String(v))),
          );
          return {
            columns,
            rows,
            rowCount: columns.length > 0 ? rows.length : (result.rowCount ?? 0),
          };
        } catch (error) {
          const e = error as PgError;
          if (cancelled && e.code === QUERY_CANCELED) throw new EngineCancelledError();
          throw new EngineQueryError(`ERROR: ${e.message ?? String(error)}`, e.code);
        } finally {
          inFlight = false;
        }
      },
      cancel: async () => {
        cancelled = true;
        // A cancel that reaches the backend before the query does is lost: repeat it until the
        // query has ended (normally the first one does it).
        for (let attempt = 0; inFlight && attempt < CANCEL_ATTEMPTS; attempt++) {
          await this.cancelPool.query('SELECT pg_cancel_backend($1)', [pid]);
          await new Promise((resolve) => setTimeout(resolve, CANCEL_RETRY_MS));
        }
      },
      release,
    };
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    if (!this.cancelPool.ended) pools.push(this.cancelPool);
    await Promise.all(pools.map((p) => p.end()));
  }
}
