// A LoadBalancer Service on a cloud (gallery scenario loadbalancer-node-loss:
// spec.cloud, four workers, Deployment web with 8 replicas behind Service web
// of type LoadBalancer), on the canvas: the cloud box beside the control plane
// lists the cloud's load balancer for default/web with the address the
// service controller wrote into status.loadBalancer.ingress (203.0.113.1, the
// first of the scenario's default range 203.0.113.0/24) and its backend nodes.
// The timeline deletes node-2's machine at 30 s; node-2 goes Ready=Unknown
// 40 s after its last heartbeat (node-monitor-grace-period), and at its 75 s
// pass the cloud node lifecycle controller finds the instance gone and
// deletes the Node; the service controller's UpdateLoadBalancer a
// millisecond later leaves three backends. Until then node-2 stays a backend
// (since v1.30 the service controller keeps NotReady nodes), only its health
// check fails (3 checks of 8 s: Unhealthy about 24 s after the deletion).
import { expect, test, type Page } from '@playwright/test';

const SHOTS = '/tmp/kv/shots-canvas';
const cards = (page: Page) => page.getByTestId('architecture-canvas').getByTestId('worker-card');
const lbRow = (page: Page) => page.locator('[data-testid="lb-service"][data-service="default/web"]');

async function open(page: Page, at: string, ms: number) {
  await page.goto(`/?scenario=loadbalancer-node-loss&t=${at}`);
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', String(ms));
}

test("the Service's external IP and its four backends; after node-2's machine is deleted its card is gone and three backends are left", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page, '20s', 20_000);
  const canvas = page.getByTestId('architecture-canvas');
  await expect(canvas.getByTestId('canvas-cloud')).toBeVisible();
  await expect(canvas.getByTestId('canvas-component-cloud-controller-manager')).toHaveAttribute('data-state', /running|leader/);
  await expect(lbRow(page)).toHaveAttribute('data-address', '203.0.113.1');
  await expect(lbRow(page).getByTestId('lb-address')).toHaveText('203.0.113.1');
  await expect(lbRow(page)).toHaveAttribute('data-backends', '4');
  await expect(lbRow(page).getByTestId('lb-backends')).toHaveText('4 nodes');
  await expect(canvas.getByTestId('cloud-instances')).toHaveAttribute('data-running', '4');
  await expect(cards(page)).toHaveCount(4);

  // 70 s: the instance is terminated (the cloud counts it so) and its health check failed, but node-2 is still a Node and a backend.
  await open(page, '70s', 70_000);
  await expect(cards(page)).toHaveCount(4);
  await expect(canvas.getByTestId('cloud-instances')).toHaveAttribute('data-terminated', '1');
  await expect(lbRow(page)).toHaveAttribute('data-backends', '4');
  await expect(lbRow(page)).toHaveAttribute('data-healthy', '3');
  await expect(lbRow(page).getByTestId('lb-backends')).toHaveText('4 nodes · 3 healthy');

  // 80 s: deleted at 75 s, out of the load balancer at 75.001 s.
  await open(page, '80s', 80_000);
  await expect(cards(page)).toHaveCount(3);
  await expect(page.locator('[data-testid="worker-card"][data-node="node-2"]')).toHaveCount(0);
  await expect(lbRow(page)).toHaveAttribute('data-backends', '3');
  await expect(lbRow(page).getByTestId('lb-backends')).toHaveText('3 nodes');
  await expect(lbRow(page)).toHaveAttribute('data-address', '203.0.113.1');
});

test('"Delete machine (cloud)" from a node card: recorded as deleteMachine, the cloud node lifecycle controller deletes the Node, the load balancer drops it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page, '80s', 80_000);
  const node3 = page.locator('[data-testid="worker-card"][data-node="node-3"]');
  await node3.getByTestId('node-menu-button').click();
  await page.getByTestId('menu-deleteMachine').click();
  await expect(page.getByTestId('action-entry').first()).toContainText('deleteMachine');
  await expect(page.getByTestId('architecture-canvas').getByTestId('cloud-instances')).toHaveAttribute('data-terminated', '2');
  // node-3 goes Ready=Unknown after the 40 s grace period, then the next 5 s pass deletes it: about a simulated minute, under a second at 100x.
  await page.getByTestId('speed-100x').click();
  await page.getByTestId('play-pause').click();
  await expect(node3).toHaveCount(0, { timeout: 60_000 });
  await expect(lbRow(page)).toHaveAttribute('data-backends', '2', { timeout: 30_000 });
  await page.getByTestId('play-pause').click();
  await expect(cards(page)).toHaveCount(2);
});

test('screenshots: the cloud box at 1280x720 and 1440x900, dark and light', async ({ page }) => {
  for (const [w, h] of [
    [1280, 720],
    [1440, 900],
  ]) {
    for (const theme of ['dark', 'light']) {
      await page.setViewportSize({ width: w, height: h });
      await page.addInitScript((t) => localStorage.setItem('kubeviz.theme', t), theme);
      await open(page, '70s', 70_000);
      await expect(lbRow(page)).toHaveAttribute('data-healthy', '3');
      await page.screenshot({ path: `${SHOTS}/loadbalancer-${theme}-${w}x${h}.png` });
      await page.getByTestId('architecture-canvas').screenshot({ path: `${SHOTS}/loadbalancer-canvas-${theme}-${w}x${h}.png` });
    }
  }
});
