// Usage charts (issue 10 part 4b): the resource-usage gallery scenario runs
// metrics-server; opened paused at 3 minutes (?t=3m) every chart has its
// rounds (?t= plays the same rounds: the samples are part of the replay). A node's inspector charts CPU and memory against allocatable, a
// pod's against its request and limit, with the current value as kubectl top
// prints it; stepping to the next round moves them. The default scenario has
// no metrics-server: its inspector says so in one line. Screenshots in both
// themes.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const SHOTS = '/tmp/kv/shots-metrics';
mkdirSync(SHOTS, { recursive: true });

const canvas = (page: Page) => page.getByTestId('architecture-canvas');
const inspector = (page: Page) => page.getByTestId('inspector');
const chart = (page: Page, resource: 'cpu' | 'memory') => inspector(page).locator(`[data-testid="usage-chart"][data-resource="${resource}"]`);

const clockMs = async (page: Page) => Number(await page.getByTestId('sim-clock').getAttribute('data-ms'));

/** Plays at 25x until the clock passes `ms`, then pauses; returns the instant it paused at. */
async function runPast(page: Page, ms: number): Promise<number> {
  const playPause = page.getByTestId('play-pause');
  await page.getByTestId('speed-25x').click();
  if ((await playPause.getAttribute('data-playing')) !== 'true') await playPause.click();
  await expect.poll(() => clockMs(page), { timeout: 30_000 }).toBeGreaterThan(ms);
  await playPause.click();
  await expect(playPause).toHaveAttribute('data-playing', 'false');
  return clockMs(page);
}

async function open(page: Page, t: string, ms: number) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/?scenario=resource-usage&t=${t}`);
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', String(ms));
}

test("a node's and a pod's usage, charted against allocatable, request and limit", async ({ page }) => {
  await open(page, '3m', 180_000);

  // hog's node: the card holding the hog pod.
  const hog = canvas(page).locator('[data-testid="pod-token"][data-pod="default/hog"]');
  await expect(hog).toHaveCount(1);
  const card = canvas(page).getByTestId('worker-card').filter({ has: page.locator('[data-pod="default/hog"]') });
  const nodeName = (await card.getAttribute('data-node'))!;
  await card.getByTestId('worker-name').click();
  await expect(inspector(page)).toHaveAttribute('data-id', `Node//${nodeName}`);
  const usage = inspector(page).getByTestId('inspector-usage');
  await expect(usage).toHaveAttribute('data-state', 'charts');
  // Rounds at 15 s, 30 s, ... 180 s: a usage from the second one on, 11 points by 3 minutes.
  await expect(chart(page, 'cpu')).toHaveAttribute('data-points', '11');
  await expect(chart(page, 'cpu')).toHaveAttribute('aria-label', /^CPU usage over the last 10 minutes: \d+m now; allocatable 4000m$/);
  await expect(chart(page, 'memory')).toHaveAttribute('aria-label', /^Memory usage over the last 10 minutes: \d+Mi now; allocatable 16384Mi$/);
  await expect(chart(page, 'cpu').getByTestId('usage-value')).toHaveText(/^\d+m$/);
  await expect(chart(page, 'cpu').locator('.usage-line')).toHaveAttribute('d', /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){10}$/);
  await page.screenshot({ path: `${SHOTS}/node-usage-dark.png` });

  // hog: 900m on a 200m request under a 1-core limit; its memory grew to 300Mi at 2 minutes.
  await hog.click();
  await expect(inspector(page)).toHaveAttribute('data-id', 'Pod/default/hog');
  await expect(chart(page, 'cpu').getByTestId('usage-value')).toHaveText('900m');
  await expect(chart(page, 'cpu')).toHaveAttribute('aria-label', 'CPU usage over the last 10 minutes: 900m now; request 200m · limit 1000m');
  await expect(chart(page, 'memory').getByTestId('usage-value')).toHaveText('300Mi');
  await expect(chart(page, 'memory')).toHaveAttribute('aria-label', 'Memory usage over the last 10 minutes: 300Mi now; request 128Mi · limit 512Mi');
  // Both reference lines are within the chart's scale: drawn.
  await expect(chart(page, 'cpu').locator('line.usage-ref')).toHaveCount(2);
  await page.screenshot({ path: `${SHOTS}/pod-usage-dark.png` });

  // Played on past the next round, the chart follows the live cluster: one point per round (15 s), hog's from the first
  // (it was 10-15 s old then, so metrics-server measured it from its start).
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const t = await runPast(page, 195_000);
  await expect(chart(page, 'cpu')).toHaveAttribute('data-points', String(Math.floor(t / 15_000)));
  await expect(chart(page, 'cpu').getByTestId('usage-value')).toHaveText('900m');
  await page.screenshot({ path: `${SHOTS}/pod-usage-light.png` });

  // capped wants 2 cores; its 500m limit holds it there, on the limit line.
  await canvas(page).locator('[data-testid="pod-token"][data-pod="default/capped"]').click();
  await expect(chart(page, 'cpu').getByTestId('usage-value')).toHaveText('500m');
  await expect(chart(page, 'cpu')).toHaveAttribute('aria-label', 'CPU usage over the last 10 minutes: 500m now; request 100m · limit 500m');
  await page.screenshot({ path: `${SHOTS}/capped-usage-light.png` });
});

test('a node has no usage before two scrapes, a 10-15 s old pod has one after one; the default scenario has no metrics-server', async ({ page }) => {
  await open(page, '20s', 20_000);
  await canvas(page).getByTestId('worker-card').first().getByTestId('worker-name').click();
  await expect(inspector(page).getByTestId('inspector-usage')).toHaveAttribute('data-state', 'waiting');
  await expect(inspector(page).getByTestId('usage-hint')).toHaveText('metrics-server started; this node has a usage after two scrapes 15 s apart.');
  // hog started about 3 s in, so it was 10-15 s old at the 15 s scrape: metrics-server measured it from its start.
  await canvas(page).locator('[data-testid="pod-token"][data-pod="default/hog"]').click();
  await expect(chart(page, 'cpu')).toHaveAttribute('data-points', '1');
  await expect(chart(page, 'cpu').getByTestId('usage-value')).toHaveText('900m');

  await page.goto('/?t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', '30000');
  await canvas(page).locator('[data-testid="pod-token"][data-pod="default/debug"]').click();
  await expect(inspector(page).getByTestId('inspector-usage')).toHaveAttribute('data-state', 'no-addon');
  await expect(inspector(page).getByTestId('usage-hint')).toHaveText('No usage: this scenario runs no metrics-server (spec.addons.metricsServer).');
  await page.screenshot({ path: `${SHOTS}/no-addon-dark.png` });
});
