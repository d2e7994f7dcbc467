import { describe, expect, it } from 'vitest';
import type { NodeAffinity, NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm } from 'kubernetes-types/core/v1';
import type { Pod } from '../../api/types';
import { PluginArgsError, type PluginArgs } from '../framework/registry';
import type { FilterPlugin, NodeInfo, NodeScore, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/types';
import {
  ERR_REASON_CONFLICT,
  ERR_REASON_ENFORCED,
  ERR_REASON_POD,
  NODE_AFFINITY,
  NODE_AFFINITY_PRE_FILTER_STATE_KEY,
  NODE_AFFINITY_PRE_SCORE_STATE_KEY,
  newNodeAffinity,
  nodeNamesFromTerms,
} from './node-affinity';
import { makeHandle, makeNodeInfo, makePod, newCycleState } from './test-nodes';

// Upstream: pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go.
type Plugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
const plugin = (args?: PluginArgs, nodes: NodeInfo[] = []) => newNodeAffinity(args, makeHandle(nodes)) as Plugin;

const expr = (key: string, operator: string, values?: string[]): NodeSelectorRequirement => ({ key, operator, ...(values ? { values } : {}) });
const names = (...values: string[]): NodeSelectorRequirement => ({ key: 'metadata.name', operator: 'In', values });
const affinityPod = (nodeAffinity: NodeAffinity, nodeSelector?: Record<string, string>): Pod =>
  makePod({ spec: { ...(nodeSelector ? { nodeSelector } : {}), affinity: { nodeAffinity } } });
const requiredPod = (terms: NodeSelectorTerm[], nodeSelector?: Record<string, string>): Pod =>
  affinityPod({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } }, nodeSelector);
const preferredPod = (terms: PreferredSchedulingTerm[]): Pod => affinityPod({ preferredDuringSchedulingIgnoredDuringExecution: terms });
const added = (addedAffinity: NodeAffinity): PluginArgs => ({ addedAffinity });

const nodes = [
  makeNodeInfo({ name: 'n1', labels: { zone: 'a' } }),
  makeNodeInfo({ name: 'n2', labels: { zone: 'a', disk: 'ssd' } }),
  makeNodeInfo({ name: 'n3', labels: { zone: 'b', pool: 'batch' } }),
];

/** PreFilter, then Filter on every node: name -> "Success" or the reason. */
function filterAll(pod: Pod, args?: PluginArgs): Record<string, string> {
  const p = plugin(args, nodes);
  const state = newCycleState();
  const pre = p.preFilter(state, pod, nodes);
  expect(pre.status.code).toBe('Success');
  const out: Record<string, string> = {};
  for (const ni of nodes) {
    const s = p.filter(state, pod, ni);
    out[ni.name] = s.code === 'Success' ? 'Success' : `${s.code}: ${s.reasons.join(', ')}`;
  }
  return out;
}

/** PreScore, Score on every node and NormalizeScore. */
function scoreAll(pod: Pod, args?: PluginArgs): { raw: number[]; normalized: number[] } {
  const p = plugin(args, nodes);
  const state = newCycleState();
  expect(p.preScore(state, pod, nodes).code).toBe('Success');
  const list: NodeScore[] = nodes.map((ni) => ({ name: ni.name, score: p.score(state, pod, ni) }));
  const raw = list.map((s) => s.score);
  expect(p.normalizeScore!(state, pod, list).code).toBe('Success');
  return { raw, normalized: list.map((s) => s.score) };
}

const POD = `UnschedulableAndUnresolvable: ${ERR_REASON_POD}`;
const ENFORCED = `UnschedulableAndUnresolvable: ${ERR_REASON_ENFORCED}`;

describe('NodeAffinity PreFilter', () => {
  it('names and keys as upstream', () => {
    expect(plugin().name).toBe(NODE_AFFINITY);
    expect(NODE_AFFINITY_PRE_FILTER_STATE_KEY).toBe('PreFilterNodeAffinity');
    expect(NODE_AFFINITY_PRE_SCORE_STATE_KEY).toBe('PreScoreNodeAffinity');
    expect(ERR_REASON_POD).toBe("node(s) didn't match Pod's node affinity/selector");
    expect(ERR_REASON_ENFORCED).toBe("node(s) didn't match scheduler-enforced node affinity");
    expect(ERR_REASON_CONFLICT).toBe('pod affinity terms conflict');
  });

  it('skips a pod without nodeSelector, required affinity or addedAffinity', () => {
    const state = newCycleState();
    expect(plugin().preFilter(state, makePod(), nodes)).toEqual({ status: expect.objectContaining({ code: 'Skip' }) });
    expect(state.read(NODE_AFFINITY_PRE_FILTER_STATE_KEY)).toBeUndefined();
    // preferred terms alone are a Score matter
    expect(plugin().preFilter(newCycleState(), preferredPod([{ weight: 1, preference: { matchExpressions: [expr('zone', 'In', ['a'])] } }]), nodes).status.code).toBe('Skip');
    // addedAffinity with only preferred terms has no selector to enforce
    const prefOnly = added({ preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [expr('zone', 'In', ['a'])] } }] });
    expect(plugin(prefOnly).preFilter(newCycleState(), makePod(), nodes).status.code).toBe('Skip');
  });

  it('does not skip for a nodeSelector (even an empty one: a non-nil map), required terms or an added selector', () => {
    const state = newCycleState();
    expect(plugin().preFilter(state, makePod({ spec: { nodeSelector: { zone: 'a' } } }), nodes)).toEqual({ status: expect.objectContaining({ code: 'Success' }) });
    expect(state.read(NODE_AFFINITY_PRE_FILTER_STATE_KEY)).toBeDefined();
    expect(plugin().preFilter(newCycleState(), makePod({ spec: { nodeSelector: {} } }), nodes).status.code).toBe('Success');
    expect(plugin().preFilter(newCycleState(), requiredPod([{ matchExpressions: [expr('zone', 'In', ['a'])] }]), nodes)).toEqual({
      status: expect.objectContaining({ code: 'Success' }),
    });
    const enforced = added({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('pool', 'Exists')] }] } });
    expect(plugin(enforced).preFilter(newCycleState(), makePod(), nodes).status.code).toBe('Success');
  });

  const narrowed = (terms: NodeSelectorTerm[]) => plugin().preFilter(newCycleState(), requiredPod(terms), nodes);

  it('narrows to the metadata.name In values of a term', () => {
    expect(narrowed([{ matchFields: [names('n1', 'n3')] }]).result?.nodeNames).toEqual(new Set(['n1', 'n3']));
  });

  it('intersects the name requirements within a term', () => {
    // {n1, n2} ∩ {n2, n3} = {n2}
    expect(narrowed([{ matchFields: [names('n1', 'n2'), names('n2', 'n3')] }]).result?.nodeNames).toEqual(new Set(['n2']));
  });

  it('unites the terms', () => {
    // {n1} ∪ {n3} = {n1, n3}; {n1, n2} ∪ {n2} = {n1, n2}
    expect(narrowed([{ matchFields: [names('n1')] }, { matchFields: [names('n3')] }]).result?.nodeNames).toEqual(new Set(['n1', 'n3']));
    expect(narrowed([{ matchFields: [names('n1', 'n2')] }, { matchFields: [names('n2')] }]).result?.nodeNames).toEqual(new Set(['n1', 'n2']));
    // an empty intersection in one term leaves the other: ∅ ∪ {n3}
    expect(narrowed([{ matchFields: [names('n1'), names('n2')] }, { matchFields: [names('n3')] }]).result?.nodeNames).toEqual(new Set(['n3']));
  });

  it('does not narrow when any term has no metadata.name In (any node may match that term)', () => {
    expect(narrowed([{ matchFields: [names('n1')] }, { matchExpressions: [expr('zone', 'In', ['b'])] }])).toEqual({ status: expect.objectContaining({ code: 'Success' }) });
    // NotIn names nothing to narrow to
    expect(narrowed([{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }]).result).toBeUndefined();
    // no terms at all
    expect(narrowed([]).result).toBeUndefined();
    // the label requirements next to a name do not matter: still {n1}
    expect(narrowed([{ matchFields: [names('n1')], matchExpressions: [expr('zone', 'In', ['b'])] }]).result?.nodeNames).toEqual(new Set(['n1']));
    expect(nodeNamesFromTerms(makePod())).toBeUndefined();
  });

  it("rejects the pod as 'pod affinity terms conflict' when the union is empty", () => {
    // {n1} ∩ {n2} = ∅, a single term
    expect(narrowed([{ matchFields: [names('n1'), names('n2')] }])).toEqual({ status: { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_CONFLICT] } });
    // ∅ ∪ ∅ = ∅
    expect(narrowed([{ matchFields: [names('n1'), names('n2')] }, { matchFields: [names('n2'), names('n3')] }]).status.code).toBe('UnschedulableAndUnresolvable');
  });
});

describe('NodeAffinity Filter', () => {
  it("rejects nodes that do not match the nodeSelector with \"node(s) didn't match Pod's node affinity/selector\"", () => {
    expect(filterAll(makePod({ spec: { nodeSelector: { zone: 'a' } } }))).toEqual({ n1: 'Success', n2: 'Success', n3: POD });
  });

  it('nodeSelector AND required terms; terms ORed', () => {
    // zone=a AND (disk exists OR name n1) -> n1 (by name), n2 (by disk)
    const pod = requiredPod([{ matchExpressions: [expr('disk', 'Exists')] }, { matchFields: [names('n1')] }], { zone: 'a' });
    expect(filterAll(pod)).toEqual({ n1: 'Success', n2: 'Success', n3: POD });
    // zone=b AND disk exists -> none
    expect(filterAll(requiredPod([{ matchExpressions: [expr('disk', 'Exists')] }], { zone: 'b' }))).toEqual({ n1: POD, n2: POD, n3: POD });
  });

  it('a required term that does not parse matches nothing, another term still can', () => {
    const pod = requiredPod([{ matchExpressions: [expr('zone', 'Near', ['a'])] }, { matchExpressions: [expr('pool', 'In', ['batch'])] }]);
    expect(filterAll(pod)).toEqual({ n1: POD, n2: POD, n3: 'Success' });
  });

  it('works without PreFilter (state missing) the same way', () => {
    const p = plugin(undefined, nodes);
    const pod = makePod({ spec: { nodeSelector: { zone: 'b' } } });
    expect(p.filter(newCycleState(), pod, nodes[0])).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_POD] });
    expect(p.filter(newCycleState(), pod, nodes[2]).code).toBe('Success');
    expect(p.filter(newCycleState(), makePod(), nodes[0]).code).toBe('Success');
  });

  it('enforces addedAffinity first, with its own reason', () => {
    const args = added({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('zone', 'In', ['b'])] }, { matchFields: [names('n2')] }] } });
    // added: zone=b OR name n2 -> n2, n3 pass it; n1 fails it even though the pod wants zone a
    expect(filterAll(makePod(), args)).toEqual({ n1: ENFORCED, n2: 'Success', n3: 'Success' });
    expect(filterAll(makePod({ spec: { nodeSelector: { zone: 'a' } } }), args)).toEqual({ n1: ENFORCED, n2: 'Success', n3: POD });
  });

  it('an added selector with no non-empty term matches no node', () => {
    expect(filterAll(makePod(), added({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } }))).toEqual({
      n1: ENFORCED,
      n2: ENFORCED,
      n3: ENFORCED,
    });
  });
});

describe('NodeAffinity Score', () => {
  const zoneA = (weight: number): PreferredSchedulingTerm => ({ weight, preference: { matchExpressions: [expr('zone', 'In', ['a'])] } });
  const ssd = (weight: number): PreferredSchedulingTerm => ({ weight, preference: { matchExpressions: [expr('disk', 'In', ['ssd'])] } });

  it('skips at PreScore without preferred terms (pod or added)', () => {
    const state = newCycleState();
    expect(plugin().preScore(state, makePod(), nodes).code).toBe('Skip');
    expect(state.read(NODE_AFFINITY_PRE_SCORE_STATE_KEY)).toBeUndefined();
    // required terms do not score
    expect(plugin().preScore(newCycleState(), requiredPod([{ matchFields: [names('n1')] }]), nodes).code).toBe('Skip');
    // a non-nil empty list is "has terms", as upstream checks != nil
    expect(plugin().preScore(newCycleState(), preferredPod([]), nodes).code).toBe('Success');
    expect(plugin(added({ preferredDuringSchedulingIgnoredDuringExecution: [zoneA(1)] })).preScore(newCycleState(), makePod(), nodes).code).toBe('Success');
  });

  it('sums the weights of the matching terms and scales the best to 100: [30, 80, 0] -> [37, 100, 0]', () => {
    // n1 zone a: 30; n2 zone a + ssd: 30 + 50 = 80; n3: 0. 100*30/80 = 37.5 -> 37; 100*80/80 = 100
    expect(scoreAll(preferredPod([zoneA(30), ssd(50)]))).toEqual({ raw: [30, 80, 0], normalized: [37, 100, 0] });
  });

  it('drops weight-0 and empty terms', () => {
    // the weight-0 term and the empty one would add to every node; only ssd 7 counts -> [0, 7, 0] -> [0, 100, 0]
    const pod = preferredPod([zoneA(0), { weight: 40, preference: {} }, ssd(7)]);
    expect(scoreAll(pod)).toEqual({ raw: [0, 7, 0], normalized: [0, 100, 0] });
  });

  it('no match anywhere: all 0 stay 0', () => {
    expect(scoreAll(preferredPod([{ weight: 10, preference: { matchExpressions: [expr('gpu', 'Exists')] } }]))).toEqual({ raw: [0, 0, 0], normalized: [0, 0, 0] });
  });

  it('adds the added preferred terms to the pod ones', () => {
    const args = added({ preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 20, preference: { matchExpressions: [expr('pool', 'In', ['batch'])] } }] });
    // n1: 30; n2: 30 + 50 = 80; n3: added 20 -> 100*30/80 = 37, 100, 100*20/80 = 25
    expect(scoreAll(preferredPod([zoneA(30), ssd(50)]), args)).toEqual({ raw: [30, 80, 20], normalized: [37, 100, 25] });
    // a pod without terms gets only the added ones: [0, 0, 20] -> [0, 0, 100]
    expect(scoreAll(makePod(), args)).toEqual({ raw: [0, 0, 20], normalized: [0, 0, 100] });
  });

  it('works without PreScore (state missing) the same way', () => {
    const p = plugin(undefined, nodes);
    expect(nodes.map((ni) => p.score(newCycleState(), preferredPod([zoneA(30), ssd(50)]), ni))).toEqual([30, 80, 0]);
  });
});

describe('NodeAffinity args', () => {
  const argsError = (args: PluginArgs): string => {
    try {
      plugin(args);
    } catch (e) {
      expect(e).toBeInstanceOf(PluginArgsError);
      return (e as Error).message;
    }
    throw new Error('expected PluginArgsError');
  };

  it('rejects unknown fields and a non-object addedAffinity', () => {
    expect(argsError({ foo: 1 })).toBe('NodeAffinity args: foo: unknown field "foo"');
    expect(argsError({ addedAffinity: [] })).toBe('NodeAffinity args: addedAffinity: must be an object');
    expect(() => plugin({ apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'NodeAffinityArgs', addedAffinity: null })).not.toThrow();
  });

  it('rejects added terms that do not parse, at their upstream paths (ValidateNodeAffinityArgs)', () => {
    const req = 'addedAffinity.requiredDuringSchedulingIgnoredDuringExecution';
    expect(argsError(added({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}, { matchExpressions: [expr('zone', 'Near', ['a'])] }] } }))).toBe(
      `NodeAffinity args: ${req}.nodeSelectorTerms[1].matchExpressions[0].operator: Unsupported value: "Near": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"`,
    );
    expect(argsError(added({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [names('a', 'b')] }] } }))).toBe(
      `NodeAffinity args: ${req}.nodeSelectorTerms[0].matchFields[0].values: Invalid value: []string{"a", "b"}: must have one element`,
    );
    // two errors: aggregated in brackets
    expect(
      argsError(
        added({
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('cpus', 'Gt', ['four'])] }] },
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 0, preference: { matchExpressions: [expr('x', 'Bad')] } }, // weight 0: not parsed
            { weight: 1, preference: { matchFields: [{ key: 'metadata.name', operator: 'Exists' }] } },
          ],
        }),
      ),
    ).toBe(
      `NodeAffinity args: [${req}.nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: "four": for 'Gt', 'Lt' operators, the value must be an integer, ` +
        'addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[1].matchFields[0].operator: Unsupported value: "Exists": supported values: "In", "NotIn"]',
    );
  });
});
