// Where the canvas bench's frames go: `npx tsx bench/profile-canvas.ts
// [scenario] [seconds]` builds the app unminified, plays the scenario at 10x
// in headless Chromium under the CPU profiler (Chrome DevTools Protocol) and
// prints the functions with the most self time, with their source file. A
// tool for finding hot spots, not a figure: bench/canvas.ts measures.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { build } from 'vite';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
/**
 * Self time by source folder (src/sim/scheduler, src/app/panels, react-dom, ...), through the
 * build's source map. @jridgewell/trace-mapping comes with Vite; without it this part is skipped.
 */
async function bySource(profile: Profile, self: Map<number, number>, byId: Map<number, ProfileNode>): Promise<void> {
  let mapping: typeof import('@jridgewell/trace-mapping');
  try {
    mapping = await import('@jridgewell/trace-mapping');
  } catch {
    return;
  }
  const maps = new Map<string, InstanceType<typeof mapping.TraceMap> | null>();
  const folderOf = (url: string, line: number, column: number): string => {
    const file = url.slice(url.lastIndexOf('/') + 1);
    if (!file.endsWith('.js')) return url ? file : '(native)';
    if (!maps.has(file)) {
      const path = join(dist, 'assets', `${file}.map`);
      maps.set(file, existsSync(path) ? new mapping.TraceMap(readFileSync(path, 'utf8')) : null);
    }
    const m = maps.get(file);
    const src = m ? mapping.originalPositionFor(m, { line: line + 1, column }).source : null;
    if (!src) return file;
    const nm = src.lastIndexOf('node_modules/');
    if (nm >= 0) return src.slice(nm + 13).split('/').slice(0, src.slice(nm + 13).startsWith('@') ? 2 : 1).join('/');
    const i = src.indexOf('src/');
    const parts = (i >= 0 ? src.slice(i) : src).split('/');
    return parts.slice(0, Math.min(parts.length - 1, 3)).join('/') || src;
  };
  const byFolder = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const key = f.url ? folderOf(f.url, f.lineNumber, f.columnNumber) : f.functionName || '(native)';
    byFolder.set(key, (byFolder.get(key) ?? 0) + us);
  }
  void profile;
  console.log('self time by source:');
  for (const [k, us] of [...byFolder].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(us / 1000).toFixed(0).padStart(9)} ms  ${k}`);
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const scenario = process.argv[2] ?? 'scale-1000-nodes';
const seconds = Number(process.argv[3] ?? 10);

const dist = mkdtempSync(join(tmpdir(), 'kubeviz-profile-'));
await build({ root: process.cwd(), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true, minify: false, sourcemap: true } });
const server = createServer((req, res) => {
  let file = join(dist, new URL(req.url ?? '/', 'http://x').pathname);
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
  res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html' });
  createReadStream(file).pipe(res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/?scenario=${scenario}&paused&speed=10`);
  await page.getByTestId('sim-clock').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="worker-card"], [data-testid="heat-map"]').length > 0, undefined, { timeout: 60_000 });
  // CLICK="[data-testid=center-tab-events]": click that first (e.g. another tab, so the objects table unmounts).
  if (process.env.CLICK) await page.locator(process.env.CLICK).click();
  // HIDE=".objects-panel,.wire-panel": leave those out, to see what they cost.
  if (process.env.HIDE) await page.addStyleTag({ content: `${process.env.HIDE} { display: none !important; }` });
  // BURST=10000: first create a Deployment of that many pods in the kubectl console (bench/canvas.ts's config-max scale-up).
  if (process.env.BURST) {
    await page.locator('[data-testid="heat-map"][data-pods]').waitFor({ timeout: 120_000 });
    await page.getByTestId('console-toggle').click();
    await page.getByTestId('console-input').fill(`create deployment burst --image=registry.k8s.io/pause:3.10 --replicas=${process.env.BURST}`);
    await page.getByTestId('console-input').press('Enter');
    await page.locator('[data-testid="console-line"]', { hasText: 'deployment.apps/burst created' }).waitFor({ timeout: 60_000 });
    await page.getByTestId('console-toggle').click();
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  // TRACE=1: also record Chromium's trace and add up the renderer's work by kind (style, layout, paint, ...).
  const tracing = process.env.TRACE === '1';
  if (tracing) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await page.getByRole('button', { name: /^Play/ }).click();
  await page.waitForTimeout(seconds * 1000);
  if (tracing) {
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: Array<{ name: string; ph: string; dur?: number; tid: number }> };
    const byName = new Map<string, number>();
    for (const e of trace.traceEvents) if (e.ph === 'X' && e.dur) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur);
    console.log('trace (ms, all threads, nested events counted in each):');
    for (const [n, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(us / 1000).toFixed(0).padStart(9)} ms  ${n}`);
  }
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
  // A string, not a function: tsx would add helpers to a function that the page does not have.
  const frames = await page.evaluate<number>(`new Promise((resolve) => {
    let n = 0;
    const t0 = performance.now();
    const f = () => (performance.now() - t0 < 2000 ? (n++, requestAnimationFrame(f)) : resolve(n / 2));
    requestAnimationFrame(f);
  })`);
  console.log(`after the window: ${frames} frames/s; sim clock ${await page.getByTestId('sim-clock').textContent()}`);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const file = f.url.slice(f.url.lastIndexOf('/') + 1);
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    total += us;
  }
  console.log(`profiled ${(total / 1000).toFixed(0)} ms over ${seconds} s; top self time:`);
  for (const [k, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${(us / 1000).toFixed(1).padStart(9)} ms  ${k}`);
  await bySource(profile, self, byId);
  if (process.env.LONG) longStretches(profile, byId, Number(process.env.LONG));
} finally {
  await browser.close();
  server.close();
  rmSync(dist, { recursive: true, force: true });
}

/**
 * LONG=ms: the stretches of the profile with no idle sample longer than ms
 * (the main thread's long tasks, as the sampler saw them), each with the
 * functions that took most of it, self and inclusive.
 */
function longStretches(profile: Profile, byId: Map<number, ProfileNode>, minMs: number): void {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.slice(f.url.lastIndexOf('/') + 1)}:${f.lineNumber + 1}`;
  };
  let start = -1;
  let t = 0;
  const flush = (from: number, to: number, at: number) => {
    const self = new Map<string, number>();
    const incl = new Map<string, number>();
    for (let i = from; i < to; i++) {
      const us = profile.timeDeltas[i + 1] ?? 0;
      const leaf = profile.samples[i];
      self.set(name(leaf), (self.get(name(leaf)) ?? 0) + us);
      const seen = new Set<string>();
      for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
        const k = name(id);
        if (seen.has(k)) continue;
        incl.set(k, (incl.get(k) ?? 0) + us);
        seen.add(k);
      }
    }
    const ms = [...self.values()].reduce((a, b) => a + b, 0) / 1000;
    if (ms < minMs) return;
    console.log(`\nstretch of ${ms.toFixed(0)} ms at ${(at / 1e6).toFixed(2)} s:`);
    for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  self ${(us / 1000).toFixed(1).padStart(7)} ms  ${k}`);
    for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`  incl ${(us / 1000).toFixed(1).padStart(7)} ms  ${k}`);
  };
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const idle = byId.get(profile.samples[i])!.callFrame.functionName === '(idle)';
    if (!idle && start < 0) {
      start = i;
      at = t;
    }
    if (idle && start >= 0) {
      flush(start, i, at);
      start = -1;
    }
  }
  if (start >= 0) flush(start, profile.samples.length, at);
}
