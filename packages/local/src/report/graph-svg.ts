import type { ExecutionAnalysis, StateOutcome } from './analysis.js';
import { escapeHtml } from './escape.js';
import { layeredLayout, type LayoutResult, type Point } from './layout.js';
import type { EdgeKind, GraphNode, GraphScope } from './state-graph.js';
import { formatDuration } from './time.js';

const NODE_HEIGHT = 48;
const NODE_MIN_WIDTH = 150;
const NODE_MAX_WIDTH = 240;
const MARKER_WIDTH = 72;
const MARKER_HEIGHT = 28;
/** Average glyph widths of the report's sans-serif font at the sizes used. */
const NAME_CHAR_PX = 8.2;
const DETAIL_CHAR_PX = 6.1;
const CONTAINER_HEADER = 46;
const CONTAINER_PADDING = 10;
const BRANCH_LABEL = 18;
const BRANCH_GAP = 12;
/** Where along the first bend of an edge its label sits (0 = source end), alternating. */
const LABEL_POSITIONS = [0.3, 0.62];

interface Sized {
  readonly width: number;
  readonly height: number;
  /** Inner layouts of a container, one per scope, with their offsets inside the node. */
  readonly inner: readonly { scope: GraphScope; layout: MeasuredScope; dx: number; dy: number }[];
}

interface MeasuredScope {
  readonly layout: LayoutResult;
  readonly sizes: ReadonlyMap<string, Sized>;
}

function fit(text: string, widthPx: number, charPx: number): string {
  const max = Math.max(4, Math.floor(widthPx / charPx));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function detailLine(node: GraphNode): string {
  return node.detail ? `${node.type} · ${node.detail}` : node.type;
}

function measureNode(node: GraphNode): Sized {
  if (node.type === 'Start' || node.type === 'End') {
    return { width: MARKER_WIDTH, height: MARKER_HEIGHT, inner: [] };
  }
  const textWidth =
    Math.max(node.name.length * NAME_CHAR_PX, detailLine(node).length * DETAIL_CHAR_PX) + 28;
  const leafWidth = Math.min(NODE_MAX_WIDTH, Math.max(NODE_MIN_WIDTH, textWidth));
  if (node.scopes.length === 0) return { width: leafWidth, height: NODE_HEIGHT, inner: [] };
  const inner: { scope: GraphScope; layout: MeasuredScope; dx: number; dy: number }[] = [];
  let x = CONTAINER_PADDING;
  let innerHeight = 0;
  for (const scope of node.scopes) {
    const measured = measureScope(scope);
    inner.push({ scope, layout: measured, dx: x, dy: CONTAINER_HEADER + BRANCH_LABEL });
    x += measured.layout.width + BRANCH_GAP;
    innerHeight = Math.max(innerHeight, measured.layout.height);
  }
  const width = Math.max(leafWidth, x - BRANCH_GAP + CONTAINER_PADDING);
  const height = CONTAINER_HEADER + BRANCH_LABEL + innerHeight + CONTAINER_PADDING;
  // Centre the branches when the header is wider than they are.
  const spare = (width - (x - BRANCH_GAP + CONTAINER_PADDING)) / 2;
  return { width, height, inner: inner.map((i) => ({ ...i, dx: i.dx + spare })) };
}

export function measureScope(scope: GraphScope): MeasuredScope {
  const sizes = new Map<string, Sized>();
  for (const node of scope.nodes) sizes.set(node.id, measureNode(node));
  const layout = layeredLayout(
    scope.nodes.map((n) => ({
      id: n.id,
      width: sizes.get(n.id)!.width,
      height: sizes.get(n.id)!.height,
    })),
    scope.edges,
    scope.roots,
  );
  return { layout, sizes };
}

function pathOf(points: readonly Point[], back: boolean): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M${first.x.toFixed(1)},${first.y.toFixed(1)}`;
  let prev = first;
  for (const p of rest) {
    if (back || Math.abs(p.x - prev.x) < 0.5) {
      d += ` L${p.x.toFixed(1)},${p.y.toFixed(1)}`;
    } else {
      const midY = (prev.y + p.y) / 2;
      d += ` C${prev.x.toFixed(1)},${midY.toFixed(1)} ${p.x.toFixed(1)},${midY.toFixed(1)} ${p.x.toFixed(1)},${p.y.toFixed(1)}`;
    }
    prev = p;
  }
  return d;
}

const EDGE_CLASS: Readonly<Record<EdgeKind, string>> = {
  next: 'edge-next',
  default: 'edge-default',
  choice: 'edge-choice',
  catch: 'edge-catch',
  start: 'edge-start',
  end: 'edge-end',
};

export const OUTCOME_LABEL: Readonly<Record<StateOutcome, string>> = {
  succeeded: 'succeeded',
  caught: 'failed, caught',
  failed: 'failed',
  aborted: 'aborted',
  running: 'running',
  notRun: 'not run',
};

function nodeTitle(node: GraphNode, analysis: ExecutionAnalysis): string {
  const summary = analysis.states.get(node.name);
  const lines = [`${node.name} (${node.type})`];
  if (node.detail) lines.push(node.detail);
  lines.push(`outcome: ${OUTCOME_LABEL[summary?.outcome ?? 'notRun']}`);
  if (summary) {
    lines.push(
      `visits: ${summary.visits.length}${summary.retries > 0 ? `, retries: ${summary.retries}` : ''}`,
    );
    const total = summary.visits.reduce((s, v) => s + ((v.end ?? analysis.end) - v.start), 0);
    lines.push(`time in state: ${formatDuration(total)}`);
    const failure = summary.visits.flatMap((v) => v.failures).at(-1);
    if (failure)
      lines.push(
        `last error: ${failure.error ?? failure.eventType}${failure.cause ? `: ${failure.cause}` : ''}`,
      );
  }
  return lines.join('\n');
}

/** Numbers the clip paths of one SVG (ids must be unique in the page). */
interface Counter {
  next: number;
}

function renderScope(
  measured: MeasuredScope,
  scope: GraphScope,
  ox: number,
  oy: number,
  analysis: ExecutionAnalysis,
  clipCounter: Counter,
): string {
  const parts: string[] = [];
  const { layout, sizes } = measured;
  const nameOf = new Map(scope.nodes.map((n) => [n.id, n.name]));
  const labelled = new Map<string, number>();
  scope.edges.forEach((edge, i) => {
    const placed = layout.edges[i];
    if (!placed || placed.points.length === 0) return;
    const points = placed.points.map((p) => ({ x: p.x + ox, y: p.y + oy }));
    const fromName = nameOf.get(edge.from) ?? '';
    const toName = nameOf.get(edge.to) ?? '';
    const taken =
      edge.kind === 'start'
        ? analysis.states.has(toName)
        : edge.kind === 'end'
          ? analysis.states.has(fromName)
          : analysis.transitions.has(`${fromName}\u0000${toName}`);
    const cls = `edge ${EDGE_CLASS[edge.kind]}${taken ? ' taken' : ''}${placed.back ? ' back' : ''}`;
    parts.push(
      `<path class="${cls}" d="${pathOf(points, placed.back)}" marker-end="url(#arrow-${edge.kind === 'catch' ? 'catch' : 'plain'})"><title>${escapeHtml(`${fromName || 'Start'} → ${toName || 'End'}${edge.title ? `: ${edge.title}` : ''}`)}</title></path>`,
    );
    if (edge.label) {
      // On the first bend of a forward edge (where fanned-out ports are apart), on the
      // vertical run of a loop.
      const bend = points.findIndex((p, k) => k > 0 && Math.abs(p.x - points[k - 1]!.x) >= 0.5);
      const a = placed.back ? points[2]! : points[Math.max(0, bend - 1)]!;
      const b = placed.back ? points[3]! : (points[Math.max(1, bend)] ?? a);
      // Sibling labels (a Choice's rules) alternate between two heights so they do not overlap.
      const sibling = labelled.get(edge.from) ?? 0;
      labelled.set(edge.from, sibling + 1);
      const u = placed.back ? 0.5 : LABEL_POSITIONS[sibling % LABEL_POSITIONS.length]!;
      const cubic = (p0: number, p1: number): number =>
        p0 * (1 - u) ** 3 + 3 * p0 * (1 - u) ** 2 * u + 3 * p1 * (1 - u) * u ** 2 + p1 * u ** 3;
      const lx = placed.back ? a.x + 4 : cubic(a.x, b.x);
      const midY = (a.y + b.y) / 2;
      const ly = placed.back ? midY : a.y * (1 - u) ** 3 + 3 * midY * (1 - u) * u + b.y * u ** 3;
      const w = edge.label.length * 5.9 + 8;
      parts.push(
        `<g class="edge-label ${EDGE_CLASS[edge.kind]}"><rect x="${(placed.back ? lx : lx - w / 2).toFixed(1)}" y="${(ly - 8).toFixed(1)}" width="${w.toFixed(1)}" height="15" rx="3"/><text x="${(placed.back ? lx + 4 : lx).toFixed(1)}" y="${(ly + 3).toFixed(1)}"${placed.back ? '' : ' text-anchor="middle"'}>${escapeHtml(edge.label)}</text><title>${escapeHtml(edge.title ?? edge.label)}</title></g>`,
      );
    }
  });
  for (const node of scope.nodes) {
    const box = layout.nodes.get(node.id);
    const size = sizes.get(node.id);
    if (!box || !size) continue;
    const x = box.x + ox;
    const y = box.y + oy;
    if (node.type === 'Start' || node.type === 'End') {
      parts.push(
        `<g class="marker"><rect x="${x}" y="${y}" width="${box.width}" height="${box.height}" rx="${box.height / 2}"/><text x="${x + box.width / 2}" y="${y + 18}" text-anchor="middle">${node.type}</text></g>`,
      );
      continue;
    }
    const summary = analysis.states.get(node.name);
    const outcome = summary?.outcome ?? 'notRun';
    const clipId = `clip-${clipCounter.next++}`;
    const container = node.scopes.length > 0;
    const badges: string[] = [];
    if (summary && summary.visits.length > 1) badges.push(`×${summary.visits.length}`);
    if (summary && summary.retries > 0) badges.push(`↻${summary.retries}`);
    parts.push(
      `<g class="state outcome-${outcome}${container ? ' container' : ''}" data-state="${escapeHtml(node.name)}" data-outcome="${outcome}">`,
      `<title>${escapeHtml(nodeTitle(node, analysis))}</title>`,
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${box.width.toFixed(1)}" height="${box.height.toFixed(1)}" rx="${container ? 8 : 6}"/>`,
      // Glyph widths are estimates: the box clips its text should a name still run long.
      `<clipPath id="${clipId}"><rect x="${(x + 4).toFixed(1)}" y="${y.toFixed(1)}" width="${(box.width - 8).toFixed(1)}" height="${box.height.toFixed(1)}"/></clipPath>`,
      `<g clip-path="url(#${clipId})">`,
      `<text class="name" x="${(x + 10).toFixed(1)}" y="${(y + 19).toFixed(1)}">${escapeHtml(fit(node.name, box.width - 20 - badges.join(' ').length * 7, NAME_CHAR_PX))}</text>`,
      `<text class="detail" x="${(x + 10).toFixed(1)}" y="${(y + 36).toFixed(1)}">${escapeHtml(fit(detailLine(node), box.width - 20, DETAIL_CHAR_PX))}</text>`,
      '</g>',
    );
    if (badges.length > 0) {
      parts.push(
        `<text class="badge" x="${(x + box.width - 8).toFixed(1)}" y="${(y + 19).toFixed(1)}" text-anchor="end">${badges.join(' ')}</text>`,
      );
    }
    parts.push('</g>');
    for (const inner of size.inner) {
      const ix = x + inner.dx;
      const iy = y + inner.dy;
      parts.push(
        `<g class="scope"><rect class="scope-frame" x="${ix.toFixed(1)}" y="${(iy - BRANCH_LABEL).toFixed(1)}" width="${inner.layout.layout.width.toFixed(1)}" height="${(inner.layout.layout.height + BRANCH_LABEL).toFixed(1)}" rx="6"/><text class="scope-label" x="${(ix + 8).toFixed(1)}" y="${(iy - 5).toFixed(1)}">${escapeHtml(inner.scope.label)}</text></g>`,
        renderScope(inner.layout, inner.scope, ix, iy, analysis, clipCounter),
      );
    }
  }
  return parts.join('\n');
}

/** The state graph as one inline SVG element, states coloured by outcome. */
export function renderGraphSvg(root: GraphScope, analysis: ExecutionAnalysis): string {
  const measured = measureScope(root);
  const { width, height } = measured.layout;
  return [
    `<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" role="img" aria-label="State graph">`,
    '<defs>',
    '<marker id="arrow-plain" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5f6368"/></marker>',
    '<marker id="arrow-catch" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#d93025"/></marker>',
    '</defs>',
    renderScope(measured, root, 0, 0, analysis, { next: 0 }),
    '</svg>',
  ].join('\n');
}
