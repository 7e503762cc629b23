/**
 * `createSandbox`: the bare sandbox plus, unless `stepshift: false`, the Stepshift stack over the
 * Redshift Data API emulator, so SQL tasks run through the real tasker and completer.
 */
import { readFile } from 'node:fs/promises';
import { startRedshiftDataEmulator } from '../emulator/index.js';
import { createBareSandbox, type BareSandboxOptions, type Sandbox } from './sandbox.js';
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
  /** SQL run once the database is up (a seed). @default - none */
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
): Promise<DataApiEmulatorHandle> {
  return startRedshiftDataEmulator({
    engine: options.engine ?? 'pglite',
    port: 0,
    region: sandbox.region,
    accountId: sandbox.accountId,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
}

export async function createSandbox(options: SandboxOptions = {}): Promise<StepshiftSandbox> {
  const sandbox = await createBareSandbox(options);
  const settings = options.stepshift ?? {};
  if (settings === false) return { ...sandbox, stepshift: undefined };
  try {
    const emulator = settings.emulator ?? (await startEmulator(settings, sandbox));
    if (settings.emulator === undefined) sandbox.onClose(() => emulator.close());
    const stack = await startStepshiftStack(sandbox, { ...settings, emulator });
    sandbox.onClose(() => stack.close());
    const seed = [
      settings.sqlInit,
      settings.sqlInitFile === undefined ? undefined : await readFile(settings.sqlInitFile, 'utf8'),
    ];
    for (const sql of seed) if (sql !== undefined && sql.trim() !== '') await emulator.sql(sql);
    return { ...sandbox, stepshift: stack };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
