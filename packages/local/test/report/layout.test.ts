import { describe, expect, it } from 'vitest';
import { layeredLayout, type PlacedNode } from '../../src/report/layout.js';

const box = (id: string) => ({ id, width: 100, height: 40 });

function overlaps(a: PlacedNode, b: PlacedNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('layeredLayout', () => {
  it('puts each forward edge’s target in a lower layer and routes a loop on the right', () => {
    const nodes = ['A', 'B', 'C', 'D'].map(box);
    const edges = [
      { from: 'A', to: 'B' },
      { from: 'B', to: 'C' },
      { from: 'C', to: 'B' },
      { from: 'C', to: 'D' },
      { from: 'A', to: 'D' },
    ];

    const layout = layeredLayout(nodes, edges, ['A']);

    const y = (id: string): number => layout.nodes.get(id)!.y;
    expect([y('A'), y('B'), y('C'), y('D')]).toEqual([12, 108, 204, 300]);
    expect(layout.edges.map((e) => e.back)).toEqual([false, false, true, false, false]);
    const loop = layout.edges[2]!;
    const c = layout.nodes.get('C')!;
    // Leaves C downwards, runs right of every node, enters B from above.
    expect(loop.points[0]).toEqual({ x: c.x + c.width * 0.85, y: c.y + c.height });
    expect(loop.points.at(-1)).toEqual({ x: layout.nodes.get('B')!.x + 85, y: y('B') });
    expect(Math.max(...loop.points.map((p) => p.x))).toBeLessThanOrEqual(layout.width);
    // The long edge A -> D passes through two dummy slots: 2 points per skipped layer + both ends.
    expect(layout.edges[4]!.points).toHaveLength(6);
  });

  it('never overlaps nodes, for a wide fan-out and fan-in of 30 states', () => {
    const names = Array.from({ length: 30 }, (_, i) => `S${i}`);
    const nodes = ['root', ...names, 'sink'].map(box);
    const edges = [
      ...names.slice(0, 10).map((n) => ({ from: 'root', to: n })),
      ...names.slice(10).map((n, i) => ({ from: names[i % 10]!, to: n })),
      ...names.slice(10).map((n) => ({ from: n, to: 'sink' })),
    ];

    const layout = layeredLayout(nodes, edges, ['root']);

    const placed = [...layout.nodes.values()];
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++)
        expect(overlaps(placed[i]!, placed[j]!)).toBe(false);
    }
    for (const p of placed) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x + p.width).toBeLessThanOrEqual(layout.width);
      expect(p.y + p.height).toBeLessThanOrEqual(layout.height);
    }
  });

  it('places a node with no edges and a self-loop without failing', () => {
    const layout = layeredLayout([box('A'), box('Lonely')], [{ from: 'A', to: 'A' }], ['A']);

    // The loop on the first layer gets room above it.
    const top = 12 + 56 * 0.7;
    expect(layout.nodes.get('A')).toEqual({ x: 12, y: top, width: 100, height: 40 });
    expect(layout.nodes.get('Lonely')).toEqual({ x: 140, y: top, width: 100, height: 40 });
    expect(layout.edges[0]!.back).toBe(true);
  });
});
