// The node table is a copy of every NodeInfo's hot numbers: after any
// sequence of cache events each row must say what its NodeInfo says.
import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/types';
import { SchedulerCache } from '../cache';
import { makeNode, makePod } from '../plugins/test-nodes';
import { newPodInfo } from './resources';
import { NodeTable } from './node-table';
import type { NodeInfo, Snapshot } from './types';

const IMAGES = ['img/a:1', 'img/b:1', 'img/c:1'];
const IMAGE_NAMES = IMAGES.flatMap((n) => [n, `${n}@sha`]);

/** Every row of the table against its NodeInfo; the order against the list. */
function expectInStep(snapshot: Snapshot): void {
  const { table, order } = snapshot.table!();
  const list = snapshot.list();
  expect(order.length).toBe(list.length);
  list.forEach((info, i) => {
    const slot = order[i];
    expect(table.slot(info.name)).toBe(slot);
    expect(table.infos[slot]).toBe(info);
    expect(rowOf(table, slot)).toEqual(expectedRow(info));
    for (const name of IMAGE_NAMES) expect(table.imageColumn(name)?.[slot]).toBe(info.imageStates[name]);
  });
}

const rowOf = (t: NodeTable, s: number) => ({
  name: t.names[s],
  alloc: [t.allocCpu[s], t.allocMem[s], t.allocEph[s], t.allocPods[s]],
  req: [t.reqCpu[s], t.reqMem[s], t.reqEph[s]],
  nz: [t.nzCpu[s], t.nzMem[s]],
  pods: t.podCount[s],
  unschedulable: t.unschedulable[s],
  taints: t.taints[s],
});

const expectedRow = (n: NodeInfo) => ({
  name: n.name,
  alloc: [n.allocatable.milliCPU, n.allocatable.memory, n.allocatable.ephemeralStorage, n.allocatable.allowedPodNumber],
  req: [n.requested.milliCPU, n.requested.memory, n.requested.ephemeralStorage],
  nz: [n.nonZeroRequested.milliCPU, n.nonZeroRequested.memory],
  pods: n.pods.length,
  unschedulable: n.node.spec?.unschedulable ? 1 : 0,
  taints: n.node.spec?.taints?.length ? n.node.spec.taints : undefined,
});

/** A small seeded generator (the test must not depend on Math.random). */
function lcg(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return Math.floor((x / 2147483648) * n); // the high bits: an LCG's low bits repeat quickly
  };
}

describe('NodeTable', () => {
  it('holds what the NodeInfos hold, by hand', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(makeNode({ name: 'a', allocatable: { cpu: '2', memory: '4Gi', pods: '10' } }));
    cache.addOrUpdateNode(makeNode({ name: 'b', taints: [{ key: 'k', effect: 'NoSchedule' }], unschedulable: true }));
    cache.addOrUpdatePod(makePod({ nodeName: 'a', requests: { cpu: '500m', memory: '1Gi' } }));
    cache.addOrUpdatePod(makePod({ nodeName: 'a' })); // no requests: non-zero defaults 100m / 200Mi
    const { table } = cache.snapshot().table!();
    const a = table.slot('a')!;
    const b = table.slot('b')!;
    expect([table.allocCpu[a], table.allocMem[a], table.allocPods[a]]).toEqual([2000, 4 * 1024 ** 3, 10]);
    expect([table.reqCpu[a], table.reqMem[a], table.podCount[a]]).toEqual([500, 1024 ** 3, 2]);
    expect([table.nzCpu[a], table.nzMem[a]]).toEqual([600, 1024 ** 3 + 200 * 1024 ** 2]);
    expect([table.unschedulable[a], table.unschedulable[b]]).toEqual([0, 1]);
    expect(table.taints[a]).toBeUndefined();
    expect(table.taints[b]).toEqual([{ key: 'k', effect: 'NoSchedule' }]);
  });

  it('stays in step with the cache through random node and pod events', () => {
    const rand = lcg(7);
    const cache = new SchedulerCache();
    const nodes = new Map<string, Node>();
    const pods: ReturnType<typeof makePod>[] = [];
    const nodeNamed = (name: string) =>
      makeNode({
        name,
        labels: { 'topology.kubernetes.io/zone': `z${rand(3)}` },
        allocatable: { cpu: `${1 + rand(8)}`, memory: `${1 + rand(16)}Gi`, pods: `${5 + rand(100)}`, 'ephemeral-storage': `${rand(3) * 10}Gi` },
        ...(rand(3) === 0 ? { taints: [{ key: 'k', value: `${rand(2)}`, effect: rand(2) ? 'NoSchedule' : 'PreferNoSchedule' }] } : {}),
        ...(rand(5) === 0 ? { unschedulable: true } : {}),
        images: IMAGES.filter(() => rand(2) === 0).map((n) => ({ names: [n, `${n}@sha`], sizeBytes: 1000 * (1 + rand(50)) })),
      });
    for (let step = 0; step < 600; step++) {
      const op = rand(11);
      const name = `n${rand(12)}`;
      if (op < 3) {
        const n = nodeNamed(name);
        nodes.set(name, n);
        cache.addOrUpdateNode(n);
      } else if (op === 3 && nodes.has(name)) {
        nodes.delete(name);
        cache.removeNode(name);
      } else if (op < 7) {
        const pod = makePod({ nodeName: name, requests: rand(4) ? { cpu: `${rand(900)}m`, memory: `${rand(500)}Mi`, 'ephemeral-storage': `${rand(2)}Gi` } : undefined });
        pods.push(pod);
        if (rand(2)) cache.addOrUpdatePod(pod);
        else cache.assume(newPodInfo(pod), name);
      } else if (op < 9 && pods.length) {
        // The watch confirms a pod: its bound version, the rest of the spec shared.
        const i = rand(pods.length);
        pods[i] = { ...pods[i], spec: { ...pods[i].spec!, nodeName: pods[i].spec!.nodeName } };
        cache.addOrUpdatePod(pods[i]);
      } else if (pods.length) {
        const [pod] = pods.splice(rand(pods.length), 1);
        if (rand(2)) cache.removePod(pod);
        else cache.forget(pod);
      }
      expectInStep(cache.snapshot());
    }
  });

  it('NodeTable.of: slots in list order', () => {
    const cache = new SchedulerCache();
    for (const name of ['x', 'y', 'z']) cache.addOrUpdateNode(makeNode({ name }));
    const t = NodeTable.of(cache.snapshot().list());
    expect(['x', 'y', 'z'].map((n) => t.slot(n))).toEqual([0, 1, 2]);
    expect([...t.names.slice(0, 3)]).toEqual(['x', 'y', 'z']);
  });
});
