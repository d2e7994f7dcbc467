// The batched Score path (ScorePlugin.scoreNodes and the framework's
// single-pass totals, taken when no explanation is recorded) must give the
// same numbers as scoring node by node.
import { describe, expect, it } from 'vitest';
import { CycleState } from './types';
import type { NodeInfo, ScorePlugin } from './types';
import { Framework } from './framework';
import { defaultProfile } from '../profile';
import { PLUGIN_REGISTRY } from '../plugins';
import { newNodeResourcesFit } from '../plugins/node-resources-fit';
import { newNodeResourcesBalancedAllocation } from '../plugins/node-resources-balanced-allocation';
import { newImageLocality } from '../plugins/image-locality';
import { newTaintToleration } from '../plugins/taint-toleration';
import { makeBatch, makeHandle, makeNodeInfo, makePod, spreadImages } from '../plugins/test-nodes';

// n1: 4 cpu / 8Gi, empty. n2: the same with a pod of 2 cpu / 2Gi. n3: 2 cpu / 8Gi, with the image.
const nodes = (): NodeInfo[] => {
  const list = [
    makeNodeInfo({ name: 'n1' }),
    makeNodeInfo({ name: 'n2', pods: [makePod({ requests: { cpu: '2', memory: '2Gi' } })] }),
    makeNodeInfo({ name: 'n3', allocatable: { cpu: '2', memory: '8Gi', pods: '110' }, images: [{ names: ['registry.k8s.io/app:1'], sizeBytes: 500 * 1024 * 1024 }] }),
  ];
  spreadImages(list);
  return list;
};
const pod = makePod({ requests: { cpu: '1', memory: '1Gi' }, image: 'registry.k8s.io/app:1' });

describe('ScorePlugin.scoreNodes', () => {
  it('NodeResourcesFit LeastAllocated: the same scores as score()', () => {
    const ns = nodes();
    const p = newNodeResourcesFit(undefined, makeHandle(ns)) as ScorePlugin & { preScore(s: CycleState, p: unknown, n: NodeInfo[]): unknown };
    const state = new CycleState();
    p.preScore(state, pod, ns);
    const out: number[] = [];
    p.scoreNodes!(state, pod, makeBatch(ns), out);
    // n1: cpu (4000-1000)*100/4000 = 75, mem (8-1)*100/8 = 87 -> (75+87)/2 = 81
    // n2: cpu (4000-3000)*100/4000 = 25, mem (8-3)*100/8 = 62 -> 43
    // n3: cpu (2000-1000)*100/2000 = 50, mem 87 -> 68
    expect(out).toEqual([81, 43, 68]);
    expect(ns.map((n) => p.score(state, pod, n))).toEqual(out);
  });

  it('BalancedAllocation and ImageLocality: the same scores as score()', () => {
    const ns = nodes();
    for (const factory of [newNodeResourcesBalancedAllocation, newImageLocality]) {
      const p = factory(undefined, makeHandle(ns)) as ScorePlugin & { preScore?(s: CycleState, p: unknown, n: NodeInfo[]): unknown };
      const state = new CycleState();
      p.preScore?.(state, pod, ns);
      const out: number[] = [];
      p.scoreNodes!(state, pod, makeBatch(ns), out);
      expect(ns.map((n) => p.score(state, pod, n))).toEqual(out);
    }
  });

  it('every batched plugin and strategy: the same scores as score(), on varied nodes', () => {
    let x = 3;
    const rand = (n: number) => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return Math.floor((x / 2147483648) * n);
    };
    const ns = Array.from({ length: 40 }, (_, i) =>
      makeNodeInfo({
        name: `n${i}`,
        // Some nodes without memory or ephemeral storage, some with a GPU: resources a node lacks are left out.
        allocatable: { cpu: `${rand(6)}`, memory: `${rand(4) ? 1 + rand(16) : 0}Gi`, 'ephemeral-storage': `${rand(3) * 20}Gi`, pods: '110', ...(rand(2) ? { 'example.com/gpu': `${1 + rand(4)}` } : {}) },
        taints: rand(3) ? [] : [{ key: 'slow', effect: 'PreferNoSchedule' }, ...(rand(2) ? [{ key: 'x', value: 'y', effect: 'PreferNoSchedule' as const }] : [])],
        images: rand(2) ? [{ names: ['registry.k8s.io/app:1'], sizeBytes: (1 + rand(900)) * 1024 * 1024 }] : [],
        pods: Array.from({ length: rand(5) }, () => makePod({ requests: { cpu: `${rand(3000)}m`, memory: `${rand(5000)}Mi`, 'ephemeral-storage': `${rand(10)}Gi`, ...(rand(2) ? { 'example.com/gpu': '1' } : {}) } })),
      }),
    );
    spreadImages(ns);
    const resources = [{ name: 'cpu', weight: 2 }, { name: 'memory', weight: 1 }, { name: 'ephemeral-storage', weight: 3 }];
    const withGpu = [...resources, { name: 'example.com/gpu', weight: 1 }];
    const shape = [{ utilization: 0, score: 2 }, { utilization: 60, score: 9 }, { utilization: 100, score: 3 }];
    const plugins: ScorePlugin[] = [
      newNodeResourcesFit(undefined, makeHandle(ns)),
      newNodeResourcesFit({ scoringStrategy: { type: 'MostAllocated', resources } }, makeHandle(ns)),
      newNodeResourcesFit({ scoringStrategy: { type: 'LeastAllocated', resources: withGpu } }, makeHandle(ns)),
      newNodeResourcesFit({ scoringStrategy: { type: 'RequestedToCapacityRatio', resources, requestedToCapacityRatio: { shape } } }, makeHandle(ns)),
      newNodeResourcesBalancedAllocation(undefined, makeHandle(ns)),
      newNodeResourcesBalancedAllocation({ resources: resources.map((r) => ({ ...r, weight: 1 })) }, makeHandle(ns)),
      newNodeResourcesBalancedAllocation({ resources: withGpu.map((r) => ({ ...r, weight: 1 })) }, makeHandle(ns)),
      newImageLocality(undefined, makeHandle(ns)),
      newTaintToleration(undefined, makeHandle(ns)),
    ] as ScorePlugin[];
    const pods = [
      pod,
      makePod({ requests: { cpu: '1500m', memory: '3Gi', 'ephemeral-storage': '5Gi', 'example.com/gpu': '1' }, image: 'registry.k8s.io/app:1' }),
      makePod({ spec: { tolerations: [{ key: 'slow', operator: 'Exists' }] } }),
    ];
    let distinct = 0;
    for (const p of plugins)
      for (const q of pods) {
        const state = new CycleState();
        (p as ScorePlugin & { preScore?(s: CycleState, p: unknown, n: NodeInfo[]): unknown }).preScore?.(state, q, ns);
        const out: number[] = [];
        p.scoreNodes!(state, q, makeBatch(ns), out);
        expect(out).toEqual(ns.map((n) => p.score(state, q, n)));
        distinct += new Set(out).size;
      }
    // Scores vary across nodes, so the comparison says something.
    expect(distinct).toBeGreaterThan(100);
  });

  it('the framework totals are the same with and without the per-node record', () => {
    const ns = nodes();
    const totals = (record: boolean) => {
      const fw = new Framework(defaultProfile(), PLUGIN_REGISTRY, {
        snapshot: () => makeHandle(ns).snapshot(),
        randomInt: () => 0,
        nominatedPodsForNode: () => [],
        nominatedPods: () => [],
        namespaceLabels: () => ({}),
        services: () => [],
        replicaSet: () => undefined,
      });
      const state = new CycleState();
      expect(fw.runPreFilter(state, pod, ns).status.code).toBe('Success');
      expect(fw.runPreScore(state, pod, ns).code).toBe('Success');
      const { table, status } = fw.runScore(state, pod, makeBatch(ns), record);
      expect(status.code).toBe('Success');
      return table.total;
    };
    const recorded = totals(true);
    expect(totals(false)).toEqual(recorded);
    // n1 scores highest on free resources; n2 lowest.
    expect(recorded[0]).toBeGreaterThan(recorded[1]);
  });
});
