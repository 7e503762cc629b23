/**
 * `stepshift run <definition.asl.json>`: executes a state machine in the local sandbox, with a
 * live progress display, the final result and the event history; `--json` prints only the
 * result as one JSON object. Exit code 0 for SUCCEEDED, 1 otherwise, 2 for bad usage.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadStateMachineFromAssembly, type TaskerInfo } from '../assembly/index.js';
import type { StateMachineDefinition } from '../sandbox/asl/definition.js';
import type { ExecutionResult } from '../sandbox/asl/interpreter.js';
import { loadHandler, parseHandlerSpec } from '../sandbox/lambda/handler-module.js';
import { progressPrinter } from '../sandbox/progress/progress-printer.js';
import {
  createSandbox,
  type SandboxOptions,
  type StepshiftSandboxOptions,
} from '../sandbox/create-sandbox.js';
import { statementPrinter } from '../sandbox/progress/statement-printer.js';
import { DEFAULT_TASKER_NAME } from '../sandbox/stack/stepshift-stack.js';
import { readDefinitionFile } from '../sandbox/sandbox.js';
import { writeExecutionReport } from '../sandbox/write-report.js';

export const RUN_USAGE = `usage: stepshift run <definition.asl.json> [options]
       stepshift run <cdk.out> --state-machine ID [options]

options:
  --state-machine ID     with a cloud assembly: the state machine's construct id, path, logical id or name
  --input JSON|@file     execution input (default {})
  --json                 print only the final result as one JSON object
  --time-scale N         shrink Wait, heartbeat, timeout and retry intervals N times (default 1)
  --handler F=./m.js#fn  run Lambda function F with the export fn of module m.js (repeatable)
  --tasker NAME|ARN      a function to run as the Stepshift tasker (repeatable; default stepshift-tasker)
  --engine E             pglite (default) or a postgres://... URL
  --data-dir DIR         keep the PGlite database in DIR
  --sql-init FILE        run this SQL file before the execution
  --report FILE          write an HTML report of the execution
  --no-history           do not print the event history`;

/** Bad command-line input: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface RunArgs {
  readonly definitionPath: string;
  readonly stateMachine: string | undefined;
  readonly input: string;
  readonly json: boolean;
  readonly timeScale: number;
  readonly handlers: readonly string[];
  readonly taskers: readonly string[];
  readonly engine: string | undefined;
  readonly dataDir: string | undefined;
  readonly sqlInit: string | undefined;
  readonly report: string | undefined;
  readonly history: boolean;
}

export function parseRunArgs(args: string[]): RunArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        input: { type: 'string' },
        json: { type: 'boolean' },
        'time-scale': { type: 'string' },
        handler: { type: 'string', multiple: true },
        tasker: { type: 'string', multiple: true },
        engine: { type: 'string' },
        'data-dir': { type: 'string' },
        'sql-init': { type: 'string' },
        report: { type: 'string' },
        'no-history': { type: 'boolean' },
        'state-machine': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) throw new UsageError('');
  if (positionals.length !== 1) {
    throw new UsageError(
      `expected one state machine definition file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
    );
  }
  const timeScale = values['time-scale'] === undefined ? 1 : Number(values['time-scale']);
  if (!Number.isFinite(timeScale) || timeScale <= 0) {
    throw new UsageError(
      `--time-scale must be a positive number, got '${values['time-scale'] ?? ''}'`,
    );
  }
  return {
    definitionPath: positionals[0] as string,
    stateMachine: values['state-machine'],
    input: values.input ?? '{}',
    json: values.json === true,
    timeScale,
    handlers: values.handler ?? [],
    taskers: values.tasker ?? [],
    engine: values.engine,
    dataDir: values['data-dir'],
    sqlInit: values['sql-init'],
    report: values.report,
    history: values['no-history'] !== true,
  };
}

/** `--input '{"a":1}'` or `--input @input.json`. */
export async function readInput(text: string): Promise<unknown> {
  const source = text.startsWith('@')
    ? await readFile(text.slice(1), 'utf8').catch((error: Error) => {
        throw new UsageError(`cannot read the input file '${text.slice(1)}': ${error.message}`);
      })
    : text;
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw new UsageError(
      `--input is not valid JSON (${(error as Error).message}); give JSON text or @file.json`,
    );
  }
}

/** The result as `DescribeExecution` shows it: fields absent when they do not apply. */
export function resultJson(result: ExecutionResult): Record<string, unknown> {
  return {
    status: result.status,
    ...(result.output === undefined ? {} : { output: result.output }),
    ...(result.error === undefined ? {} : { error: result.error }),
    ...(result.cause === undefined ? {} : { cause: result.cause }),
  };
}

function historyLines(result: ExecutionResult): string[] {
  return result.history.map((event) => {
    const details = Object.entries(event).find(([key]) => key.endsWith('EventDetails'))?.[1] as
      Record<string, unknown> | undefined;
    const summary =
      details === undefined
        ? ''
        : ['name', 'error', 'resource']
            .map((k) => details[k])
            .filter((v) => typeof v === 'string')
            .join(' ');
    return `  ${String(event.id).padStart(4)} ${String(event.previousEventId).padStart(4)}  ${event.timestamp.toISOString()}  ${event.type}${summary === '' ? '' : `  ${summary}`}`;
  });
}

export async function run(args: string[]): Promise<number> {
  // The SDK's Node-version notice is noise for a local tool run.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  let parsed: RunArgs;
  try {
    parsed = parseRunArgs(args);
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message !== '') console.error(`stepshift run: ${error.message}`);
      console.error(RUN_USAGE);
      return error.message === '' ? 0 : 2;
    }
    throw error;
  }
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    const target = await loadTarget(parsed);
    const { definition } = target;
    const input = await readInput(parsed.input);
    const taskers = [...parsed.taskers, ...target.taskers.map((t) => t.functionName)];
    const stepshift = needsStepshift(definition, parsed, taskers)
      ? stepshiftOptions(parsed, target, taskers, parsed.json ? undefined : out)
      : false;
    const options: SandboxOptions = {
      timeScale: parsed.timeScale,
      listeners: parsed.json ? [] : [progressPrinter({ write: out, color: useColor() })],
      stepshift,
    };
    const sandbox = await createSandbox(options);
    try {
      for (const spec of parsed.handlers.map(parseHandlerSpec)) {
        // A function of a cloud assembly keeps its reserved concurrency.
        const concurrency = target.reservedConcurrency.get(
          spec.functionName.split(':').pop() ?? '',
        );
        const handler = await loadHandler(spec);
        sandbox.registerHandler(
          spec.functionName,
          concurrency === undefined ? handler : { handler, concurrency },
        );
      }
      const execution = sandbox.start(definition, input, {
        stateMachineName: target.stateMachineName,
      });
      // Ctrl-C stops the execution as StopExecution would: ABORTED, then a clean shutdown.
      const onInterrupt = (): void =>
        execution.abort('Sandbox.Interrupted', 'stopped from the terminal');
      process.once('SIGINT', onInterrupt);
      const result = await execution.result.finally(() =>
        process.removeListener('SIGINT', onInterrupt),
      );
      if (parsed.json) out(JSON.stringify(resultJson(result)));
      else {
        out('');
        out(`status: ${result.status}`);
        if (result.output !== undefined) out(`output: ${JSON.stringify(result.output)}`);
        if (result.error !== undefined) out(`error:  ${result.error}`);
        if (result.cause !== undefined) out(`cause:  ${result.cause}`);
        if (parsed.history) {
          out('');
          out('history:   id prev  timestamp                 type');
          for (const line of historyLines(result)) out(line);
        }
      }
      if (parsed.report !== undefined) {
        await sandbox.stepshift?.statementLog.drain();
        const statements = sandbox.stepshift?.statementLog.forExecution(result.executionArn) ?? [];
        await writeExecutionReport(
          parsed.report,
          target.stateMachineName,
          definition,
          result,
          statements,
        );
      }
      return result.status === 'SUCCEEDED' ? 0 : 1;
    } finally {
      await sandbox.close();
    }
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.error(`stepshift run: ${message}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

/** Colours on a terminal, unless NO_COLOR is set (https://no-color.org). */
function useColor(): boolean {
  return process.stdout.isTTY === true && (process.env['NO_COLOR'] ?? '') === '';
}

/** The Stepshift stack starts only when the definition can use it (it costs a database start). */
function needsStepshift(
  definition: StateMachineDefinition,
  parsed: RunArgs,
  taskers: readonly string[],
): boolean {
  const text = JSON.stringify(definition);
  const names = [...taskers, DEFAULT_TASKER_NAME].map((t) => t.split(':').pop() ?? t);
  return (
    parsed.engine !== undefined ||
    parsed.sqlInit !== undefined ||
    parsed.dataDir !== undefined ||
    text.includes('aws-sdk:redshiftdata') ||
    names.some((name) => text.includes(name))
  );
}

function stepshiftOptions(
  parsed: RunArgs,
  target: RunTarget,
  taskers: readonly string[],
  out: ((line: string) => void) | undefined,
): StepshiftSandboxOptions {
  const tasker = target.taskers[0];
  return {
    ...(taskers.length === 0 ? {} : { taskers }),
    ...(parsed.engine === undefined ? {} : { engine: parsed.engine }),
    ...(parsed.dataDir === undefined ? {} : { dataDir: parsed.dataDir }),
    ...(parsed.sqlInit === undefined ? {} : { sqlInitFile: parsed.sqlInit }),
    ...(tasker === undefined
      ? {}
      : {
          statementPrefix: tasker.statementPrefix,
          ...(tasker.database === undefined ? {} : { database: tasker.database }),
          fastPathSeconds: tasker.fastPathSeconds,
          reconcileGraceSeconds: tasker.reconcileGraceSeconds,
          taskerConcurrency: tasker.reservedConcurrency,
          completerConcurrency: tasker.completerReservedConcurrency,
          completerBatchSize: tasker.completerBatchSize,
          maxReceiveCount: tasker.maxReceiveCount,
          reconcileIntervalSeconds: tasker.reconcileIntervalSeconds,
        }),
    ...(out === undefined ? {} : { statementListeners: [statementPrinter(out)] }),
  };
}

/** What to run: an ASL file, or a state machine of a cloud assembly with its Stepshift taskers. */
export interface RunTarget {
  readonly definition: StateMachineDefinition;
  readonly stateMachineName: string;
  /** Tasker function names and their settings, from the cloud assembly. */
  readonly taskers: readonly TaskerInfo[];
  /** Reserved concurrency of the assembly's functions, by function name. */
  readonly reservedConcurrency: ReadonlyMap<string, number>;
}

export async function loadTarget(parsed: RunArgs): Promise<RunTarget> {
  const isDirectory = await stat(parsed.definitionPath).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDirectory) {
    if (parsed.stateMachine !== undefined) {
      throw new UsageError(
        `--state-machine needs a cloud assembly directory (cdk.out), got the file '${parsed.definitionPath}'`,
      );
    }
    return {
      definition: await readDefinitionFile(parsed.definitionPath),
      stateMachineName: stateMachineNameOf(parsed.definitionPath),
      taskers: [],
      reservedConcurrency: new Map(),
    };
  }
  if (parsed.stateMachine === undefined) {
    throw new UsageError(
      `'${parsed.definitionPath}' is a directory: give --state-machine ID to pick a state machine of the cloud assembly`,
    );
  }
  const loaded = await loadStateMachineFromAssembly(parsed.definitionPath, parsed.stateMachine);
  return {
    definition: loaded.definition as StateMachineDefinition,
    stateMachineName: loaded.stateMachineName,
    taskers: loaded.taskers,
    reservedConcurrency: new Map(
      loaded.functions.flatMap((f) =>
        f.reservedConcurrency === undefined
          ? []
          : [[f.functionName, f.reservedConcurrency] as const],
      ),
    ),
  };
}

function stateMachineNameOf(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? 'StateMachine';
  return base.replace(/\.asl\.json$|\.json$/, '').replace(/[^A-Za-z0-9_-]/g, '-') || 'StateMachine';
}
