import { analyseExecution, STATE_OUTCOMES } from './analysis.js';
import { escapeHtml } from './escape.js';
import { OUTCOME_LABEL, renderGraphSvg } from './graph-svg.js';
import { prettyJson, renderHistoryTable } from './history-table.js';
import { buildStateGraph } from './state-graph.js';
import { REPORT_CSS } from './styles.js';
import { formatDuration, formatInstant, toMillis } from './time.js';
import { renderTimelineSvg, statementStatusClass } from './timeline-svg.js';
import type { HistoryEvent, ReportInput, ReportStatement } from './types.js';

/**
 * Clicking a state (graph node or timeline lane) highlights it everywhere: the graph, the
 * timeline and its history rows. Reads only `data-state` attributes, never inserts text.
 */
const REPORT_SCRIPT = `
(function () {
  var current = null;
  function mark(name) {
    current = current === name ? null : name;
    document.querySelectorAll('[data-state]').forEach(function (el) {
      el.classList.toggle('highlight', current !== null && el.getAttribute('data-state') === current);
    });
  }
  document.querySelectorAll('.graph .state, .timeline .state-lane').forEach(function (el) {
    el.style.cursor = 'pointer';
    el.addEventListener('click', function () { mark(el.getAttribute('data-state')); });
  });
})();
`;

function renderStatementsTable(
  statements: readonly ReportStatement[],
  t0: number,
  end: number,
): string {
  if (statements.length === 0) return '<p class="empty">No SQL statements.</p>';
  const rows = statements.map((s, i) => {
    const start = toMillis(s.startedAt, `statements[${i}] (${s.id}) startedAt`);
    const stop =
      s.endedAt === undefined
        ? undefined
        : toMillis(s.endedAt, `statements[${i}] (${s.id}) endedAt`);
    return [
      `<tr class="statement ${statementStatusClass(s.status)}${s.status === 'FAILED' || s.status === 'ABORTED' ? ' failure' : ''}" data-statement="${escapeHtml(s.id)}">`,
      `<td><code>${escapeHtml(s.id)}</code>${s.name ? `<br><small>${escapeHtml(s.name)}</small>` : ''}</td>`,
      `<td>${escapeHtml(s.stateName ?? '')}</td>`,
      `<td>${escapeHtml(s.status)}</td>`,
      `<td class="num">+${escapeHtml(formatDuration(start - t0))}</td>`,
      `<td class="num">${escapeHtml(stop === undefined ? `${formatDuration(end - start)}+` : formatDuration(stop - start))}</td>`,
      `<td class="num">${s.rows === undefined ? '' : escapeHtml(String(s.rows))}</td>`,
      `<td class="error">${escapeHtml(s.error ?? '')}</td>`,
      `<td class="sql"><pre>${escapeHtml(s.sql)}</pre></td>`,
      '</tr>',
    ].join('');
  });
  return [
    '<div class="scroll"><table class="statements"><thead><tr><th>Statement</th><th>State</th><th>Status</th><th>Started</th><th>Duration</th><th>Rows</th><th>Error</th><th>SQL</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table></div>',
  ].join('\n');
}

/** The `input` of the `ExecutionStarted` event, when the history has one. */
function executionInputOf(history: readonly HistoryEvent[]): string | undefined {
  const started = history.find((e) => e.type === 'ExecutionStarted');
  const details = started?.['executionStartedEventDetails'];
  if (typeof details !== 'object' || details === null) return undefined;
  const value = (details as Record<string, unknown>)['input'];
  return typeof value === 'string' ? value : undefined;
}

function legend(): string {
  return `<div class="legend">${STATE_OUTCOMES.map((o) => `<span class="outcome-${o}">${escapeHtml(OUTCOME_LABEL[o])}</span>`).join('')}</div>`;
}

function statementLegend(): string {
  const entries: ReadonlyArray<readonly [string, string]> = [
    ['sql-finished', 'SQL finished'],
    ['sql-failed', 'SQL failed'],
    ['sql-aborted', 'SQL aborted'],
    ['sql-running', 'SQL running'],
  ];
  return `<div class="legend">${entries.map(([cls, label]) => `<span class="${cls}">${label}</span>`).join('')}</div>`;
}

/**
 * Renders a self-contained HTML page (inline CSS, SVG and a few lines of JS; no network) for one
 * execution: final status, output or error, the state graph coloured by outcome, a timeline of
 * states and SQL statements, the statements and the event history.
 *
 * @throws InvalidReportInputError when the definition is not ASL or a time is not a time.
 */
export function renderReport(input: ReportInput): string {
  const graph = buildStateGraph(input.definition);
  const analysis = analyseExecution(input);
  const statements = input.statements ?? [];
  const { result } = input;

  const resultParts: string[] = [];
  const executionInput = executionInputOf(input.history);
  if (executionInput !== undefined) {
    resultParts.push(
      `<h3>Input</h3><pre class="input">${escapeHtml(prettyJson(executionInput))}</pre>`,
    );
  }
  if (result.output !== undefined) {
    resultParts.push(
      `<h3>Output</h3><pre class="output">${escapeHtml(prettyJson(result.output))}</pre>`,
    );
  }
  if (result.error !== undefined) {
    resultParts.push(
      `<p>Error: <span class="error result-error">${escapeHtml(result.error)}</span></p>`,
    );
  }
  if (result.cause !== undefined) {
    resultParts.push(
      `<h3>Cause</h3><pre class="cause">${escapeHtml(prettyJson(result.cause))}</pre>`,
    );
  }
  const failedStatements = statements.filter((s) => s.status === 'FAILED').length;
  const summary = [
    `started ${formatInstant(analysis.start)}`,
    `duration ${formatDuration(analysis.end - analysis.start)}`,
    `${analysis.states.size} state${analysis.states.size === 1 ? '' : 's'} run`,
    `${statements.length} SQL statement${statements.length === 1 ? '' : 's'}${failedStatements > 0 ? ` (${failedStatements} failed)` : ''}`,
    `${input.history.length} events`,
  ].join(' · ');

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network: everything is inline; forbid any fetch should user text ever slip through.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(input.title)} · ${escapeHtml(result.status)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(input.title)}</h1>`,
    `<div class="meta"><span class="status status-${escapeHtml(result.status)}">${escapeHtml(result.status)}</span> ${escapeHtml(summary)}</div></header>`,
    `<section id="result"><h2>Result</h2>${resultParts.join('\n') || '<p class="empty">No output.</p>'}</section>`,
    `<section id="graph"><h2>State graph</h2>${legend()}<div class="scroll">${renderGraphSvg(graph, analysis)}</div></section>`,
    `<section id="timeline"><h2>Timeline</h2>${legend()}${statementLegend()}<div class="scroll">${renderTimelineSvg(analysis, statements)}</div></section>`,
    `<section id="statements"><h2>SQL statements</h2>${renderStatementsTable(statements, analysis.start, analysis.end)}</section>`,
    `<section id="history"><h2>Event history</h2>${renderHistoryTable(input.history, analysis)}</section>`,
    `<script>${REPORT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
