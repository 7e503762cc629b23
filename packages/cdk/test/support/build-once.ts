import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds @stepshift/cdk (contract copy, handler bundles, jsii) once for all test files and
 * processes: CI runs `npm ci && npm test` on a fresh clone, so the tests build what they use.
 * A content hash of every input decides whether the last build is still good; a lock
 * directory serializes the vitest workers.
 */
export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const repoDir = resolve(packageDir, '..', '..');
const stampFile = join(packageDir, '.build-stamp');
const lockDir = join(packageDir, '.build-lock');
/** jsii on 2 shared cores takes about 10-30 s; a stale lock after this is a crashed build. */
const LOCK_STALE_MS = 5 * 60_000;
const LOCK_POLL_MS = 200;

function filesUnder(dir: string, skip: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip(path)) continue;
    if (entry.isDirectory()) out.push(...filesUnder(path, skip));
    else out.push(path);
  }
  return out.sort();
}

function inputsHash(handlersDir: string): string {
  const generated = join(packageDir, 'src', 'private', 'contract');
  const files = [
    ...filesUnder(join(packageDir, 'src'), (p) => p === generated),
    ...filesUnder(join(repoDir, 'packages', 'runtime', 'src'), () => false),
    ...filesUnder(handlersDir, () => false),
    ...filesUnder(join(packageDir, 'scripts'), () => false),
    join(packageDir, 'package.json'),
    join(repoDir, 'package-lock.json'),
  ];
  const hash = createHash('sha256').update(handlersDir);
  for (const file of files) {
    hash.update(relative(repoDir, file)).update(readFileSync(file));
  }
  return hash.digest('hex');
}

function outputsExist(): boolean {
  return [
    join(packageDir, 'lib', 'index.js'),
    join(packageDir, '.jsii'),
    join(packageDir, 'src', 'private', 'contract', 'index.ts'),
    ...['tasker', 'completer', 'reconciler', 'canceller'].map((h) =>
      join(packageDir, 'assets', h, 'index.mjs'),
    ),
  ].every((f) => existsSync(f));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock<T>(fn: () => T): T {
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (_err) {
      const age = existsSync(lockDir) ? Date.now() - statSync(lockDir).mtimeMs : 0;
      if (age > LOCK_STALE_MS) rmSync(lockDir, { recursive: true, force: true });
      else sleep(LOCK_POLL_MS);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * Where the handler entries come from. The runtime's handlers by default; a test fixture
 * folder only while developing (STEPSHIFT_CDK_HANDLERS_DIR).
 */
export function handlersDir(): string {
  return resolve(
    process.env['STEPSHIFT_CDK_HANDLERS_DIR'] ??
      join(repoDir, 'packages', 'runtime', 'src', 'handlers'),
  );
}

let done = false;

export function ensureBuilt(): void {
  if (done) return;
  withLock(() => {
    const dir = handlersDir();
    const hash = inputsHash(dir);
    const stamp = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
    if (stamp === hash && outputsExist()) return;
    rmSync(stampFile, { force: true });
    execFileSync(
      process.execPath,
      [
        join(packageDir, 'scripts', 'build.mjs'),
        '--only',
        'contract,handlers,jsii',
        '--handlers-dir',
        dir,
      ],
      { cwd: packageDir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    writeFileSync(stampFile, hash);
  });
  done = true;
}

/** The construct library's sources, loaded after the build generated the contract copy. */
export async function loadCdk(): Promise<typeof import('../../src/index.js')> {
  ensureBuilt();
  return import('../../src/index.js');
}
