// @ts-check
/**
 * The PGlite worker: one embedded PostgreSQL per worker thread, so a long statement blocks this
 * thread only, never the emulator's event loop. Messages in: `{id, sql, values}`; out:
 * `{id, columns, rows, rowCount}` or `{id, error, code}`. Every value comes back in
 * PostgreSQL's text form (identity parsers); the main thread maps types. Plain JavaScript
 * so it loads in any worker without a TypeScript loader.
 */
import { Blob, Buffer } from 'node:buffer';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const port = parentPort;
if (port === null) throw new Error('pglite-worker.mjs must run in a worker thread');

/**
 * Opens the database. A new data directory is initialised from the template tarball when one
 * exists (loading it is several times faster than PGlite's initdb); otherwise it is created
 * from scratch and the template is written for next time (atomically: temp file and rename).
 */
async function open() {
  const { dataDir, templatePath } = workerData;
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  if (fresh && templatePath && existsSync(templatePath)) {
    try {
      return await PGlite.create(dataDir, { loadDataDir: new Blob([readFileSync(templatePath)]) });
    } catch {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const db = await PGlite.create(dataDir);
  if (fresh && templatePath && !existsSync(templatePath)) {
    try {
      const dump = await db.dumpDataDir('none');
      const temp = `${templatePath}.${process.pid}.${threadId}.tmp`;
      writeFileSync(temp, Buffer.from(await dump.arrayBuffer()));
      renameSync(temp, templatePath);
    } catch {
      // The template only speeds up later starts: without it every new database runs initdb.
    }
  }
  return db;
}

try {
  const db = await open();
  await db.exec(`SET TIME ZONE 'UTC'`);
  if (workerData.setupSql) await db.exec(workerData.setupSql);
  // Every value stays in PostgreSQL's text form: replace each of the instance's parsers (built-in
  // and array types) by the identity. Types without a parser come back as text anyway. (A
  // per-query `parsers` option does the same but costs a copy of the map on every query.)
  for (const oid of Object.keys(db.parsers)) db.parsers[oid] = (/** @type {string} */ text) => text;
  const pidResult = await db.query('SELECT pg_backend_pid() AS pid');
  const pid = Number(/** @type {{pid: unknown}} */ (pidResult.rows[0]).pid);
  port.on('message', async (/** @type {{id: number, sql: string, values: string[]}} */ message) => {
    try {
      const result = await db.query(message.sql, message.values, { rowMode: 'array' });
      const columns = result.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID }));
      const rows = /** @type {unknown[][]} */ (result.rows).map((row) =>
        row.map((v) => (v === null ? null : String(v))),
      );
      const rowCount = columns.length > 0 ? rows.length : (result.affectedRows ?? 0);
      port.postMessage({ id: message.id, columns, rows, rowCount });
    } catch (error) {
      const e = /** @type {{message?: string, code?: string}} */ (error);
      port.postMessage({
        id: message.id,
        error: `ERROR: ${e.message ?? String(error)}`,
        code: e.code,
      });
    }
  });
  port.postMessage({ ready: true, pid });
} catch (error) {
  port.postMessage({ failed: String(error instanceof Error ? error.message : error) });
}
