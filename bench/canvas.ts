// npm run bench -- --only=canvas: the architecture canvas in headless
// Chromium (issue 5 part 8). A production build of the app is served from a
// temporary folder; each case opens a built-in scenario paused, presses Play
// at 10x and counts frames with requestAnimationFrame over 10 s of wall time
// while a Deployment scales from 0 to 1,500 pods (the timeline does it at
// 1 s of simulated time, 0.1 s into the window). Prints the median frame
// rate, the 95th-percentile frame time, the longest main-thread task
// (PerformanceObserver 'longtask') and how many pods the canvas shows
// Running at the end, so a figure from a canvas that did nothing is seen as
// such. Targets: median at least 55 fps, p95 frame at most 25 ms.
//
// Each case runs twice: as a person sees the app (every panel), and `_alone`
// with the other panels out of the way (the Events tab chosen, so the
// objects table with its row per object unmounts, and every panel but the
// canvas display: none), which is what the canvas itself costs beside the
// simulation.
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { build } from 'vite';

const WINDOW_MS = 10_000;
const SPEED = 10;

export interface CanvasCase {
  /** Figure names start with this: canvas_50_nodes_fps_median, ... */
  name: string;
  scenario: string;
  /** Counts the pods the canvas shows Running (cards: tokens; heat map: its data-running). */
  running: (page: Page) => Promise<number>;
  /** Resolves once the canvas has drawn the scenario's nodes. */
  ready: (page: Page) => Promise<void>;
}

export const CANVAS_CASES: CanvasCase[] = [
  {
    name: 'canvas_50_nodes',
    scenario: 'scale-50-nodes',
    ready: (page) => page.getByTestId('worker-card').nth(49).waitFor({ timeout: 60_000 }),
    running: (page) => page.locator('[data-testid="pod-token"][data-phase="Running"]').count(),
  },
  {
    name: 'canvas_1000_nodes',
    scenario: 'scale-1000-nodes',
    ready: (page) => page.locator('[data-testid="heat-map"][data-nodes="1000"][data-pods]').waitFor({ timeout: 60_000 }),
    running: async (page) => Number(await page.getByTestId('heat-map').getAttribute('data-running')),
  },
];

interface WindowFigures {
  frames: number[];
  longestTask: number;
}

export async function benchCanvas(print: (name: string, value: number, unit: string) => void): Promise<void> {
  const dist = mkdtempSync(join(tmpdir(), 'kubeviz-bench-canvas-'));
  let server: Server | null = null;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    await build({ root: process.cwd(), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
    server = await serveStatic(dist);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const alone of [false, true]) {
      for (const c of CANVAS_CASES) {
        const name = alone ? `${c.name}_alone` : c.name;
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        await page.goto(`${base}/?scenario=${c.scenario}&paused&speed=${SPEED}`);
        await c.ready(page);
        if (alone) await leaveOnlyTheCanvas(page);
        const figures = await measureWhilePlaying(page);
        const frames = figures.frames.slice().sort((a, b) => a - b);
        const median = quantile(frames, 0.5);
        print(`${name}_fps_median`, median > 0 ? 1000 / median : 0, 'fps');
        print(`${name}_frame_p95`, quantile(frames, 0.95), 'ms');
        print(`${name}_longest_task`, figures.longestTask, 'ms');
        print(`${name}_frames`, frames.length, 'frames');
        print(`${name}_pods_running`, await c.running(page), 'pods');
        print(`${name}_sim_time`, (await simSeconds(page)) ?? NaN, 's');
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server?.close();
    rmSync(dist, { recursive: true, force: true });
  }
}

/** Every panel but the architecture canvas out of the page's rendering, and the objects table unmounted. */
async function leaveOnlyTheCanvas(page: Page): Promise<void> {
  const events = page.getByTestId('center-tab-events');
  if (await events.count()) await events.click();
  await page.addStyleTag({
    content: `.workspace > :not(:has([data-testid="architecture-canvas"])), .column-center > :not([data-testid="architecture-canvas"]) { display: none !important; }`,
  });
}

/** Presses Play and records every requestAnimationFrame interval and the longest task for WINDOW_MS of wall time. */
async function measureWhilePlaying(page: Page): Promise<WindowFigures> {
  await page.evaluate(() => {
    const w = window as unknown as { __bench: { frames: number[]; longest: number; done: boolean } };
    w.__bench = { frames: [], longest: 0, done: false };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__bench.longest = Math.max(w.__bench.longest, e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  await page.getByRole('button', { name: /^Play/ }).click();
  return page.evaluate(
    (windowMs) =>
      new Promise<WindowFigures>((resolve) => {
        const b = (window as unknown as { __bench: { frames: number[]; longest: number } }).__bench;
        let last = -1;
        let start = -1;
        const frame = (t: number) => {
          if (start < 0) start = t;
          else b.frames.push(t - last);
          last = t;
          if (t - start < windowMs) requestAnimationFrame(frame);
          // Long tasks are reported a moment after they end.
          else setTimeout(() => resolve({ frames: b.frames, longestTask: b.longest }), 200);
        };
        requestAnimationFrame(frame);
      }),
    WINDOW_MS,
  );
}

async function simSeconds(page: Page): Promise<number | null> {
  const text = (await page.getByTestId('sim-clock').textContent()) ?? '';
  const m = /^(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json' };

/** The built site on a free port of 127.0.0.1. */
function serveStatic(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
