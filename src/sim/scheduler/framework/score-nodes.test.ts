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
import { makeHandle, makeNodeInfo, makePod, spreadImages } from '../plugins/test-nodes';

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
    p.scoreNodes!(state, pod, ns, out);
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
      p.scoreNodes!(state, pod, ns, out);
      expect(ns.map((n) => p.score(state, pod, n))).toEqual(out);
    }
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
      const { table, status } = fw.runScore(state, pod, ns, record);
      expect(status.code).toBe('Success');
      return table.total;
    };
    const recorded = totals(true);
    expect(totals(false)).toEqual(recorded);
    // n1 scores highest on free resources; n2 lowest.
    expect(recorded[0]).toBeGreaterThan(recorded[1]);
  });
});
