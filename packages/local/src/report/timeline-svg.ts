import { OUTCOME_LABEL } from './graph-svg.js';
import type { ExecutionAnalysis, StateVisit } from './analysis.js';
import { escapeHtml } from './escape.js';
import { formatDuration, toMillis } from './time.js';
import type { ReportStatement } from './types.js';

const LABEL_WIDTH = 300;
const PLOT_WIDTH = 880;
const RIGHT_PAD = 150;
const AXIS_HEIGHT = 30;
const STATE_ROW = 26;
const STATEMENT_ROW = 22;
const MIN_BAR_PX = 3;
const TARGET_TICKS = 8;
const LABEL_CHAR_PX = 6.6;

/** Data API statuses of a statement still in flight. */
const RUNNING_STATEMENT_STATUSES = new Set(['SUBMITTED', 'PICKED', 'STARTED']);

type Row =
  | { readonly kind: 'state'; readonly name: string; readonly visits: readonly StateVisit[] }
  | {
      readonly kind: 'statement';
      readonly statement: ReportStatement;
      readonly start: number;
      readonly end: number | undefined;
    };

function tickStep(spanMs: number): number {
  const raw = Math.max(1, spanMs / TARGET_TICKS);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function fit(text: string, px: number): string {
  const max = Math.max(4, Math.floor(px / LABEL_CHAR_PX));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

/** The CSS class of a statement bar for its Data API status. */
export function statementStatusClass(status: string): string {
  if (status === 'FINISHED') return 'sql-finished';
  if (status === 'FAILED') return 'sql-failed';
  if (status === 'ABORTED') return 'sql-aborted';
  if (RUNNING_STATEMENT_STATUSES.has(status)) return 'sql-running';
  return 'sql-other';
}

/** The timeline (Gantt) of state visits and SQL statements as one inline SVG element. */
export function renderTimelineSvg(
  analysis: ExecutionAnalysis,
  statements: readonly ReportStatement[],
): string {
  const rows: Row[] = [];
  const statementRows = statements.map((s, i) => ({
    kind: 'statement' as const,
    statement: s,
    start: toMillis(s.startedAt, `statements[${i}] (${s.id}) startedAt`),
    end:
      s.endedAt === undefined
        ? undefined
        : toMillis(s.endedAt, `statements[${i}] (${s.id}) endedAt`),
  }));
  const placed = new Set<number>();
  for (const [name, summary] of analysis.states) {
    rows.push({ kind: 'state', name, visits: summary.visits });
    statementRows.forEach((row, i) => {
      if (row.statement.stateName === name && !placed.has(i)) {
        rows.push(row);
        placed.add(i);
      }
    });
  }
  statementRows.forEach((row, i) => {
    if (!placed.has(i)) rows.push(row);
  });

  const t0 = analysis.start;
  const span = Math.max(1, analysis.end - t0);
  const xOf = (t: number): number => LABEL_WIDTH + ((t - t0) / span) * PLOT_WIDTH;
  const width = LABEL_WIDTH + PLOT_WIDTH + RIGHT_PAD;
  const parts: string[] = [];

  // Axis and grid.
  const step = tickStep(span);
  let y = AXIS_HEIGHT;
  const bodyHeight = rows.reduce((h, r) => h + (r.kind === 'state' ? STATE_ROW : STATEMENT_ROW), 0);
  const height = AXIS_HEIGHT + bodyHeight + 8;
  for (let t = 0; t <= span + 0.5; t += step) {
    const x = xOf(t0 + t);
    parts.push(
      `<line class="grid" x1="${x.toFixed(1)}" y1="${AXIS_HEIGHT - 6}" x2="${x.toFixed(1)}" y2="${height - 8}"/>`,
      `<text class="tick" x="${x.toFixed(1)}" y="${AXIS_HEIGHT - 10}" text-anchor="middle">${escapeHtml(formatDuration(t))}</text>`,
    );
  }

  rows.forEach((row, index) => {
    const h = row.kind === 'state' ? STATE_ROW : STATEMENT_ROW;
    parts.push(
      `<rect class="row-bg${index % 2 === 0 ? ' even' : ''}" x="0" y="${y}" width="${width}" height="${h}"/>`,
    );
    if (row.kind === 'state') {
      const total = row.visits.reduce((sum, v) => sum + ((v.end ?? analysis.end) - v.start), 0);
      parts.push(
        `<g class="lane state-lane" data-state="${escapeHtml(row.name)}">`,
        `<text class="lane-label" x="8" y="${y + 17}">${escapeHtml(fit(row.name, LABEL_WIDTH - 16))}<title>${escapeHtml(row.name)}</title></text>`,
      );
      for (const v of row.visits) {
        const x1 = xOf(v.start);
        const x2 = Math.max(x1 + MIN_BAR_PX, xOf(v.end ?? analysis.end));
        const failure = v.failures.at(-1);
        const title = [
          `${row.name} (${v.stateType})`,
          `${OUTCOME_LABEL[v.outcome]}, ${formatDuration((v.end ?? analysis.end) - v.start)}`,
          `entered at +${formatDuration(v.start - t0)}`,
          ...(v.attempts > 1 ? [`attempts: ${v.attempts}`] : []),
          ...(failure
            ? [
                `error: ${failure.error ?? failure.eventType}${failure.cause ? `: ${failure.cause}` : ''}`,
              ]
            : []),
        ].join('\n');
        parts.push(
          `<rect class="bar state-bar outcome-${v.outcome}" x="${x1.toFixed(1)}" y="${y + 5}" width="${(x2 - x1).toFixed(1)}" height="${h - 10}" rx="2"><title>${escapeHtml(title)}</title></rect>`,
        );
      }
      const lastEnd = Math.max(...row.visits.map((v) => xOf(v.end ?? analysis.end)));
      const note = `${formatDuration(total)}${row.visits.length > 1 ? ` (${row.visits.length} visits)` : ''}`;
      parts.push(
        `<text class="bar-label" x="${(lastEnd + 6).toFixed(1)}" y="${y + 17}">${escapeHtml(note)}</text>`,
        '</g>',
      );
    } else {
      const s = row.statement;
      const x1 = xOf(row.start);
      const x2 = Math.max(x1 + MIN_BAR_PX, xOf(row.end ?? analysis.end));
      const duration = (row.end ?? analysis.end) - row.start;
      const label = `SQL ${s.name ? `${s.name}: ` : ''}${oneLine(s.sql)}`;
      const note = [
        formatDuration(duration),
        s.status,
        ...(s.rows !== undefined ? [`${s.rows} row${s.rows === 1 ? '' : 's'}`] : []),
      ].join(' · ');
      const title = [
        `statement ${s.id}${s.name ? ` (${s.name})` : ''}`,
        `${s.status}, ${formatDuration(duration)}${s.rows !== undefined ? `, ${s.rows} rows` : ''}`,
        ...(s.error ? [`error: ${s.error}`] : []),
        s.sql,
      ].join('\n');
      parts.push(
        `<g class="lane statement-lane" data-statement="${escapeHtml(s.id)}">`,
        `<text class="lane-label sql-label" x="20" y="${y + 15}">${escapeHtml(fit(label, LABEL_WIDTH - 28))}<title>${escapeHtml(title)}</title></text>`,
        `<rect class="bar statement-bar ${statementStatusClass(s.status)}" x="${x1.toFixed(1)}" y="${y + 5}" width="${(x2 - x1).toFixed(1)}" height="${h - 10}" rx="2"><title>${escapeHtml(title)}</title></rect>`,
        `<text class="bar-label" x="${(x2 + 6).toFixed(1)}" y="${y + 15}">${escapeHtml(note)}</text>`,
        '</g>',
      );
    }
    y += h;
  });

  return [
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Timeline">`,
    ...parts,
    `<line class="axis" x1="${LABEL_WIDTH}" y1="${AXIS_HEIGHT}" x2="${LABEL_WIDTH}" y2="${height - 8}"/>`,
    '</svg>',
  ].join('\n');
}
