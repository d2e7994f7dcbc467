// A highly available control plane on the canvas (gallery scenario
// leader-failover: three control-plane machines, each with its etcd member,
// kube-apiserver-i, kube-scheduler-i and kube-controller-manager-i; three
// workers; Deployment web with 3 replicas). Its timeline: at 20 s
// kube-scheduler-1 is stopped (it gives its Lease up, a standby takes it at
// its next try), at 30 s started again (a standby now), at 60 s the machine
// whose scheduler then leads, control-plane-3, loses power (nothing is given
// up), at 62 s web is scaled to 6. The standbys take the Lease over only once
// the record they last saw has not changed for leaseDuration (15 s) and they
// try again (every retryPeriod of 2 s, jittered to 2-4.4 s): the last renewal
// was at 58.039 s, a standby read it at 58.743 s and takes over at 73.837 s.
// Until then the three new pods stay Pending; then they are bound and
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

// ---- The panels outside the canvas: the Control plane panel grouped by machine, the inspector of a replica and of the load balancer.

const PANEL_SHOTS = '/tmp/kv/shots-panels';
const panelRow = (page: Page, name: string) => page.getByTestId('components-panel').getByTestId(`component-${name}`);

test('the Control plane panel groups the replicas by machine; after the failover the inspector shows the new leader with the Lease it took', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page, '100s', 100_000);
  const panel = page.getByTestId('components-panel');
  for (const [m, powered] of [
    ['control-plane-1', 'true'],
    ['control-plane-2', 'true'],
    ['control-plane-3', 'false'],
  ] as const) {
    const group = panel.getByTestId(`component-machine-${m}`);
    await expect(group).toHaveAttribute('data-powered', powered);
    await expect(group.getByTestId('component-machine-power')).toHaveText(powered === 'true' ? 'powered on' : 'powered off');
  }
  // Nothing reads "unknown" any more; control-plane-3's four components are stopped with it.
  await expect(panel.locator('[data-state="unknown"]')).toHaveCount(0);
  for (const c of ['kube-apiserver-3', 'kube-scheduler-3', 'kube-controller-manager-3']) await expect(panelRow(page, c)).toHaveAttribute('data-state', 'stopped');
  await expect(panelRow(page, 'etcd-3')).toHaveAttribute('data-role', 'stopped');
  // One scheduler leads again, on another machine; the other running one is a standby.
  const leaders = panel.locator('[data-testid^="component-kube-scheduler-"][data-leader="true"]');
  await expect(leaders).toHaveCount(1);
  await expect(leaders).not.toHaveAttribute('data-host', 'control-plane-3');
  await expect(leaders.getByTestId('component-badge')).toHaveText('leader');
  await expect(panel.locator('[data-testid^="component-kube-scheduler-"][data-state="standby"]')).toHaveCount(1);
  await expect(panelRow(page, 'apiserver-lb')).toHaveAttribute('data-up', '2');

  // The leading replica in the inspector: leader, on its machine, the Lease it took from kube-scheduler-3 (transition 2: -1 to -3 at 20 s, -3 to this one).
  const name = (await leaders.getAttribute('data-testid'))!.replace('component-', '');
  await leaders.getByRole('button', { name }).click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('inspector-component')).toBeVisible();
  const facts = inspector.getByTestId('inspector-facts');
  await expect(facts).toContainText('leader: holds the Lease and does the work');
  await expect(facts).toContainText('kube-system/kube-scheduler');
  await expect(facts).toContainText(`(${name})`);
  await expect(facts).toContainText('2 (leaseTransitions');
  await expect(facts).toContainText(/control-plane-[12] · powered on/);
  const settings = inspector.getByTestId('inspector-settings');
  await expect(settings).toContainText('--leader-elect-lease-duration');
  await expect(settings).toContainText('15s');
  await expect(settings).toContainText('10s');
  await expect(settings).toContainText('2s');
  await expect(inspector.getByTestId('inspector-messages')).toBeVisible();
  // Its own stop button and its machine's power button.
  await expect(inspector.getByTestId('component-action-stopComponent')).toHaveText(`Stop ${name}`);
  await expect(inspector.getByTestId('machine-action-powerOff')).toContainText('Power off control-plane-');
  await page.screenshot({ path: `${PANEL_SHOTS}/leader-failover-100s-leader-dark-1440x900.png` });

  // The powered-off one: stopped, its machine off, and a Start button that says why it cannot.
  await panelRow(page, 'kube-scheduler-3').getByRole('button', { name: 'kube-scheduler-3' }).click();
  await expect(inspector.getByTestId('inspector-state')).toHaveText('stopped');
  await expect(facts).toContainText('control-plane-3 · powered off');
  await expect(inspector.getByTestId('machine-action-powerOn')).toHaveText('Power on control-plane-3');

  // The load balancer: kube-apiserver-3 DOWN after its failed health checks.
  await panelRow(page, 'apiserver-lb').getByRole('button', { name: 'apiserver-lb' }).click();
  await expect(inspector.getByTestId('inspector-state')).toHaveText('2/3 UP');
  await expect(inspector.getByTestId('inspector-list')).toContainText('kube-apiserver-3');
  await expect(inspector.getByTestId('inspector-list').locator('li', { hasText: 'kube-apiserver-3' })).toContainText('DOWN · 0 clients');
  await expect(settings).toContainText('roundrobin');
  await page.screenshot({ path: `${PANEL_SHOTS}/leader-failover-100s-lb-dark-1440x900.png` });
  // The load balancer's box on the canvas opens the same view.
  await page.keyboard.press('Escape');
  await expect(inspector.getByTestId('inspector-component')).toHaveCount(0);
  await page.getByTestId('canvas-load-balancer').click();
  await expect(inspector.getByTestId('inspector-state')).toHaveText('2/3 UP');
  await expect(page.getByTestId('canvas-load-balancer')).toHaveAttribute('data-selected', 'true');
});

test('power a machine on from a replica in the inspector: its components start again', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page, '100s', 100_000);
  await panelRow(page, 'kube-apiserver-3').getByRole('button', { name: 'kube-apiserver-3' }).click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('inspector-state')).toHaveText('stopped');
  await inspector.getByTestId('machine-action-powerOn').click();
  await expect(page.getByTestId('action-entry').first()).toContainText('control-plane-3');
  await expect(page.getByTestId('component-machine-control-plane-3')).toHaveAttribute('data-powered', 'true');
  await expect(inspector.getByTestId('inspector-state')).toHaveText('running');
  await expect(panelRow(page, 'kube-apiserver-3')).toHaveAttribute('data-state', 'running');
  await expect(inspector.getByTestId('machine-action-powerOff')).toHaveText('Power off control-plane-3');
});

test('the panels at 1440x900, dark and light', async ({ page }) => {
  for (const theme of ['dark', 'light']) {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.addInitScript((t) => localStorage.setItem('kubeviz.theme', t), theme);
    await open(page, '70s', 70_000);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(page.getByTestId('component-machine-control-plane-3')).toHaveAttribute('data-powered', 'false');
    // Between two leaders: kube-scheduler-1 is a standby and the Lease names the powered-off kube-scheduler-3.
    await panelRow(page, 'kube-scheduler-1').getByRole('button', { name: 'kube-scheduler-1' }).click();
    await expect(page.getByTestId('inspector-state')).toHaveText('standby');
    await expect(page.getByTestId('inspector-facts')).toContainText('kube-scheduler-3, not running: the Lease is left to expire');
    await page.screenshot({ path: `${PANEL_SHOTS}/leader-failover-70s-standby-${theme}-1440x900.png` });
    // The Story folded, the Control plane panel has the room for all three machines.
    if ((await page.getByTestId('story-toggle').getAttribute('aria-expanded')) === 'true') await page.getByTestId('story-toggle').click();
    await expect(page.getByTestId('story-toggle')).toHaveAttribute('aria-expanded', 'false');
    await page.screenshot({ path: `${PANEL_SHOTS}/leader-failover-70s-story-folded-${theme}-1440x900.png` });
    await page.getByTestId('components-panel').screenshot({ path: `${PANEL_SHOTS}/components-panel-${theme}.png` });
    await panelRow(page, 'apiserver-lb').scrollIntoViewIfNeeded();
    await page.getByTestId('components-panel').screenshot({ path: `${PANEL_SHOTS}/components-panel-end-${theme}.png` });
  }
});

test("the scheduling explainer says which replica it explains: nobody between leaders, the new leader's cycle after", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page, '70s', 70_000);
  // One of the three pods created at 62 s, pending: kube-scheduler-1, a standby, holds them in its queue.
  await panelRow(page, 'kube-scheduler-1').getByRole('button', { name: 'kube-scheduler-1' }).click();
  const inspector = page.getByTestId('inspector');
  const pendingPod = inspector.getByTestId('inspector-list').first().getByRole('button').first();
  const key = (await pendingPod.textContent())!.trim();
  const podName = key.slice('default/'.length);
  await pendingPod.click();
  await inspector.getByTestId('inspector-tab-scheduling').click();
  await expect(page.getByTestId('scheduling-explainer')).toHaveAttribute('data-status', 'pending');
  await expect(page.getByTestId('explainer-headline')).toHaveText('Pending, and no kube-scheduler holds the Lease: nothing schedules it until one takes it.');
  await expect(page.getByTestId('explainer-replica')).toHaveAttribute('data-leading', 'false');
  await expect(page.getByTestId('explainer-replica')).toHaveAttribute('data-replica', 'kube-scheduler-1');
  await page.screenshot({ path: `${PANEL_SHOTS}/leader-failover-70s-explainer-dark-1440x900.png` });

  await open(page, '100s', 100_000);
  const leader = (await page.locator('[data-testid^="component-kube-scheduler-"][data-leader="true"]').first().getAttribute('data-testid'))!.replace('component-', '');
  await page.locator(`[data-testid="object-row"][data-kind="Pod"][data-name="${podName}"]`).click();
  await inspector.getByTestId('inspector-tab-scheduling').click();
  await expect(page.getByTestId('scheduling-explainer')).toHaveAttribute('data-status', 'bound');
  await expect(page.getByTestId('explainer-replica')).toHaveAttribute('data-replica', leader);
  await expect(page.getByTestId('explainer-replica')).toHaveAttribute('data-leading', 'true');
  await expect(page.getByTestId('explainer-replica')).toContainText(`Explained from ${leader}'s cycle log`);
  await expect(page.getByTestId('explainer-headline')).toHaveText(/^Bound to node-\d/);
  await page.screenshot({ path: `${PANEL_SHOTS}/leader-failover-100s-explainer-dark-1440x900.png` });
});
