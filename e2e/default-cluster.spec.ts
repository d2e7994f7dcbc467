// The app opens on the default scenario and shows it running: what a person
// would see, checked at fixed virtual instants (?t= starts paused there), so
// nothing depends on how fast this machine is.
import { expect, test, type Page } from '@playwright/test';

const NODES = ['node-1', 'node-2', 'node-3'];

const clockMs = async (page: Page) => Number(await page.getByTestId('sim-clock').getAttribute('data-ms'));

/** Resolves after the page has painted `n` more frames: the loop had its chance to run. */
const frames = (page: Page, n: number) =>
  page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        let left = count;
        const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    n,
  );

const rows = (page: Page, kind: string) => page.locator(`[data-testid="object-row"][data-kind="${kind}"]`);

test('at 30 s the default cluster is up: nodes, workloads, an etcd leader, heartbeats', async ({ page }) => {
  await page.goto('/?t=30s');

  const clock = page.getByTestId('sim-clock');
  await expect(clock).toHaveText('00:30.000');
  await expect(clock).toHaveAttribute('data-ms', '30000');
  await expect(page.getByTestId('play-pause')).toHaveAccessibleName('Play');

  const nodes = rows(page, 'Node');
  await expect(nodes).toHaveCount(3);
  for (const [i, name] of NODES.entries()) {
    const row = nodes.nth(i);
    await expect(row).toHaveAttribute('data-name', name);
    await expect(row.getByTestId('object-status')).toHaveText('Ready');
    await expect(row).toContainText('4 CPU');
  }

  const deployment = rows(page, 'Deployment');
  await expect(deployment).toHaveCount(1);
  await expect(deployment).toHaveAttribute('data-name', 'web');
  // The Deployment's controller made its ReplicaSet and pods; kube-scheduler placed them; kubelets run them.
  await expect(deployment).toContainText('3/3 ready');
  const webPods = page.locator('[data-testid="object-row"][data-kind="Pod"][data-name^="web-"]');
  await expect(webPods).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(webPods.nth(i).getByTestId('object-status')).toHaveText('Running');
  await expect(rows(page, 'ReplicaSet')).toHaveCount(1);

  const pod = page.locator('[data-testid="object-row"][data-kind="Pod"][data-name="debug"]');
  await expect(pod).toHaveAttribute('data-namespace', 'default');
  await expect(pod.getByTestId('object-status')).toHaveText('Running');
  await expect(pod).toContainText(/on node-\d/);
  const scheduler = page.getByTestId('component-kube-scheduler');
  await expect(scheduler).toHaveAttribute('data-state', 'idle');
  await expect(scheduler.getByTestId('scheduler-summary')).toContainText(/0 pending · default\/\S+ → node-\d/);
  await expect(page.getByTestId('component-kube-controller-manager')).toHaveAttribute('data-state', 'running');

  const service = page.locator('[data-testid="object-row"][data-kind="Service"][data-name="web"]');
  await expect(service.getByTestId('object-status')).toHaveText(/^\d+\.\d+\.\d+\.\d+$/);

  const members = page.locator('[data-testid^="component-etcd-"]');
  await expect(members).toHaveCount(3);
  await expect(page.locator('[data-testid^="component-etcd-"][data-role="leader"]')).toHaveCount(1);
  await expect(page.locator('[data-testid^="component-etcd-"][data-role="follower"]')).toHaveCount(2);
  await expect(page.getByTestId('component-kube-apiserver')).toHaveAttribute('data-state', 'running');

  const wire = page.getByTestId('wire-message');
  await expect(wire).toHaveCount(50);
  await expect(page.locator('[data-testid="wire-message"][data-verb="raft heartbeat"]').first()).toBeVisible();

  // Paused: the loop keeps running frames but the clock stays put.
  await frames(page, 5);
  await expect(clock).toHaveText('00:30.000');
});

test('paused at 0: step runs to the next event, play advances the clock, pause stops it', async ({ page }) => {
  await page.goto('/?paused');
  const clock = page.getByTestId('sim-clock');
  await expect(clock).toHaveText('00:00.000');
  await expect(rows(page, 'Node')).toHaveCount(3);

  await frames(page, 3);
  await expect(clock).toHaveText('00:00.000');

  // Many components act at 0 ms: a step runs everything due at the next instant, so a few steps move the clock.
  for (let i = 0; i < 10 && (await clockMs(page)) === 0; i++) {
    await page.getByTestId('step-button').click();
    await frames(page, 1);
  }
  await expect.poll(() => clockMs(page)).toBeGreaterThan(0);
  const afterFirstStep = await clockMs(page);
  await page.getByTestId('step-button').click();
  await expect.poll(() => clockMs(page)).toBeGreaterThan(afterFirstStep);

  await page.getByTestId('speed-100x').click();
  await expect(page.getByTestId('speed-100x')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('play-pause')).toHaveAccessibleName('Pause');
  // At 100x a few frames are seconds of simulated time: an election has happened.
  await expect.poll(() => clockMs(page)).toBeGreaterThan(3000);
  await expect(page.locator('[data-testid^="component-etcd-"][data-role="leader"]')).toHaveCount(1);

  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('play-pause')).toHaveAccessibleName('Play');
  const stoppedAt = await clockMs(page);
  await frames(page, 5);
  expect(await clockMs(page)).toBe(stoppedAt);
});

test('a bad ?t= is named in a message and the cluster still runs', async ({ page }) => {
  await page.goto('/?t=banana');
  const notice = page.getByTestId('notice');
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText('URL parameter t="banana"');
  await expect(notice).toContainText('t=30s');

  await expect(rows(page, 'Node')).toHaveCount(3);
  await expect(page.getByTestId('play-pause')).toHaveAccessibleName('Pause');
  await expect.poll(() => clockMs(page)).toBeGreaterThan(0);

  await page.getByTestId('notice-dismiss').click();
  await expect(notice).toHaveCount(0);
});
