/**
 * The execution event history in the shape of `GetExecutionHistory`: numbered events with the
 * id of the previous event of the same branch, a timestamp, and the details object named after
 * the event type (`taskScheduledEventDetails`, `stateEnteredEventDetails`, ...).
 */

export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: Date;
  readonly type: string;
  readonly [details: string]: unknown;
}

export type HistoryListener = (event: HistoryEvent) => void;

/** The details property name AWS uses for an event type. */
export function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

/** All events of one execution, in order; listeners see each event as it is recorded. */
export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];
  constructor(private readonly listeners: readonly HistoryListener[] = []) {}

  add(type: string, previousEventId: number, details?: Record<string, unknown>): HistoryEvent {
    const event: HistoryEvent = {
      id: this.events.length + 1,
      previousEventId,
      timestamp: new Date(),
      type,
      ...(details === undefined ? {} : { [detailsKey(type)]: details }),
    };
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }
}

/** A position in the history: the last event of one branch (Parallel branches and Map iterations fork it). */
export class HistoryCursor {
  constructor(
    readonly history: ExecutionHistory,
    private lastId = 0,
  ) {}

  add(type: string, details?: Record<string, unknown>): HistoryEvent {
    const event = this.history.add(type, this.lastId, details);
    this.lastId = event.id;
    return event;
  }

  fork(): HistoryCursor {
    return new HistoryCursor(this.history, this.lastId);
  }
}
