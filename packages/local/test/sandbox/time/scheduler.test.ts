import { describe, expect, it } from 'vitest';
import { Clock } from '../../../src/sandbox/time/clock.js';
import { startScheduler } from '../../../src/sandbox/time/scheduler.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('scheduler and clock', () => {
  it('runs a job every interval of simulated time, never two runs at once, and goes on after a failure', async () => {
    let running = 0;
    let overlapped = false;
    let calls = 0;
    const errors: unknown[] = [];
    const job = startScheduler({
      intervalSeconds: 10,
      clock: new Clock(1000), // every 10 ms
      job: async () => {
        calls++;
        running++;
        if (running > 1) overlapped = true;
        await sleep(25); // longer than the interval
        running--;
        if (calls === 1) throw new Error('first run fails');
      },
      onError: (error) => errors.push(error),
    });
    await sleep(120);
    await job.stop();
    const runs = job.runs();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(overlapped).toBe(false);
    expect(errors).toEqual([new Error('first run fails')]);
    await sleep(30);
    expect(job.runs()).toBe(runs);
  });

  it('fails when the interval or the time scale is not positive', () => {
    expect(() =>
      startScheduler({ intervalSeconds: 0, clock: new Clock(), job: async () => undefined }),
    ).toThrow('a schedule interval must be positive, got 0');
    expect(() => new Clock(0)).toThrow('time scale must be a positive number, got 0');
  });

  it('shrinks sleeps by the time scale and rejects them on abort', async () => {
    const clock = new Clock(100);
    expect(clock.toRealMs(60)).toBe(600);
    const controller = new AbortController();
    const pending = clock.sleep(3600, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(pending).rejects.toThrow('stopped');
  });
});
