import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { etlExecution } from './etl-execution.js';
import { wideDefinition } from './wide-definition.js';
import { countColour, decodePng, inkRatio } from './png.js';

/** Debian's Chromium, installed by `.ci/install-chromium.sh`. */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`report browser test skipped: ${CHROMIUM} is missing; run .ci/install-chromium.sh`);
}

/** Flags for a quiet, offline headless run (`--headless` and the user data dir come from Playwright). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The DOM functions used inside `$$eval` (the test's tsconfig has no DOM lib). */
interface BrowserGlobals {
  getComputedStyle(element: unknown): { fill: string };
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

// Skips only when Chromium is absent (printed above); CI installs it first.
describe.skipIf(!haveChromium)('the HTML report in headless Chromium', () => {
  let dir: string;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stepshift-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReport(etlExecution()));
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(pathToFileURL(file).href);
  });

  afterAll(async () => {
    await context?.close();
    // STEPSHIFT_KEEP_REPORT=1 keeps the page and its screenshots to look at.
    if (dir && !process.env['STEPSHIFT_KEEP_REPORT']) rmSync(dir, { recursive: true, force: true });
  });

  it('loads offline without errors', () => {
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('renders every state of the graph as a visible box, leaves never overlapping', async () => {
    const states = await page.$$eval('.graph .state', (groups) =>
      groups.map((g) => {
        const rect = g.querySelector('rect')!.getBoundingClientRect();
        return {
          name: g.getAttribute('data-state'),
          container: g.classList.contains('container'),
          fill: (globalThis as unknown as BrowserGlobals).getComputedStyle(g.querySelector('rect')!)
            .fill,
          box: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
        };
      }),
    );

    expect(states.map((s) => s.name)).toEqual([
      'CreateTables',
      'LoadInParallel',
      'LoadOrders',
      'LoadCustomers',
      'DedupeCustomers',
      'HasRows',
      'NoData',
      'Aggregate',
      'Publish',
      'RecordFailure',
      'Done',
    ]);
    const leaves = states.filter((s) => !s.container).map((s) => s.box);
    for (const b of leaves) {
      expect(b.width).toBeGreaterThanOrEqual(140);
      expect(b.height).toBe(48);
    }
    const overlap = (a: Box, b: Box): boolean =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (let i = 0; i < leaves.length; i++) {
      for (let j = i + 1; j < leaves.length; j++)
        expect(overlap(leaves[i]!, leaves[j]!)).toBe(false);
    }
    expect(states.find((s) => s.name === 'Aggregate')!.fill).toBe('rgb(254, 247, 224)');
    expect(states.find((s) => s.name === 'CreateTables')!.fill).toBe('rgb(230, 244, 234)');
    expect(states.find((s) => s.name === 'Publish')!.fill).toBe('rgb(248, 249, 250)');
    const edges = await page.$$eval('.graph path.edge', (paths) =>
      paths.map((p) => (p as unknown as { getTotalLength(): number }).getTotalLength()),
    );
    expect(edges).toHaveLength(12);
    for (const length of edges) expect(length).toBeGreaterThan(20);
  });

  it('renders the timeline bars inside the plot, in time order', async () => {
    const bars = await page.$$eval('.timeline .bar', (rects) =>
      rects.map((r) => {
        const b = r.getBoundingClientRect();
        return { cls: r.getAttribute('class'), x: b.x, width: b.width, height: b.height };
      }),
    );
    const svg = await page.locator('.timeline').boundingBox();

    expect(bars.filter((b) => b.cls!.includes('state-bar'))).toHaveLength(9);
    expect(bars.filter((b) => b.cls!.includes('statement-bar'))).toHaveLength(6);
    for (const b of bars) {
      expect(b.width).toBeGreaterThanOrEqual(3);
      expect(b.height).toBeGreaterThan(8);
      expect(b.x).toBeGreaterThanOrEqual(svg!.x + 300 - 1);
      expect(b.x + b.width).toBeLessThanOrEqual(svg!.x + svg!.width);
    }
    const stateStarts = bars.filter((b) => b.cls!.includes('state-bar')).map((b) => b.x);
    expect(stateStarts[0]).toBeLessThan(stateStarts[stateStarts.length - 1]!);
  });

  it('lays out a definition of 25 states (3 nested scopes) without overlaps, children inside their containers', async () => {
    const file = join(dir, 'wide.html');
    writeFileSync(
      file,
      renderReport({
        title: 'wide',
        definition: wideDefinition,
        result: { status: 'SUCCEEDED' },
        history: [],
      }),
    );
    const wide = await context.newPage();
    await wide.goto(pathToFileURL(file).href);
    const states = await wide.$$eval('.graph .state', (groups) =>
      groups.map((g) => {
        const r = g.querySelector('rect')!.getBoundingClientRect();
        return {
          container: g.classList.contains('container'),
          box: { x: r.x, y: r.y, width: r.width, height: r.height },
        };
      }),
    );
    const loops = await wide.$$eval('.graph path.edge.back', (paths) => paths.length);
    await wide.close();

    expect(states).toHaveLength(25);
    expect(loops).toBe(1);
    const inside = (a: Box, b: Box): boolean =>
      a.x >= b.x &&
      a.y >= b.y &&
      a.x + a.width <= b.x + b.width &&
      a.y + a.height <= b.y + b.height;
    const overlap = (a: Box, b: Box): boolean =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (let i = 0; i < states.length; i++) {
      for (let j = i + 1; j < states.length; j++) {
        const [a, b] = [states[i]!, states[j]!];
        // Two boxes either do not touch or one (a container) holds the other.
        const nested =
          (a.container && inside(b.box, a.box)) || (b.container && inside(a.box, b.box));
        expect(nested || !overlap(a.box, b.box)).toBe(true);
      }
    }
  });

  it('paints the graph and the timeline: screenshots are not blank and show the outcome colours', async () => {
    const graphPng = join(dir, 'graph.png');
    const timelinePng = join(dir, 'timeline.png');
    const graph = decodePng(await page.locator('#graph .graph').screenshot({ path: graphPng }));
    const timeline = decodePng(
      await page.locator('#timeline .timeline').screenshot({ path: timelinePng }),
    );
    console.info(`report screenshots: ${graphPng}, ${timelinePng}`);

    expect(graph.width).toBeGreaterThan(500);
    expect(graph.height).toBeGreaterThan(700);
    expect(inkRatio(graph)).toBeGreaterThan(0.1);
    expect(countColour(graph, '#1e8e3e')).toBeGreaterThan(5000); // succeeded borders
    expect(countColour(graph, '#e37400')).toBeGreaterThan(800); // the caught state's border
    expect(countColour(graph, '#d93025')).toBeGreaterThan(40); // the taken Catch edge
    expect(inkRatio(timeline)).toBeGreaterThan(0.1);
    expect(countColour(timeline, '#1e8e3e', 8)).toBeGreaterThan(10_000); // succeeded state bars
    expect(countColour(timeline, '#e37400', 8)).toBeGreaterThan(4000); // the caught Aggregate bar
    expect(countColour(timeline, '#fad2cf', 8)).toBeGreaterThan(2000); // the failed statement bar
  });
});
