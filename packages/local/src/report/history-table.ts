import type { ExecutionAnalysis } from './analysis.js';
import { escapeHtml } from './escape.js';
import { formatDuration, formatInstant } from './time.js';
import type { HistoryEvent } from './types.js';

/** Details longer than this are folded into a `<details>` element. */
const INLINE_DETAILS_CHARS = 120;

/** Pretty JSON; strings that hold JSON (state input/output) are shown parsed. */
export function prettyJson(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? String(value);
}

function eventDetails(event: HistoryEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || value === undefined) continue;
    if (typeof value === 'object' && value !== null) {
      const parsed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v === 'string' && (k === 'input' || k === 'output' || k === 'parameters')) {
          try {
            parsed[k] = JSON.parse(v);
            continue;
          } catch {
            // not JSON: shown as the string it is
          }
        }
        parsed[k] = v;
      }
      Object.assign(out, parsed);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Shows details on one line when short, folded (one-line preview, then pretty JSON) when long. */
function foldable(details: Record<string, unknown>): string {
  const compact = JSON.stringify(details);
  if (compact.length <= INLINE_DETAILS_CHARS) return `<code>${escapeHtml(compact)}</code>`;
  const preview = compact.slice(0, INLINE_DETAILS_CHARS - 1);
  return `<details><summary><code>${escapeHtml(preview)}…</code></summary><pre>${escapeHtml(prettyJson(details))}</pre></details>`;
}

/** The event history as a table: id, type, step, elapsed time, timestamp, details. */
export function renderHistoryTable(
  events: readonly HistoryEvent[],
  analysis: ExecutionAnalysis,
): string {
  if (events.length === 0) return '<p class="empty">No events.</p>';
  const sorted = [...events].sort((a, b) => a.id - b.id);
  const rows = sorted.map((event) => {
    const t = analysis.eventTimes.get(event.id) ?? analysis.start;
    const details = eventDetails(event);
    const step = analysis.stepOfEvent.get(event.id) ?? '';
    const failure = /(Failed|TimedOut|Aborted)$/.test(event.type);
    return [
      `<tr class="event${failure ? ' failure' : ''}" data-event-type="${escapeHtml(event.type)}"${step ? ` data-state="${escapeHtml(step)}"` : ''}>`,
      `<td class="num">${escapeHtml(String(event.id))}</td>`,
      `<td>${escapeHtml(event.type)}</td>`,
      `<td>${escapeHtml(step)}</td>`,
      `<td class="num">+${escapeHtml(formatDuration(t - analysis.start))}</td>`,
      `<td class="num">${escapeHtml(formatInstant(t))}</td>`,
      `<td>${Object.keys(details).length === 0 ? '' : foldable(details)}</td>`,
      '</tr>',
    ].join('');
  });
  return [
    '<div class="scroll"><table class="history"><thead><tr><th>ID</th><th>Type</th><th>Step</th><th>Elapsed</th><th>Timestamp (UTC)</th><th>Details</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table></div>',
  ].join('\n');
}
