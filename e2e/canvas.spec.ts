// The architecture canvas on the default cluster, paused at 30 s (?t=30s), so
// what it shows is fixed: 3 etcd members (one leader), kube-apiserver,
// kube-scheduler, kube-controller-manager, 3 Ready worker cards, and the
// default scenario's 4 pods (3 web replicas + the debug pod) Running on them.
import { expect, test } from '@playwright/test';

const COMPONENTS = ['etcd-1', 'etcd-2', 'etcd-3', 'kube-apiserver', 'kube-scheduler', 'kube-controller-manager'];
const NODES = ['node-1', 'node-2', 'node-3'];

test('at 30 s the canvas shows the control plane, 3 Ready node cards and 4 Running pods', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:30.000');

  const canvas = page.getByTestId('architecture-canvas');
  for (const c of COMPONENTS) await expect(canvas.getByTestId(`canvas-component-${c}`)).toBeVisible();
  await expect(canvas.locator('[data-testid^="canvas-component-etcd-"][data-role="leader"]')).toHaveCount(1);
  await expect(canvas.locator('[data-testid^="canvas-component-etcd-"][data-role="follower"]')).toHaveCount(2);
  await expect(canvas.getByTestId('canvas-component-kube-apiserver')).toHaveAttribute('data-state', 'running');
  await expect(canvas.getByTestId('canvas-scheduler-queue')).toHaveText('0');
  await expect(canvas.getByTestId('canvas-component-kube-controller-manager')).toContainText(/\d+ controllers/);

  const cards = canvas.getByTestId('worker-card');
  await expect(cards).toHaveCount(3);
  for (const [i, name] of NODES.entries()) {
    const card = cards.nth(i);
    await expect(card).toBeVisible();
    await expect(card).toHaveAttribute('data-node', name);
    await expect(card.getByTestId('node-ready')).toHaveText('Ready');
    // The default nodes have 4 cpu, 16Gi and 110 pods, and nothing reserved.
    await expect(card.getByTestId('bar-cpu')).toHaveAttribute('data-allocatable', '4000');
    await expect(card.getByTestId('bar-pods')).toHaveAttribute('data-allocatable', '110');
  }

  const running = canvas.locator('[data-testid="pod-token"][data-phase="Running"]');
  await expect(running).toHaveCount(4);
  await expect(canvas.getByTestId('pod-token')).toHaveCount(4);
  await expect(canvas.locator('[data-testid="pod-token"][data-pod="default/debug"]')).toHaveCount(1);
  // The pods bar counts the same pods the tokens show: 4 across the three cards.
  let pods = 0;
  for (let i = 0; i < 3; i++) pods += Number(await cards.nth(i).getByTestId('bar-pods').getAttribute('data-requested'));
  expect(pods).toBe(4);

  await expect(canvas.getByTestId('phase-legend')).toContainText('ContainerCreating');
  await expect(canvas.locator('.react-flow__minimap')).toBeVisible();
  await expect(canvas.locator('.react-flow__controls')).toBeVisible();
  // Edges: 2 components + 3 apiserver-etcd + 3 raft pairs + 3 kubelets.
  await expect(canvas.locator('.react-flow__edge')).toHaveCount(11);

  await page.screenshot({ path: 'test-results/canvas-1440x900.png' });
});

test('the canvas follows the light theme', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.addInitScript(() => localStorage.setItem('kubeviz.theme', 'light'));
  await page.goto('/?t=30s');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const canvas = page.getByTestId('architecture-canvas');
  await expect(canvas.getByTestId('worker-card')).toHaveCount(3);
  // The cards take the light palette's --bg-elev (#ffffff), not React Flow's own colours.
  await expect(canvas.getByTestId('worker-card').first()).toHaveCSS('background-color', 'rgb(255, 255, 255)');
  await page.screenshot({ path: 'test-results/canvas-1440x900-light.png' });
});

// Messages in flight: paused at 30 s the tokens stand still (their place is a
// function of sim time). In flight then (sent in [29,700, 30,000], 300 ms at 1x):
// the leader's raft heartbeats to both followers every 100 ms and their acks, and the
// kubelets' periodic get of their Node at 30,000 (no txn: the last lease
// renewals were at about 20.3 s).
test('wire messages fly along their edges, still while paused, background traffic togglable', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:30.000');
  const canvas = page.getByTestId('architecture-canvas');
  const tokens = canvas.getByTestId('message-token');

  const raft = canvas.locator('[data-testid="message-token"][data-edge^="etcd-"]');
  await expect(raft.first()).toBeVisible();
  // Heartbeats at 29,700, 29,800, 29,900 and 30,000 to 2 followers = 8, plus the acks a
  // millisecond later, but for the last beat's (due at 30,001) = 6: 14 tokens on the member edges.
  await expect(raft).toHaveCount(14);
  await expect(canvas.locator('[data-testid="message-token"][data-verb="raft heartbeat"]')).toHaveCount(8);
  await expect(canvas.locator('[data-testid="message-token"][data-from^="kubelet/"][data-verb="get"]')).toHaveCount(3);
  for (const verb of await tokens.evaluateAll((els) => els.map((e) => e.getAttribute('data-verb')))) expect(verb).toBeTruthy();

  // Paused: a token's transform is the same now and a moment later.
  const first = raft.first();
  const before = await first.getAttribute('transform');
  await page.waitForTimeout(400);
  expect(await first.getAttribute('transform')).toBe(before);

  await page.screenshot({ path: 'test-results/canvas-messages-1440x900.png' });

  const toggle = canvas.getByLabel('Background traffic');
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await expect(canvas.locator('[data-testid="message-token"][data-verb^="raft heartbeat"]')).toHaveCount(0);
  await expect(canvas.locator('[data-testid="message-token"][data-from^="kubelet/"]')).toHaveCount(0);

  // At 100x a kubelet talks again soon (a status update, an event): background stays off, so it is real work.
  await page.getByTestId('speed-100x').click();
  await page.getByTestId('play-pause').click();
  await expect(canvas.locator('[data-testid="message-token"][data-from^="kubelet/"]').first()).toBeAttached({ timeout: 15_000 });
});

// At 120 ms the default scenario's start is in flight: the scheduler binding the
// debug pod (sent at 1 ms) and the three web pods (3 ms), kube-controller-manager
// creating the web pods (2 ms) and its first deployments/status update (1 ms),
// which fails with a Conflict and so is ringed. 233 messages were sent by then
// (every informer's list and watch at 0 ms): only the newest 200 are drawn.
test('during scheduling the bindings are in flight, and a failed update is ringed', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?t=120ms');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:00.120');
  const canvas = page.getByTestId('architecture-canvas');
  await expect(canvas.locator('[data-testid="message-token"][data-from="kube-scheduler"][data-resource="pods/binding"]')).toHaveCount(4);
  await expect(canvas.locator('[data-testid="message-token"][data-from="kube-controller-manager"][data-verb="create"][data-resource="pods"]')).toHaveCount(3);
  await expect(canvas.getByTestId('message-token')).toHaveCount(200);
  const conflict = canvas.locator('[data-testid="message-token"][data-ok="false"][data-resource="deployments/status"]');
  await expect(conflict).toHaveCount(1);
  await expect(conflict.locator('.msg-ring')).toHaveCount(1);
  // Every failed token is ringed (some kubelets' first lease gets, NotFound, are among the 200 too), and only those.
  const failed = await canvas.locator('[data-testid="message-token"][data-ok="false"]').count();
  await expect(canvas.locator('[data-testid="message-token"] .msg-ring')).toHaveCount(failed);
  await expect(canvas.locator('[data-testid="message-token"][data-ok="true"] .msg-ring')).toHaveCount(0);
  await canvas.screenshot({ path: 'test-results/canvas-messages-scheduling.png' });
});
