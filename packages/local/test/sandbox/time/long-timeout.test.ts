import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLongTimeout } from '../../../src/sandbox/time/clock.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('setLongTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a 30-day timer after 30 days, not before', () => {
    vi.useFakeTimers();
    let fired = 0;
    setLongTimeout(() => fired++, 30 * DAY_MS);
    vi.advanceTimersByTime(29 * DAY_MS);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(DAY_MS);
    expect(fired).toBe(1);
  });

  it('never fires a cleared timer, even between chained parts', () => {
    vi.useFakeTimers();
    let fired = 0;
    const timer = setLongTimeout(() => fired++, 30 * DAY_MS);
    vi.advanceTimersByTime(26 * DAY_MS);
    timer.clear();
    vi.advanceTimersByTime(10 * DAY_MS);
    expect(fired).toBe(0);
  });
});
