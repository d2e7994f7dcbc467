// The canvas's level of detail (issue 5 part 5), on the built-in scale
// scenarios opened by URL (?scenario=). Paused at 20 s (?t=20s): the
// Deployment was scaled to 1,500 at 1 s and every pod runs by then, so what
// the canvas shows is fixed. 1,000 nodes: a heat map on one canvas, zoomed
// in: a few real node cards, zoomed out: the heat map again. 50 nodes (the
// threshold): one card per node, no heat map.
import { expect, test, type Page } from '@playwright/test';

const SHOTS = '/tmp/kv/shots-lod';

async function open1000(page: Page) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?scenario=scale-1000-nodes&t=20s');
  // Running 20 s of a 1,000-node cluster before the first frame takes a few seconds.
  await expect(page.getByTestId('sim-clock')).toHaveText('00:20.000', { timeout: 60_000 });
  return page.getByTestId('architecture-canvas');
}

test.describe('1,000 nodes', () => {
  test.setTimeout(120_000);

  test('a heat map of 1,000 tiles with the 1,500 Running pods as pixels; the control plane as boxes; no card per node', async ({ page }) => {
    const canvas = await open1000(page);
    const heat = canvas.getByTestId('heat-map');
    await expect(heat).toBeVisible();
    await expect(heat).toHaveAttribute('data-nodes', '1000');
    await expect(heat).toHaveAttribute('data-pods', '1500');
    await expect(heat).toHaveAttribute('data-running', '1500');
    await expect(heat).toHaveAttribute('data-mode', 'tiles');
    await expect(canvas.getByTestId('worker-card')).toHaveCount(0);
    // React Flow holds 6 control-plane boxes and the heat map's box; the kubelets share one edge.
    await expect(canvas.locator('.react-flow__node')).toHaveCount(7);
    for (const c of ['etcd-1', 'etcd-2', 'etcd-3', 'kube-apiserver', 'kube-scheduler', 'kube-controller-manager']) await expect(canvas.getByTestId(`canvas-component-${c}`)).toBeVisible();
    await expect(canvas.locator('.react-flow__edge.edge-heat-map')).toContainText('1,000 kubelets');
    await expect(canvas.getByTestId('heat-map-legend')).toContainText('CPU requested');
    await expect(canvas.locator('.react-flow__minimap')).toBeVisible();
    await canvas.screenshot({ path: `${SHOTS}/lod-1000-dark.png` });
  });

  test('hovering a tile names its node with its figures; clicking it opens the Node in the inspector', async ({ page }) => {
    const canvas = await open1000(page);
    const box = (await canvas.getByTestId('heat-map-region').boundingBox())!;
    // A tile a quarter of the way in: the large pool (large-001 .. large-500) fills the first rows.
    await page.mouse.move(box.x + box.width * 0.25 + 0.5, box.y + box.height * 0.2 + 0.5);
    const tip = canvas.getByTestId('heat-tooltip');
    await expect(tip).toBeVisible();
    const name = (await tip.getAttribute('data-node'))!;
    expect(name).toMatch(/^large-\d{3}$/);
    // A large node is 8 cpu: its pods (1 cpu each) are in the tooltip and in its heat.
    await expect(tip).toContainText(/CPU\s*\d\/8 \(\d+%\)/);
    await expect(tip).toContainText('Running');
    await canvas.screenshot({ path: `${SHOTS}/lod-1000-hover.png` });
    await page.mouse.click(box.x + box.width * 0.25 + 0.5, box.y + box.height * 0.2 + 0.5);
    await expect(page.getByTestId('inspector')).toHaveAttribute('data-id', `Node//${name}`);
    // Its tile is ringed in --accent-text (#7aa5ff in the dark theme), just outside its left edge.
    const heat = canvas.getByTestId('heat-map');
    const c = (await heat.boundingBox())!;
    const centre = tileCentre(box, Number(name.slice('large-'.length)) - 1);
    const left = centre.x - (132 / 13_696) * box.width;
    const rgb = await heat.evaluate((el, p) => [...(el as HTMLCanvasElement).getContext('2d')!.getImageData(Math.round(p.x), Math.round(p.y), 1, 1).data], { x: left - 1.5 - c.x, y: centre.y - c.y });
    expect(rgb.slice(0, 3)).toEqual([122, 165, 255]);
    await page.mouse.move(box.x - 40, box.y - 40);
    await expect(tip).toHaveCount(0);
  });

  test('zooming in turns the tiles in view into real node cards (a few, not 1,000); zooming out brings the heat map back', async ({ page }) => {
    const canvas = await open1000(page);
    const heat = canvas.getByTestId('heat-map');
    const cards = canvas.getByTestId('worker-card');
    const zoomIn = canvas.locator('.react-flow__controls-zoomin');
    // Each click zooms 1.2x about the view's centre, which is on the heat map: from about 0.45 to the card zoom (3.9) takes about 12.
    for (let i = 0; i < 25 && (await heat.getAttribute('data-mode')) !== 'cards'; i++) await zoomIn.click();
    await expect(heat).toHaveAttribute('data-mode', 'cards');
    await expect(cards.first()).toBeVisible();
    const shown = await cards.count();
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(120);
    // Real cards, with their node's Ready badge and pods.
    await expect(cards.first().getByTestId('node-ready')).toHaveText('Ready');
    await expect(cards.first()).toHaveAttribute('data-node', /^(large|small)-\d{3}$/);
    await expect(heat).toHaveAttribute('data-pods', '1500');
    await canvas.screenshot({ path: `${SHOTS}/lod-1000-zoomed-dark.png` });

    await canvas.locator('.react-flow__controls-fitview').click();
    await expect(heat).toHaveAttribute('data-mode', 'tiles');
    await expect(cards).toHaveCount(0);
    await expect(canvas.locator('.react-flow__node')).toHaveCount(7);
  });

  test('the heat map follows the light theme', async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem('kubeviz.theme', 'light'));
    const canvas = await open1000(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expect(canvas.getByTestId('heat-map')).toHaveAttribute('data-running', '1500');
    await canvas.screenshot({ path: `${SHOTS}/lod-1000-light.png` });
    const heat = canvas.getByTestId('heat-map');
    for (let i = 0; i < 25 && (await heat.getAttribute('data-mode')) !== 'cards'; i++) await canvas.locator('.react-flow__controls-zoomin').click();
    await expect(canvas.getByTestId('worker-card').first()).toBeVisible();
    await expect(canvas.getByTestId('worker-card').first()).toHaveCSS('background-color', 'rgb(255, 255, 255)');
    await canvas.screenshot({ path: `${SHOTS}/lod-1000-zoomed-light.png` });
  });
});

// Where tile i of the 1,000-node grid (47 columns, 22 rows) is, as fractions of the heat map's
// box: in card units a pitch is 264 + 28 = 292 by 184 + 28 = 212, the grid 47 x 292 - 28 = 13,696
// by 22 x 212 - 28 = 4,636, and a tile's centre 132 and 92 into its pitch.
function tileCentre(box: { x: number; y: number; width: number; height: number }, i: number) {
  const col = i % 47;
  const row = Math.floor(i / 47);
  return { x: box.x + ((col * 292 + 132) / 13_696) * box.width, y: box.y + ((row * 212 + 92) / 4_636) * box.height };
}

test('at 80 s the powered-off small-250 is Unknown (crossed in amber) and the cordoned large-250 is flagged', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  // The timeline cordons large-250 and powers small-250 off at 30 s; 40 s of missed heartbeats later it is Unknown.
  await page.goto('/?scenario=scale-1000-nodes&t=80s');
  await expect(page.getByTestId('sim-clock')).toHaveText('01:20.000', { timeout: 90_000 });
  const canvas = page.getByTestId('architecture-canvas');
  const region = (await canvas.getByTestId('heat-map-region').boundingBox())!;
  const tip = canvas.getByTestId('heat-tooltip');
  // Nodes are in name order: large-001 .. large-500 are tiles 0..499, small-001 .. small-500 tiles 500..999.
  const unknown = tileCentre(region, 749);
  await page.mouse.move(unknown.x, unknown.y);
  await expect(tip).toHaveAttribute('data-node', 'small-250');
  await expect(tip).toContainText('Unknown');
  // The tile's centre is where its cross's two strokes meet: --warn (#e0a33a in the dark theme).
  const heat = canvas.getByTestId('heat-map');
  const c = (await heat.boundingBox())!;
  const rgb = await heat.evaluate((el, p) => [...(el as HTMLCanvasElement).getContext('2d')!.getImageData(Math.round(p.x), Math.round(p.y), 1, 1).data], { x: unknown.x - c.x, y: unknown.y - c.y });
  expect(rgb[0]).toBeGreaterThan(170);
  expect(rgb[2]).toBeLessThan(120);
  const cordoned = tileCentre(region, 249);
  await page.mouse.move(cordoned.x, cordoned.y);
  await expect(tip).toHaveAttribute('data-node', 'large-250');
  await expect(tip).toContainText('SchedulingDisabled');
  // Closer (still tiles, not cards) between the two, to see the marks; the pointer then leaves the canvas.
  await page.mouse.move(unknown.x, unknown.y);
  for (let i = 0; i < 9; i++) await page.mouse.wheel(0, -100);
  await page.mouse.move(5, 5);
  await expect(tip).toHaveCount(0);
  await expect(heat).toHaveAttribute('data-mode', 'tiles');
  await canvas.screenshot({ path: `${SHOTS}/lod-1000-marks.png` });
});

test('50 nodes, the threshold: one card per node and no heat map', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?scenario=scale-50-nodes&t=20s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:20.000', { timeout: 60_000 });
  const canvas = page.getByTestId('architecture-canvas');
  await expect(canvas.getByTestId('worker-card')).toHaveCount(50);
  await expect(canvas.getByTestId('heat-map')).toHaveCount(0);
  await expect(canvas.locator('.react-flow__edge.edge-kubelet')).toHaveCount(50);
  // 1,500 pods on 50 nodes, all Running by 20 s.
  await expect(canvas.locator('[data-testid="pod-token"][data-phase="Running"]')).toHaveCount(1500);
  await canvas.screenshot({ path: `${SHOTS}/cards-50-dark.png` });
});

test('an unknown ?scenario= opens the default scenario with a notice naming it and the known ones', async ({ page }) => {
  await page.goto('/?scenario=no-such-thing&t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:30.000');
  await expect(page.getByText('URL parameter scenario="no-such-thing" ignored')).toBeVisible();
  await expect(page.getByText(/scale-1000-nodes/)).toBeVisible();
  await expect(page.getByTestId('architecture-canvas').getByTestId('worker-card')).toHaveCount(3);
});
