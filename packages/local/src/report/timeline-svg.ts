import { OUTCOME_LABEL } from './graph-svg.js';
import type { ExecutionAnalysis, StateVisit } from './analysis.js';
import { escapeHtml } from './escape.js';
import { formatDuration, toMillis } from './time.js';
import type { ReportStatement } from './types.js';

const LABEL_WIDTH = 300;
const PLOT_WIDTH = 880;
const RIGHT_PAD = 170;
const AXIS_HEIGHT = 30;
const STATE_ROW = 26;
const STATEMENT_ROW = 22;
/** Height of each extra lane when visits or statements of one row overlap in time. */
const SUB_LANE = 12;
/** A state with more statements than this gets one packed row for them instead of a row each. */
const STATEMENT_ROWS_PER_STATE = 12;
const MIN_BAR_PX = 3;
const TARGET_TICKS = 8;
const LABEL_CHAR_PX = 6.6;

/** Data API statuses of a statement still in flight. */
const RUNNING_STATEMENT_STATUSES = new Set(['SUBMITTED', 'PICKED', 'STARTED']);

interface TimedStatement {
  readonly statement: ReportStatement;
  readonly start: number;
  readonly end: number | undefined;
}

type Row =
  | { readonly kind: 'state'; readonly name: string; readonly visits: readonly StateVisit[] }
  | { readonly kind: 'statement'; readonly item: TimedStatement }
  | {
      readonly kind: 'statements';
      readonly stateName: string;
      readonly items: readonly TimedStatement[];
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

/** Interval partitioning: the lane of each interval (in input order) so that no two in a lane overlap. */
export function assignLanes(intervals: readonly { start: number; end: number }[]): {
  lanes: number[];
  count: number;
} {
  const order = intervals
    .map((_, i) => i)
    .sort((a, b) => intervals[a]!.start - intervals[b]!.start);
  const laneEnds: number[] = [];
  const lanes: number[] = new Array<number>(intervals.length).fill(0);
  for (const i of order) {
    const { start, end } = intervals[i]!;
    let lane = laneEnds.findIndex((e) => e <= start);
    if (lane < 0) lane = laneEnds.push(end) - 1;
    else laneEnds[lane] = end;
    lanes[i] = lane;
  }
  return { lanes, count: Math.max(1, laneEnds.length) };
}

function statementTitle(s: ReportStatement, duration: number): string {
  return [
    `statement ${s.id}${s.name ? ` (${s.name})` : ''}`,
    `${s.status}, ${formatDuration(duration)}${s.rows !== undefined ? `, ${s.rows} rows` : ''}`,
    ...(s.error ? [`error: ${s.error}`] : []),
    s.sql,
  ].join('\n');
}

/** The timeline (Gantt) of state visits and SQL statements as one inline SVG element. */
export function renderTimelineSvg(
  analysis: ExecutionAnalysis,
  statements: readonly ReportStatement[],
): string {
  const timed: TimedStatement[] = statements.map((s, i) => ({
    statement: s,
    start: toMillis(s.startedAt, `statements[${i}] (${s.id}) startedAt`),
    end:
      s.endedAt === undefined
        ? undefined
        : toMillis(s.endedAt, `statements[${i}] (${s.id}) endedAt`),
  }));
  const byState = new Map<string, TimedStatement[]>();
  const orphans: TimedStatement[] = [];
  for (const t of timed) {
    const name = t.statement.stateName;
    if (name !== undefined && analysis.states.has(name)) {
      const list = byState.get(name) ?? [];
      list.push(t);
      byState.set(name, list);
    } else {
      orphans.push(t);
    }
  }
  const rows: Row[] = [];
  const statementRows = (stateName: string, items: readonly TimedStatement[]): Row[] =>
    items.length > STATEMENT_ROWS_PER_STATE
      ? [{ kind: 'statements', stateName, items }]
      : items.map((item) => ({ kind: 'statement', item }));
  for (const [name, summary] of analysis.states) {
    rows.push({ kind: 'state', name, visits: summary.visits });
    rows.push(...statementRows(name, byState.get(name) ?? []));
  }
  rows.push(...statementRows('', orphans));

  const t0 = analysis.start;
  const span = Math.max(1, analysis.end - t0);
  const xOf = (t: number): number => LABEL_WIDTH + ((t - t0) / span) * PLOT_WIDTH;
  const endOf = (end: number | undefined): number => end ?? analysis.end;
  const width = LABEL_WIDTH + PLOT_WIDTH + RIGHT_PAD;

  // Lanes and heights first: the grid lines span the whole body.
  const layouts = rows.map((row) => {
    const intervals =
      row.kind === 'state'
        ? row.visits.map((v) => ({ start: v.start, end: endOf(v.end) }))
        : row.kind === 'statements'
          ? row.items.map((s) => ({ start: s.start, end: endOf(s.end) }))
          : [{ start: row.item.start, end: endOf(row.item.end) }];
    const { lanes, count } = assignLanes(intervals);
    const base = row.kind === 'state' ? STATE_ROW : STATEMENT_ROW;
    return { lanes, count, height: count === 1 ? base : 10 + count * SUB_LANE };
  });
  const height = AXIS_HEIGHT + layouts.reduce((h, l) => h + l.height, 0) + 8;

  const parts: string[] = [];
  const step = tickStep(span);
  for (let t = 0; t <= span + 0.5; t += step) {
    const x = xOf(t0 + t);
    parts.push(
      `<line class="grid" x1="${x.toFixed(1)}" y1="${AXIS_HEIGHT - 6}" x2="${x.toFixed(1)}" y2="${height - 8}"/>`,
      `<text class="tick" x="${x.toFixed(1)}" y="${AXIS_HEIGHT - 10}" text-anchor="middle">${escapeHtml(formatDuration(t))}</text>`,
    );
  }

  let y = AXIS_HEIGHT;
  rows.forEach((row, index) => {
    const { lanes, count, height: h } = layouts[index]!;
    const barY = (i: number): number => (count === 1 ? y + 5 : y + 5 + lanes[i]! * SUB_LANE);
    const barH = count === 1 ? h - 10 : SUB_LANE - 3;
    parts.push(
      `<rect class="row-bg${index % 2 === 0 ? ' even' : ''}" x="0" y="${y}" width="${width}" height="${h}"/>`,
    );
    if (row.kind === 'state') {
      const total = row.visits.reduce((sum, v) => sum + (endOf(v.end) - v.start), 0);
      parts.push(
        `<g class="lane state-lane" data-state="${escapeHtml(row.name)}">`,
        `<text class="lane-label" x="8" y="${y + 17}">${escapeHtml(fit(row.name, LABEL_WIDTH - 16))}<title>${escapeHtml(row.name)}</title></text>`,
      );
      row.visits.forEach((v, i) => {
        const x1 = xOf(v.start);
        const x2 = Math.max(x1 + MIN_BAR_PX, xOf(endOf(v.end)));
        const failure = v.failures.at(-1);
        const title = [
          `${row.name} (${v.stateType})`,
          `${OUTCOME_LABEL[v.outcome]}, ${formatDuration(endOf(v.end) - v.start)}`,
          `entered at +${formatDuration(v.start - t0)}`,
          ...(v.attempts > 1 ? [`attempts: ${v.attempts}`] : []),
          ...(failure
            ? [
                `error: ${failure.error ?? failure.eventType}${failure.cause ? `: ${failure.cause}` : ''}`,
              ]
            : []),
        ].join('\n');
        parts.push(
          `<rect class="bar state-bar outcome-${v.outcome}" x="${x1.toFixed(1)}" y="${barY(i)}" width="${(x2 - x1).toFixed(1)}" height="${barH}" rx="2"><title>${escapeHtml(title)}</title></rect>`,
        );
      });
      const lastEnd = Math.max(...row.visits.map((v) => xOf(endOf(v.end))));
      const note = `${formatDuration(total)}${row.visits.length > 1 ? ` (${row.visits.length} visits)` : ''}`;
      parts.push(
        `<text class="bar-label" x="${(lastEnd + 6).toFixed(1)}" y="${y + 17}">${escapeHtml(note)}</text>`,
        '</g>',
      );
    } else if (row.kind === 'statement') {
      const { statement: s, start, end } = row.item;
      const x1 = xOf(start);
      const x2 = Math.max(x1 + MIN_BAR_PX, xOf(endOf(end)));
      const duration = endOf(end) - start;
      const label = `SQL ${oneLine(s.sql)}`;
      const note = [
        formatDuration(duration),
        s.status,
        ...(s.rows !== undefined ? [`${s.rows} row${s.rows === 1 ? '' : 's'}`] : []),
      ].join(' · ');
      const title = statementTitle(s, duration);
      parts.push(
        `<g class="lane statement-lane" data-statement="${escapeHtml(s.id)}">`,
        `<text class="lane-label sql-label" x="20" y="${y + 15}">${escapeHtml(fit(label, LABEL_WIDTH - 28))}<title>${escapeHtml(title)}</title></text>`,
        `<rect class="bar statement-bar ${statementStatusClass(s.status)}" x="${x1.toFixed(1)}" y="${y + 5}" width="${(x2 - x1).toFixed(1)}" height="${h - 10}" rx="2"><title>${escapeHtml(title)}</title></rect>`,
        `<text class="bar-label" x="${(x2 + 6).toFixed(1)}" y="${y + 15}">${escapeHtml(note)}</text>`,
        '</g>',
      );
    } else {
      const failed = row.items.filter((t) => t.statement.status === 'FAILED').length;
      const rowsTotal = row.items.reduce((sum, t) => sum + (t.statement.rows ?? 0), 0);
      const label = `${row.items.length} SQL statements`;
      const note = `${row.items.length} statements${failed > 0 ? `, ${failed} failed` : ''} · ${rowsTotal} rows`;
      parts.push(
        `<g class="lane statements-lane" data-state="${escapeHtml(row.stateName)}">`,
        `<text class="lane-label sql-label" x="20" y="${y + 15}">${escapeHtml(label)}</text>`,
      );
      row.items.forEach((t, i) => {
        const x1 = xOf(t.start);
        const x2 = Math.max(x1 + MIN_BAR_PX, xOf(endOf(t.end)));
        parts.push(
          `<rect class="bar statement-bar ${statementStatusClass(t.statement.status)}" data-statement="${escapeHtml(t.statement.id)}" x="${x1.toFixed(1)}" y="${barY(i)}" width="${(x2 - x1).toFixed(1)}" height="${barH}" rx="2"><title>${escapeHtml(statementTitle(t.statement, endOf(t.end) - t.start))}</title></rect>`,
        );
      });
      const lastEnd = Math.max(...row.items.map((t) => xOf(endOf(t.end))));
      parts.push(
        `<text class="bar-label" x="${(lastEnd + 6).toFixed(1)}" y="${y + 15}">${escapeHtml(note)}</text>`,
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
