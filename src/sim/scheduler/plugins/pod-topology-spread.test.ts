import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Service, TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import type { Pod } from '../../api/types';
import { PluginArgsError, type PluginArgs } from '../framework/registry';
import { newPodInfo } from '../framework/resources';
import type { Handle, NodeInfo, NodeScore } from '../framework/types';
import { CycleState } from '../framework/types';
import {
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
  LABEL_TOPOLOGY_ZONE as ZONE,
  PTS_PRE_FILTER_STATE_KEY,
  PodTopologySpread,
  newPodTopologySpread,
  type SpreadPreFilterState,
} from './pod-topology-spread';
import { addPodToNodeInfo, makeHandle, makeNodeInfo, makePod, makeSnapshot } from './test-nodes';

const HOST = 'kubernetes.io/hostname';
const web = { app: 'web' };

function tsc(topologyKey: string, maxSkew: number, whenUnsatisfiable: string, extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint {
  return { topologyKey, maxSkew, whenUnsatisfiable, labelSelector: { matchLabels: web }, ...extra };
}

/** n pods with these labels placed on a node. */
const pods = (node: string, n: number, labels: Record<string, string> = web, namespace = 'default'): Pod[] =>
  Array.from({ length: n }, () => makePod({ labels, nodeName: node, namespace }));

function zoneNode(name: string, zone: string | undefined, placed: Pod[] = [], extra: Record<string, unknown> = {}): NodeInfo {
  return makeNodeInfo({ name, labels: zone === undefined ? {} : { [ZONE]: zone }, pods: placed, ...extra });
}

function incoming(constraints: TopologySpreadConstraint[], labels: Record<string, string> = web, spec: Pod['spec'] = { containers: [] }): Pod {
  return makePod({ labels, spec: { ...spec, topologySpreadConstraints: constraints } });
}

const plugin = (nodes: NodeInfo[], args?: PluginArgs, overrides: Partial<Handle> = {}) =>
  newPodTopologySpread(args, makeHandle(nodes, overrides)) as PodTopologySpread;

/** PreFilter then Filter on every node: name -> "Success" or "<code>: <reason>". */
function filterAll(pod: Pod, nodes: NodeInfo[], args?: PluginArgs, overrides: Partial<Handle> = {}): Record<string, string> {
  const p = plugin(nodes, args, overrides);
  const state = new CycleState();
  const pre = p.preFilter(state, pod, nodes);
  expect(pre.status.code).toBe('Success');
  return verdicts(p, state, pod, nodes);
}

function verdicts(p: PodTopologySpread, state: CycleState, pod: Pod, nodes: NodeInfo[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ni of nodes) {
    const s = p.filter(state, pod, ni);
    out[ni.name] = s.code === 'Success' ? 'Success' : `${s.code}: ${s.reasons.join(', ')}`;
  }
  return out;
}

const FAIL = `Unschedulable: ${ERR_REASON_CONSTRAINTS_NOT_MATCH}`;
const NO_LABEL = `UnschedulableAndUnresolvable: ${ERR_REASON_NODE_LABEL_NOT_MATCH}`;

/** PreScore, Score and NormalizeScore over `filtered`: raw and normalized scores by node. */
function scoreAll(pod: Pod, all: NodeInfo[], filtered: NodeInfo[] = all, args?: PluginArgs, overrides: Partial<Handle> = {}) {
  const p = plugin(all, args, overrides);
  const state = new CycleState();
  expect(p.preScore(state, pod, filtered).code).toBe('Success');
  const scores: NodeScore[] = filtered.map((ni) => {
    return { name: ni.name, score: p.score(state, pod, ni) };
  });
  const raw = Object.fromEntries(scores.map((s) => [s.name, s.score]));
  expect(p.normalizeScore(state, pod, scores).code).toBe('Success');
  return { raw, normalized: Object.fromEntries(scores.map((s) => [s.name, s.score])) };
}

describe('PodTopologySpread Filter (DoNotSchedule)', () => {
  it('2 zones, maxSkew 1 and 2', () => {
    // zone a: 2 matching pods, zone b: 1; global min 1; the pod matches itself (+1).
    const nodes = [zoneNode('a1', 'a', pods('a1', 2)), zoneNode('b1', 'b', pods('b1', 1))];
    // maxSkew 1: a1: 2 + 1 - 1 = 2 > 1 fails; b1: 1 + 1 - 1 = 1 passes.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule')]), nodes)).toEqual({ a1: FAIL, b1: 'Success' });
    // maxSkew 2: a1: 2 <= 2 passes.
    expect(filterAll(incoming([tsc(ZONE, 2, 'DoNotSchedule')]), nodes)).toEqual({ a1: 'Success', b1: 'Success' });
  });

  it('3 zones, maxSkew 1 and 2, and a pod that does not match its own selector', () => {
    // a: 1 + 1 = 2, b: 2, c: 1; global min 1.
    const nodes = [
      zoneNode('a1', 'a', pods('a1', 1)),
      zoneNode('a2', 'a', pods('a2', 1)),
      zoneNode('b1', 'b', pods('b1', 2)),
      zoneNode('c1', 'c', pods('c1', 1)),
    ];
    // maxSkew 1: a, b: 2 + 1 - 1 = 2 > 1; c: 1 + 1 - 1 = 1.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule')]), nodes)).toEqual({ a1: FAIL, a2: FAIL, b1: FAIL, c1: 'Success' });
    // maxSkew 2: 2 <= 2 everywhere.
    expect(Object.values(filterAll(incoming([tsc(ZONE, 2, 'DoNotSchedule')]), nodes))).toEqual(['Success', 'Success', 'Success', 'Success']);
    // selfMatchNum 0: a, b: 2 + 0 - 1 = 1 <= 1.
    expect(Object.values(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule')], { app: 'other' }), nodes))).toEqual(['Success', 'Success', 'Success', 'Success']);
  });

  it('a node without the topology label is unresolvable, and its pods are not counted', () => {
    // x has no zone: skipped in PreFilter, so a: 1, b: 1, min 1; x's 5 pods count nowhere.
    const nodes = [zoneNode('a1', 'a', pods('a1', 1)), zoneNode('b1', 'b', pods('b1', 1)), zoneNode('x', undefined, pods('x', 5))];
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule')]), nodes)).toEqual({ a1: 'Success', b1: 'Success', x: NO_LABEL });
  });

  it('counts only pods of the same namespace that are not terminating', () => {
    const live = makePod({ labels: web, nodeName: 'a1' });
    const terminating: Pod = { ...live, metadata: { ...live.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
    // a: 0 counted (1 in another namespace, 1 terminating), b: 1; min 0.
    const nodes = [zoneNode('a1', 'a', [...pods('a1', 1, web, 'other'), terminating]), zoneNode('b1', 'b', pods('b1', 1))];
    // a1: 0 + 1 - 0 = 1 passes; b1: 1 + 1 - 0 = 2 fails.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule')]), nodes)).toEqual({ a1: 'Success', b1: FAIL });
  });

  it('minDomains: fewer eligible domains than minDomains make the global minimum 0', () => {
    const nodes = [zoneNode('a1', 'a', pods('a1', 1)), zoneNode('b1', 'b', pods('b1', 1))];
    // Without minDomains: min 1, 1 + 1 - 1 = 1 <= 1 everywhere.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule')]), nodes)).toEqual({ a1: 'Success', b1: 'Success' });
    // minDomains 3 > 2 domains: min 0, 1 + 1 - 0 = 2 > 1 everywhere.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule', { minDomains: 3 })]), nodes)).toEqual({ a1: FAIL, b1: FAIL });
    // minDomains 2 = 2 domains: min stays 1.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule', { minDomains: 2 })]), nodes)).toEqual({ a1: 'Success', b1: 'Success' });
  });

  it('nodeAffinityPolicy Honor (default) leaves out nodes the pod cannot go to; Ignore counts them', () => {
    // a: 1 pod; b: 0 pods. The pod requires zone a.
    const nodes = [zoneNode('a1', 'a', pods('a1', 1)), zoneNode('b1', 'b')];
    const affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'In', values: ['a'] }] }] } },
    };
    // Honor: domains {a: 1}, min 1: a1: 1 + 1 - 1 = 1 passes.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule')], web, { containers: [], affinity }), nodes).a1).toBe('Success');
    // Ignore: domains {a: 1, b: 0}, min 0: a1: 1 + 1 - 0 = 2 fails.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule', { nodeAffinityPolicy: 'Ignore' })], web, { containers: [], affinity }), nodes).a1).toBe(FAIL);
    // matchFields on metadata.name: only a1 is eligible.
    const byName = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a1'] }] }] } } };
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule')], web, { containers: [], affinity: byName }), nodes).a1).toBe('Success');
    // nodeSelector counts as node affinity too.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule')], web, { containers: [], nodeSelector: { [ZONE]: 'a' } }), nodes).a1).toBe('Success');
  });

  it('nodeTaintsPolicy Ignore (default) counts tainted nodes; Honor leaves out untolerated taints', () => {
    const taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
    const nodes = [zoneNode('a1', 'a', pods('a1', 1)), zoneNode('b1', 'b', [], { taints })];
    // Ignore: {a: 1, b: 0}, min 0: a1: 2 > 1 fails.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule')]), nodes).a1).toBe(FAIL);
    // Honor: b is not eligible: {a: 1}, min 1: a1: 1 passes.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule', { nodeTaintsPolicy: 'Honor' })]), nodes).a1).toBe('Success');
    // Honor with a toleration: b counts again.
    const tolerations = [{ key: 'dedicated', operator: 'Exists' }];
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule', { nodeTaintsPolicy: 'Honor' })], web, { containers: [], tolerations }), nodes).a1).toBe(FAIL);
  });

  it('matchLabelKeys merges the pod\'s own label values into the selector', () => {
    const v1 = { app: 'web', 'pod-template-hash': 'v1' };
    const v2 = { app: 'web', 'pod-template-hash': 'v2' };
    const nodes = [zoneNode('a1', 'a', pods('a1', 2, v1)), zoneNode('b1', 'b', pods('b1', 1, v2))];
    // Plain selector app=web: a 2, b 1, min 1: a1 2 > 1 fails, b1 1 passes.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule')], v2), nodes)).toEqual({ a1: FAIL, b1: 'Success' });
    // app=web,pod-template-hash=v2: a 0, b 1, min 0: a1 0 + 1 = 1 passes, b1 1 + 1 = 2 fails.
    expect(filterAll(incoming([tsc(ZONE, 1, 'DoNotSchedule', { matchLabelKeys: ['pod-template-hash'] })], v2), nodes)).toEqual({ a1: 'Success', b1: FAIL });
  });

  it('two constraints: both must hold', () => {
    // zone: a 2, b 2 (min 2); hostname: a1 2, a2 0, b1 1, b2 1 (min 0).
    const nodes = [zoneNode('a1', 'a', pods('a1', 2)), zoneNode('a2', 'a'), zoneNode('b1', 'b', pods('b1', 1)), zoneNode('b2', 'b', pods('b2', 1))];
    const pod = incoming([tsc(ZONE, 1, 'DoNotSchedule'), tsc(HOST, 1, 'DoNotSchedule')]);
    // zone: 2 + 1 - 2 = 1 everywhere; hostname: a1 3 fails, a2 1, b1 2 fails, b2 2 fails.
    expect(filterAll(pod, nodes)).toEqual({ a1: FAIL, a2: 'Success', b1: FAIL, b2: FAIL });
  });
});

describe('PodTopologySpread Skip', () => {
  it('skips PreFilter and PreScore for a pod without constraints, Services or a controller', () => {
    const nodes = [zoneNode('a1', 'a', pods('a1', 1)), zoneNode('b1', 'b')];
    const p = plugin(nodes);
    const state = new CycleState();
    const pod = makePod({ labels: web });
    expect(p.preFilter(state, pod, nodes).status.code).toBe('Skip');
    expect(p.preScore(state, pod, nodes).code).toBe('Skip');
    expect(state.read(PTS_PRE_FILTER_STATE_KEY)).toBeUndefined();
  });

  it('skips PreFilter when the pod has only ScheduleAnyway constraints, and PreScore when only DoNotSchedule', () => {
    const nodes = [zoneNode('a1', 'a')];
    const p = plugin(nodes);
    expect(p.preFilter(new CycleState(), incoming([tsc(ZONE, 1, 'ScheduleAnyway')]), nodes).status.code).toBe('Skip');
    expect(p.preScore(new CycleState(), incoming([tsc(ZONE, 1, 'DoNotSchedule')]), nodes).code).toBe('Skip');
  });

  it('an invalid selector is an Error', () => {
    const bad = incoming([tsc(ZONE, 1, 'DoNotSchedule', { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } })]);
    const nodes = [zoneNode('a1', 'a')];
    const s = plugin(nodes).preFilter(new CycleState(), bad, nodes).status;
    expect(s.code).toBe('Error');
    expect(s.reasons[0]).toMatch(/^obtaining pod's hard topology spread constraints: /);
  });
});

describe('PodTopologySpread Score (ScheduleAnyway)', () => {
  // zone a: a1 2 + a2 1 = 3 matching pods; zone b: b1 0 + b2 1 = 1.
  const nodes = () => [zoneNode('a1', 'a', pods('a1', 2)), zoneNode('a2', 'a', pods('a2', 1)), zoneNode('b1', 'b'), zoneNode('b2', 'b', pods('b2', 1))];

  it('one zone constraint, maxSkew 1', () => {
    // 2 zones: weight log(2 + 2) = 1.3862943611198906.
    // a: 3 * 1.386... + 0 = 4.1588... -> 4; b: 1 * 1.386... = 1.386... -> 1.
    // Normalize (min 1, max 4): a: 100 * (4 + 1 - 4) / 4 = 25; b: 100 * (4 + 1 - 1) / 4 = 100.
    const { raw, normalized } = scoreAll(incoming([tsc(ZONE, 1, 'ScheduleAnyway')]), nodes());
    expect(raw).toEqual({ a1: 4, a2: 4, b1: 1, b2: 1 });
    expect(normalized).toEqual({ a1: 25, a2: 25, b1: 100, b2: 100 });
  });

  it('maxSkew 3 adds maxSkew - 1 to every score, watering differences down', () => {
    // a: 4.1588... + 2 = 6.1588... -> 6; b: 1.386... + 2 = 3.386... -> 3.
    // Normalize (min 3, max 6): a: 100 * 3 / 6 = 50; b: 100 * 6 / 6 = 100.
    const { raw, normalized } = scoreAll(incoming([tsc(ZONE, 3, 'ScheduleAnyway')]), nodes());
    expect(raw).toEqual({ a1: 6, a2: 6, b1: 3, b2: 3 });
    expect(normalized).toEqual({ a1: 50, a2: 50, b1: 100, b2: 100 });
  });

  it('zone and hostname constraints, float sums rounded once', () => {
    // zone weight log(4) = 1.3862943611198906; hostname weight log(4 nodes + 2) = 1.791759469228055.
    // a1: 3 * 1.38629 + 2 * 1.79176 = 4.15888 + 3.58352 = 7.74240 -> 8
    // a2: 4.15888 + 1 * 1.79176 = 5.95064 -> 6
    // b1: 1.38629 + 0 = 1.38629 -> 1
    // b2: 1.38629 + 1.79176 = 3.17805 -> 3
    // Normalize (min 1, max 8), integer division: a1 100 * 1 / 8 = 12; a2 100 * 3 / 8 = 37; b1 100; b2 100 * 6 / 8 = 75.
    const { raw, normalized } = scoreAll(incoming([tsc(ZONE, 1, 'ScheduleAnyway'), tsc(HOST, 1, 'ScheduleAnyway')]), nodes());
    expect(raw).toEqual({ a1: 8, a2: 6, b1: 1, b2: 3 });
    expect(normalized).toEqual({ a1: 12, a2: 37, b1: 100, b2: 75 });
  });

  it('nodes missing a topology key are ignored (score 0) and leave the hostname weight', () => {
    const all = [...nodes(), zoneNode('x', undefined, pods('x', 4))];
    // x is ignored: hostname weight log(5 - 1 + 2) = log(6) as before; x's pods count in no zone.
    const { raw, normalized } = scoreAll(incoming([tsc(ZONE, 1, 'ScheduleAnyway'), tsc(HOST, 1, 'ScheduleAnyway')]), all);
    expect(raw).toEqual({ a1: 8, a2: 6, b1: 1, b2: 3, x: 0 });
    expect(normalized).toEqual({ a1: 12, a2: 37, b1: 100, b2: 75, x: 0 });
  });

  it('only domains of filtered nodes are counted, and their weight uses the filtered count', () => {
    // Filtered: a1 and a2 only: 1 zone, weight log(1 + 2) = 1.0986122886681098.
    // a: 3 * 1.0986 = 3.2958 -> 3 on both; max 3 min 3: 100 * (3 + 3 - 3) / 3 = 100.
    const all = nodes();
    const { raw, normalized } = scoreAll(incoming([tsc(ZONE, 1, 'ScheduleAnyway')]), all, all.slice(0, 2));
    expect(raw).toEqual({ a1: 3, a2: 3 });
    expect(normalized).toEqual({ a1: 100, a2: 100 });
  });

  it('PreScore uses the nodes PreFilter was given in the same cycle', () => {
    const all = nodes();
    const p = plugin(all, undefined, {
      snapshot: () => ({
        ...makeSnapshot(all),
        list: () => {
          throw new Error('node list not needed');
        },
      }),
    });
    const state = new CycleState();
    const pod = incoming([tsc(ZONE, 1, 'ScheduleAnyway')]);
    expect(p.preFilter(state, pod, all).status.code).toBe('Skip');
    expect(p.preScore(state, pod, all).code).toBe('Success');
    expect(all.map((ni) => p.score(state, pod, ni))).toEqual([4, 4, 1, 1]);
  });

  it('all scores 0 normalize to 100', () => {
    // No matching pods anywhere, maxSkew 1: every score is 0 -> maxScore 0 -> 100.
    const all = [zoneNode('a1', 'a'), zoneNode('b1', 'b')];
    const { normalized } = scoreAll(incoming([tsc(ZONE, 1, 'ScheduleAnyway')]), all);
    expect(normalized).toEqual({ a1: 100, b1: 100 });
  });

  it('recounts a node after a pod is added to it (cached counts follow the NodeInfo generation)', () => {
    const all = nodes();
    const p = plugin(all);
    const pod = incoming([tsc(ZONE, 1, 'ScheduleAnyway'), tsc(HOST, 1, 'ScheduleAnyway')]);
    const run = () => {
      const state = new CycleState();
      p.preScore(state, pod, all);
      return all.map((ni) => p.score(state, pod, ni));
    };
    expect(run()).toEqual([8, 6, 1, 3]);
    addPodToNodeInfo(all[2], makePod({ labels: web, nodeName: 'b1' }));
    // b: 2 pods now: b1: 2 * 1.38629 + 1.79176 = 4.56435 -> 5; b2: 2.77259 + 1.79176 = 4.56435 -> 5.
    expect(run()).toEqual([8, 6, 5, 5]);
  });
});

describe('PodTopologySpread default constraints', () => {
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-1', namespace: 'default' },
    spec: { selector: { matchLabels: web }, template: {} },
  };
  const owned = (labels = web) => {
    const pod = makePod({ labels });
    pod.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-uid', controller: true }];
    return pod;
  };
  const lookups: Partial<Handle> = { replicaSet: (ns, name) => (ns === 'default' && name === 'web-1' ? rs : undefined) };

  it('System: hostname maxSkew 3 and zone maxSkew 5 for a ReplicaSet\'s pod; a node without a zone still scored', () => {
    const all = [zoneNode('a1', 'a', pods('a1', 2)), zoneNode('a2', 'a'), zoneNode('b1', 'b', pods('b1', 1)), zoneNode('n4', undefined, pods('n4', 1))];
    // Not required to have every key (system defaults): n4 is scored, its zone value is "".
    // zone domains of filtered nodes: a, b, "" -> weight log(3 + 2) = 1.6094379124341003; counts a 2, b 1, "" 1.
    // hostname weight log(4 + 2) = 1.791759469228055.
    // a1: (2 * 1.79176 + 2) + (2 * 1.60944 + 4) = 5.58352 + 7.21888 = 12.80239 -> 13
    // a2: (0 + 2) + 7.21888 = 9.21888 -> 9
    // b1: (1.79176 + 2) + (1.60944 + 4) = 3.79176 + 5.60944 = 9.40120 -> 9
    // n4: (1.79176 + 2) + no zone label = 3.79176 -> 4
    // Normalize (min 4, max 13): a1 100 * 4 / 13 = 30; a2, b1 100 * 8 / 13 = 61; n4 100 * 13 / 13 = 100.
    const { raw, normalized } = scoreAll(owned(), all, all, undefined, lookups);
    expect(raw).toEqual({ a1: 13, a2: 9, b1: 9, n4: 4 });
    expect(normalized).toEqual({ a1: 30, a2: 61, b1: 61, n4: 100 });
    // The system defaults are ScheduleAnyway only: PreFilter skips.
    expect(plugin(all, undefined, lookups).preFilter(new CycleState(), owned(), all).status.code).toBe('Skip');
  });

  it('Services that select the pod give the selector too', () => {
    const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: web } };
    const other: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' }, spec: { selector: { app: 'db' } } };
    const all = [zoneNode('a1', 'a', pods('a1', 1)), zoneNode('b1', 'b')];
    const services = (ns: string) => (ns === 'default' ? [other, svc] : []);
    // hostname weight log(4) = 1.38629, zone weight log(4) = 1.38629.
    // a1: (1.38629 + 2) + (1.38629 + 4) = 8.77259 -> 9; b1: 2 + 4 = 6.
    const { raw } = scoreAll(makePod({ labels: web }), all, all, undefined, { services });
    expect(raw).toEqual({ a1: 9, b1: 6 });
  });

  it('List: the configured constraints, DoNotSchedule ones filtering', () => {
    const args = { defaultingType: 'List', defaultConstraints: [{ topologyKey: ZONE, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }] };
    const nodes = [zoneNode('a1', 'a', pods('a1', 1)), zoneNode('b1', 'b')];
    // a 1, b 0: a1 1 + 1 - 0 = 2 fails.
    expect(filterAll(owned(), nodes, args, lookups)).toEqual({ a1: FAIL, b1: 'Success' });
    // A pod with constraints of its own does not get the defaults.
    expect(plugin(nodes, args, lookups).preFilter(new CycleState(), incoming([tsc(ZONE, 1, 'ScheduleAnyway')]), nodes).status.code).toBe('Skip');
  });

  it('validates args as ValidatePodTopologySpreadArgs', () => {
    const err = (args: PluginArgs) => {
      try {
        plugin([], args);
      } catch (e) {
        expect(e).toBeInstanceOf(PluginArgsError);
        return (e as Error).message;
      }
      return '';
    };
    expect(err({ defaultConstraints: [{ topologyKey: ZONE, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }] })).toBe(
      'defaultingType: Invalid value: "System": when .defaultConstraints are not empty',
    );
    expect(err({ defaultingType: 'List', defaultConstraints: [{ topologyKey: ZONE, maxSkew: 0, whenUnsatisfiable: 'DoNotSchedule', labelSelector: {} }] })).toBe(
      '[defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf), defaultConstraints[0].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod]',
    );
    expect(err({ defaultingType: 'Other' })).toMatch(/^defaultingType: Unsupported value: "Other"/);
  });
});

describe('PodTopologySpread addPod / removePod', () => {
  it('keeps the PreFilter counts and critical paths right on a cloned state', () => {
    const nodes = [zoneNode('a1', 'a', pods('a1', 1)), zoneNode('b1', 'b', pods('b1', 1))];
    const pod = incoming([tsc(ZONE, 1, 'DoNotSchedule')]);
    const p = plugin(nodes);
    const state = new CycleState();
    p.preFilter(state, pod, nodes);
    // a 1, b 1, min 1: 1 + 1 - 1 = 1 both pass.
    expect(verdicts(p, state, pod, nodes)).toEqual({ a1: 'Success', b1: 'Success' });

    const what = state.clone();
    expect(p.addPod(what, pod, newPodInfo(makePod({ labels: web })), nodes[0]).code).toBe('Success');
    // a 2: a1 2 + 1 - 1 = 2 fails.
    expect(verdicts(p, what, pod, nodes)).toEqual({ a1: FAIL, b1: 'Success' });
    // Pods of another namespace or not matching the selector change nothing.
    p.addPod(what, pod, newPodInfo(makePod({ labels: web, namespace: 'other' })), nodes[1]);
    p.addPod(what, pod, newPodInfo(makePod({ labels: { app: 'db' } })), nodes[1]);
    expect(what.read<SpreadPreFilterState>(PTS_PRE_FILTER_STATE_KEY)!.tpValueToMatchNum[0]).toEqual(new Map([['a', 2], ['b', 1]]));
    // Remove b's pod: b 0, min 0: a1 2 + 1 = 3 fails, b1 0 + 1 = 1 passes.
    expect(p.removePod(what, pod, newPodInfo(nodes[1].pods[0].pod), nodes[1]).code).toBe('Success');
    const s = what.read<SpreadPreFilterState>(PTS_PRE_FILTER_STATE_KEY)!;
    expect([s.criticalPaths[0].v0, s.criticalPaths[0].n0]).toEqual(['b', 0]);
    expect(verdicts(p, what, pod, nodes)).toEqual({ a1: FAIL, b1: 'Success' });
    // The original state is untouched.
    expect(verdicts(p, state, pod, nodes)).toEqual({ a1: 'Success', b1: 'Success' });
  });

  it("keeps only two critical paths, as upstream: after adds to both, the third domain's minimum is lost", () => {
    // Built in node order from a 1, b 1, c 1: paths [a 1, b 1] (c ties, not kept).
    const nodes = [zoneNode('a1', 'a', pods('a1', 1)), zoneNode('b1', 'b', pods('b1', 1)), zoneNode('c1', 'c', pods('c1', 1))];
    const pod = incoming([tsc(ZONE, 1, 'DoNotSchedule')]);
    const p = plugin(nodes);
    const state = new CycleState();
    p.preFilter(state, pod, nodes);
    // +1 on a: [a 2, b 1] swaps to [b 1, a 2]; +1 on b: [b 2, a 2]. The minimum reads 2 though c has 1.
    p.addPod(state, pod, newPodInfo(makePod({ labels: web })), nodes[0]);
    p.addPod(state, pod, newPodInfo(makePod({ labels: web })), nodes[1]);
    expect(state.read<SpreadPreFilterState>(PTS_PRE_FILTER_STATE_KEY)!.minMatchNum(0)).toBe(2);
    // So a1 passes: 2 + 1 - 2 = 1 (with the true minimum 1 it would be 2 > 1).
    expect(verdicts(p, state, pod, nodes)).toEqual({ a1: 'Success', b1: 'Success', c1: 'Success' });
  });

  it('Filter without PreFilter state is an Error', () => {
    const nodes = [zoneNode('a1', 'a')];
    expect(plugin(nodes).filter(new CycleState(), incoming([]), nodes[0]).code).toBe('Error');
  });
});
