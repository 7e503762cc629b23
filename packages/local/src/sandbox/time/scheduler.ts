/**
 * Periodic jobs (the reconciler's EventBridge schedule): runs a job every interval of simulated
 * time, never two runs at once; a failing run is reported and the schedule goes on.
 */
import type { Clock } from './clock.js';

export interface ScheduledJob {
  /** Runs the job now (waits for a run in progress first). */
  runNow(): Promise<void>;
  /** Runs completed so far. */
  runs(): number;
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  readonly intervalSeconds: number;
  readonly clock: Clock;
  readonly job: () => Promise<unknown>;
  readonly onError?: (error: unknown) => void;
}

export function startScheduler(options: SchedulerOptions): ScheduledJob {
  if (!(options.intervalSeconds > 0)) {
    throw new RangeError(`a schedule interval must be positive, got ${options.intervalSeconds}`);
  }
  let running: Promise<void> | undefined;
  let count = 0;
  let stopped = false;
  const run = (): Promise<void> => {
    running ??= (async () => {
      try {
        await options.job();
      } catch (error) {
        options.onError?.(error);
      } finally {
        count++;
        running = undefined;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void run(), options.clock.toRealMs(options.intervalSeconds));
  timer.unref();
  return {
    runNow: async () => {
      if (running !== undefined) await running;
      if (!stopped) await run();
    },
    runs: () => count,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      if (running !== undefined) await running;
    },
  };
}
