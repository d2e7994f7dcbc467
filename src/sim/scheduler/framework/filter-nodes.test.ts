// Filter in batches (FilterPlugin.filterNodes over the node table, and
// scheduleOne's walk in batches as large as the number of nodes still
// wanted) must decide exactly what Filter node by node decides: the same
// verdicts, the same nodes examined, the same place to start next time.
import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import type { Pod } from '../../api/types';
import { PLUGIN_REGISTRY } from '../plugins';
import { makeBatch, makeHandle, makeNodeInfo, makePod } from '../plugins/test-nodes';
import { defaultProfile, numFeasibleNodesToFind } from '../profile';
import { scheduleOne, type CycleResult } from '../schedule-one';
import { Framework } from './framework';
import type { Status } from './status';
import { CycleState, type NodeInfo } from './types';

function lcg(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return Math.floor((x / 2147483648) * n); // the high bits: an LCG's low bits repeat quickly
  };
}

function framework(nodes: readonly NodeInfo[]): Framework {
  const handle = makeHandle(nodes);
  return new Framework(defaultProfile(), PLUGIN_REGISTRY, {
    snapshot: () => handle.snapshot(),
    randomInt: () => 0,
    nominatedPodsForNode: () => [],
    nominatedPods: () => [],
    hasNominatedPods: () => false,
    namespaceLabels: () => ({}),
    services: () => [],
    replicaSet: () => undefined,
  });
}

/** `roomy`: most nodes have room for most pods (so a walk stops before the end). */
function randomNodes(rand: (n: number) => number, count: number, roomy = false): NodeInfo[] {
  const extra = roomy ? 6 : 0;
  const taints: Taint[] = [
    { key: 'dedicated', value: 'db', effect: 'NoSchedule' },
    { key: 'spot', effect: 'NoExecute' },
    { key: 'slow', effect: 'PreferNoSchedule' },
  ];
  return Array.from({ length: count }, (_, i) =>
    makeNodeInfo({
      name: `n${i}`,
      allocatable: { cpu: `${1 + extra + rand(4)}`, memory: `${1 + extra + rand(8)}Gi`, pods: `${1 + extra + rand(6)}`, ...(rand(3) === 0 ? { 'example.com/gpu': `${rand(3)}` } : {}) },
      taints: taints.filter(() => rand(roomy ? 12 : 4) === 0),
      unschedulable: rand(roomy ? 20 : 8) === 0,
      pods: Array.from({ length: rand(4) }, () => makePod({ requests: { cpu: `${rand(1500)}m`, memory: `${rand(3000)}Mi` } })),
    }),
  );
}

function randomPod(rand: (n: number) => number, nodes: number): Pod {
  const tolerations: Toleration[] = [];
  if (rand(3) === 0) tolerations.push({ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' });
  if (rand(3) === 0) tolerations.push({ operator: 'Exists' });
  if (rand(4) === 0) tolerations.push({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
  return makePod({
    requests: { cpu: `${rand(2000)}m`, memory: `${rand(4000)}Mi`, ...(rand(4) === 0 ? { 'example.com/gpu': '1' } : {}) },
    spec: { tolerations, ...(rand(10) === 0 ? { nodeName: `n${rand(nodes)}` } : {}) },
  });
}

/** The walk node by node (upstream findNodesThatPassFilters without parallelism): the reference. */
function walkOneByOne(fw: Framework, state: CycleState, pod: Pod, nodes: readonly NodeInfo[], start: number) {
  const want = numFeasibleNodesToFind(0, nodes.length);
  const filterResult: Record<string, Record<string, string>> = {};
  const statuses = new Map<string, Status>();
  let feasible = 0;
  let processed = 0;
  for (let i = 0; i < nodes.length && feasible < want; i++) {
    const node = nodes[(start + i) % nodes.length];
    const record = (filterResult[node.name] = {});
    processed++;
    const s = fw.runFilter(state, pod, node, record);
    if (s.code === 'Success') feasible++;
    else statuses.set(node.name, s);
  }
  return { filterResult, statuses, feasible, processed, next: (start + processed) % nodes.length };
}

function cycle(fw: Framework, nodes: readonly NodeInfo[], pod: Pod, start: number, explainNodes: number): { result: CycleResult; next: number } {
  const ctx = { framework: fw, snapshot: makeHandle(nodes).snapshot(), state: new CycleState(), nextStartNodeIndex: start, randomInt: () => 0, explainNodes };
  const gen = scheduleOne(ctx, pod);
  let step = gen.next();
  while (!step.done) step = gen.next();
  return { result: step.value, next: ctx.nextStartNodeIndex };
}

describe('Filter in batches', () => {
  it('runFilterNodes gives each node the verdict runFilter gives it', () => {
    const rand = lcg(11);
    const nodes = randomNodes(rand, 60);
    const fw = framework(nodes);
    let rejected = 0;
    for (let i = 0; i < 80; i++) {
      const pod = randomPod(rand, nodes.length);
      const state = new CycleState();
      if (fw.runPreFilter(state, pod, nodes).status.code !== 'Success') continue;
      const batch = makeBatch(nodes);
      const out: (Status | undefined)[] = nodes.map(() => undefined);
      const by = new Int32Array(nodes.length).fill(-1);
      const plugins = fw.runFilterNodes(state, pod, batch, out, by);
      nodes.forEach((n, k) => {
        const s = fw.runFilter(state, pod, n);
        if (s.code === 'Success') expect(out[k]).toBeUndefined();
        else {
          rejected++;
          expect({ code: out[k]?.code, reasons: out[k]?.reasons, plugin: plugins[by[k]].name }).toEqual({ code: s.code, reasons: s.reasons, plugin: s.plugin });
        }
      });
    }
    // The nodes and pods are varied enough that every plugin rejects some.
    expect(rejected).toBeGreaterThan(500);
  });

  it('scheduleOne examines the same nodes, records the same verdicts and starts next where the walk one by one would', () => {
    const rand = lcg(5);
    const nodes = randomNodes(rand, 230, true); // numFeasibleNodesToFind: 50 - 230/125 = 49%, 112 nodes
    const fw = framework(nodes);
    let start = 0;
    let compared = 0;
    let stoppedEarly = 0;
    for (let i = 0; i < 40; i++) {
      const pod = randomPod(rand, nodes.length);
      const { result, next } = cycle(fw, nodes, pod, start, 1000);
      if (result.diagnosis.preFilterMsg !== undefined || result.diagnosis.absent) {
        start = next;
        continue;
      }
      const state = new CycleState();
      fw.runPreFilter(state, pod, nodes);
      const ref = walkOneByOne(fw, state, pod, nodes, start);
      expect(result.filterResult).toEqual(ref.filterResult);
      expect(Object.keys(result.filterResult)).toEqual(Object.keys(ref.filterResult));
      expect(result.evaluatedNodes).toBe(ref.processed);
      expect(result.feasibleNodes).toBe(ref.feasible);
      expect(next).toBe(ref.next);
      expect([...result.diagnosis.nodeToStatus.keys()]).toEqual([...ref.statuses.keys()]);
      for (const [name, s] of ref.statuses) expect(result.diagnosis.nodeToStatus.get(name)).toEqual(s);
      compared++;
      if (ref.statuses.size > 0 && ref.processed < nodes.length) stoppedEarly++;
      start = next;
    }
    // Cycles where some nodes failed and the walk still stopped before the end (several batches).
    expect(compared).toBeGreaterThan(30);
    expect(stoppedEarly).toBeGreaterThan(5);
  });

  it('stops at the node where the wanted number is reached (every fourth node cordoned, by hand)', () => {
    // 200 nodes: max(50 - 200/125, 5) = 49% -> 98, raised to 100. Nodes 3, 7, 11, ... are cordoned, so
    // among the first m nodes m - floor((m + 1) / 4) fit: the 100th fits at m = 133 (node n132).
    const nodes = Array.from({ length: 200 }, (_, i) => makeNodeInfo({ name: `n${i}`, unschedulable: i % 4 === 3 }));
    const { result, next } = cycle(framework(nodes), nodes, makePod({ requests: { cpu: '100m' } }), 0, 0);
    expect(result.evaluatedNodes).toBe(133);
    expect(result.feasibleNodes).toBe(100);
    expect(result.diagnosis.nodeToStatus.size).toBe(33);
    expect(next).toBe(133);
    expect(result.diagnosis.nodeToStatus.get('n131')).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'], plugin: 'NodeUnschedulable' });
    // Explanations off: no per-node record.
    expect(result.filterResult).toEqual({});
  });
});
