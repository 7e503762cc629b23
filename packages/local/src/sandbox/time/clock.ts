/**
 * Time in the sandbox: every duration Step Functions, Lambda or SQS would wait (Wait states,
 * heartbeats, timeouts, retry intervals, visibility timeouts, batching windows) is divided by
 * the time scale, so `--time-scale 60` turns a one-minute wait into one second.
 */

/** Rejects the wait when the signal aborts; the reason is the signal's reason. */
export class Clock {
  constructor(readonly timeScale = 1) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
      throw new RangeError(`time scale must be a positive number, got ${timeScale}`);
    }
  }

  /** Real milliseconds for a duration in (simulated) seconds. */
  toRealMs(seconds: number): number {
    return (seconds * 1000) / this.timeScale;
  }

  /** Waits `seconds` of simulated time (shrunk by the time scale). */
  sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    return sleepMs(this.toRealMs(seconds), signal);
  }
}

/** The longest delay one Node timer holds (2^31 - 1 ms, about 24.8 days): a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
}

/**
 * `setTimeout` for any delay: a delay longer than one Node timer holds (a 30-day TimeoutSeconds
 * or Wait) is served by a chain of timers instead of firing at once.
 */
export function setLongTimeout(callback: () => void, ms: number): LongTimer {
  let timer: NodeJS.Timeout | undefined;
  const arm = (remaining: number): void => {
    const delay = Math.min(Math.max(0, remaining), MAX_TIMER_MS);
    timer = setTimeout(() => {
      if (remaining > MAX_TIMER_MS) arm(remaining - MAX_TIMER_MS);
      else callback();
    }, delay);
  };
  arm(ms);
  return { clear: () => clearTimeout(timer) };
}

export function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      timer.clear();
      reject(signal?.reason as Error);
    };
    const timer = setLongTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
