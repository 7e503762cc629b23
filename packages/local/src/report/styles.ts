/** The report's inline stylesheet. Colours: succeeded green, caught amber, failed red, aborted brown, running blue, not run grey. */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 20px 28px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #202124; background: #fff; }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid #dadce0; padding-bottom: 4px; }
.meta { color: #5f6368; margin-bottom: 8px; }
.status { display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 600; color: #fff; }
.status-SUCCEEDED { background: #1e8e3e; } .status-FAILED { background: #d93025; }
.status-TIMED_OUT { background: #e37400; } .status-ABORTED { background: #795548; }
pre, code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f8f9fa; border: 1px solid #e8eaed; border-radius: 6px; padding: 8px 10px; margin: 4px 0; white-space: pre-wrap; word-break: break-word; max-height: 360px; overflow: auto; }
.scroll { overflow: auto; border: 1px solid #e8eaed; border-radius: 8px; background: #fff; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 6px 0 10px; color: #3c4043; font-size: 13px; }
.legend span::before { content: ""; display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 5px; vertical-align: -1px; border: 2px solid var(--stroke); background: var(--fill); }
.outcome-succeeded { --fill: #e6f4ea; --stroke: #1e8e3e; }
.outcome-caught { --fill: #fef7e0; --stroke: #e37400; }
.outcome-failed { --fill: #fce8e6; --stroke: #d93025; }
.outcome-aborted { --fill: #efebe9; --stroke: #795548; }
.outcome-running { --fill: #e8f0fe; --stroke: #1a73e8; }
.outcome-notRun { --fill: #f8f9fa; --stroke: #9aa0a6; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.graph .state > rect { fill: var(--fill); stroke: var(--stroke); stroke-width: 2; }
.graph .state.outcome-notRun > rect { stroke-dasharray: 5 3; }
.graph .state.container > rect { fill-opacity: 0.45; }
.graph .state .name { font-size: 13px; font-weight: 600; fill: #202124; }
.graph .state .detail { font-size: 11px; fill: #5f6368; }
.graph .state .badge { font-size: 11px; font-weight: 600; fill: #3c4043; }
.graph .scope-frame { fill: #fff; fill-opacity: 0.7; stroke: #bdc1c6; stroke-dasharray: 4 3; }
.graph .scope-label { font-size: 11px; fill: #5f6368; }
.graph .marker rect { fill: #3c4043; }
.graph .marker text { fill: #fff; font-size: 12px; font-weight: 600; }
.graph .edge { fill: none; stroke: #9aa0a6; stroke-width: 1.4; }
.graph .edge.taken { stroke: #3c4043; stroke-width: 2.2; }
.graph .edge-default { stroke-dasharray: 6 3; }
.graph .edge-catch { stroke: #e8a49f; stroke-dasharray: 4 3; }
.graph .edge-catch.taken { stroke: #d93025; }
.graph .edge-label rect { fill: #fff; stroke: #dadce0; }
.graph .edge-label text { font-size: 10.5px; fill: #3c4043; }
.graph .edge-label.edge-catch text { fill: #b3261e; }
.timeline .row-bg { fill: #fff; } .timeline .row-bg.even { fill: #f8f9fa; }
.timeline .grid { stroke: #e8eaed; } .timeline .axis { stroke: #9aa0a6; }
.timeline .tick { font-size: 11px; fill: #5f6368; }
.timeline .lane-label { font-size: 12.5px; font-weight: 600; fill: #202124; }
.timeline .sql-label { font-weight: 400; fill: #3c4043; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; }
.timeline .bar-label { font-size: 11px; fill: #5f6368; }
.timeline .state-bar { fill: var(--stroke); }
.timeline .statement-bar { stroke-width: 1.5; }
.sql-finished { --fill: #ceead6; --stroke: #1e8e3e; } .sql-failed { --fill: #fad2cf; --stroke: #d93025; }
.sql-aborted { --fill: #d7ccc8; --stroke: #795548; } .sql-running { --fill: #d2e3fc; --stroke: #1a73e8; } .sql-other { --fill: #e8eaed; --stroke: #9aa0a6; }
.timeline .statement-bar { fill: var(--fill); stroke: var(--stroke); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid #e8eaed; }
th { background: #f1f3f4; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.failure td { background: #fce8e6; }
td.sql { min-width: 320px; }
td.sql pre { margin: 0; max-height: 160px; }
td code, summary code { white-space: pre-wrap; word-break: break-word; }
details summary { cursor: pointer; color: #1a0dab; }
.error { color: #b3261e; font-weight: 600; }
.empty { color: #5f6368; font-style: italic; }
.highlight { outline: 3px solid #fbbc04; }
`;
