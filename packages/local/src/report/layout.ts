/**
 * A small layered ("Sugiyama-style") graph layout, top to bottom: back edges found by DFS,
 * longest-path layering, dummy nodes for edges that skip layers, barycentre ordering sweeps, and
 * x positions by isotonic regression (pool adjacent violators) towards the neighbours' centres.
 * Good enough for state machines of a few dozen states; no external layout library.
 */

export interface LayoutNodeInput {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

export interface LayoutEdgeInput {
  readonly from: string;
  readonly to: string;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface PlacedNode {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  /** The polyline from the source's border to the target's border. */
  readonly points: readonly Point[];
  /** True for an edge that goes back up (a loop); it is routed on the right side. */
  readonly back: boolean;
}

export interface LayoutResult {
  readonly width: number;
  readonly height: number;
  readonly nodes: ReadonlyMap<string, PlacedNode>;
  /** One per input edge, in input order. */
  readonly edges: readonly PlacedEdge[];
}

export interface LayoutOptions {
  readonly nodeGap?: number;
  readonly layerGap?: number;
  readonly margin?: number;
}

const DEFAULT_NODE_GAP = 28;
const DEFAULT_LAYER_GAP = 56;
const DEFAULT_MARGIN = 12;
/** Width reserved for an edge passing through a layer. */
const DUMMY_WIDTH = 14;
const ORDERING_SWEEPS = 6;
const POSITIONING_SWEEPS = 8;
/** Where a loop's horizontal runs sit in the gap between layers, and their extra lanes (share of the gap). */
const LOOP_OFFSET = 0.3;
/** Room kept above the first or below the last layer for a loop (share of the gap). */
const LOOP_ROOM = 0.7;
/** Horizontal distance between parallel back-edge routes on the right. */
const BACK_EDGE_SPACING = 14;

interface Item {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  layer: number;
  order: number;
  x: number; // centre
}

/** Least-squares fit of non-decreasing values (pool adjacent violators). */
function isotonic(values: readonly number[]): number[] {
  const blocks: { sum: number; count: number }[] = [];
  for (const v of values) {
    blocks.push({ sum: v, count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const prev = blocks[blocks.length - 2]!;
      if (prev.sum / prev.count <= last.sum / last.count) break;
      prev.sum += last.sum;
      prev.count += last.count;
      blocks.pop();
    }
  }
  const out: number[] = [];
  for (const b of blocks) for (let i = 0; i < b.count; i++) out.push(b.sum / b.count);
  return out;
}

export function layeredLayout(
  nodes: readonly LayoutNodeInput[],
  edges: readonly LayoutEdgeInput[],
  roots: readonly string[],
  options: LayoutOptions = {},
): LayoutResult {
  const nodeGap = options.nodeGap ?? DEFAULT_NODE_GAP;
  const layerGap = options.layerGap ?? DEFAULT_LAYER_GAP;
  const margin = options.margin ?? DEFAULT_MARGIN;

  const items = new Map<string, Item>();
  for (const n of nodes) {
    items.set(n.id, {
      id: n.id,
      width: n.width,
      height: n.height,
      layer: 0,
      order: 0,
      x: 0,
    });
  }
  const known = edges.filter((e) => items.has(e.from) && items.has(e.to));
  const out = new Map<string, string[]>();
  for (const n of nodes) out.set(n.id, []);
  for (const e of known) out.get(e.from)!.push(e.to);

  // 1. Back edges: DFS from the roots, then from any node not reached.
  const backEdge = new Set<string>();
  const visitState = new Map<string, 'open' | 'done'>();
  const discovery: string[] = [];
  const dfs = (start: string): void => {
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    visitState.set(start, 'open');
    discovery.push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = out.get(top.id)!;
      if (top.next >= targets.length) {
        visitState.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const to = targets[top.next++]!;
      const state = visitState.get(to);
      if (state === 'open') backEdge.add(`${top.id}\u0000${to}`);
      else if (state === undefined) {
        visitState.set(to, 'open');
        discovery.push(to);
        stack.push({ id: to, next: 0 });
      }
    }
  };
  for (const r of roots) if (items.has(r) && !visitState.has(r)) dfs(r);
  for (const n of nodes) if (!visitState.has(n.id)) dfs(n.id);
  const isBack = (e: LayoutEdgeInput): boolean =>
    e.from === e.to || backEdge.has(`${e.from}\u0000${e.to}`);
  const forward = known.filter((e) => !isBack(e));

  // 2. Longest-path layering over the forward edges (Kahn's order).
  const indegree = new Map<string, number>();
  for (const n of nodes) indegree.set(n.id, 0);
  for (const e of forward) indegree.set(e.to, indegree.get(e.to)! + 1);
  const queue = discovery.filter((id) => indegree.get(id) === 0);
  const fwdOut = new Map<string, string[]>();
  for (const n of nodes) fwdOut.set(n.id, []);
  for (const e of forward) fwdOut.get(e.from)!.push(e.to);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const to of fwdOut.get(id)!) {
      const target = items.get(to)!;
      target.layer = Math.max(target.layer, items.get(id)!.layer + 1);
      indegree.set(to, indegree.get(to)! - 1);
      if (indegree.get(to) === 0) queue.push(to);
    }
  }

  // 3. Dummy nodes on forward edges that span more than one layer.
  const chains = new Map<LayoutEdgeInput, string[]>();
  const links: { from: string; to: string }[] = [];
  const dummyOwner = new Map<string, string>();
  let dummyCount = 0;
  for (const e of forward) {
    const from = items.get(e.from)!;
    const to = items.get(e.to)!;
    const chain = [e.from];
    for (let layer = from.layer + 1; layer < to.layer; layer++) {
      const id = `\u0000dummy${dummyCount++}`;
      items.set(id, { id, width: DUMMY_WIDTH, height: 0, layer, order: 0, x: 0 });
      dummyOwner.set(id, e.from);
      chain.push(id);
    }
    chain.push(e.to);
    for (let i = 0; i + 1 < chain.length; i++) links.push({ from: chain[i]!, to: chain[i + 1]! });
    chains.set(e, chain);
  }
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const id of items.keys()) {
    preds.set(id, []);
    succs.set(id, []);
  }
  for (const l of links) {
    succs.get(l.from)!.push(l.to);
    preds.get(l.to)!.push(l.from);
  }

  // 4. Ordering within layers: discovery order, then barycentre sweeps.
  const layerCount = Math.max(0, ...[...items.values()].map((i) => i.layer)) + 1;
  const layers: Item[][] = Array.from({ length: layerCount }, () => []);
  const rank = new Map<string, number>();
  discovery.forEach((id, i) => rank.set(id, i));
  const rankOf = (id: string): number => rank.get(id) ?? rank.get(dummyOwner.get(id) ?? '') ?? 0;
  const orderedIds = [...items.keys()].sort((a, b) => rankOf(a) - rankOf(b));
  for (const id of orderedIds) {
    const item = items.get(id)!;
    item.order = layers[item.layer]!.length;
    layers[item.layer]!.push(item);
  }
  const sortLayer = (layer: Item[], neighbours: Map<string, string[]>): void => {
    const key = new Map<string, number>();
    for (const item of layer) {
      const ns = neighbours.get(item.id)!;
      key.set(
        item.id,
        ns.length === 0 ? item.order : ns.reduce((s, n) => s + items.get(n)!.order, 0) / ns.length,
      );
    }
    layer.sort((a, b) => key.get(a.id)! - key.get(b.id)! || a.order - b.order);
    layer.forEach((item, i) => (item.order = i));
  };
  for (let sweep = 0; sweep < ORDERING_SWEEPS; sweep++) {
    if (sweep % 2 === 0) for (let l = 1; l < layerCount; l++) sortLayer(layers[l]!, preds);
    else for (let l = layerCount - 2; l >= 0; l--) sortLayer(layers[l]!, succs);
  }

  // 5. x positions: pack, then pull each layer towards its neighbours' centres.
  const separation = (a: Item, b: Item): number => a.width / 2 + nodeGap + b.width / 2;
  for (const layer of layers) {
    let x = 0;
    layer.forEach((item, i) => {
      item.x = i === 0 ? item.width / 2 : x + separation(layer[i - 1]!, item);
      x = item.x;
    });
  }
  const place = (layer: Item[], neighbours: Map<string, string[]>): void => {
    if (layer.length === 0) return;
    const offsets: number[] = [0];
    for (let i = 1; i < layer.length; i++)
      offsets.push(offsets[i - 1]! + separation(layer[i - 1]!, layer[i]!));
    const desired = layer.map((item, i) => {
      const ns = neighbours.get(item.id)!;
      const target =
        ns.length === 0 ? item.x : ns.reduce((s, n) => s + items.get(n)!.x, 0) / ns.length;
      return target - offsets[i]!;
    });
    isotonic(desired).forEach((v, i) => (layer[i]!.x = v + offsets[i]!));
  };
  for (let sweep = 0; sweep < POSITIONING_SWEEPS; sweep++) {
    if (sweep % 2 === 0) for (let l = 1; l < layerCount; l++) place(layers[l]!, preds);
    else for (let l = layerCount - 2; l >= 0; l--) place(layers[l]!, succs);
  }
  const all = [...items.values()];
  const minLeft = Math.min(...all.map((i) => i.x - i.width / 2));
  for (const item of all) item.x += margin - minLeft;

  // 6. y positions: layers stacked with their tallest node; room above the first and below the
  // last layer when a loop runs there.
  const loops = known.filter(isBack);
  const loopRoom = layerGap * LOOP_ROOM;
  const roomAbove = loops.some((e) => items.get(e.to)!.layer === 0) ? loopRoom : 0;
  const roomBelow = loops.some((e) => items.get(e.from)!.layer === layerCount - 1) ? loopRoom : 0;
  const layerTop: number[] = [];
  const layerHeight: number[] = [];
  let y = margin + roomAbove;
  for (const layer of layers) {
    layerTop.push(y);
    const h = Math.max(0, ...layer.map((i) => i.height));
    layerHeight.push(h);
    y += h + layerGap;
  }
  const height = y - layerGap + roomBelow + margin;

  const placed = new Map<string, PlacedNode>();
  for (const n of nodes) {
    const item = items.get(n.id)!;
    // Top-aligned: every edge into a layer ends at the same height, above any tall neighbour.
    const top = layerTop[item.layer]!;
    placed.set(n.id, {
      x: item.x - item.width / 2,
      y: top,
      width: item.width,
      height: item.height,
    });
  }
  let width = Math.max(0, ...all.map((i) => i.x + i.width / 2)) + margin;

  // 7. Edge routes. Ports spread along the bottom and top borders, ordered by the far end's x.
  const portX = (id: string, far: string[], side: 'out' | 'in'): Map<string, number> => {
    const node = placed.get(id)!;
    const sorted = [...far].sort((a, b) => items.get(a)!.x - items.get(b)!.x);
    const result = new Map<string, number>();
    const usable = node.width * 0.6;
    sorted.forEach((f, i) => {
      const t = sorted.length === 1 ? 0.5 : i / (sorted.length - 1);
      result.set(`${side}\u0000${f}`, node.x + node.width / 2 - usable / 2 + usable * t);
    });
    return result;
  };
  const outPorts = new Map<string, Map<string, number>>();
  const inPorts = new Map<string, Map<string, number>>();
  for (const n of nodes) {
    outPorts.set(n.id, portX(n.id, [...new Set(succs.get(n.id)!)], 'out'));
    inPorts.set(n.id, portX(n.id, [...new Set(preds.get(n.id)!)], 'in'));
  }
  let backIndex = 0;
  const placedEdges: PlacedEdge[] = [];
  const layerBottom = (layer: number): number => layerTop[layer]! + layerHeight[layer]!;
  for (const e of edges) {
    const chain = chains.get(e);
    if (chain) {
      const from = placed.get(e.from)!;
      const to = placed.get(e.to)!;
      const startX = outPorts.get(e.from)!.get(`out\u0000${chain[1]!}`) ?? from.x + from.width / 2;
      // Straight down to the bottom of the source's layer first: nothing else is in that column.
      const points: Point[] = [{ x: startX, y: from.y + from.height }];
      const sourceBottom = layerBottom(items.get(e.from)!.layer);
      if (sourceBottom > from.y + from.height) points.push({ x: startX, y: sourceBottom });
      for (const id of chain.slice(1, -1)) {
        const d = items.get(id)!;
        points.push({ x: d.x, y: layerTop[d.layer]! });
        points.push({ x: d.x, y: layerBottom(d.layer) });
      }
      points.push({
        x: inPorts.get(e.to)!.get(`in\u0000${chain[chain.length - 2]!}`) ?? to.x + to.width / 2,
        y: to.y,
      });
      placedEdges.push({ from: e.from, to: e.to, points, back: false });
      continue;
    }
    const from = placed.get(e.from);
    const to = placed.get(e.to);
    if (!from || !to) {
      placedEdges.push({ from: e.from, to: e.to, points: [], back: false });
      continue;
    }
    // A loop: down into the gap under the source's layer, right past every node of the layers
    // it spans, up to the gap above the target's layer, then down into the target.
    const fromLayer = items.get(e.from)!.layer;
    const toLayer = items.get(e.to)!.layer;
    const lo = Math.min(fromLayer, toLayer);
    const hi = Math.max(fromLayer, toLayer);
    let right = 0;
    for (let l = lo; l <= hi; l++) {
      for (const item of layers[l]!) right = Math.max(right, item.x + item.width / 2);
    }
    const lane = BACK_EDGE_SPACING * backIndex++;
    const routeX = right + nodeGap / 2 + lane;
    width = Math.max(width, routeX + margin);
    const offset = layerGap * LOOP_OFFSET + Math.min(lane, layerGap * LOOP_OFFSET);
    const belowY = layerBottom(fromLayer) + offset;
    const aboveY = layerTop[toLayer]! - offset;
    const outX = from.x + from.width * 0.85;
    const inX = to.x + to.width * 0.85;
    placedEdges.push({
      from: e.from,
      to: e.to,
      back: true,
      points: [
        { x: outX, y: from.y + from.height },
        { x: outX, y: belowY },
        { x: routeX, y: belowY },
        { x: routeX, y: aboveY },
        { x: inX, y: aboveY },
        { x: inX, y: to.y },
      ],
    });
  }
  return { width, height, nodes: placed, edges: placedEdges };
}
