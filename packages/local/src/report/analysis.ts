import { toMillis } from './time.js';
import type { HistoryEvent, ReportInput, ReportStatement } from './types.js';

/**
 * What happened to a state: `succeeded`, `failed` (its failure ended the execution or its
 * branch), `caught` (it failed and a Catch moved on), `aborted` (cut short by the end of the
 * execution or by a failing sibling branch), `running` (history still open), `notRun`.
 */
export type StateOutcome = 'succeeded' | 'failed' | 'caught' | 'aborted' | 'running' | 'notRun';

export const STATE_OUTCOMES: readonly StateOutcome[] = [
  'succeeded',
  'caught',
  'failed',
  'aborted',
  'running',
  'notRun',
];

/** Worst first: the colour of a state visited several times is its worst visit's. */
const OUTCOME_SEVERITY: Readonly<Record<StateOutcome, number>> = {
  failed: 5,
  aborted: 4,
  running: 3,
  caught: 2,
  succeeded: 1,
  notRun: 0,
};

export interface Failure {
  readonly eventType: string;
  readonly error?: string | undefined;
  readonly cause?: string | undefined;
}

/** One entry into a state (a loop or a Map enters the same state many times). */
export interface StateVisit {
  readonly name: string;
  /** `Task`, `Pass`, `Parallel`, ... from the `<Type>StateEntered` event type. */
  readonly stateType: string;
  readonly enteredEventId: number;
  readonly start: number;
  end: number | undefined;
  attempts: number;
  readonly failures: Failure[];
  lastAttemptFailed: boolean;
  outcome: StateOutcome;
}

export interface StateSummary {
  readonly name: string;
  readonly visits: readonly StateVisit[];
  readonly outcome: StateOutcome;
  /** Attempts beyond the first, summed over the visits. */
  readonly retries: number;
}

export interface ExecutionAnalysis {
  /** Epoch ms of `ExecutionStarted` (or the first event, or the first statement). */
  readonly start: number;
  /** Epoch ms of the end of the execution or of the last thing seen. */
  readonly end: number;
  /** Whether the history holds a terminal `Execution...` event. */
  readonly finished: boolean;
  readonly visits: readonly StateVisit[];
  readonly states: ReadonlyMap<string, StateSummary>;
  /** For each event id, the state it belongs to (the history table's "Step" column). */
  readonly stepOfEvent: ReadonlyMap<number, string>;
  readonly eventTimes: ReadonlyMap<number, number>;
  /** Transitions taken, as `from + '\u0000' + to` state names. */
  readonly transitions: ReadonlySet<string>;
}

const TERMINAL_EXECUTION_EVENTS = new Set([
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionTimedOut',
  'ExecutionAborted',
]);

const CONTAINER_TYPES = new Set(['Parallel', 'Map']);

/** The `name` in an event's `stateEnteredEventDetails` / `stateExitedEventDetails`. */
function stateNameOf(
  event: HistoryEvent,
  key: 'stateEnteredEventDetails' | 'stateExitedEventDetails',
): string {
  const details = event[key];
  if (typeof details === 'object' && details !== null) {
    const name = (details as Record<string, unknown>)['name'];
    if (typeof name === 'string') return name;
  }
  return '';
}

function failureDetails(event: HistoryEvent): { error?: string; cause?: string } {
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
    const d = value as Record<string, unknown>;
    const out: { error?: string; cause?: string } = {};
    if (typeof d['error'] === 'string') out.error = d['error'];
    if (typeof d['cause'] === 'string') out.cause = d['cause'];
    if (out.error !== undefined || out.cause !== undefined) return out;
  }
  return {};
}

function isFailureEvent(type: string): boolean {
  if (
    type.startsWith('Execution') ||
    type.startsWith('MapIteration') ||
    type.startsWith('MapRun')
  ) {
    return false;
  }
  return /(Failed|TimedOut)$/.test(type);
}

function isAttemptEvent(type: string): boolean {
  return /^(Task|LambdaFunction|Activity)Scheduled$/.test(type);
}

function isSuccessEvent(type: string): boolean {
  return /^(Task|LambdaFunction|Activity)Succeeded$|^(Parallel|Map)StateSucceeded$/.test(type);
}

/** Reads the history into state visits with their outcomes, and the execution's time span. */
export function analyseExecution(input: ReportInput): ExecutionAnalysis {
  const events = [...input.history].sort((a, b) => a.id - b.id);
  const byId = new Map<number, HistoryEvent>();
  const eventTimes = new Map<number, number>();
  for (const e of events) {
    byId.set(e.id, e);
    eventTimes.set(e.id, toMillis(e.timestamp, `history event ${e.id} (${e.type}) timestamp`));
  }
  const visits: StateVisit[] = [];
  const visitOfEntered = new Map<number, StateVisit>();
  const open: StateVisit[] = [];
  const stepOfEvent = new Map<number, string>();
  const visitOfEvent = new Map<number, StateVisit>();
  let culprit: StateVisit | undefined;
  const transitions = new Set<string>();
  let finished = false;
  let finishedAt: number | undefined;
  let startedAt: number | undefined;

  const latestOpen = (accept: (v: StateVisit) => boolean): StateVisit | undefined => {
    for (let i = open.length - 1; i >= 0; i--) if (accept(open[i]!)) return open[i];
    return undefined;
  };
  /** The still-open visit whose entered event `event` follows through `previousEventId`. */
  const enteredBefore = (event: HistoryEvent): StateVisit | undefined => {
    let prev = event.previousEventId;
    for (let steps = 0; prev !== undefined && steps < events.length; steps++) {
      const p = byId.get(prev);
      if (!p || p.type.endsWith('StateExited') || p.type.startsWith('Execution')) return undefined;
      if (p.type.endsWith('StateEntered')) {
        const v = visitOfEntered.get(p.id);
        return v && v.end === undefined ? v : undefined;
      }
      prev = p.previousEventId;
    }
    return undefined;
  };
  const ownerOf = (event: HistoryEvent): StateVisit | undefined => {
    const linked = enteredBefore(event);
    if (/^(Parallel|Map)(State|Iteration|Run)/.test(event.type)) {
      const container = event.type.startsWith('Parallel') ? 'Parallel' : 'Map';
      return linked?.stateType === container
        ? linked
        : latestOpen((v) => v.stateType === container);
    }
    return linked ?? latestOpen((v) => !CONTAINER_TYPES.has(v.stateType)) ?? latestOpen(() => true);
  };

  for (const event of events) {
    const t = eventTimes.get(event.id)!;
    const { type } = event;
    if (type === 'ExecutionStarted') startedAt ??= t;
    if (TERMINAL_EXECUTION_EVENTS.has(type)) {
      finished = true;
      finishedAt = t;
      // The state whose event the failure follows failed the execution (States.Runtime at
      // entry, a Fail state, an uncaught task error).
      if (type === 'ExecutionFailed' && event.previousEventId !== undefined) {
        culprit = visitOfEvent.get(event.previousEventId);
      }
      continue;
    }
    if (type.endsWith('StateEntered')) {
      const name = stateNameOf(event, 'stateEnteredEventDetails');
      const visit: StateVisit = {
        name,
        stateType: type.slice(0, -'StateEntered'.length),
        enteredEventId: event.id,
        start: t,
        end: undefined,
        attempts: 0,
        failures: [],
        lastAttemptFailed: false,
        outcome: 'running',
      };
      visits.push(visit);
      open.push(visit);
      visitOfEntered.set(event.id, visit);
      visitOfEvent.set(event.id, visit);
      stepOfEvent.set(event.id, name);
      const previous =
        event.previousEventId === undefined ? undefined : byId.get(event.previousEventId);
      if (previous?.type.endsWith('StateExited')) {
        transitions.add(`${stateNameOf(previous, 'stateExitedEventDetails')}\u0000${name}`);
      }
      continue;
    }
    if (type.endsWith('StateExited')) {
      const name = stateNameOf(event, 'stateExitedEventDetails');
      stepOfEvent.set(event.id, name);
      // Concurrent visits of one state (Map iterations) are told apart by the event links.
      const linked = enteredBefore(event);
      const visit = linked?.name === name ? linked : latestOpen((v) => v.name === name);
      if (visit) {
        visitOfEvent.set(event.id, visit);
        visit.end = t;
        open.splice(open.indexOf(visit), 1);
      }
      continue;
    }
    if (type.startsWith('Execution')) continue;
    const owner = ownerOf(event);
    if (!owner) continue;
    stepOfEvent.set(event.id, owner.name);
    visitOfEvent.set(event.id, owner);
    if (isAttemptEvent(type)) owner.attempts += 1;
    if (isFailureEvent(type)) {
      owner.failures.push({ eventType: type, ...failureDetails(event) });
      owner.lastAttemptFailed = true;
    } else if (isSuccessEvent(type)) {
      owner.lastAttemptFailed = false;
    }
  }

  const times = [...eventTimes.values()];
  const statementTimes = (input.statements ?? []).flatMap((s: ReportStatement, i) => {
    const where = `statements[${i}] (${s.id})`;
    const ts = [toMillis(s.startedAt, `${where} startedAt`)];
    if (s.endedAt !== undefined) ts.push(toMillis(s.endedAt, `${where} endedAt`));
    return ts;
  });
  const everything = [...times, ...statementTimes];
  const start = startedAt ?? (everything.length > 0 ? Math.min(...everything) : 0);
  const end = Math.max(finishedAt ?? start, ...everything, start);

  for (const v of visits) {
    if (v.end !== undefined) {
      v.outcome = v.lastAttemptFailed ? 'caught' : 'succeeded';
    } else if (v.stateType === 'Fail') {
      v.outcome = 'failed';
    } else if (v.stateType === 'Succeed' && (!finished || input.result.status === 'SUCCEEDED')) {
      v.outcome = 'succeeded';
    } else if (!finished) {
      v.outcome = 'running';
    } else if (v.lastAttemptFailed || v === culprit) {
      v.outcome = 'failed';
    } else {
      v.outcome = 'aborted';
    }
  }

  const states = new Map<string, StateSummary>();
  for (const v of visits) {
    const prior = states.get(v.name);
    const all = [...(prior?.visits ?? []), v];
    const outcome = all.reduce<StateOutcome>(
      (worst, x) => (OUTCOME_SEVERITY[x.outcome] > OUTCOME_SEVERITY[worst] ? x.outcome : worst),
      'notRun',
    );
    const retries = all.reduce((sum, x) => sum + Math.max(0, x.attempts - 1), 0);
    states.set(v.name, { name: v.name, visits: all, outcome, retries });
  }
  return { start, end, finished, visits, states, stepOfEvent, eventTimes, transitions };
}
