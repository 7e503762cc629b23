import { InvalidReportInputError } from './errors.js';
import type { Instant } from './types.js';

/** Converts an instant to epoch milliseconds; `what` names the value in the error. */
export function toMillis(value: Instant, what: string): number {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new InvalidReportInputError(
      `${what} is not a valid time: ${JSON.stringify(String(value))}; give a Date, an ISO-8601 string or epoch milliseconds`,
    );
  }
  return ms;
}

/** A short human duration: `850 ms`, `1.25 s`, `3 s`, `2 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  const d = Math.max(0, ms);
  if (d < 1000) return `${Math.round(d)} ms`;
  if (d < 60_000) return `${Number((d / 1000).toFixed(d < 10_000 ? 2 : 1))} s`;
  const totalSeconds = Math.round(d / 1000);
  if (totalSeconds < 3600) {
    const min = Math.floor(totalSeconds / 60);
    const s = totalSeconds % 60;
    return `${min} min ${String(s).padStart(2, '0')} s`;
  }
  const totalMinutes = Math.round(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)} h ${String(totalMinutes % 60).padStart(2, '0')} min`;
}

/** ISO-8601 in UTC with milliseconds. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}
