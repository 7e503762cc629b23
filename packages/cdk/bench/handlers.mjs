#!/usr/bin/env node
// Benchmark of the bundled handlers and of the example app's synth (not a test).
//
//   npm run build -w @stepshift/cdk && node packages/cdk/bench/handlers.mjs [--runs 7] [--synth-runs 3]
//
// For each handler: the minified bundle's size and its cold import time in a fresh Node
// process (median of --runs). Then `cdk synth` of examples/etl-app (median of --synth-runs).
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(packageDir, '..', '..');
const HANDLERS = ['tasker', 'completer', 'reconciler', 'canceller'];
/** The goals. */
/** 250 KB read strictly: 250,000 bytes, not 250 KiB. */
const MAX_BYTES = 250_000;
const MAX_IMPORT_MS = 50;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    'synth-runs': { type: 'string', default: '3' },
  },
});
const runs = Number(values.runs);
const synthRuns = Number(values['synth-runs']);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// Lambda-like environment: the handlers may read their configuration when loaded.
const env = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  STEPSHIFT_TABLE_NAME: 'bench',
  STEPSHIFT_STATEMENT_PREFIX: 'stepshift.bench.',
  STEPSHIFT_WORKGROUP_NAME: 'bench',
  STEPSHIFT_DATABASE: 'dev',
};

/**
 * Time from just before `import()` to its resolution inside a fresh process: wall clock, and
 * the process's CPU time (user + system), which a busy shared machine inflates less.
 */
const probe = (file) => `
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const m = await import(${JSON.stringify(pathToFileURL(file).href)});
const t1 = process.hrtime.bigint();
const c = process.cpuUsage(c0);
if (typeof m.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify([Number(t1 - t0) / 1e6, (c.user + c.system) / 1e3]));
`;

console.log(
  `node ${process.version}, ${runs} cold imports per handler, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(
  'handler     size (bytes)  size (KiB)  import wall median (ms)  import CPU median (ms)  goal',
);
for (const name of HANDLERS) {
  const file = join(packageDir, 'assets', name, 'index.mjs');
  const bytes = statSync(file).size;
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe(file)], {
      env,
      encoding: 'utf8',
    });
    const [w, c] = JSON.parse(out);
    wall.push(w);
    cpu.push(c);
  }
  const ms = median(wall);
  const ok = bytes <= MAX_BYTES && ms <= MAX_IMPORT_MS ? 'ok' : 'OVER';
  console.log(
    `${name.padEnd(11)} ${String(bytes).padStart(12)}  ${(bytes / 1024).toFixed(1).padStart(10)}  ${ms.toFixed(1).padStart(23)}  ${median(
      cpu,
    )
      .toFixed(1)
      .padStart(22)}  ${ok}`,
  );
}

const appDir = join(repoDir, 'examples', 'etl-app');
const synthTimes = [];
for (let i = 0; i < synthRuns; i++) {
  const t0 = performance.now();
  const r = spawnSync('npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', 'cdk.out'], {
    cwd: appDir,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`cdk synth failed: ${r.stderr}`);
  synthTimes.push(performance.now() - t0);
}
console.log(
  `cdk synth examples/etl-app: median ${(median(synthTimes) / 1000).toFixed(1)} s of ${synthRuns} (${synthTimes
    .map((t) => (t / 1000).toFixed(1))
    .join(', ')})`,
);
