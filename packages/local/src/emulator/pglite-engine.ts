import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PGLITE_VERSION } from './pglite-version.js';
import {
  EngineCancelledError,
  EngineQueryError,
  type Engine,
  type EngineResult,
  type EngineSession,
} from './engine.js';
import { FifoLock } from './fifo-lock.js';
import type { EngineColumn } from './result-types.js';

const WORKER_URL = new URL('./pglite-worker.mjs', import.meta.url);

/**
 * A freshly initialised PGlite data directory, as a tarball shared by every emulator on the
 * machine: new databases load it instead of running initdb (seconds saved per database). Keyed
 * by the PGlite version, so an upgrade makes a new one.
 */
const TEMPLATE_PATH = join(tmpdir(), `stepshift-pglite-template-${PGLITE_VERSION}.tar`);

interface WorkerReply {
  readonly id?: number;
  readonly ready?: boolean;
  readonly pid?: number;
  readonly failed?: string;
  readonly columns?: EngineColumn[];
  readonly rows?: (string | null)[][];
  readonly rowCount?: number;
  readonly error?: string;
  readonly code?: string;
}

interface Pending {
  resolve(result: EngineResult): void;
  reject(error: Error): void;
}

interface RunningWorker {
  readonly worker: Worker;
  readonly pid: number;
}

/**
 * One PGlite database in its own worker thread, always on a data directory (a temporary one
 * when the emulator is not given `dataDir`). Cancel terminates the worker thread, which is the
 * only way to stop WebAssembly that is busy inside the single-user backend, and starts a new
 * one on the same directory: PostgreSQL's crash recovery rolls back the cancelled statement's
 * transaction and keeps everything committed. A restart takes a few hundred milliseconds.
 */
class PgliteDatabase {
  private readonly lock = new FifoLock();
  private current: Promise<RunningWorker>;
  private readonly pending = new Map<number, Pending>();
  /** Workers being terminated on purpose (cancel), whose exit is expected. */
  private readonly retiring = new Set<Worker>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly dataDir: string,
    private readonly setupSql: string,
  ) {
    this.current = this.start();
  }

  ready(): Promise<RunningWorker> {
    return this.current;
  }

  async acquire(): Promise<EngineSession> {
    const release = await this.lock.acquire();
    let running: RunningWorker;
    try {
      running = await this.current;
    } catch (error) {
      release();
      throw error;
    }
    let inFlight = false;
    return {
      pid: running.pid,
      query: async (sql, values) => {
        const { worker } = await this.current;
        inFlight = true;
        try {
          return await this.send(worker, sql, values);
        } finally {
          inFlight = false;
        }
      },
      cancel: async () => {
        if (inFlight) await this.restart(new EngineCancelledError());
      },
      release,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const running = await this.current.catch(() => undefined);
    await running?.worker.terminate();
  }

  private send(
    worker: Worker,
    sql: string,
    values: readonly (string | null)[],
  ): Promise<EngineResult> {
    const id = this.nextId++;
    return new Promise<EngineResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, sql, values });
    });
  }

  /** Stops the worker (the caller resumes once it is gone) and starts a new one in the background. */
  private async restart(reason: Error): Promise<void> {
    const old = await this.current.catch(() => undefined);
    this.failPending(reason);
    if (old !== undefined) this.retiring.add(old.worker);
    const stopped = old?.worker.terminate();
    this.current = (async () => {
      await stopped;
      return this.start();
    })();
    this.current.catch(() => undefined);
    await stopped;
  }

  private failPending(reason: Error): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(reason);
    }
  }

  private start(): Promise<RunningWorker> {
    return new Promise<RunningWorker>((resolve, reject) => {
      const worker = new Worker(WORKER_URL, {
        workerData: { dataDir: this.dataDir, setupSql: this.setupSql, templatePath: TEMPLATE_PATH },
      });
      let started = false;
      worker.on('message', (reply: WorkerReply) => {
        if (reply.ready === true) {
          started = true;
          resolve({ worker, pid: reply.pid ?? 0 });
          return;
        }
        if (reply.failed !== undefined) {
          reject(
            new EngineQueryError(
              `FATAL: PGlite could not start on ${this.dataDir}: ${reply.failed}`,
              undefined,
            ),
          );
          return;
        }
        if (reply.id === undefined) return;
        const p = this.pending.get(reply.id);
        if (p === undefined) return;
        this.pending.delete(reply.id);
        if (reply.error !== undefined) p.reject(new EngineQueryError(reply.error, reply.code));
        else
          p.resolve({
            columns: reply.columns ?? [],
            rows: reply.rows ?? [],
            rowCount: reply.rowCount ?? 0,
          });
      });
      worker.on('error', (error) => {
        if (!started) reject(error);
        else
          this.failPending(
            new EngineQueryError(`ERROR: the PGlite worker failed: ${error.message}`, undefined),
          );
      });
      worker.on('exit', () => {
        if (!started) {
          reject(
            new EngineQueryError('FATAL: the PGlite worker exited during start-up', undefined),
          );
          return;
        }
        if (this.closed || this.retiring.has(worker)) {
          this.retiring.delete(worker);
          return;
        }
        // The worker died on its own (out of memory, a WebAssembly trap): fail what was
        // running and start a new one on the same directory, so later statements still run.
        this.failPending(
          new EngineQueryError('ERROR: the PGlite worker stopped unexpectedly', undefined),
        );
        this.current = this.start();
        this.current.catch(() => undefined);
      });
    });
  }
}

export interface PgliteEngineOptions {
  /** Parent directory of the databases' data directories; a temporary one is used (and removed on close) when absent. */
  readonly dataDir?: string | undefined;
  /** SQL run every time a database's worker starts (idempotent function definitions). */
  readonly setupSql: string;
}

/** The embedded engine: one PGlite database per key, each in its own worker thread. */
export class PgliteEngine implements Engine {
  readonly kind = 'pglite';
  private readonly databases = new Map<string, PgliteDatabase>();
  private root: Promise<string>;
  private readonly temporary: boolean;

  constructor(private readonly options: PgliteEngineOptions) {
    this.temporary = options.dataDir === undefined;
    this.root =
      options.dataDir === undefined
        ? mkdtemp(join(tmpdir(), 'stepshift-pglite-'))
        : mkdir(options.dataDir, { recursive: true }).then(() => options.dataDir as string);
  }

  /** Starts the database's worker now (otherwise on first use). */
  async open(databaseKey: string): Promise<void> {
    await (await this.database(databaseKey)).ready();
  }

  async acquire(databaseKey: string): Promise<EngineSession> {
    return (await this.database(databaseKey)).acquire();
  }

  async close(): Promise<void> {
    await Promise.all([...this.databases.values()].map((d) => d.close()));
    this.databases.clear();
    if (this.temporary) await rm(await this.root, { recursive: true, force: true });
  }

  private async database(databaseKey: string): Promise<PgliteDatabase> {
    let db = this.databases.get(databaseKey);
    if (db === undefined) {
      const dir = join(await this.root, databaseKey.replace(/[^A-Za-z0-9_-]/g, '_'));
      db = this.databases.get(databaseKey);
      if (db === undefined) {
        db = new PgliteDatabase(dir, this.options.setupSql);
        this.databases.set(databaseKey, db);
      }
    }
    return db;
  }
}
