import { describe, expect, it } from 'vitest';
import { heatGrid } from './heat-map-geometry';
import { APISERVER_ID, architectureLayout, CONTROLLER_MANAGER_ID, layout, SCHEDULER_ID, SIZES, workerColumns, workerId, type Box } from './layout';

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
