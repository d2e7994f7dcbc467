import { describe, expect, it } from 'vitest';
import { heatGrid } from './heat-map-geometry';
import {
  APISERVER_ID,
  architectureLayout,
  CLOUD_CONTROLLER_MANAGER_ID,
  CLOUD_ID,
  CONTROLLER_MANAGER_ID,
  layout,
  LOAD_BALANCER_ID,
  SCHEDULER_ID,
  SIZES,
  workerColumns,
  workerId,
  type Box,
} from './layout';

const ETCD = ['etcd-1', 'etcd-2', 'etcd-3'];
const nodes = (n: number) => Array.from({ length: n }, (_, i) => `node-${i + 1}`);

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function expectNoOverlaps(boxes: Map<string, Box>) {
  const list = [...boxes.entries()];
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) expect(overlaps(list[i][1], list[j][1]), `${list[i][0]} overlaps ${list[j][0]}`).toBe(false);
}

describe('layout', () => {
  it('one node: a single card centred under kube-apiserver, below the whole control plane', () => {
    const boxes = layout({ etcd: ETCD, workers: ['node-1'] });
    expect(boxes.size).toBe(3 + 3 + 1);
    const api = boxes.get(APISERVER_ID)!;
    const card = boxes.get(workerId('node-1'))!;
    // Both centred on x = 0: the apiserver is 300 wide (x = -150), the card 264 (x = -132).
    expect(api.x).toBe(-150);
    expect(card.x).toBe(-132);
    expect(card.y).toBeGreaterThan(api.y + api.height);
    expectNoOverlaps(boxes);
  });

  it('three nodes in one row; etcd above the apiserver, scheduler left and controller-manager right of it', () => {
    const boxes = layout({ etcd: ETCD, workers: nodes(3) });
    const cards = nodes(3).map((n) => boxes.get(workerId(n))!);
    expect(new Set(cards.map((c) => c.y)).size).toBe(1);
    // Row width 3 x 264 + 2 x 28 = 848, so the first card starts at -424 and the next ones 292 further.
    expect(cards.map((c) => c.x)).toEqual([-424, -132, 160]);
    // etcd row: 3 x 180 + 2 x 48 = 636 wide, from -318, then every 180 + 48 = 228.
    expect(ETCD.map((m) => boxes.get(m)!.x)).toEqual([-318, -90, 138]);
    const api = boxes.get(APISERVER_ID)!;
    for (const m of ETCD) expect(boxes.get(m)!.y + SIZES.etcd.height).toBeLessThan(api.y);
    expect(boxes.get(SCHEDULER_ID)!.x + SIZES.component.width).toBeLessThan(api.x);
    expect(boxes.get(CONTROLLER_MANAGER_ID)!.x).toBeGreaterThan(api.x + api.width);
    expect(boxes.get(SCHEDULER_ID)!.y).toBe(api.y);
    expectNoOverlaps(boxes);
  });

  it('fifty nodes: a 9 x 6 grid (ceil(sqrt(50 x 1.5)) = 9 columns), row by row, none overlapping', () => {
    expect(workerColumns(50)).toBe(9);
    const boxes = layout({ etcd: ETCD, workers: nodes(50) });
    expect(boxes.size).toBe(56);
    const cards = nodes(50).map((n) => boxes.get(workerId(n))!);
    expect(new Set(cards.map((c) => c.x)).size).toBe(9);
    expect(new Set(cards.map((c) => c.y)).size).toBe(6);
    // node-10 starts the second row: same column as node-1, one card height + 28 lower.
    expect(cards[9].x).toBe(cards[0].x);
    expect(cards[9].y).toBe(cards[0].y + SIZES.worker.height + 28);
    expectNoOverlaps(boxes);
  });

  it('is deterministic: the same graph gives the same boxes', () => {
    const graph = { etcd: ETCD, workers: nodes(17) };
    expect([...layout(graph)]).toEqual([...layout({ etcd: [...ETCD], workers: nodes(17) })]);
  });

  it('columns: one row up to 4 nodes, then at least 4', () => {
    expect([1, 3, 4, 5, 6, 10].map(workerColumns)).toEqual([1, 3, 4, 4, 4, 4]);
    // ceil(sqrt(20 x 1.5)) = ceil(5.48) = 6
    expect(workerColumns(20)).toBe(6);
  });

  it('fifty nodes keep their cards; fifty-one become tiles of the heat map, each in the grid the heat map draws', () => {
    expect(architectureLayout({ etcd: ETCD, workers: nodes(50) }).heatMap).toBeNull();
    const lod = architectureLayout({ etcd: ETCD, workers: nodes(51) });
    expect(lod.heatMap).not.toBeNull();
    const grid = lod.heatMap!;
    // Under the control plane, as the cards were: kube-apiserver ends at 138 + 74 = 212; 110 px of room for the kubelets' edge.
    expect(grid.y).toBe(212 + 110);
    expect(grid).toEqual(heatGrid(51, 322));
    const tiles = nodes(51).map((n) => lod.boxes.get(workerId(n))!);
    expect(tiles[0]).toMatchObject({ x: grid.x, y: grid.y, width: grid.tileWidth, height: grid.tileHeight });
    expect(lod.heatMapBox).toEqual({ x: grid.x, y: grid.y, width: grid.width, height: grid.height });
    for (const t of tiles) {
      expect(t.x).toBeGreaterThanOrEqual(grid.x - 1e-9);
      expect(t.x + t.width).toBeLessThanOrEqual(grid.x + grid.width + 1e-9);
      expect(t.y + t.height).toBeLessThanOrEqual(grid.y + grid.height + 1e-9);
    }
    expectNoOverlaps(lod.boxes);
  });

  it('a thousand nodes: the same boxes every time, the control plane where it is with three', () => {
    const a = architectureLayout({ etcd: ETCD, workers: nodes(1000) });
    const b = architectureLayout({ etcd: [...ETCD], workers: nodes(1000) });
    expect([...a.boxes]).toEqual([...b.boxes]);
    expect(a.boxes.get(APISERVER_ID)).toEqual(layout({ etcd: ETCD, workers: nodes(3) }).get(APISERVER_ID));
    expect(a.boxes.size).toBe(6 + 1000);
  });
});

// A highly available control plane (layout-ha.ts): sizes etcd 180 x 60, replicas
// 224 x 60, frames 10 px padding with a 34 px title bar, 28 px apart.
const haShape = (n: number) =>
  Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    return { name: `control-plane-${i}`, etcd: [`etcd-${i}`], apiserver: `kube-apiserver-${i}`, scheduler: `kube-scheduler-${i}`, controllerManager: `kube-controller-manager-${i}` };
  });
const inside = (inner: Box, outer: Box) => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

describe('layout of a highly available control plane', () => {
  const graph = { etcd: ETCD, workers: nodes(3), faultZone: { faulted: [] as string[] }, controlPlane: haShape(3) };

  it('three machines: a frame each, side by side, holding its four boxes; nothing overlaps', () => {
    const l = architectureLayout(graph);
    // Frame: 2 x 224 + 20 between scheduler and controller-manager + 2 x 10 = 488 wide; three of them and 2 gaps of 28 = 1,520, from -760.
    expect([...l.frames.values()].map((f) => [f.x, f.width])).toEqual([
      [-760, 488],
      [-244, 488],
      [272, 488],
    ]);
    for (const m of haShape(3)) {
      const frame = l.frames.get(m.name)!;
      for (const id of [...m.etcd, m.apiserver, m.scheduler, m.controllerManager]) expect(inside(l.boxes.get(id)!, frame), `${id} in ${m.name}`).toBe(true);
    }
    expectNoOverlaps(l.boxes);
    expectNoOverlaps(l.frames);
  });

  it('the load balancer under the frames, as wide as they are; the workers under it', () => {
    const l = architectureLayout(graph);
    const lb = l.boxes.get(LOAD_BALANCER_ID)!;
    // Frames are 34 (title) + 8 + 60 (etcd) + 36 + 60 (apiserver) + 16 + 60 (scheduler, controller-manager) + 10 = 284 tall;
    // the load balancer 48 below, 44 tall.
    expect(lb).toEqual({ x: -760, y: 332, width: 1520, height: 44 });
    for (const n of nodes(3)) expect(l.boxes.get(workerId(n))!.y).toBe(332 + 44 + 110);
  });

  it("each apiserver's handle on the load balancer is right under it, between its machine's scheduler and controller-manager", () => {
    const l = architectureLayout(graph);
    for (const m of haShape(3)) {
      const api = l.boxes.get(m.apiserver)!;
      const to = l.anchors.get(`${LOAD_BALANCER_ID}/to:${m.apiserver}`)!;
      expect(to.x).toBe(api.x + api.width / 2);
      const sch = l.boxes.get(m.scheduler)!;
      const kcm = l.boxes.get(m.controllerManager)!;
      // 20 px between them: the edge runs 10 px from each.
      expect(to.x - (sch.x + sch.width)).toBe(10);
      expect(kcm.x - to.x).toBe(10);
      expect(l.anchors.get(`${LOAD_BALANCER_ID}/from:${m.scheduler}`)!.x).toBe(sch.x + sch.width / 2);
    }
  });

  it('fits a landscape panel: 1,520 px wide over 670 px tall with three workers (wider than the single control plane, about as tall)', () => {
    const l = architectureLayout(graph);
    const all = [...l.boxes.values(), ...l.frames.values()];
    const right = Math.max(...all.map((b) => b.x + b.width));
    const left = Math.min(...all.map((b) => b.x), l.faultZone!.box.x);
    const bottom = Math.max(...all.map((b) => b.y + b.height));
    expect(right - left).toBeLessThanOrEqual(1520);
    // Workers at 486, cards 184 tall.
    expect(bottom).toBe(486 + 184);
  });

  it('with a cloud: the cloud right of the frames, cloud-controller-manager under it level with the load balancer', () => {
    const l = architectureLayout({ ...graph, cloud: { controllerManager: true } });
    const lb = l.boxes.get(LOAD_BALANCER_ID)!;
    const cloud = l.boxes.get(CLOUD_ID)!;
    const ccm = l.boxes.get(CLOUD_CONTROLLER_MANAGER_ID)!;
    expect(cloud.x).toBe(760 + 36);
    expect(ccm.x).toBe(cloud.x);
    expect(ccm.y + ccm.height / 2).toBe(lb.y + lb.height / 2);
    expect(ccm.y).toBeGreaterThan(cloud.y + cloud.height);
    expectNoOverlaps(l.boxes);
  });

  it('past fifty workers the heat map goes under the load balancer', () => {
    const l = architectureLayout({ etcd: ETCD, workers: nodes(60), controlPlane: haShape(3) });
    expect(l.heatMap!.y).toBe(332 + 44 + 110);
  });
});

describe('layout with a cloud beside one control plane', () => {
  it('cloud-controller-manager under kube-controller-manager, the cloud to its right; the workers lower to make room', () => {
    const l = architectureLayout({ etcd: ETCD, workers: nodes(3), cloud: { controllerManager: true } });
    const kcm = l.boxes.get(CONTROLLER_MANAGER_ID)!;
    const ccm = l.boxes.get(CLOUD_CONTROLLER_MANAGER_ID)!;
    const cloud = l.boxes.get(CLOUD_ID)!;
    // kube-controller-manager is at (198, 138), 300 x 74; the ccm 28 below it; the cloud 48 right of them, as tall as both.
    expect(ccm).toEqual({ x: 198, y: 240, width: 300, height: 74 });
    expect(cloud).toEqual({ x: 546, y: 138, width: 248, height: 176 });
    expect(kcm.y).toBe(138);
    expect(l.boxes.get(workerId('node-1'))!.y).toBe(314 + 110);
    expectNoOverlaps(l.boxes);
  });

  it('without a cloud and with one machine nothing moves: the same boxes as before highly available control planes existed', () => {
    const before = layout({ etcd: ETCD, workers: nodes(3) });
    expect([...layout({ etcd: ETCD, workers: nodes(3), controlPlane: null, cloud: null })]).toEqual([...before]);
    expect(architectureLayout({ etcd: ETCD, workers: nodes(3) }).frames.size).toBe(0);
    expect(before.has(LOAD_BALANCER_ID)).toBe(false);
  });
});
