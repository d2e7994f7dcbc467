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
