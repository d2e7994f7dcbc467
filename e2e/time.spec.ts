// Commanding time on the default cluster (issue 7): the speeds, the keys,
// as fast as possible, the timeline and its markers, rewinding to an
// earlier instant (the same pods on the same nodes as a session opened
// there), and forking history by acting in the past. Waits are on what the
// page shows, never on wall time.
import { expect, test, type Page } from '@playwright/test';

const SHOTS = process.env.KUBEVIZ_SHOTS ?? '/tmp/kv/shots-time';

const clockMs = async (page: Page) => Number(await page.getByTestId('sim-clock').getAttribute('data-ms'));
const playPause = (page: Page) => page.getByTestId('play-pause');
const status = (page: Page) => page.getByTestId('timeline-status');
const webPods = (page: Page) => page.locator('[data-testid="pod-token"][data-pod^="default/web-"]');

/** Every node card's pods, as "node: pod, pod": where everything is. */
const podsByNode = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="worker-card"]')]
      .map((c) => `${c.dataset.node}: ${[...c.querySelectorAll<HTMLElement>('[data-testid="pod-token"]')].map((t) => `${t.dataset.pod} ${t.dataset.phase}`).sort().join(', ')}`)
      .sort(),
  );

/** Plays at 25x until the clock passes `ms`, then pauses (a little past it, however fast this machine is: the page is polled). */
async function runPast(page: Page, ms: number) {
  await page.getByTestId('speed-25x').click();
  if ((await playPause(page).getAttribute('data-playing')) !== 'true') await playPause(page).click();
  await expect.poll(() => clockMs(page), { timeout: 30_000 }).toBeGreaterThan(ms);
  await playPause(page).click();
  await expect(playPause(page)).toHaveAttribute('data-playing', 'false');
}

/** Clicks the timeline at a fraction of its width: a seek there. Returns the instant it landed on. */
async function clickTimeline(page: Page, fraction: number): Promise<number> {
  const before = await clockMs(page);
  const box = (await page.getByTestId('timeline-track').boundingBox())!;
  await page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
  await expect.poll(() => clockMs(page)).not.toBe(before);
  const t = await clockMs(page);
  await expect(page.getByTestId('timeline-playhead')).toHaveAttribute('data-ms', String(t));
  return t;
}

/** Scales the web Deployment from its inspector's YAML (a user action at the paused instant). */
async function scaleWeb(page: Page, from: number, to: number) {
  await page.locator('[data-testid="object-row"][data-kind="Deployment"][data-name="web"]').click();
  await page.getByTestId('inspector-edit').click();
  const line = page.locator('.cm-line', { hasText: new RegExp(`^ {2}replicas: ${from}$`) }).first();
  await expect(line).toBeVisible();
  await line.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(String(to));
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('editor-outcome')).toHaveText(['deployment.apps/web configured']);
  await page.getByTestId('editor-cancel').click();
  await expect(page.getByTestId('editor-panel')).toHaveCount(0);
}

test('speeds, keys and the shortcuts sheet', async ({ page }) => {
  await page.goto('/?paused');
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', '0');
  const checked = (s: string) => expect(page.getByTestId(`speed-${s}`)).toHaveAttribute('aria-checked', 'true');
  await checked('1x');
  await page.keyboard.press(']');
  await checked('2x');
  await page.keyboard.press('[');
  await page.keyboard.press('[');
  await checked('0.5x');
  await page.getByTestId('speed-100x').click();
  await page.keyboard.press(']');
  await checked('max');
  await page.keyboard.press('[');
  await checked('100x');

  await page.keyboard.press('?');
  const sheet = page.getByTestId('shortcuts-sheet');
  await expect(sheet).toBeVisible();
  await expect(sheet.locator('tr')).toHaveCount(10);
  await expect(sheet).toContainText("Step to kube-scheduler's next extension point");
  await page.screenshot({ path: `${SHOTS}/time-shortcuts.png` });
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);

  // → runs the next instant at which something happens (the first is the rest of instant 0); ← goes back to the one before.
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(() => clockMs(page)).toBeGreaterThan(0);
  const t3 = await clockMs(page);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => clockMs(page)).toBeLessThan(t3);

  await page.keyboard.press(' ');
  await expect(playPause(page)).toHaveAttribute('data-playing', 'true');
  await page.keyboard.press(' ');
  await expect(playPause(page)).toHaveAttribute('data-playing', 'false');

  // N: run until something interesting happens, here the first pod reaching Running.
  await page.keyboard.press('Home');
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', '0');
  await page.keyboard.press('n');
  await expect(status(page)).toHaveText(/^Pod default\/\S+ is Running on node-\d/);
  await expect(playPause(page)).toHaveAttribute('data-playing', 'false');
});

test('as fast as possible runs far past 100x and shows the speed it reaches', async ({ page }) => {
  await page.goto('/?speed=max');
  await expect(page.getByTestId('speed-max')).toHaveAttribute('aria-checked', 'true');
  await expect.poll(() => clockMs(page), { timeout: 30_000 }).toBeGreaterThan(180_000);
  await expect(page.getByTestId('speed-max')).toHaveText(/^max \d+k?x$/);
  await playPause(page).click();
});

test('rewind shows the cluster as it was; the action ahead re-applies; acting in the past forks history', async ({ page, browser }) => {
  await page.goto('/?t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:30.000');
  await expect(webPods(page)).toHaveCount(3);
  await scaleWeb(page, 3, 5);
  await runPast(page, 60_000);
  await expect(webPods(page)).toHaveCount(5);
  const user = page.locator('[data-testid="timeline-marker"][data-kind="user"]');
  await expect(user).toHaveAttribute('data-at', '30000');
  await expect(user).toHaveAttribute('data-ahead', 'false');

  // Back to an instant before the scale: three web pods, where they were then.
  const t0 = await clickTimeline(page, 0.05);
  expect(t0).toBeLessThan(30_000);
  await expect(webPods(page)).toHaveCount(3);
  await expect(user).toHaveAttribute('data-ahead', 'true');
  await expect(page.getByTestId('timeline-ahead')).toBeVisible();
  await expect(status(page)).toHaveText('Rewound: your later action re-applies when you play forward; acting now forks history and drops it.');
  const rewound = await podsByNode(page);
  await page.screenshot({ path: `${SHOTS}/time-rewound.png` });

  // The same instant, opened fresh: the same pods on the same nodes, in the same phases.
  const fresh = await browser.newPage();
  await fresh.goto(`/?t=${t0}ms`);
  await expect(fresh.getByTestId('sim-clock')).toHaveAttribute('data-ms', String(t0));
  await expect(fresh.locator('[data-testid="pod-token"][data-pod^="default/web-"]')).toHaveCount(3);
  expect(await podsByNode(fresh)).toEqual(rewound);
  await fresh.close();

  // Played forward, the scale happens again at 30 s.
  await runPast(page, 45_000);
  await expect(user).toHaveAttribute('data-ahead', 'false');
  await expect(webPods(page)).toHaveCount(5);

  // Back to the start (Home), and act there: history forks, the scale at 30 s is dropped, and the page says so.
  await page.keyboard.press('Home');
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', '0');
  await scaleWeb(page, 3, 4);
  await expect(page.getByTestId('notice').last()).toContainText('You acted in the past, so history forked at 00:00.000');
  await expect(page.getByTestId('notice').last()).toContainText('the later action was dropped (apply at 00:30.000). The timeline marks the fork');
  // One mark at the fork: the fork and the new action (the one at 30 s is gone, nothing is ahead any more).
  const fork = page.locator('[data-testid="timeline-marker"][data-kind="fork"]');
  await expect(fork).toHaveAttribute('data-at', '0');
  await expect(fork).toHaveAttribute('data-count', '2');
  await expect(fork).toHaveAttribute('title', /History forked here: dropped the later action \(apply Deployment web\)\n.*You: apply Deployment web/);
  await expect(user).toHaveCount(0);
  await expect(page.locator('[data-testid="timeline-marker"][data-ahead="true"]')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/time-forked.png` });
  await runPast(page, 45_000);
  await expect(webPods(page)).toHaveCount(4);
});
