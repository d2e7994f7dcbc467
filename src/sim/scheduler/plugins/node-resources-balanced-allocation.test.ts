import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types';
import { PluginArgsError } from '../framework/registry';
import type { PluginArgs } from '../framework/registry';
import type { NodeInfo } from '../framework/types';
import { CycleState } from '../framework/types';
import type { NodeResourcesBalancedAllocationPlugin } from './node-resources-balanced-allocation';
import { BALANCED_ALLOCATION_PRE_SCORE_STATE_KEY, newNodeResourcesBalancedAllocation } from './node-resources-balanced-allocation';
import { makeHandle, makeNodeInfo, makePod } from './test-nodes';

const plugin = (args?: PluginArgs, nodes: NodeInfo[] = []) =>
  newNodeResourcesBalancedAllocation(args, makeHandle(nodes)) as NodeResourcesBalancedAllocationPlugin;

function runScore(pod: Pod, ni: NodeInfo, args?: PluginArgs): number {
  const p = plugin(args, [ni]);
  const state = new CycleState();
  expect(p.preScore(state, pod, [ni]).code).toBe('Success');
  return p.score(state, pod, ni);
}

const node = (allocatable: Record<string, string>, pods: Pod[] = []) => makeNodeInfo({ name: 'n1', allocatable: { pods: '110', ...allocatable }, pods });

describe('NodeResourcesBalancedAllocation', () => {
  // Node 4000m / 10000Mi with a pod of 1000m / 2000Mi; the pod asks 2000m / 3000Mi.
  const base = () => node({ cpu: '4', memory: '10000Mi', 'example.com/gpu': '4' }, [makePod({ requests: { cpu: '1', memory: '2000Mi' } })]);
  const pod = (extra: Record<string, string> = {}) => makePod({ requests: { cpu: '2', memory: '3000Mi', ...extra } });

  it('scores (1 - |f1 - f2| / 2) * 100 for two resources', () => {
    // fractions 3000/4000 = 0.75, 5000/10000 = 0.5; std 0.125; 87.5 -> 87
    expect(runScore(pod(), base())).toBe(87);
  });

  it('uses the plain requested sums, not the non-zero ones', () => {
    const ni = node({ cpu: '4', memory: '4000Mi' }, [makePod()]);
    // plain: 2000/4000 = 0.5, 1000/4000 = 0.25 -> 87 (non-zero would be 0.525, 0.3 -> 88)
    expect(runScore(makePod({ requests: { cpu: '2', memory: '1000Mi' } }), ni)).toBe(87);
  });

  it('caps fractions at 1', () => {
    const ni = node({ cpu: '1', memory: '1000Mi' });
    // cpu 2000/1000 -> 1, memory 0.5; std 0.25 -> 75
    expect(runScore(makePod({ requests: { cpu: '2', memory: '500Mi' } }), ni)).toBe(75);
  });

  it('truncates the float64 result as int64() does', () => {
    const ni = node({ cpu: '3', memory: '1000Mi' });
    // 1/3 and 0: std 1/6 -> 83.33 -> 83
    expect(runScore(makePod({ requests: { cpu: '1', memory: '0' } }), ni)).toBe(83);
    // 0.1 and 0.8: exactly 65 on paper, 64.99999999999999 in float64 -> 64
    const ni2 = node({ cpu: '1', memory: '1000Mi' });
    expect(runScore(makePod({ requests: { cpu: '100m', memory: '800Mi' } }), ni2)).toBe(64);
  });

  it('uses the population standard deviation for more than two resources', () => {
    const args = { resources: [{ name: 'cpu' }, { name: 'memory' }, { name: 'example.com/gpu' }] };
    // 0.75, 0.5, 0.25: mean 0.5, variance 0.125/3, std 0.2041 -> 79.59 -> 79
    expect(runScore(pod({ 'example.com/gpu': '1' }), base(), args)).toBe(79);
    // gpu not requested: left out, two resources -> 87
    expect(runScore(pod(), base(), args)).toBe(87);
  });

  it('skips best-effort pods at PreScore, and scores them 0 without PreScore', () => {
    const ni = base();
    const p = plugin(undefined, [ni]);
    const state = new CycleState();
    expect(p.preScore(state, makePod(), [ni]).code).toBe('Skip');
    expect(state.read(BALANCED_ALLOCATION_PRE_SCORE_STATE_KEY)).toBeUndefined();
    // requesting only resources it does not score is best effort too
    expect(p.preScore(new CycleState(), makePod({ requests: { 'example.com/gpu': '1' } }), [ni]).code).toBe('Skip');
    expect(p.score(new CycleState(), makePod(), ni)).toBe(0);
    expect(p.score(new CycleState(), pod(), ni)).toBe(87);
  });

  it('validates args: unique names, weight 1', () => {
    const msg = (args: PluginArgs) => {
      try {
        plugin(args);
      } catch (e) {
        expect(e).toBeInstanceOf(PluginArgsError);
        return (e as Error).message;
      }
      return '';
    };
    expect(msg({ resources: [{ name: 'cpu', weight: 2 }] })).toBe('NodeResourcesBalancedAllocation args: resources[0].weight: Invalid value: 2: must be 1');
    expect(msg({ resources: [{ name: 'cpu' }, { name: 'cpu' }] })).toBe('NodeResourcesBalancedAllocation args: resources[1].name: Duplicate value: "cpu"');
    expect(plugin().args.resources).toEqual([
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ]);
  });
});
