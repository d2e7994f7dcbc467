import { describe, expect, it } from 'vitest';
import type { Affinity, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1';
import type { Pod } from '../../api/types';
import { PluginArgsError, type PluginArgs } from '../framework/registry';
import { newPodInfo } from '../framework/resources';
import type { Handle, NodeInfo, NodeScore } from '../framework/types';
import { CycleState } from '../framework/types';
import {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
  IPA_PRE_FILTER_STATE_KEY,
  InterPodAffinity,
  newInterPodAffinity,
} from './inter-pod-affinity';
import { makeHandle, makeNodeInfo, makePod } from './test-nodes';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';

const term = (app: string, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({
  labelSelector: { matchLabels: { app } },
  topologyKey,
  ...extra,
});
const weighted = (weight: number, t: PodAffinityTerm): WeightedPodAffinityTerm => ({ weight, podAffinityTerm: t });

function pod(app: string, o: { node?: string; namespace?: string; affinity?: Affinity } = {}): Pod {
  return makePod({ labels: { app }, nodeName: o.node, namespace: o.namespace, spec: o.affinity ? { affinity: o.affinity } : {} });
}

/** n1, n2 in zone a; n3, n4 in zone b; the pods placed by node name. */
function cluster(placed: Pod[] = [], extra: NodeInfo[] = []): NodeInfo[] {
  const zones: Record<string, string> = { n1: 'a', n2: 'a', n3: 'b', n4: 'b' };
  return [
    ...Object.entries(zones).map(([name, zone]) => makeNodeInfo({ name, labels: { [ZONE]: zone }, pods: placed.filter((p) => p.spec?.nodeName === name) })),
    ...extra,
  ];
}

const plugin = (nodes: NodeInfo[], args?: PluginArgs, overrides: Partial<Handle> = {}) =>
  newInterPodAffinity(args, makeHandle(nodes, overrides)) as InterPodAffinity;

function verdicts(p: InterPodAffinity, state: CycleState, incoming: Pod, nodes: NodeInfo[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ni of nodes) {
    const s = p.filter(state, incoming, ni);
    out[ni.name] = s.code === 'Success' ? 'Success' : `${s.code}: ${s.reasons.join(', ')}`;
  }
  return out;
}

function filterAll(incoming: Pod, nodes: NodeInfo[], overrides: Partial<Handle> = {}): Record<string, string> {
  const p = plugin(nodes, undefined, overrides);
  const state = new CycleState();
  expect(p.preFilter(state, incoming, nodes).status.code).toBe('Success');
  return verdicts(p, state, incoming, nodes);
}

const OK = 'Success';
const AFF = `UnschedulableAndUnresolvable: ${ERR_REASON_AFFINITY_RULES_NOT_MATCH}`;
const ANTI = `Unschedulable: ${ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH}`;
const EXISTING = `Unschedulable: ${ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH}`;

function scoreAll(incoming: Pod, nodes: NodeInfo[], args?: PluginArgs) {
  const p = plugin(nodes, args);
  const state = new CycleState();
  const pre = p.preScore(state, incoming, nodes);
  if (pre.code === 'Skip') return 'Skip';
  expect(pre.code).toBe('Success');
  const scores: NodeScore[] = nodes.map((ni) => ({ name: ni.name, score: p.score(state, incoming, ni) }));
  const raw = Object.fromEntries(scores.map((s) => [s.name, s.score]));
  expect(p.normalizeScore(state, incoming, scores).code).toBe('Success');
  return { raw, normalized: Object.fromEntries(scores.map((s) => [s.name, s.score])) };
}

describe('InterPodAffinity Filter: required affinity', () => {
  const requires = (t: PodAffinityTerm): Affinity => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } });

  it('zone topology: nodes in the zone of a matching pod', () => {
    const nodes = cluster([pod('db', { node: 'n1' })]);
    // (zone, a) = 1: n1, n2 pass; zone b has no db pod.
    expect(filterAll(pod('web', { affinity: requires(term('db', ZONE)) }), nodes)).toEqual({ n1: OK, n2: OK, n3: AFF, n4: AFF });
  });

  it('hostname topology: only the node of a matching pod', () => {
    const nodes = cluster([pod('db', { node: 'n3' })]);
    expect(filterAll(pod('web', { affinity: requires(term('db', HOST)) }), nodes)).toEqual({ n1: AFF, n2: AFF, n3: OK, n4: AFF });
  });

  it('the first pod of a group: no match anywhere and the pod matches its own term', () => {
    const noZone = makeNodeInfo({ name: 'x', labels: {} });
    // No db pod in the cluster (one in another namespace does not count): counts are empty.
    const nodes = cluster([pod('db', { node: 'n1', namespace: 'other' })], [noZone]);
    // The pod is app=db itself: allowed wherever the topology label exists.
    expect(filterAll(pod('db', { affinity: requires(term('db', ZONE)) }), nodes)).toEqual({ n1: OK, n2: OK, n3: OK, n4: OK, x: AFF });
    // An app=web pod does not match its own term: nowhere.
    expect(Object.values(filterAll(pod('web', { affinity: requires(term('db', ZONE)) }), nodes))).toEqual([AFF, AFF, AFF, AFF, AFF]);
    // Once one db pod exists, the rule applies even to a self-matching pod.
    const withDb = cluster([pod('db', { node: 'n1' })]);
    expect(filterAll(pod('db', { affinity: requires(term('db', ZONE)) }), withDb)).toEqual({ n1: OK, n2: OK, n3: AFF, n4: AFF });
  });

  it('several terms: a pod must match all of them to count', () => {
    const both: Affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE), term('db', HOST)] } };
    const nodes = cluster([pod('db', { node: 'n2' })]);
    // (zone, a) = 1 and (hostname, n2) = 1: n1 has zone a but no db on its hostname.
    expect(filterAll(pod('web', { affinity: both }), nodes)).toEqual({ n1: AFF, n2: OK, n3: AFF, n4: AFF });
  });
});

describe('InterPodAffinity Filter: anti-affinity', () => {
  const avoids = (t: PodAffinityTerm): Affinity => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } });

  it("the incoming pod's anti-affinity, hostname and zone", () => {
    const nodes = cluster([pod('web', { node: 'n1' })]);
    expect(filterAll(pod('web', { affinity: avoids(term('web', HOST)) }), nodes)).toEqual({ n1: ANTI, n2: OK, n3: OK, n4: OK });
    expect(filterAll(pod('web', { affinity: avoids(term('web', ZONE)) }), nodes)).toEqual({ n1: ANTI, n2: ANTI, n3: OK, n4: OK });
  });

  it("existing pods' required anti-affinity against the incoming pod", () => {
    const guard = pod('db', { node: 'n3', affinity: avoids(term('web', ZONE)) });
    const nodes = cluster([guard]);
    // The incoming pod has no affinity at all, yet zone b is closed to it.
    expect(filterAll(pod('web'), nodes)).toEqual({ n1: OK, n2: OK, n3: EXISTING, n4: EXISTING });
    // A pod the guard does not select: nothing to check, PreFilter skips.
    const p = plugin(nodes);
    const state = new CycleState();
    expect(p.preFilter(state, pod('api'), nodes).status.code).toBe('Skip');
    expect(state.read(IPA_PRE_FILTER_STATE_KEY)).toBeUndefined();
  });

  it('skips when no pod has required anti-affinity and the pod has no required terms', () => {
    const nodes = cluster([pod('web', { node: 'n1' })]);
    const soft: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(10, term('web', ZONE))] } };
    expect(plugin(nodes).preFilter(new CycleState(), pod('web', { affinity: soft }), nodes).status.code).toBe('Skip');
  });
});

describe('InterPodAffinity namespaces', () => {
  const avoids = (t: PodAffinityTerm): Affinity => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } });
  const nsLabels: Record<string, Record<string, string>> = { 'team-a': { env: 'dev' }, 'team-b': { env: 'prod' } };
  const namespaceLabels = (n: string) => nsLabels[n];
  const nodes = () => cluster([pod('web', { node: 'n1', namespace: 'team-b' })]);
  const from = (t: PodAffinityTerm) => pod('api', { namespace: 'team-a', affinity: avoids(t) });

  it("a term without namespaces means the pod's own namespace", () => {
    expect(filterAll(from(term('web', HOST)), nodes(), { namespaceLabels }).n1).toBe(OK);
  });

  it('namespaces lists them', () => {
    expect(filterAll(from(term('web', HOST, { namespaces: ['team-b'] })), nodes(), { namespaceLabels }).n1).toBe(ANTI);
  });

  it('namespaceSelector selects namespaces by label; {} selects all', () => {
    const prod = term('web', HOST, { namespaceSelector: { matchLabels: { env: 'prod' } } });
    const dev = term('web', HOST, { namespaceSelector: { matchLabels: { env: 'dev' } } });
    expect(filterAll(from(prod), nodes(), { namespaceLabels }).n1).toBe(ANTI);
    expect(filterAll(from(dev), nodes(), { namespaceLabels }).n1).toBe(OK);
    expect(filterAll(from(term('web', HOST, { namespaceSelector: {} })), nodes(), { namespaceLabels }).n1).toBe(ANTI);
    // Without namespace labels (unknown namespace), a non-empty selector selects nothing.
    expect(filterAll(from(prod), nodes()).n1).toBe(OK);
  });

  it("an existing pod's namespaceSelector is matched against the incoming pod's namespace labels", () => {
    const guard = pod('db', { node: 'n3', namespace: 'team-b', affinity: avoids(term('api', ZONE, { namespaceSelector: { matchLabels: { env: 'dev' } } })) });
    const ns = cluster([guard]);
    // team-a is env=dev: selected.
    expect(filterAll(pod('api', { namespace: 'team-a' }), ns, { namespaceLabels })).toEqual({ n1: OK, n2: OK, n3: EXISTING, n4: EXISTING });
    // team-b is env=prod: not selected, and PreFilter skips.
    expect(plugin(ns, undefined, { namespaceLabels }).preFilter(new CycleState(), pod('api', { namespace: 'team-b' }), ns).status.code).toBe('Skip');
  });
});

describe('InterPodAffinity addPod / removePod', () => {
  it('keeps all three counters right on a cloned state', () => {
    const affinity: Affinity = {
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE)] },
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', HOST)] },
    };
    const incoming = pod('web', { affinity });
    const nodes = cluster([pod('db', { node: 'n1' })]);
    const p = plugin(nodes);
    const state = new CycleState();
    p.preFilter(state, incoming, nodes);
    expect(verdicts(p, state, incoming, nodes)).toEqual({ n1: OK, n2: OK, n3: AFF, n4: AFF });

    const what = state.clone();
    // A db pod on n3 opens zone b; a web pod on n2 closes n2 (anti-affinity by hostname).
    p.addPod(what, incoming, newPodInfo(pod('db', { node: 'n3' })), nodes[2]);
    p.addPod(what, incoming, newPodInfo(pod('web', { node: 'n2' })), nodes[1]);
    // A pod on n4 whose required anti-affinity (by hostname) selects web closes n4.
    const guard = pod('db', { node: 'n4', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', HOST)] } } });
    p.addPod(what, incoming, newPodInfo(guard), nodes[3]);
    expect(verdicts(p, what, incoming, nodes)).toEqual({ n1: OK, n2: ANTI, n3: OK, n4: EXISTING });
    // Removing the db pod from n1 closes zone a ((zone, a) drops to 0; (zone, b) keeps the first-pod case off).
    p.removePod(what, incoming, nodes[0].pods[0], nodes[0]);
    p.removePod(what, incoming, newPodInfo(guard), nodes[3]);
    expect(verdicts(p, what, incoming, nodes)).toEqual({ n1: AFF, n2: AFF, n3: OK, n4: OK });
    // The original state is untouched.
    expect(verdicts(p, state, incoming, nodes)).toEqual({ n1: OK, n2: OK, n3: AFF, n4: AFF });
  });

  it('removing the last matching pod brings the first-pod case back', () => {
    const incoming = pod('db', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE)] } } });
    const nodes = cluster([pod('db', { node: 'n1' })]);
    const p = plugin(nodes);
    const state = new CycleState();
    p.preFilter(state, incoming, nodes);
    expect(verdicts(p, state, incoming, nodes)).toEqual({ n1: OK, n2: OK, n3: AFF, n4: AFF });
    // (zone, a) goes to 0 and is deleted: the counts are empty, the pod matches itself.
    p.removePod(state, incoming, nodes[0].pods[0], nodes[0]);
    expect(verdicts(p, state, incoming, nodes)).toEqual({ n1: OK, n2: OK, n3: OK, n4: OK });
  });
});

describe('InterPodAffinity Score', () => {
  it("the incoming pod's preferred affinity and anti-affinity", () => {
    const nodes = cluster([pod('db', { node: 'n1' }), pod('cache', { node: 'n3' })]);
    const affinity: Affinity = {
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(80, term('db', ZONE))] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(30, term('cache', HOST))] },
    };
    // topologyScore: (zone, a) +80 (db on n1); (hostname, n3) -30 (cache on n3).
    // n1 80, n2 80, n3 -30, n4 0. Normalize min -30 max 80 (diff 110):
    // n1, n2 100 * 110 / 110 = 100; n3 0; n4 int(100 * (30 / 110)) = int(27.27) = 27.
    expect(scoreAll(pod('web', { affinity }), nodes)).toEqual({ raw: { n1: 80, n2: 80, n3: -30, n4: 0 }, normalized: { n1: 100, n2: 100, n3: 0, n4: 27 } });
  });

  it("existing pods' required affinity (hardPodAffinityWeight) and preferred terms", () => {
    const x = pod('x', {
      node: 'n1',
      affinity: {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', ZONE)] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(10, term('web', HOST))] },
      },
    });
    const y = pod('y', { node: 'n3', affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, term('web', ZONE))] } } });
    const nodes = cluster([x, y]);
    // (zone, a) +1 (x's required term, weight 1); (hostname, n1) -10 (x's preferred anti); (zone, b) +5 (y).
    // n1 1 - 10 = -9, n2 1, n3 5, n4 5. Normalize min -9 max 5 (diff 14):
    // n1 0; n2 int(100 * (10 / 14)) = int(71.43) = 71; n3, n4 100.
    expect(scoreAll(pod('web'), nodes)).toEqual({ raw: { n1: -9, n2: 1, n3: 5, n4: 5 }, normalized: { n1: 0, n2: 71, n3: 100, n4: 100 } });
    // hardPodAffinityWeight 0: n1 -10, n2 0, n3 5, n4 5 (diff 15): n2 int(100 * (10 / 15)) = int(66.67) = 66.
    expect(scoreAll(pod('web'), nodes, { hardPodAffinityWeight: 0 })).toEqual({ raw: { n1: -10, n2: 0, n3: 5, n4: 5 }, normalized: { n1: 0, n2: 66, n3: 100, n4: 100 } });
    // hardPodAffinityWeight 3: n1 3 - 10 = -7, n2 3 (diff 12): n2 int(100 * (10 / 12)) = 83.
    expect(scoreAll(pod('web'), nodes, { hardPodAffinityWeight: 3 })).toEqual({ raw: { n1: -7, n2: 3, n3: 5, n4: 5 }, normalized: { n1: 0, n2: 83, n3: 100, n4: 100 } });
    // ignorePreferredTermsOfExistingPods: the pod has no preferred terms, so no scoring at all.
    expect(scoreAll(pod('web'), nodes, { ignorePreferredTermsOfExistingPods: true })).toBe('Skip');
  });

  it('skips when nothing can add to a score, and normalizes equal scores to 0', () => {
    const nodes = cluster([pod('db', { node: 'n1' })]);
    expect(scoreAll(pod('web'), nodes)).toBe('Skip');
    // A preferred term no pod matches: Skip as well (no topology scores).
    const miss: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(50, term('nope', ZONE))] } };
    expect(scoreAll(pod('web', { affinity: miss }), nodes)).toBe('Skip');
    // +50 and -50 on the same pair: a score map exists, every node scores 0, max - min = 0 -> 0.
    const even: Affinity = {
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(50, term('db', ZONE))] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(50, term('db', ZONE))] },
    };
    expect(scoreAll(pod('web', { affinity: even }), nodes)).toEqual({ raw: { n1: 0, n2: 0, n3: 0, n4: 0 }, normalized: { n1: 0, n2: 0, n3: 0, n4: 0 } });
  });

  it('PreScore after a skipping PreFilter in the same cycle scores the preferred terms', () => {
    const nodes = cluster([pod('db', { node: 'n1' })]);
    const affinity: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(7, term('db', ZONE))] } };
    const p = plugin(nodes);
    const state = new CycleState();
    const incoming = pod('web', { affinity });
    expect(p.preFilter(state, incoming, nodes).status.code).toBe('Skip');
    expect(p.preScore(state, incoming, nodes).code).toBe('Success');
    expect(nodes.map((ni) => p.score(state, incoming, ni))).toEqual([7, 7, 0, 0]);
  });

  it('namespaceSelector on preferred terms', () => {
    const nodes = cluster([pod('db', { node: 'n3', namespace: 'team-b' })]);
    const affinity: Affinity = {
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(20, term('db', ZONE, { namespaceSelector: { matchLabels: { env: 'prod' } } }))] },
    };
    const p = plugin(nodes, undefined, { namespaceLabels: (n): Record<string, string> => (n === 'team-b' ? { env: 'prod' } : {}) });
    const state = new CycleState();
    const incoming = pod('web', { namespace: 'team-a', affinity });
    expect(p.preScore(state, incoming, nodes).code).toBe('Success');
    expect(nodes.map((ni) => p.score(state, incoming, ni))).toEqual([0, 0, 20, 20]);
  });
});

describe('InterPodAffinity args', () => {
  it('hardPodAffinityWeight must be in [0, 100]', () => {
    expect(() => plugin([], { hardPodAffinityWeight: 101 })).toThrow(PluginArgsError);
    expect(() => plugin([], { hardPodAffinityWeight: 101 })).toThrow('hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]');
    expect(plugin([], { hardPodAffinityWeight: 100 }).args.hardPodAffinityWeight).toBe(100);
    expect(plugin([]).args).toEqual({ hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false });
  });

  it('a pod with an invalid term is unresolvable at PreFilter', () => {
    const bad = pod('web', {
      affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: ZONE, labelSelector: { matchExpressions: [{ key: 'app', operator: 'Bogus' }] } }] } },
    });
    const s = plugin([]).preFilter(new CycleState(), bad, []).status;
    expect(s.code).toBe('UnschedulableAndUnresolvable');
    expect(s.reasons[0]).toMatch(/^parsing pod: requiredAffinityTerms: /);
  });
});
