// Failing the cluster from the canvas (issue 6 parts 1-3, 5, 6), on the
// default scenario (3 nodes, Deployment web with 3 replicas, the debug pod
// on node-1), opened paused at 30 s. The simulated clock is driven at 100x
// and every wait is on what the page shows, with a generous timeout: nothing
// depends on how fast this machine is.
//  - node-1 dragged onto the fault zone is powered off; its last Lease
//    renewal was at 20.21 s, so 40 s of node-monitor-grace-period later the
//    node lifecycle controller marks it Ready=Unknown (at its 70.1 s pass) and
//    taints it node.kubernetes.io/unreachable:NoExecute (75 s); the web pod
//    there tolerates that for 300 s (DefaultTolerationSeconds), so at 375 s
//    it is evicted (Terminating: the node is gone, nobody confirms) and its
//    ReplicaSet's replacement runs on node-2 or node-3.
//  - etcd-1 and etcd-2 stopped from their menus: one member of three has no
//    quorum, so every write fails (the console's scale, a menu's cordon) and
//    nothing changes; started again, writes go through.
import { expect, test, type Locator, type Page } from '@playwright/test';

const SHOTS = '/tmp/kv/shots-faults';
const card = (page: Page, node: string) => page.locator(`[data-testid="worker-card"][data-node="${node}"]`);
const actions = (page: Page) => page.getByTestId('action-entry');
const clockMs = async (page: Page) => Number(await page.getByTestId('sim-clock').getAttribute('data-ms'));

/** Presses a card where it can be dragged from (its CPU bar: the name and buttons are not drag handles) and drops it on `target`'s centre. */
async function drag(page: Page, from: Locator, target: Locator) {
  const grip = (await from.getByTestId('bar-cpu').boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(grip.x + 20, grip.y + grip.height / 2);
  await page.mouse.down();
  await page.mouse.move(grip.x + 40, grip.y + 20, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function play100x(page: Page) {
  await page.getByTestId('speed-100x').click();
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('play-pause')).toHaveAccessibleName('Pause');
}

async function pause(page: Page) {
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('play-pause')).toHaveAccessibleName('Play');
}

test('drag node-1 onto the fault zone: powered off, Ready=Unknown, tainted, its pod evicted and replaced elsewhere; drag it back to heal', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:30.000');
  const node1 = card(page, 'node-1');
  const zone = page.getByTestId('fault-zone');
  await expect(zone).toHaveAttribute('data-state', 'idle');
  await expect(node1.locator('[data-testid="pod-token"][data-pod^="default/web-"]')).toHaveCount(1);

  // A card dropped anywhere else snaps back and does nothing.
  await drag(page, node1, page.getByTestId('canvas-component-kube-scheduler'));
  await expect(node1).not.toHaveAttribute('data-faults', /.+/);
  await expect(actions(page)).toHaveCount(0);

  await drag(page, node1, zone);
  await expect(node1).toHaveAttribute('data-faults', 'power');
  await expect(node1.getByTestId('fault-state')).toHaveText(/^Powered off/);
  await expect(page.locator('[data-testid="fault-ghost"][data-node="node-1"]')).toBeVisible();
  // The grace period counts down from the last Lease renewal (20.21 s): 30.21 s left, shown rounded up.
  const countdown = node1.getByTestId('node-countdown');
  await expect(countdown).toHaveAttribute('data-stage', 'grace');
  await expect(countdown).toHaveText('Ready=Unknown in 31s · last heartbeat 9s ago');
  // The drop is a timeline action, at its instant, with kubectl's answer.
  await expect(actions(page)).toHaveCount(1);
  await expect(actions(page).first()).toContainText('30.000s');
  await expect(actions(page).first()).toContainText('powerOff node-1');
  await expect(actions(page).first()).toContainText('node/node-1: powerOff');
  await page.screenshot({ path: `${SHOTS}/faults-dropped-1440x900.png` });

  await play100x(page);
  await expect(node1).toHaveAttribute('data-ready', 'Unknown', { timeout: 30_000 });
  await expect(node1.locator('[data-testid="node-taint"]', { hasText: 'node.kubernetes.io/unreachable:NoExecute' })).toHaveCount(1, { timeout: 30_000 });
  await expect(countdown).toHaveAttribute('data-stage', 'toleration', { timeout: 30_000 });
  await expect(countdown).toContainText('tolerationSeconds: 300');
  // At 375 s the taint eviction controller deletes it: Terminating on a node nobody hears from.
  const evicted = node1.locator('[data-testid="pod-token"][data-pod^="default/web-"][data-phase="Terminating"]');
  await expect(evicted).toHaveCount(1, { timeout: 60_000 });
  const othersRunning = page.locator('[data-testid="worker-card"]:not([data-node="node-1"]) [data-testid="pod-token"][data-phase="Running"][data-pod^="default/web-"]');
  await expect(othersRunning).toHaveCount(3, { timeout: 30_000 });
  await pause(page);
  expect(await clockMs(page)).toBeGreaterThanOrEqual(375_000);
  await expect(countdown).toHaveAttribute('data-stage', 'evicted');
  await page.screenshot({ path: `${SHOTS}/faults-evicted-1440x900.png` });

  // Dragged back out (onto its old place), the machine powers on: its kubelet registers again and the node is Ready.
  await drag(page, node1, page.locator('[data-testid="fault-ghost"][data-node="node-1"]'));
  await expect(node1).not.toHaveAttribute('data-faults', /.+/);
  await expect(actions(page).first()).toContainText('powerOn node-1');
  await play100x(page);
  await expect(node1).toHaveAttribute('data-ready', 'Ready', { timeout: 30_000 });
  await expect(node1.getByTestId('node-taint')).toHaveCount(0, { timeout: 30_000 });
  await pause(page);
  await expect(actions(page)).toHaveCount(2);
});

test('the other faults are one click away on the failed card, and its menu heals it', async ({ page }) => {
  await page.goto('/?t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:30.000');
  const node2 = card(page, 'node-2');
  await drag(page, node2, page.getByTestId('fault-zone'));
  await expect(node2).toHaveAttribute('data-faults', 'power');

  // Switch to a stopped kubelet: power comes back on, the kubelet stops.
  await node2.getByTestId('fault-kubelet').click();
  await expect(node2).toHaveAttribute('data-faults', 'kubelet');
  await expect(node2.getByTestId('fault-kubelet')).toHaveAttribute('aria-pressed', 'true');
  await node2.getByTestId('fault-network').click();
  await expect(node2).toHaveAttribute('data-faults', 'network');
  await expect(node2.getByTestId('fault-state')).toHaveText(/^Network cut/);

  // The menu offers the repair of what is on.
  await node2.getByTestId('node-menu-button').click();
  const menu = page.getByTestId('action-menu');
  await menu.getByTestId('menu-heal').click();
  await expect(menu).toHaveCount(0);
  await expect(node2).not.toHaveAttribute('data-faults', /.+/);
  await expect(page.locator('[data-testid="fault-ghost"]')).toHaveCount(0);
  // powerOff, then the switch (powerOn, stopKubelet), (startKubelet, partition), then heal: six actions at 30 s.
  await expect(actions(page)).toHaveCount(6);
  const verbs = await actions(page).locator('.action-what').allTextContents();
  expect(verbs.reverse()).toEqual(['powerOff node-2', 'powerOn node-2', 'stopKubelet node-2', 'startKubelet node-2', 'partition node-2', 'heal node-2']);
});

test('menus: keyboard and right-click, cordon and drain; add a node and delete it', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/?t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:30.000');
  const node3 = card(page, 'node-3');

  // Keyboard: the button opens the menu with the first item focused; arrows move; Escape closes and gives focus back.
  const button = node3.getByTestId('node-menu-button');
  await button.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByTestId('action-menu');
  await expect(menu).toBeVisible();
  await expect(menu.getByTestId('menu-powerOff')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByTestId('menu-stopKubelet')).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByTestId('menu-deleteNode')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(button).toBeFocused();

  // Right-click opens the same menu; cordon.
  await node3.getByTestId('bar-memory').click({ button: 'right' });
  await menu.getByTestId('menu-cordon').click();
  await expect(node3.getByTestId('node-cordoned')).toBeVisible();
  await node3.getByTestId('bar-memory').click({ button: 'right' });
  await expect(menu.getByTestId('menu-uncordon')).toBeVisible();
  // Drain (--ignore-daemonsets --force): its web pod is evicted.
  await menu.getByTestId('menu-drain').click();
  await expect(actions(page).first()).toContainText('drain node-3');
  await expect(actions(page).first()).toContainText(/pod\/web-\S+ evicted/);
  await play100x(page);
  await expect(node3.locator('[data-testid="pod-token"][data-pod^="default/web-"]')).toHaveCount(0, { timeout: 30_000 });
  await pause(page);

  // Add a node: a copy of node-3 (4 cpu, 16Gi, its zone label) named node-4, which registers and is Ready.
  await page.getByTestId('add-node').click();
  await expect(actions(page).first()).toContainText('apply Node/node-4');
  await expect(actions(page).first()).toContainText('node/node-4 created');
  const node4 = card(page, 'node-4');
  await expect(node4).toBeVisible();
  await expect(node4.getByTestId('bar-cpu')).toHaveAttribute('data-allocatable', '4000');
  await node4.getByTestId('node-menu-button').click();
  await menu.getByTestId('menu-deleteNode').click();
  await expect(actions(page).first()).toContainText('delete Node node-4');
  await expect(node4).toHaveCount(0);
});

test('stop two of three etcd members from their menus: writes fail, nothing changes; start them and the cluster moves again', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:30.000');
  const menu = page.getByTestId('action-menu');
  for (const m of ['etcd-1', 'etcd-2']) {
    await page.getByTestId(`component-menu-button-${m}`).click();
    await menu.getByTestId('menu-stopComponent').click();
    await expect(page.getByTestId(`canvas-component-${m}`)).toHaveAttribute('data-role', 'stopped');
  }
  await expect(actions(page).nth(1)).toContainText('stopComponent etcd-1');
  await expect(actions(page).nth(0)).toContainText('stopComponent etcd-2');

  // A write through the console fails in kubectl's words ...
  await page.getByTestId('console-toggle').click();
  const input = page.getByTestId('console-input');
  await input.fill('scale deployment web --replicas=5');
  await input.press('Enter');
  await expect(page.locator('[data-testid="console-line"][data-kind="error"]').last()).toHaveText('Error from server: etcdserver: no leader');
  await page.getByTestId('console-close').click();
  // ... and a menu's write shows the answer as a notice.
  await card(page, 'node-2').getByTestId('node-menu-button').click();
  await menu.getByTestId('menu-cordon').click();
  await expect(page.getByTestId('notice').last()).toHaveText(/cordon node-2 failed: etcdserver: no leader/);
  await expect(actions(page).first()).toHaveAttribute('data-ok', 'false');
  await expect(actions(page).nth(1)).toHaveAttribute('data-ok', 'false');

  // The cluster is frozen: a minute later the pods still run, none is added, nothing is cordoned.
  await play100x(page);
  await expect.poll(() => clockMs(page), { timeout: 30_000 }).toBeGreaterThan(100_000);
  await pause(page);
  await expect(page.getByTestId('pod-token')).toHaveCount(4);
  await expect(page.locator('[data-testid="pod-token"][data-phase="Running"]')).toHaveCount(4);
  await expect(page.getByTestId('node-cordoned')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/faults-quorum-lost-1440x900.png` });

  // Started again from the inspector's buttons: a leader is elected and writes go through.
  for (const m of ['etcd-1', 'etcd-2']) {
    await page.getByTestId(`canvas-component-${m}`).click();
    await page.getByTestId('component-action-startComponent').click();
    await expect(page.getByTestId(`canvas-component-${m}`)).not.toHaveAttribute('data-role', 'stopped');
  }
  await play100x(page);
  await expect(page.locator('[data-testid^="canvas-component-etcd-"][data-role="leader"]')).toHaveCount(1, { timeout: 30_000 });
  await pause(page);
  await page.getByTestId('console-toggle').click();
  await input.fill('scale deployment web --replicas=5');
  await input.press('Enter');
  await expect(page.locator('[data-testid="console-line"][data-kind="stdout"]').last()).toHaveText('deployment.apps/web scaled');
  await page.getByTestId('console-close').click();
  await play100x(page);
  await expect(page.locator('[data-testid="pod-token"][data-phase="Running"][data-pod^="default/web-"]')).toHaveCount(5, { timeout: 30_000 });
  await pause(page);
});

test('the inspector has the same actions: power a node off from its Node view', async ({ page }) => {
  await page.goto('/?t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:30.000');
  await card(page, 'node-3').getByTestId('worker-name').click();
  const bar = page.getByTestId('node-action-bar');
  await expect(bar).toBeVisible();
  await bar.getByTestId('node-action-powerOff').click();
  await expect(card(page, 'node-3')).toHaveAttribute('data-faults', 'power');
  await expect(bar.getByTestId('node-action-powerOn')).toBeVisible();
  await expect(bar.getByTestId('node-action-stopKubelet')).toBeDisabled();
  await bar.getByTestId('node-action-powerOn').click();
  await expect(card(page, 'node-3')).not.toHaveAttribute('data-faults', /.+/);
});

for (const theme of ['dark', 'light'] as const) {
  for (const [w, h] of [
    [1280, 720],
    [1440, 900],
  ] as const) {
    test(`screenshot: a failed node and an open menu, ${theme}, ${w}x${h}`, async ({ page }) => {
      await page.addInitScript((t) => localStorage.setItem('kubeviz.theme', t), theme);
      await page.setViewportSize({ width: w, height: h });
      await page.goto('/?t=30s');
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await drag(page, card(page, 'node-1'), page.getByTestId('fault-zone'));
      await expect(card(page, 'node-1')).toHaveAttribute('data-faults', 'power');
      await card(page, 'node-2').getByTestId('node-menu-button').click();
      await expect(page.getByTestId('action-menu')).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/faults-${theme}-${w}x${h}.png` });
    });
  }
}
