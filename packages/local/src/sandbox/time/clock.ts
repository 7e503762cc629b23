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

export function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
