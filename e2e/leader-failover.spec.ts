// A highly available control plane on the canvas (gallery scenario
// leader-failover: three control-plane machines, each with its etcd member,
// kube-apiserver-i, kube-scheduler-i and kube-controller-manager-i; three
// workers; Deployment web with 3 replicas). Its timeline: at 20 s
// kube-scheduler-1 is stopped (it gives its Lease up, a standby takes it at
// its next try), at 30 s started again (a standby now), at 60 s the machine
// whose scheduler then leads, control-plane-3, loses power (nothing is given
// up), at 62 s web is scaled to 6. The standbys take the Lease over only once
// the record they last saw has not changed for leaseDuration (15 s) and they
// try again (every retryPeriod of 2 s, jittered up to 1.2 x): about 75 s to
// 79 s. Until then the three new pods stay Pending; then they are bound and
// run. Every instant is opened paused by URL (?t=), so nothing depends on
// this machine's speed.
import { expect, test, type Page } from '@playwright/test';

const SHOTS = '/tmp/kv/shots-canvas';
const MACHINES = ['control-plane-1', 'control-plane-2', 'control-plane-3'];

async function open(page: Page, at: string, ms: number) {
  await page.goto(`/?scenario=leader-failover&t=${at}`);
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', String(ms));
}

const box = (page: Page, name: string) => page.getByTestId('architecture-canvas').getByTestId(`canvas-component-${name}`);
const schedulers = (page: Page) => page.locator('[data-testid^="canvas-component-kube-scheduler-"]');
const leadingScheduler = (page: Page) => page.locator('[data-testid^="canvas-component-kube-scheduler-"][data-leader="true"]');
const webTokens = (page: Page, phase?: string) =>
  page.getByTestId('architecture-canvas').locator(`[data-testid="pod-token"][data-pod^="default/web-"]${phase ? `[data-phase="${phase}"]` : ''}`);

test('three machines in frames; the leading scheduler loses its machine and the crown moves to a standby on another machine, which binds the pods', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page, '50s', 50_000);
  const canvas = page.getByTestId('architecture-canvas');
  for (const m of MACHINES) {
    const frame = canvas.getByTestId(`canvas-machine-${m}`);
    await expect(frame).toBeVisible();
    await expect(frame).toHaveAttribute('data-powered', 'true');
    await expect(frame.getByTestId('machine-power')).toHaveText('powered on');
  }
  for (const i of [1, 2, 3]) {
    for (const c of ['kube-apiserver', 'kube-scheduler', 'kube-controller-manager']) await expect(box(page, `${c}-${i}`)).toHaveAttribute('data-host', `control-plane-${i}`);
    await expect(box(page, `etcd-${i}`)).toBeVisible();
  }
  await expect(canvas.getByTestId('canvas-load-balancer')).toHaveAttribute('data-up', '3');
  await expect(canvas.getByTestId('lb-up')).toHaveText('3/3 UP');

  // One scheduler leads, on control-plane-3 (the machine the timeline powers off); the two others are standbys.
  await expect(schedulers(page)).toHaveCount(3);
  await expect(leadingScheduler(page)).toHaveCount(1);
  await expect(leadingScheduler(page)).toHaveAttribute('data-host', 'control-plane-3');
  await expect(leadingScheduler(page).getByTestId('component-badge')).toHaveText('leader');
  await expect(page.locator('[data-testid^="canvas-component-kube-scheduler-"][data-state="standby"]')).toHaveCount(2);
  // Exactly one controller-manager leads too.
  await expect(page.locator('[data-testid^="canvas-component-kube-controller-manager-"][data-leader="true"]')).toHaveCount(1);
  await expect(webTokens(page, 'Running')).toHaveCount(3);

  // 50.29 s: the kubelets' gets of their Node sent at 50 s are on their last leg, from the load balancer to the apiserver that serves them.
  await open(page, '50.29s', 50_290);
  const lastLeg = canvas.locator('[data-testid="message-token"][data-from^="kubelet/"][data-edge^="load-balancer->kube-apiserver-"]');
  await expect(lastLeg.first()).toBeAttached();
  for (const t of await lastLeg.evaluateAll((els) => els.map((e) => [e.getAttribute('data-edge'), e.getAttribute('data-to')]))) expect(t[0]).toBe(`load-balancer->${t[1]}`);

  // 70 s: control-plane-3 is off, its four boxes stopped; the Lease still names its scheduler, so nobody leads and three pods wait.
  await open(page, '70s', 70_000);
  await expect(canvas.getByTestId('canvas-machine-control-plane-3')).toHaveAttribute('data-powered', 'false');
  await expect(box(page, 'kube-scheduler-3')).toHaveAttribute('data-state', 'stopped');
  await expect(leadingScheduler(page)).toHaveCount(0);
  await expect(page.locator('[data-testid^="canvas-component-kube-scheduler-"][data-state="standby"]')).toHaveCount(2);
  await expect(canvas.getByTestId('canvas-load-balancer')).toHaveAttribute('data-up', '2');
  await expect(webTokens(page)).toHaveCount(3);
  await expect(page.locator('[data-testid="object-row"][data-kind="Pod"][data-name^="web-"]')).toHaveCount(6);
  await page.screenshot({ path: `${SHOTS}/leader-failover-70s-dark-1440x900.png` });

  // 100 s: a standby on another machine holds the Lease and has bound the three pods; they run.
  await open(page, '100s', 100_000);
  await expect(leadingScheduler(page)).toHaveCount(1);
  await expect(leadingScheduler(page)).not.toHaveAttribute('data-host', 'control-plane-3');
  await expect(leadingScheduler(page).getByTestId('component-badge')).toHaveText('leader');
  await expect(box(page, 'kube-scheduler-3')).toHaveAttribute('data-state', 'stopped');
  await expect(webTokens(page, 'Running')).toHaveCount(6);
  await page.screenshot({ path: `${SHOTS}/leader-failover-100s-dark-1440x900.png` });
});

test("power a control-plane machine off from its frame's menu: its four boxes stop; power it on: they start again", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page, '40s', 40_000);
  const frame = page.getByTestId('canvas-machine-control-plane-2');
  await page.getByTestId('machine-menu-button-control-plane-2').click();
  await expect(page.getByTestId('menu-powerOff')).toHaveText('Power off control-plane-2');
  await page.getByTestId('menu-powerOff').click();
  await expect(page.getByTestId('action-entry').first()).toContainText('powerOff');
  await expect(page.getByTestId('action-entry').first()).toContainText('control-plane-2');

  await expect(frame).toHaveAttribute('data-powered', 'false');
  await expect(frame.getByTestId('machine-power')).toHaveText('powered off');
  await expect(box(page, 'etcd-2')).toHaveAttribute('data-role', 'stopped');
  for (const c of ['kube-apiserver-2', 'kube-scheduler-2', 'kube-controller-manager-2']) await expect(box(page, c)).toHaveAttribute('data-state', 'stopped');
  // The other machines' apiservers run on.
  await expect(box(page, 'kube-apiserver-1')).toHaveAttribute('data-state', 'running');
  await expect(box(page, 'kube-apiserver-3')).toHaveAttribute('data-state', 'running');
  await page.getByTestId('architecture-canvas').screenshot({ path: `${SHOTS}/leader-failover-cp2-off.png` });

  await page.getByTestId('machine-menu-button-control-plane-2').click();
  await page.getByTestId('menu-powerOn').click();
  await expect(frame).toHaveAttribute('data-powered', 'true');
  await expect(box(page, 'kube-apiserver-2')).toHaveAttribute('data-state', 'running');
  await expect(box(page, 'etcd-2')).not.toHaveAttribute('data-role', 'stopped');
  for (const c of ['kube-scheduler-2', 'kube-controller-manager-2']) await expect(box(page, c)).not.toHaveAttribute('data-state', 'stopped');
});

test('stop and start a replica from its box menu', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page, '40s', 40_000);
  await page.getByTestId('component-menu-button-kube-apiserver-1').click();
  await page.getByTestId('menu-stopComponent').click();
  await expect(box(page, 'kube-apiserver-1')).toHaveAttribute('data-state', 'stopped');
  await expect(page.getByTestId('action-entry').first()).toContainText('kube-apiserver-1');
  await page.getByTestId('component-menu-button-kube-apiserver-1').click();
  await page.getByTestId('menu-startComponent').click();
  await expect(box(page, 'kube-apiserver-1')).toHaveAttribute('data-state', 'running');
});

test('screenshots at 1280x720 and 1440x900, dark and light', async ({ page }) => {
  for (const [w, h] of [
    [1280, 720],
    [1440, 900],
  ]) {
    for (const theme of ['dark', 'light']) {
      await page.setViewportSize({ width: w, height: h });
      await page.addInitScript((t) => localStorage.setItem('kubeviz.theme', t), theme);
      await open(page, '70s', 70_000);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expect(page.getByTestId('canvas-machine-control-plane-3')).toHaveAttribute('data-powered', 'false');
      await page.screenshot({ path: `${SHOTS}/leader-failover-${theme}-${w}x${h}.png` });
      await page.getByTestId('architecture-canvas').screenshot({ path: `${SHOTS}/leader-failover-canvas-${theme}-${w}x${h}.png` });
    }
  }
});
