import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types';
import { PluginArgsError } from '../framework/registry';
import type { PluginArgs } from '../framework/registry';
import type { Status } from '../framework/status';
import type { NodeInfo } from '../framework/types';
import { CycleState } from '../framework/types';
import type { NodeResourcesFitPlugin } from './node-resources-fit';
import { FIT_PRE_FILTER_STATE_KEY, FIT_PRE_SCORE_STATE_KEY, newNodeResourcesFit } from './node-resources-fit';
import { brokenLinearFunction, mulDiv } from './resource-allocation';
import { makeHandle, makeNodeInfo, makePod } from './test-nodes';

const fit = (args?: PluginArgs, nodes: NodeInfo[] = []) => newNodeResourcesFit(args, makeHandle(nodes)) as NodeResourcesFitPlugin;

function runFilter(pod: Pod, ni: NodeInfo, args?: PluginArgs): Status {
  const p = fit(args, [ni]);
  const state = new CycleState();
  expect(p.preFilter(state, pod, [ni]).status.code).toBe('Success');
  return p.filter(state, pod, ni);
}

function runScore(pod: Pod, ni: NodeInfo, args?: PluginArgs): number {
  const p = fit(args, [ni]);
  const state = new CycleState();
  expect(p.preScore(state, pod, [ni]).code).toBe('Success');
  return p.score(state, pod, ni);
}

const argsError = (args: PluginArgs): string => {
  try {
    fit(args);
  } catch (e) {
    expect(e).toBeInstanceOf(PluginArgsError);
    return (e as Error).message;
  }
  throw new Error('expected PluginArgsError');
};

describe('NodeResourcesFit Filter', () => {
  const node = (o: Partial<Parameters<typeof makeNodeInfo>[0]> = {}) => makeNodeInfo({ name: 'n1', ...o });

  it('passes a pod that fits', () => {
    const ni = node({ pods: [makePod({ requests: { cpu: '1', memory: '1Gi' } })] });
    expect(runFilter(makePod({ requests: { cpu: '3', memory: '7Gi' } }), ni).code).toBe('Success');
  });

  it('reports Insufficient cpu, resolvable while the pod would fit an empty node', () => {
    const ni = node({ allocatable: { cpu: '1', memory: '8Gi', pods: '110' }, pods: [makePod({ requests: { cpu: '600m' } })] });
    // 500 > 1000 - 600
    expect(runFilter(makePod({ requests: { cpu: '500m' } }), ni)).toEqual({ code: 'Unschedulable', reasons: ['Insufficient cpu'] });
    // 2000 > 1000: preemption cannot help
    expect(runFilter(makePod({ requests: { cpu: '2' } }), ni)).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient cpu'] });
  });

  it('lists every reason in upstream order: pods, cpu, memory', () => {
    const ni = node({ allocatable: { cpu: '1', memory: '2Gi', pods: '1' }, pods: [makePod({ requests: { cpu: '900m', memory: '1Gi' } })] });
    expect(runFilter(makePod({ requests: { cpu: '200m', memory: '1536Mi' } }), ni)).toEqual({
      code: 'Unschedulable',
      reasons: ['Too many pods', 'Insufficient cpu', 'Insufficient memory'],
    });
  });

  it('checks only the pod count for a pod that requests nothing (no scoring defaults in Filter)', () => {
    const full = node({ allocatable: { cpu: '1', memory: '1Gi', pods: '2' }, pods: [makePod({ requests: { cpu: '1', memory: '1Gi' } })] });
    expect(runFilter(makePod(), full).code).toBe('Success');
    const twoPods = node({ allocatable: { cpu: '1', memory: '1Gi', pods: '2' }, pods: [makePod(), makePod()] });
    expect(runFilter(makePod(), twoPods)).toEqual({ code: 'Unschedulable', reasons: ['Too many pods'] });
  });

  it('reports Insufficient ephemeral-storage', () => {
    const ni = node({
      allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '10Gi' },
      pods: [makePod({ requests: { 'ephemeral-storage': '8Gi' } })],
    });
    expect(runFilter(makePod({ requests: { 'ephemeral-storage': '3Gi' } }), ni)).toEqual({
      code: 'Unschedulable',
      reasons: ['Insufficient ephemeral-storage'],
    });
  });

  it('checks extended resources, unresolvable past the node total or where the node has none', () => {
    const ni = node({
      allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'example.com/gpu': '2' },
      pods: [makePod({ requests: { 'example.com/gpu': '1' } })],
    });
    expect(runFilter(makePod({ requests: { 'example.com/gpu': '1' } }), ni).code).toBe('Success');
    // 2 > 2 - 1
    expect(runFilter(makePod({ requests: { 'example.com/gpu': '2' } }), ni)).toEqual({
      code: 'Unschedulable',
      reasons: ['Insufficient example.com/gpu'],
    });
    expect(runFilter(makePod({ requests: { 'example.com/gpu': '3' } }), ni).code).toBe('UnschedulableAndUnresolvable');
    const bare = node();
    expect(runFilter(makePod({ requests: { cpu: '5', 'example.com/gpu': '1' } }), bare)).toEqual({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['Insufficient cpu', 'Insufficient example.com/gpu'],
    });
  });

  it('skips extended resources named in ignoredResources / ignoredResourceGroups, but not hugepages', () => {
    const pod = makePod({ requests: { 'example.com/gpu': '1' } });
    const ni = node();
    expect(runFilter(pod, ni, { ignoredResources: ['example.com/gpu'] }).code).toBe('Success');
    expect(runFilter(pod, ni, { ignoredResourceGroups: ['example.com'] }).code).toBe('Success');
    expect(runFilter(pod, ni, { ignoredResourceGroups: ['other.com'] }).code).toBe('UnschedulableAndUnresolvable');
    const huge = makePod({ requests: { 'hugepages-2Mi': '2Mi' } });
    expect(runFilter(huge, ni, { ignoredResources: ['hugepages-2Mi'] })).toEqual({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['Insufficient hugepages-2Mi'],
    });
  });

  it('counts init containers and sidecars', () => {
    const ni = node({ allocatable: { cpu: '1500m', memory: '8Gi', pods: '110' } });
    const pod = makePod({
      initContainers: [{ requests: { cpu: '600m' }, restartPolicy: 'Always' }, { requests: { cpu: '1' } }],
      containers: [{ requests: { cpu: '500m' } }],
    });
    // max(500 + 600, 1000 + 600) = 1600 > 1500
    expect(runFilter(pod, ni)).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient cpu'] });
  });

  it('writes its PreFilter state, and errors without it', () => {
    const ni = node();
    const p = fit(undefined, [ni]);
    const state = new CycleState();
    p.preFilter(state, makePod({ requests: { cpu: '1' } }), [ni]);
    expect(state.read(FIT_PRE_FILTER_STATE_KEY)).toBeDefined();
    expect(p.filter(new CycleState(), makePod(), ni).code).toBe('Error');
  });
});

describe('NodeResourcesFit Score', () => {
  // Node 4000m / 10000Mi with a pod of 1000m / 2000Mi; the pod asks 2000m / 3000Mi.
  const base = () =>
    makeNodeInfo({
      name: 'n1',
      allocatable: { cpu: '4', memory: '10000Mi', pods: '110', 'example.com/gpu': '4', 'ephemeral-storage': '100Gi' },
      pods: [makePod({ requests: { cpu: '1', memory: '2000Mi', 'example.com/gpu': '1', 'ephemeral-storage': '20Gi' } })],
    });
  const pod = (extra: Record<string, string> = {}) => makePod({ requests: { cpu: '2', memory: '3000Mi', ...extra } });

  it('LeastAllocated by default', () => {
    // cpu (4000-3000)*100/4000 = 25; memory (10000-5000)*100/10000 = 50; (25+50)/2 = 37
    expect(runScore(pod(), base())).toBe(37);
  });

  it('uses the non-zero requests for cpu and memory', () => {
    const ni = makeNodeInfo({ name: 'n1', allocatable: { cpu: '1', memory: '2000Mi', pods: '110' }, pods: [makePod()] });
    // requested cpu 100 + 100 = 200 -> 800*100/1000 = 80; memory 200Mi + 200Mi -> 1600*100/2000 = 80; -> 80 (not 100)
    expect(runScore(makePod(), ni)).toBe(80);
  });

  it('scores 0 for a resource over capacity', () => {
    const ni = makeNodeInfo({
      name: 'n1',
      allocatable: { cpu: '1', memory: '1000Mi', pods: '110' },
      pods: [makePod({ requests: { cpu: '900m', memory: '0' } })],
    });
    // cpu 900 + 200 > 1000 -> 0; memory 250Mi -> 750*100/1000 = 75; (0+75)/2 = 37
    expect(runScore(makePod({ requests: { cpu: '200m', memory: '250Mi' } }), ni)).toBe(37);
  });

  it('weights resources', () => {
    const args = { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 3 }, { name: 'memory' }] } };
    // (25*3 + 50*1) / 4 = 31
    expect(runScore(pod(), base(), args)).toBe(31);
  });

  it('scores extended resources the pod requests, and skips them otherwise', () => {
    const resources = [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
      { name: 'example.com/gpu', weight: 2 },
    ];
    const args = { scoringStrategy: { type: 'LeastAllocated', resources } };
    // gpu (4-2)*100/4 = 50; (25 + 50 + 50*2) / 4 = 43
    expect(runScore(pod({ 'example.com/gpu': '1' }), base(), args)).toBe(43);
    // gpu not requested: (25 + 50) / 2 = 37
    expect(runScore(pod(), base(), args)).toBe(37);
    // node without gpu: skipped too
    expect(runScore(pod({ 'example.com/gpu': '1' }), makeNodeInfo({ name: 'n2', allocatable: { cpu: '4', memory: '10000Mi', pods: '110' }, pods: base().pods.map((p) => p.pod) }), args)).toBe(37);
  });

  it('scores ephemeral-storage on the plain requested sum', () => {
    const args = { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'ephemeral-storage', weight: 1 }] } };
    // (100 - 20 - 30)*100/100 = 50
    expect(runScore(pod({ 'ephemeral-storage': '30Gi' }), base(), args)).toBe(50);
  });

  it('MostAllocated', () => {
    const args = { scoringStrategy: { type: 'MostAllocated' } };
    // cpu 3000*100/4000 = 75; memory 5000*100/10000 = 50; (75+50)/2 = 62
    expect(runScore(pod(), base(), args)).toBe(62);
    const over = makeNodeInfo({ name: 'n1', allocatable: { cpu: '1', memory: '1Gi', pods: '110' } });
    // requested capped at capacity: 100 and 100
    expect(runScore(makePod({ requests: { cpu: '2', memory: '2Gi' } }), over, args)).toBe(100);
  });

  it('RequestedToCapacityRatio, scores scaled 0..10 -> 0..100 and the mean rounded half away from zero', () => {
    const rtcr = (shape: { utilization: number; score: number }[]) => ({
      scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape } },
    });
    // utilization cpu 75, memory 50 -> 75 and 50 -> round(62.5) = 63
    expect(runScore(pod(), base(), rtcr([{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }]))).toBe(63);
    // reversed: 100-75 = 25, 50 -> round(37.5) = 38
    expect(runScore(pod(), base(), rtcr([{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }]))).toBe(38);
    // shape (20,20) (50,80) (80,40): cpu 75 -> 80 + trunc(-40*25/30) = 80 - 33 = 47; memory 50 -> 80; round(63.5) = 64
    const multi = rtcr([
      { utilization: 20, score: 2 },
      { utilization: 50, score: 8 },
      { utilization: 80, score: 4 },
    ]);
    expect(runScore(pod(), base(), multi)).toBe(64);
  });

  it('RequestedToCapacityRatio leaves resources scoring 0 out of the weights', () => {
    const ni = makeNodeInfo({ name: 'n1', allocatable: { cpu: '1000', memory: '1000Mi', pods: '110' } });
    const args = { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] } } };
    // cpu 100m of 1000 cores -> utilization 0 -> score 0, left out; memory 500/1000 -> 50; 50/1 = 50
    expect(runScore(makePod({ requests: { cpu: '100m', memory: '500Mi' } }), ni, args)).toBe(50);
    // over capacity: f(100) = 100 for both
    expect(runScore(makePod({ requests: { cpu: '2000', memory: '2000Mi' } }), ni, args)).toBe(100);
  });

  it('writes its PreScore state, and computes the same without it', () => {
    const ni = base();
    const p = fit(undefined, [ni]);
    const state = new CycleState();
    p.preScore(state, pod(), [ni]);
    expect(state.read(FIT_PRE_SCORE_STATE_KEY)).toBeDefined();
    expect(p.score(new CycleState(), pod(), ni)).toBe(37);
  });
});

describe('broken linear function and integer helpers', () => {
  it('is flat outside the shape and truncates between points', () => {
    const f = brokenLinearFunction([
      { utilization: 10, score: 0 },
      { utilization: 40, score: 100 },
    ]);
    expect([f(0), f(10), f(20), f(40), f(99)]).toEqual([0, 0, 33, 100, 100]);
  });

  it('mulDiv is exact past 2^53', () => {
    // (2^53 + 1) * 100 / 3, as int64 would compute it
    expect(mulDiv(2 ** 53 + 1, 100, 3)).toBe(Number(((2n ** 53n + 1n) * 100n) / 3n));
  });
});

describe('NodeResourcesFit args', () => {
  it('defaults to LeastAllocated over cpu and memory, weight 1', () => {
    expect(fit().args.scoringStrategy).toEqual({
      type: 'LeastAllocated',
      resources: [
        { name: 'cpu', weight: 1 },
        { name: 'memory', weight: 1 },
      ],
    });
    expect(fit({ scoringStrategy: { type: 'MostAllocated' } }).args.scoringStrategy.resources).toHaveLength(2);
    expect(fit({ scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 0 }] } }).args.scoringStrategy.resources).toEqual([
      { name: 'cpu', weight: 1 },
    ]);
  });

  it('rejects bad args with upstream messages', () => {
    expect(argsError({ scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 101 }] } })).toBe(
      'NodeResourcesFit args: scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of cpu not in valid range (0, 100]',
    );
    expect(argsError({ scoringStrategy: { type: 'Foo' } })).toBe(
      'NodeResourcesFit args: scoringStrategy.type: Unsupported value: "Foo": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
    );
    expect(argsError({ scoringStrategy: { type: 'RequestedToCapacityRatio' } })).toBe(
      'NodeResourcesFit args: scoringStrategy.requestedToCapacityRatio: Required value: must be specified when type is RequestedToCapacityRatio',
    );
    expect(argsError({ scoringStrategy: { type: 'MostAllocated', requestedToCapacityRatio: { shape: [] } } })).toBe(
      'NodeResourcesFit args: scoringStrategy.requestedToCapacityRatio: Forbidden: must be nil when type is not RequestedToCapacityRatio',
    );
    expect(argsError({ ignoredResourceGroups: ['example.com/foo'] })).toBe(
      `NodeResourcesFit args: ignoredResourceGroups[0]: Invalid value: "example.com/foo": resource group name can't contain '/'`,
    );
    expect(argsError({ foo: 1 })).toContain('unknown field "foo"');
    expect(argsError({ scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 'x' }] } })).toContain(
      'scoringStrategy.resources[0].weight: Invalid value: "x": must be an integer',
    );
  });

  it('validates the shape, and aggregates several errors', () => {
    const shape = [
      { utilization: 50, score: 11 },
      { utilization: 10, score: 0 },
    ];
    expect(argsError({ scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape } } })).toBe(
      'NodeResourcesFit args: [scoringStrategy.requestedToCapacityRatio.shape[1].utilization: Invalid value: 10: values must be sorted in increasing order, ' +
        'scoringStrategy.requestedToCapacityRatio.shape[0].score: Invalid value: 11: not in valid range [0, 10]]',
    );
    expect(argsError({ scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [] } } })).toBe(
      'NodeResourcesFit args: scoringStrategy.requestedToCapacityRatio.shape: Required value: at least one point must be specified',
    );
  });
});
