// The gallery: every built-in scenario opens from the Scenarios menu, in
// place: its name in the header, its nodes on the canvas (cards, or the heat
// map for big clusters), its story (what to watch, to try, what it teaches)
// when it tells one, the address bar naming it (#scenario=NAME), and it
// plays (a Step moves the clock). A #scenario= link opens one directly.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const SHOTS = '/tmp/kv/shots-share';
const EXAMPLES = join(import.meta.dirname, '..', 'src', 'scenario', 'examples');

/** The gallery as the menu lists it: the default scenario, then every example by file name. */
const entries = [
  { name: 'default', header: 'default', story: false },
  ...readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(EXAMPLES, f), 'utf8');
      const name = f.slice(0, -'.yaml'.length);
      // Each example's Scenario document is named as its file; a file without one is a valid scenario, "untitled" in the header.
      return { name, header: /^kind: Scenario$/m.test(text) ? name : 'untitled scenario', story: text.includes('kubeviz.dev/watch:') };
    }),
];

test('the menu lists every built-in scenario with its title', async ({ page }) => {
  await page.goto('/?paused');
  await page.getByTestId('scenarios-button').click();
  const listed = page.getByTestId('gallery-entry');
  await expect(listed).toHaveCount(entries.length);
  expect(await listed.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.name))).toEqual(entries.map((e) => e.name));
  await expect(page.locator('[data-testid="gallery-entry"][data-name="node-failure"] .gallery-title')).toHaveText('A node fails: grace period, taint, eviction');
  // The open one is marked.
  await expect(page.locator('[data-testid="gallery-entry"][aria-current="true"]')).toHaveAttribute('data-name', 'default');
});

/** The big clusters draw a heat map, not cards (config-max takes the worker some seconds to build). */
const HEAT_MAP_NODES: Record<string, string> = { 'scale-1000-nodes': '1000', 'config-max': '5000' };

for (const entry of entries) {
  test(`opens "${entry.name}" from the menu, and it plays`, async ({ page }) => {
    if (entry.name === 'config-max') test.setTimeout(120_000);
    await page.goto(entry.name === 'default' ? '/?scenario=crash-loop&paused' : '/?paused');
    await page.getByTestId('scenarios-button').click();
    await page.locator(`[data-testid="gallery-entry"][data-name="${entry.name}"]`).click();
    await expect(page.getByTestId('scenarios-menu')).toHaveCount(0);
    // config-max: the worker builds 5,000 nodes and 150,000 pods first, saying so in the header.
    await expect(page.getByTestId('scenario-name')).toHaveText(entry.header, { timeout: entry.name === 'config-max' ? 60_000 : 5_000 });
    await expect(page.getByTestId('scenario-opening')).toHaveCount(0);
    await expect(page.getByTestId('sim-clock')).toHaveText('00:00.000');
    expect(new URL(page.url()).hash).toBe(`#scenario=${entry.name}`);
    const canvas = page.getByTestId('architecture-canvas');
    const heatMapNodes = HEAT_MAP_NODES[entry.name];
    if (heatMapNodes) await expect(canvas.getByTestId('heat-map')).toHaveAttribute('data-nodes', heatMapNodes, { timeout: 60_000 });
    else await expect.poll(() => canvas.getByTestId('worker-card').count()).toBeGreaterThan(0);
    await expect(page.getByTestId('story-panel')).toHaveCount(entry.story ? 1 : 0);
    if (entry.story) {
      await expect(page.getByTestId('story-watch')).toBeVisible();
      await expect(page.getByTestId('story-try')).toBeVisible();
      await expect(page.getByTestId('story-teaches')).toBeVisible();
    }
    await page.getByTestId('step-button').click();
    await expect.poll(async () => Number(await page.getByTestId('sim-clock').getAttribute('data-ms')), { timeout: entry.name === 'config-max' ? 60_000 : 5_000 }).toBeGreaterThan(0);
  });
}

test('#scenario=NAME opens that scenario with its story; the story folds away', async ({ page }) => {
  await page.goto('/?t=1m#scenario=crash-loop');
  await expect(page.getByTestId('scenario-name')).toHaveText('crash-loop');
  await expect(page.getByTestId('sim-clock')).toHaveText('01:00.000');
  await expect(page.getByTestId('story-title')).toHaveText('A crash-looping container');
  await expect(page.getByTestId('story-watch')).toContainText('CrashLoopBackOff');
  await page.screenshot({ path: `${SHOTS}/story-dark.png` });
  await page.getByTestId('story-toggle').click();
  await expect(page.getByTestId('story-body')).toHaveCount(0);
  await expect(page.getByTestId('story-toggle')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('story-title')).toBeVisible();
});

test('the menu and the story in the light theme', async ({ page }) => {
  await page.goto('/?paused#scenario=zone-outage');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByTestId('story-title')).toBeVisible();
  await page.getByTestId('scenarios-button').click();
  await expect(page.locator('[data-testid="gallery-entry"][aria-current="true"]')).toHaveAttribute('data-name', 'zone-outage');
  await page.screenshot({ path: `${SHOTS}/menu-light.png` });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('scenarios-menu')).toHaveCount(0);
});
