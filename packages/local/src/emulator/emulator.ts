import type { Server } from 'node:http';
import { CatalogQueries } from './catalog.js';
import { CompletionEventBus, type CompletionEventSource } from './completion-event-source.js';
import { DataApi } from './data-api.js';
import { SessionRegistry } from './data-api-session.js';
import type { Engine, EngineResult } from './engine.js';
import { startDataApiServer, type RequestLogEntry } from './http-server.js';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_MAX_ACTIVE_STATEMENTS,
  DEFAULT_REGION,
  DEFAULT_RESULT_PAGE_ROWS,
  DEFAULT_RESULT_RETENTION_SECONDS,
} from './limits.js';
import { PgliteEngine } from './pglite-engine.js';
import { PostgresEngine } from './postgres-engine.js';
import { prepareSql } from './prepared-sql.js';
import { REDSHIFT_FUNCTIONS_SQL } from './redshift-functions.js';
import { tokenize as tokenizeForSplit } from './sql-lexer.js';
import { toPlainValue } from './result-types.js';
import { StatementRunner } from './statement-runner.js';
import { StatementStore } from './statement-store.js';
import { TargetResolver, validateTargets, type EmulatorTarget } from './target.js';

export interface EmulatorOptions {
  /**
   * `'pglite'` for embedded PostgreSQL in worker threads, or a `postgres://` connection string
   * for a real PostgreSQL server.
   * @default 'pglite'
   */
  readonly engine?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' (loopback only) */
  readonly host?: string;
  /** PGlite only: where the databases live, so data persists between runs. @default - a temporary directory removed on close */
  readonly dataDir?: string;
  /**
   * The clusters and workgroups that exist, with their databases; others are refused as AWS
   * refuses an unknown endpoint. @default - any well-formed cluster or workgroup, database `dev`
   */
  readonly targets?: readonly EmulatorTarget[];
  /** How long statements and results are kept. @default 86400 (24 hours, as AWS) */
  readonly resultRetentionSeconds?: number;
  /** Rows per GetStatementResult page. @default 1000 */
  readonly resultPageRows?: number;
  /** @default 500 */
  readonly maxActiveStatements?: number;
  /** Account in ARNs and events. @default '000000000000' */
  readonly accountId?: string;
  /** Region in ARNs and events. @default 'us-east-1' */
  readonly region?: string;
  /** `detail.principal` of completion events. @default - `arn:aws:iam::<accountId>:user/stepshift-local` */
  readonly principal?: string;
  /** SQL run once on every database at start-up (seed tables, test data). */
  readonly initSql?: string;
  /** Called after each request (`stepshift serve` logs them). */
  readonly onRequest?: (entry: RequestLogEntry) => void;
}

/** Where the sandbox runs SQL directly, in the same queue as Data API statements. */
export interface EmulatorTargetRef {
  readonly clusterIdentifier?: string;
  readonly workgroupName?: string;
  /** @default 'dev' */
  readonly database?: string;
}

export type SqlRow = Record<string, string | number | boolean | Uint8Array | null>;

export interface EmulatorEngine {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs SQL (Redshift dialect accepted; several statements separated by semicolons run in
   * order) on a target's database and returns the last statement's rows as objects.
   * @default target - the first configured target's first database (`dev`)
   */
  sql(query: string, target?: EmulatorTargetRef): Promise<SqlRow[]>;
}

export interface RedshiftDataEmulator {
  /** e.g. `http://127.0.0.1:43121`: pass as the SDK's `endpoint`. */
  readonly endpoint: string;
  /** Completion events of statements run with `WithEvent: true`. */
  readonly events: CompletionEventSource;
  readonly engine: EmulatorEngine;
  /** Same as `engine.sql`. */
  sql(query: string, target?: EmulatorTargetRef): Promise<SqlRow[]>;
  close(): Promise<void>;
}

/** Starts the Redshift Data API emulator on loopback. */
export async function startRedshiftDataEmulator(
  options: EmulatorOptions = {},
): Promise<RedshiftDataEmulator> {
  if (options.targets !== undefined) validateTargets(options.targets);
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const retentionMs = (options.resultRetentionSeconds ?? DEFAULT_RESULT_RETENTION_SECONDS) * 1000;
  const targets = new TargetResolver({ targets: options.targets, region, accountId });
  const keys = targets.databaseKeys();
  const engine = await openEngine(options, keys);
  let server: Server | undefined;
  try {
    if (options.initSql !== undefined) {
      for (const key of keys) await runOn(engine, key, options.initSql);
    }
    const events = new CompletionEventBus();
    const store = new StatementStore(retentionMs);
    const runner = new StatementRunner({
      engine,
      events,
      accountId,
      region,
      principal: options.principal ?? `arn:aws:iam::${accountId}:user/stepshift-local`,
      retentionMs,
    });
    const sessions = new SessionRegistry(engine);
    const api = new DataApi({
      store,
      sessions,
      runner,
      targets,
      catalog: new CatalogQueries(engine),
      pageRows: options.resultPageRows ?? DEFAULT_RESULT_PAGE_ROWS,
      maxActiveStatements: options.maxActiveStatements ?? DEFAULT_MAX_ACTIVE_STATEMENTS,
    });
    const started = await startDataApiServer({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      operations: api.operations,
      onRequest: options.onRequest,
    });
    server = started.server;
    const sql = async (query: string, ref?: EmulatorTargetRef): Promise<SqlRow[]> => {
      const key = ref === undefined ? targets.defaultKey() : keyOf(targets, ref);
      const prepared = splitStatements(query).map((statement) => prepareSql(statement, []));
      const refused = prepared.find((p) => p.error !== undefined);
      if (refused?.error !== undefined) throw new Error(refused.error);
      const session = await engine.acquire(key);
      try {
        let result: EngineResult = { columns: [], rows: [], rowCount: 0 };
        for (const p of prepared) result = await session.query(p.sql, p.values);
        const { columns, rows } = result;
        return rows.map((row) =>
          Object.fromEntries(
            columns.map((c, i) => [c.name, toPlainValue(row[i] ?? null, c.typeOid)] as const),
          ),
        );
      } finally {
        session.release();
      }
    };
    const openServer = server;
    return {
      endpoint: started.endpoint,
      events,
      engine: { kind: engine.kind, sql },
      sql,
      close: async () => {
        openServer.closeAllConnections();
        await new Promise<void>((resolve) => openServer.close(() => resolve()));
        await runner.cancelAll();
        sessions.closeAll();
        await engine.close();
      },
    };
  } catch (error) {
    server?.close();
    await engine.close();
    throw error;
  }
}

async function openEngine(options: EmulatorOptions, keys: readonly string[]): Promise<Engine> {
  const choice = options.engine ?? 'pglite';
  if (choice === 'pglite') {
    const engine = new PgliteEngine({ dataDir: options.dataDir, setupSql: REDSHIFT_FUNCTIONS_SQL });
    try {
      await Promise.all(keys.map((k) => engine.open(k)));
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }
  if (/^postgres(ql)?:\/\//.test(choice)) {
    if (options.dataDir !== undefined) {
      throw new Error(
        'dataDir applies to the PGlite engine only: a PostgreSQL server keeps its own data',
      );
    }
    const databases = new Map<string, string | undefined>(
      keys.map((k) => [
        k,
        options.targets === undefined ? undefined : k.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase(),
      ]),
    );
    return PostgresEngine.start({
      connectionString: choice,
      databases,
      setupSql: REDSHIFT_FUNCTIONS_SQL,
    });
  }
  throw new Error(
    `engine must be 'pglite' or a postgres:// connection string; got ${JSON.stringify(choice)}`,
  );
}

async function runOn(engine: Engine, key: string, sql: string): Promise<void> {
  const session = await engine.acquire(key);
  try {
    for (const statement of splitStatements(sql)) {
      const prepared = prepareSql(statement, []);
      if (prepared.error !== undefined) throw new Error(`initSql: ${prepared.error}`);
      await session.query(prepared.sql, prepared.values);
    }
  } finally {
    session.release();
  }
}

/** Splits seed SQL on semicolons outside literals and comments (statements run one by one). */
function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const token of tokenizeForSplit(sql)) {
    if (token.kind === 'punct' && token.text === ';') {
      if (current.trim() !== '') out.push(current);
      current = '';
    } else {
      current += token.text;
    }
  }
  if (current.trim() !== '') out.push(current);
  return out;
}

function keyOf(targets: TargetResolver, ref: EmulatorTargetRef): string {
  const named = ref.clusterIdentifier !== undefined || ref.workgroupName !== undefined;
  const resolved = targets.resolve({
    ...(named
      ? { ClusterIdentifier: ref.clusterIdentifier, WorkgroupName: ref.workgroupName }
      : targets.defaultTargetFields()),
    Database: ref.database,
  });
  if (resolved.databaseKey === undefined) {
    throw new Error(
      `database "${resolved.database}" does not exist on ${resolved.kind} ${resolved.name}`,
    );
  }
  return resolved.databaseKey;
}
