/**
 * `createSandbox`: the bare sandbox plus, unless `stepshift: false`, the Stepshift stack over the
 * Redshift Data API emulator, so SQL tasks run through the real tasker and completer.
 */
import { readFile } from 'node:fs/promises';
import { startRedshiftDataEmulator } from '../emulator/index.js';
import {
  createBareSandbox,
  SandboxNotReadyError,
  type BareSandboxOptions,
  type Sandbox,
} from './sandbox.js';
import type { DataApiEmulatorHandle } from './stack/data-api-emulator.js';
import {
  startStepshiftStack,
  type StepshiftStack,
  type StepshiftStackOptions,
} from './stack/stepshift-stack.js';

export interface StepshiftSandboxOptions extends Omit<StepshiftStackOptions, 'emulator'> {
  /** A running emulator to use (the sandbox does not close it). @default - one is started */
  readonly emulator?: DataApiEmulatorHandle;
  /** `pglite` or a `postgres://` URL. @default 'pglite' */
  readonly engine?: string;
  /** Keep the PGlite database in this directory. @default - in memory */
  readonly dataDir?: string;
  /** SQL run once on the database at start-up (several statements allowed when the sandbox starts the emulator). @default - none */
  readonly sqlInit?: string;
  /** A file of SQL run once the database is up. @default - none */
  readonly sqlInitFile?: string;
}

export interface SandboxOptions extends BareSandboxOptions {
  /**
   * The Stepshift stack (tasker, completer, reconciler, canceller over the Data API emulator).
   * `false` runs without a database: plain Lambda handlers only (and starts faster).
   * @default - started on embedded PGlite
   */
  readonly stepshift?: false | StepshiftSandboxOptions;
}

export interface StepshiftSandbox extends Sandbox {
  /** The Stepshift stack, when started. */
  readonly stepshift: StepshiftStack | undefined;
}

async function startEmulator(
  options: StepshiftSandboxOptions,
  sandbox: Sandbox,
  initSql: string | undefined,
): Promise<DataApiEmulatorHandle> {
  return startRedshiftDataEmulator({
    engine: options.engine ?? 'pglite',
    port: 0,
    region: sandbox.region,
    accountId: sandbox.accountId,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(initSql === undefined ? {} : { initSql }),
  });
}

/** `sqlInit` then the content of `sqlInitFile`, or undefined when neither is given. */
async function seedSql(options: StepshiftSandboxOptions): Promise<string | undefined> {
  const parts = [options.sqlInit];
  if (options.sqlInitFile !== undefined) {
    try {
      parts.push(await readFile(options.sqlInitFile, 'utf8'));
    } catch (error) {
      throw new SandboxNotReadyError(
        `Cannot read the SQL seed file '${options.sqlInitFile}': ${(error as Error).message}`,
      );
    }
  }
  const sql = parts.filter((p) => p !== undefined && p.trim() !== '').join(';\n');
  return sql === '' ? undefined : sql;
}

export async function createSandbox(options: SandboxOptions = {}): Promise<StepshiftSandbox> {
  const sandbox = await createBareSandbox(options);
  const settings = options.stepshift ?? {};
  if (settings === false) return { ...sandbox, stepshift: undefined };
  try {
    const seed = await seedSql(settings);
    const emulator = settings.emulator ?? (await startEmulator(settings, sandbox, seed));
    if (settings.emulator === undefined) sandbox.onClose(() => emulator.close());
    const stack = await startStepshiftStack(sandbox, { ...settings, emulator });
    sandbox.onClose(() => stack.close());
    // A given emulator is already running: the seed goes through its sql() (one statement).
    if (settings.emulator !== undefined && seed !== undefined) await emulator.sql(seed);
    return { ...sandbox, stepshift: stack };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
