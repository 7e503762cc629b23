/**
 * A readable, live progress display fed by the execution history: one line per state entered or
 * exited, task failure, retry and catch, with elapsed time. Colours only on a terminal.
 */
import type { HistoryEvent, HistoryListener } from '../asl/history.js';

export interface ProgressPrinterOptions {
  readonly write: (line: string) => void;
  /** @default false */
  readonly color?: boolean;
}

const COLORS = { green: 32, red: 31, yellow: 33, cyan: 36, dim: 2 } as const;

function details(event: HistoryEvent): Record<string, unknown> {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && typeof value === 'object' && value !== null)
      return value as Record<string, unknown>;
  }
  return {};
}

function short(text: unknown, max = 160): string {
  const s = typeof text === 'string' ? text : JSON.stringify(text);
  return s === undefined ? '' : s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Returns a history listener printing progress lines. */
export function progressPrinter(options: ProgressPrinterOptions): HistoryListener {
  const paint = (color: keyof typeof COLORS, text: string): string =>
    options.color === true ? `\u001b[${COLORS[color]}m${text}\u001b[0m` : text;
  let start: number | undefined;
  const entered = new Map<string, number>();
  // The state each event belongs to, following previousEventId (branches run interleaved).
  const stateOf = new Map<number, string>();
  const failed = new Map<string, { error: string; retries: number }>();
  return (event) => {
    const t = event.timestamp.getTime();
    start ??= t;
    const at = paint('dim', `[${((t - start) / 1000).toFixed(3).padStart(8)}s]`);
    const d = details(event);
    const name = typeof d['name'] === 'string' ? d['name'] : '';
    const owner = event.type.endsWith('StateEntered')
      ? name
      : (stateOf.get(event.previousEventId) ?? '');
    stateOf.set(event.id, owner);
    const line = (text: string): void => options.write(`${at} ${text}`);
    const failure = failed.get(owner);
    if (event.type === 'ExecutionStarted') {
      line(paint('cyan', `execution started with input ${short(d['input'])}`));
    } else if (event.type.endsWith('StateEntered')) {
      entered.set(name, t);
      failed.delete(name);
      line(`→ ${name} ${paint('dim', `(${event.type.replace('StateEntered', '')})`)}`);
    } else if (event.type.endsWith('StateExited')) {
      const since = entered.get(name);
      const took = since === undefined ? '' : ` in ${((t - since) / 1000).toFixed(3)}s`;
      if (failure !== undefined) line(`${paint('yellow', '⤷')} ${name} caught ${failure.error}`);
      line(`${paint('green', '✓')} ${name}${took} ${paint('dim', short(d['output'], 100))}`);
    } else if (/(Task|LambdaFunction)(Failed|TimedOut)$/.test(event.type)) {
      const error = typeof d['error'] === 'string' ? d['error'] : '';
      failed.set(owner, { error, retries: failure?.retries ?? 0 });
      line(
        `${paint('yellow', '!')} ${owner} ${event.type}: ${error} ${paint('dim', short(d['cause'], 120))}`,
      );
    } else if (
      (event.type === 'TaskScheduled' || event.type === 'LambdaFunctionScheduled') &&
      failure !== undefined
    ) {
      failure.retries++;
      line(`${paint('yellow', '↻')} ${owner} retry ${failure.retries} after ${failure.error}`);
    } else if (event.type === 'TaskSubmitted') {
      line(paint('dim', `  ${owner}: task submitted, waiting for its callback`));
    } else if (event.type === 'ExecutionSucceeded') {
      line(paint('green', `execution SUCCEEDED: ${short(d['output'])}`));
    } else if (event.type === 'ExecutionFailed') {
      const reason = [d['error'], short(d['cause'])].filter(
        (part) => part !== '' && part !== undefined,
      );
      line(paint('red', ['execution FAILED', ...reason].join(': ')));
    } else if (event.type === 'ExecutionTimedOut') line(paint('red', 'execution TIMED_OUT'));
    else if (event.type === 'ExecutionAborted') line(paint('red', 'execution ABORTED'));
  };
}
