import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import type { Pod } from '../../api/types';
import type { FilterPlugin, NodeInfo, NodeScore, PreScorePlugin, ScorePlugin } from '../framework/types';
import {
  TAINT_PRE_SCORE_STATE_KEY,
  TAINT_TOLERATION,
  countIntolerableTaintsPreferNoSchedule,
  newTaintToleration,
  tolerationsPreferNoSchedule,
} from './taint-toleration';
import { makeHandle, makeNodeInfo, makePod, newCycleState } from './test-nodes';

// Upstream: pkg/scheduler/framework/plugins/tainttoleration.
type Plugin = FilterPlugin & PreScorePlugin & ScorePlugin;
const plugin = (nodes: NodeInfo[] = []) => newTaintToleration(undefined, makeHandle(nodes)) as Plugin;
const tolerating = (tolerations: Toleration[]): Pod => makePod({ spec: { tolerations } });
const tainted = (name: string, taints: Taint[]) => makeNodeInfo({ name, taints });

function filter(pod: Pod, ni: NodeInfo) {
  return plugin([ni]).filter(newCycleState(), pod, ni);
}

/** PreScore, Score on every node, then NormalizeScore: the raw counts and the final scores. */
function scores(pod: Pod, nodes: NodeInfo[]): { raw: number[]; normalized: number[] } {
  const p = plugin(nodes);
  const state = newCycleState();
  expect(p.preScore(state, pod, nodes).code).toBe('Success');
  const list: NodeScore[] = nodes.map((ni) => {
    return { name: ni.name, score: p.score(state, pod, ni) };
  });
  const raw = list.map((s) => s.score);
  expect(p.normalizeScore!(state, pod, list).code).toBe('Success');
  return { raw, normalized: list.map((s) => s.score) };
}

describe('TaintToleration Filter', () => {
  it('is named as upstream', () => {
    expect(plugin().name).toBe(TAINT_TOLERATION);
    expect(TAINT_PRE_SCORE_STATE_KEY).toBe('PreScoreTaintToleration');
  });

  it('rejects an untolerated NoSchedule taint, naming it, as UnschedulableAndUnresolvable', () => {
    const ni = tainted('n1', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    expect(filter(makePod(), ni)).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: gpu}'] });
  });

  it('rejects NoExecute too, and prints an unset value as empty', () => {
    const ni = tainted('n1', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]);
    expect(filter(makePod(), ni)).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'] });
  });

  it('names the first untolerated taint in node order', () => {
    const ni = tainted('n1', [
      { key: 'a', value: '1', effect: 'NoSchedule' },
      { key: 'b', value: '2', effect: 'NoExecute' },
    ]);
    expect(filter(makePod(), ni).reasons).toEqual(['node(s) had untolerated taint {a: 1}']);
    // a tolerated -> b is reported
    expect(filter(tolerating([{ key: 'a', operator: 'Equal', value: '1' }]), ni).reasons).toEqual(['node(s) had untolerated taint {b: 2}']);
  });

  it('ignores PreferNoSchedule taints', () => {
    const ni = tainted('n1', [{ key: 'soft', value: 'x', effect: 'PreferNoSchedule' }]);
    expect(filter(makePod(), ni).code).toBe('Success');
  });

  it('passes when every NoSchedule / NoExecute taint is tolerated, or there are none', () => {
    const ni = tainted('n1', [
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
    ]);
    const pod = tolerating([
      { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(filter(pod, ni).code).toBe('Success');
    expect(filter(tolerating([{ operator: 'Exists' }]), ni).code).toBe('Success');
    expect(filter(makePod(), makeNodeInfo({ name: 'clean' })).code).toBe('Success');
  });

  it('a toleration for the wrong effect or value does not help', () => {
    const ni = tainted('n1', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    // effect NoExecute != NoSchedule
    expect(filter(tolerating([{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }]), ni).code).toBe('UnschedulableAndUnresolvable');
    // value cpu != gpu
    expect(filter(tolerating([{ key: 'dedicated', value: 'cpu' }]), ni).code).toBe('UnschedulableAndUnresolvable');
  });
});

describe('TaintToleration Score', () => {
  const soft = (key: string, value?: string): Taint => ({ key, ...(value ? { value } : {}), effect: 'PreferNoSchedule' });

  it('counts the untolerated PreferNoSchedule taints, and NormalizeScore reverses: [0, 1, 2] -> [100, 50, 0]', () => {
    const nodes = [tainted('n0', []), tainted('n1', [soft('a')]), tainted('n2', [soft('a'), soft('b')])];
    // max 2: 100 - 100*0/2 = 100, 100 - 100*1/2 = 50, 100 - 100*2/2 = 0
    expect(scores(makePod(), nodes)).toEqual({ raw: [0, 1, 2], normalized: [100, 50, 0] });
  });

  it('[1, 3] -> [67, 0]: the reversed score truncates first', () => {
    const nodes = [tainted('n1', [soft('a')]), tainted('n3', [soft('a'), soft('b'), soft('c')])];
    // max 3: 100 - trunc(100*1/3) = 100 - 33 = 67; 100 - 100 = 0
    expect(scores(makePod(), nodes)).toEqual({ raw: [1, 3], normalized: [67, 0] });
  });

  it('[0, 0] -> [100, 100]', () => {
    // no node has a PreferNoSchedule taint: all get maxPriority
    expect(scores(makePod(), [tainted('a', []), tainted('b', [])])).toEqual({ raw: [0, 0], normalized: [100, 100] });
  });

  it('does not count NoSchedule / NoExecute taints', () => {
    const nodes = [tainted('n1', [{ key: 'h', effect: 'NoSchedule' }, { key: 'x', effect: 'NoExecute' }, soft('a')])];
    // only the PreferNoSchedule one: 1; alone -> 100 - 100*1/1 = 0
    expect(scores(makePod(), nodes)).toEqual({ raw: [1], normalized: [0] });
  });

  it('tolerations with effect PreferNoSchedule or no effect count; NoSchedule ones do not', () => {
    const nodes = [tainted('n1', [soft('a', '1'), soft('b'), soft('c')])];
    const pod = tolerating([
      { key: 'a', operator: 'Equal', value: '1', effect: 'PreferNoSchedule' }, // tolerates a
      { key: 'b', operator: 'Exists' }, // empty effect: every effect, tolerates b
      { key: 'c', operator: 'Exists', effect: 'NoSchedule' }, // dropped: c stays untolerated
    ]);
    // 3 taints - a - b = 1
    expect(scores(pod, nodes).raw).toEqual([1]);
    expect(scores(tolerating([{ operator: 'Exists' }]), nodes).raw).toEqual([0]);
  });

  it('falls back to the pod tolerations when PreScore did not run', () => {
    const ni = tainted('n1', [soft('a'), soft('b')]);
    // b tolerated: 2 - 1 = 1
    expect(plugin([ni]).score(newCycleState(), tolerating([{ key: 'b', operator: 'Exists' }]), ni)).toBe(1);
  });
});

describe('TaintToleration helpers', () => {
  it('tolerationsPreferNoSchedule keeps the empty and PreferNoSchedule effects', () => {
    const ts: Toleration[] = [
      { key: 'a', operator: 'Exists' },
      { key: 'b', operator: 'Exists', effect: '' },
      { key: 'c', operator: 'Exists', effect: 'PreferNoSchedule' },
      { key: 'd', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'e', operator: 'Exists', effect: 'NoExecute' },
    ];
    expect(tolerationsPreferNoSchedule(ts).map((t) => t.key)).toEqual(['a', 'b', 'c']);
    expect(tolerationsPreferNoSchedule(undefined)).toEqual([]);
  });

  it('countIntolerableTaintsPreferNoSchedule', () => {
    const taints: Taint[] = [
      { key: 'a', effect: 'PreferNoSchedule' },
      { key: 'b', value: 'x', effect: 'PreferNoSchedule' },
      { key: 'c', effect: 'NoSchedule' },
    ];
    expect(countIntolerableTaintsPreferNoSchedule(taints, [])).toBe(2); // a, b; c is not PreferNoSchedule
    expect(countIntolerableTaintsPreferNoSchedule(taints, [{ key: 'b', value: 'y' }])).toBe(2); // y != x
    expect(countIntolerableTaintsPreferNoSchedule(taints, [{ key: 'b', value: 'x' }])).toBe(1);
    expect(countIntolerableTaintsPreferNoSchedule(undefined, [])).toBe(0);
  });

  it('a taint rejects with one status object, whichever pod or node meets it; another taint with its own', () => {
    const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' };
    const dedicated: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoExecute' };
    const n1 = tainted('n1', [unreachable]);
    const first = filter(makePod(), n1);
    expect(first).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'] });
    expect(filter(tolerating([{ key: 'other', operator: 'Exists' }]), n1)).toBe(first);
    const other = filter(makePod(), tainted('n2', [dedicated]));
    expect(other.reasons).toEqual(['node(s) had untolerated taint {dedicated: gpu}']);
    expect(other).not.toBe(first);
  });
});
