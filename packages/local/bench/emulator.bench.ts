/**
 * Benchmark of the Redshift Data API emulator (not a timed test): `npm run bench -w @stepshift/local`.
 *
 * For each engine (PGlite, and PostgreSQL when the binaries are installed) it measures, side by
 * side in one run:
 * - the round trip of a trivial statement through the real SDK: ExecuteStatement, then
 *   DescribeStatement with WaitTimeSeconds until FINISHED (what user code does), median of N;
 * - the same SQL run directly on the engine (the floor): PGlite `query` in-process, or a `pg` client;
 * - statements per second with 1, 8 and 64 concurrent clients, emulator and floor.
 * The emulator is driven twice: through the SDK (what users run; the SDK's own CPU cost, signing
 * included, shares the 2 cores with the emulator) and through a bare keep-alive HTTP client
 * sending the same awsJson requests (the emulator's own capacity).
 * Medians and the ratio emulator / floor are printed as a table.
 */
import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { PGlite } from '@electric-sql/pglite';
import { Agent, request } from 'node:http';
import pg from 'pg';
import { startRedshiftDataEmulator, type RedshiftDataEmulator } from '../src/emulator/index.js';
import { havePostgres, startPostgres } from '../test/emulator/support/postgres-server.js';

const SQL = 'SELECT 1';
const LATENCY_SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 300);
const THROUGHPUT_MS = Number(process.env['BENCH_SECONDS'] ?? 2) * 1000;
const CONCURRENCY = [1, 8, 64];

type Run = () => Promise<void>;

interface Row {
  engine: string;
  measure: string;
  emulator: number;
  raw: number;
  floor: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function latencyMs(run: Run): Promise<number> {
  for (let i = 0; i < 20; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function throughput(makeRun: (worker: number) => Run, concurrency: number): Promise<number> {
  const runs = Array.from({ length: concurrency }, (_, i) => makeRun(i));
  let done = 0;
  const deadline = performance.now() + THROUGHPUT_MS;
  const start = performance.now();
  await Promise.all(
    runs.map(async (run) => {
      while (performance.now() < deadline) {
        await run();
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

function sdkRun(client: RedshiftDataClient): Run {
  return async () => {
    const out = await client.send(
      new ExecuteStatementCommand({ ClusterIdentifier: 'bench', Database: 'dev', Sql: SQL }),
    );
    const d = await client.send(new DescribeStatementCommand({ Id: out.Id, WaitTimeSeconds: 10 }));
    if (d.Status !== 'FINISHED') throw new Error(`statement ended ${d.Status}: ${d.Error}`);
  };
}

/** ExecuteStatement then DescribeStatement (WaitTimeSeconds) as bare awsJson1_1 requests. */
function rawRun(endpoint: string, agent: Agent): Run {
  const url = new URL(endpoint);
  const call = (operation: string, body: object): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/',
          agent,
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `RedshiftData.${operation}`,
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve(JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return async () => {
    const out = await call('ExecuteStatement', {
      ClusterIdentifier: 'bench',
      Database: 'dev',
      Sql: SQL,
    });
    const d = await call('DescribeStatement', { Id: out['Id'], WaitTimeSeconds: 10 });
    if (d['Status'] !== 'FINISHED') throw new Error(`statement ended ${String(d['Status'])}`);
  };
}

function clientFor(emulator: RedshiftDataEmulator): RedshiftDataClient {
  return new RedshiftDataClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
}

async function benchEngine(
  engine: string,
  emulator: RedshiftDataEmulator,
  floor: (worker: number) => Run,
): Promise<Row[]> {
  const rows: Row[] = [];
  const clients = Array.from({ length: Math.max(...CONCURRENCY) }, () => clientFor(emulator));
  const first = clients[0] as RedshiftDataClient;
  const agent = new Agent({ keepAlive: true, maxSockets: Math.max(...CONCURRENCY) });
  rows.push({
    engine,
    measure: 'round trip, median ms',
    emulator: await latencyMs(sdkRun(first)),
    raw: await latencyMs(rawRun(emulator.endpoint, agent)),
    floor: await latencyMs(floor(0)),
  });
  for (const c of CONCURRENCY) {
    rows.push({
      engine,
      measure: `statements/s, ${c} client${c === 1 ? '' : 's'}`,
      emulator: await throughput((i) => sdkRun(clients[i] as RedshiftDataClient), c),
      raw: await throughput(() => rawRun(emulator.endpoint, agent), c),
      floor: await throughput(floor, c),
    });
  }
  agent.destroy();
  for (const client of clients) client.destroy();
  return rows;
}

const rows: Row[] = [];

{
  const emulator = await startRedshiftDataEmulator();
  const direct = await PGlite.create();
  rows.push(
    ...(await benchEngine('PGlite', emulator, () => async () => {
      await direct.query(SQL);
    })),
  );
  await direct.close();
  await emulator.close();
}

if (havePostgres) {
  const server = await startPostgres();
  try {
    const emulator = await startRedshiftDataEmulator({ engine: server.connectionString });
    const pool = new pg.Pool({ connectionString: server.connectionString, max: 16 });
    rows.push(
      ...(await benchEngine('PostgreSQL', emulator, () => async () => {
        await pool.query(SQL);
      })),
    );
    await pool.end();
    await emulator.close();
  } finally {
    await server.stop();
  }
} else {
  console.log('PostgreSQL binaries not found in /usr/local/bin: PostgreSQL rows skipped');
}

const fmt = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
console.log(
  `\nRedshift Data API emulator benchmark (${LATENCY_SAMPLES} samples, ${THROUGHPUT_MS / 1000}s per throughput run)\n`,
);
console.log(
  '| engine | measure | emulator via SDK | emulator via bare HTTP | floor (direct) | ratio SDK/floor | ratio HTTP/floor | added (SDK / HTTP) |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const added = r.measure.startsWith('round trip')
    ? `+${fmt(r.emulator - r.floor)} / +${fmt(r.raw - r.floor)} ms`
    : '';
  console.log(
    `| ${r.engine} | ${r.measure} | ${fmt(r.emulator)} | ${fmt(r.raw)} | ${fmt(r.floor)} | ${(r.emulator / r.floor).toFixed(2)} | ${(r.raw / r.floor).toFixed(2)} | ${added} |`,
  );
}
