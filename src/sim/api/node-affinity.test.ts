import { describe, expect, it } from 'vitest';
import type { NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from 'kubernetes-types/core/v1';
import {
  OBJECT_NAME_FIELD,
  compileNodeSelector,
  parseNodeSelectorTerm,
  podMatchesNodeSelectorAndAffinity,
  preferredSchedulingTerms,
  requiredNodeAffinity,
} from './node-affinity';
import type { Node, Pod } from './types';

// Upstream: k8s.io/component-helpers/scheduling/corev1/nodeaffinity (GetRequiredNodeAffinity,
// LazyErrorNodeSelector, NewPreferredSchedulingTerms) over apimachinery's labels and fields selectors.

const node = (name: string, labels: Record<string, string> = {}): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
const pod = (spec: Partial<PodSpec>): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c' }], ...spec } });
const expr = (key: string, operator: string, values?: string[]): NodeSelectorRequirement => ({ key, operator, ...(values ? { values } : {}) });
const name = (operator: string, values: string[]): NodeSelectorRequirement => ({ key: OBJECT_NAME_FIELD, operator, values });
const required = (terms: NodeSelectorTerm[], nodeSelector?: Record<string, string>): Pod =>
  pod({ ...(nodeSelector ? { nodeSelector } : {}), affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
/** Which of the nodes a selector of these terms matches, by name. */
const matching = (terms: NodeSelectorTerm[], nodes: Node[]): string[] => {
  const m = compileNodeSelector({ nodeSelectorTerms: terms });
  return nodes.filter(m).map((n) => n.metadata!.name!);
};

const zoneA = node('a1', { zone: 'a', disk: 'ssd', cpus: '8' });
const zoneB = node('b1', { zone: 'b', cpus: '16' });
const zoneC = node('c1', { zone: 'c', cpus: 'eight' });
const bare = node('bare');
const all = [zoneA, zoneB, zoneC, bare];

describe('requiredNodeAffinity', () => {
  it('is null without a nodeSelector or required terms; an empty nodeSelector counts as none', () => {
    expect(requiredNodeAffinity(pod({}))).toBeNull();
    expect(requiredNodeAffinity(pod({ nodeSelector: {} }))).toBeNull();
    // preferred terms alone do not make it required
    expect(requiredNodeAffinity(pod({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } } }))).toBeNull();
    expect(podMatchesNodeSelectorAndAffinity(pod({}), bare)).toBe(true);
  });

  it('nodeSelector alone: every pair must be on the node', () => {
    const p = pod({ nodeSelector: { zone: 'a', disk: 'ssd' } });
    // a1: zone=a, disk=ssd -> yes; b1: zone=b -> no; bare: no labels -> no
    expect(all.filter((n) => podMatchesNodeSelectorAndAffinity(p, n)).map((n) => n.metadata!.name)).toEqual(['a1']);
    expect(podMatchesNodeSelectorAndAffinity(pod({ nodeSelector: { zone: 'a', disk: 'hdd' } }), zoneA)).toBe(false); // ssd != hdd
  });

  it('nodeSelector AND the required terms', () => {
    // nodeSelector cpus=16 matches only b1; the term zone In (a, b) matches a1 and b1 -> b1
    const p = required([{ matchExpressions: [expr('zone', 'In', ['a', 'b'])] }], { cpus: '16' });
    expect(all.filter((n) => podMatchesNodeSelectorAndAffinity(p, n)).map((n) => n.metadata!.name)).toEqual(['b1']);
    // nodeSelector zone=c but the term wants a or b -> nothing
    const none = required([{ matchExpressions: [expr('zone', 'In', ['a', 'b'])] }], { zone: 'c' });
    expect(all.filter((n) => podMatchesNodeSelectorAndAffinity(none, n))).toEqual([]);
  });

  it('required with no terms matches no node (an OR of nothing)', () => {
    const p = required([]);
    expect(requiredNodeAffinity(p)).not.toBeNull();
    expect(all.filter((n) => podMatchesNodeSelectorAndAffinity(p, n))).toEqual([]);
  });
});

describe('compileNodeSelector', () => {
  it('ORs the terms and ANDs the requirements within a term', () => {
    // zone=a OR zone=c
    expect(matching([{ matchExpressions: [expr('zone', 'In', ['a'])] }, { matchExpressions: [expr('zone', 'In', ['c'])] }], all)).toEqual(['a1', 'c1']);
    // zone in (a, b) AND disk exists -> only a1 has a disk label
    expect(matching([{ matchExpressions: [expr('zone', 'In', ['a', 'b']), expr('disk', 'Exists')] }], all)).toEqual(['a1']);
  });

  it('In / NotIn: NotIn also matches nodes without the label', () => {
    expect(matching([{ matchExpressions: [expr('zone', 'In', ['b', 'c'])] }], all)).toEqual(['b1', 'c1']);
    // bare has no zone label: NotIn holds for it
    expect(matching([{ matchExpressions: [expr('zone', 'NotIn', ['b', 'c'])] }], all)).toEqual(['a1', 'bare']);
  });

  it('Exists / DoesNotExist', () => {
    expect(matching([{ matchExpressions: [expr('disk', 'Exists')] }], all)).toEqual(['a1']);
    expect(matching([{ matchExpressions: [expr('disk', 'DoesNotExist')] }], all)).toEqual(['b1', 'c1', 'bare']);
  });

  it('Gt / Lt compare integers; a label that is not an integer, or is missing, matches neither', () => {
    // a1 cpus 8 > 4, b1 16 > 4; c1 "eight" does not parse; bare has no label
    expect(matching([{ matchExpressions: [expr('cpus', 'Gt', ['4'])] }], all)).toEqual(['a1', 'b1']);
    // 8 > 8 is false, 16 > 8
    expect(matching([{ matchExpressions: [expr('cpus', 'Gt', ['8'])] }], all)).toEqual(['b1']);
    // 8 < 16, 16 < 16 is false
    expect(matching([{ matchExpressions: [expr('cpus', 'Lt', ['16'])] }], all)).toEqual(['a1']);
    // "eight" is never less than anything either
    expect(matching([{ matchExpressions: [expr('cpus', 'Lt', ['100'])] }], all)).toEqual(['a1', 'b1']);
    // compared as numbers, not strings: "16" < "8" as text, but 16 > 9
    expect(matching([{ matchExpressions: [expr('cpus', 'Gt', ['9'])] }], all)).toEqual(['b1']);
  });

  it('matchFields: metadata.name In / NotIn with exactly one value', () => {
    expect(matching([{ matchFields: [name('In', ['b1'])] }], all)).toEqual(['b1']);
    expect(matching([{ matchFields: [name('NotIn', ['b1'])] }], all)).toEqual(['a1', 'c1', 'bare']);
    // name In a1 AND zone=b: a1 is in zone a -> nothing
    expect(matching([{ matchFields: [name('In', ['a1'])], matchExpressions: [expr('zone', 'In', ['b'])] }], all)).toEqual([]);
    // name NotIn a1 AND zone in (a, b) -> b1
    expect(matching([{ matchFields: [name('NotIn', ['a1'])], matchExpressions: [expr('zone', 'In', ['a', 'b'])] }], all)).toEqual(['b1']);
  });

  it('matchFields on a field a node does not have reads it as ""', () => {
    // fields.Set{"metadata.name": ...}.Get("metadata.uid") == "": In "x" fails, NotIn "x" holds
    expect(matching([{ matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['x'] }] }], [zoneA])).toEqual([]);
    expect(matching([{ matchFields: [{ key: 'metadata.uid', operator: 'NotIn', values: ['x'] }] }], [zoneA])).toEqual(['a1']);
  });

  it('matchFields are not checked against a node without a name (its field set is empty)', () => {
    const nameless: Node = { apiVersion: 'v1', kind: 'Node', metadata: { labels: { zone: 'a' } } };
    const m = compileNodeSelector({ nodeSelectorTerms: [{ matchFields: [name('In', ['a1'])] }] });
    // upstream: t.matchFields != nil && len(nodeFields) > 0 && !matches -> skipped when nodeFields is empty
    expect(m(nameless)).toBe(true);
    // the labels still are
    expect(compileNodeSelector({ nodeSelectorTerms: [{ matchFields: [name('In', ['a1'])], matchExpressions: [expr('zone', 'In', ['b'])] }] })(nameless)).toBe(false);
  });

  it('a term that does not parse matches nothing, while another term still can', () => {
    const bad: NodeSelectorTerm[] = [
      { matchExpressions: [expr('zone', 'Near', ['a'])] }, // unknown operator
      { matchExpressions: [expr('zone', 'In', [])] }, // In needs values
      { matchExpressions: [expr('disk', 'Exists', ['ssd'])] }, // Exists takes none
      { matchExpressions: [expr('cpus', 'Gt', ['four'])] }, // Gt value must be an integer
      { matchExpressions: [expr('cpus', 'Gt', ['1', '2'])] }, // exactly one
      { matchExpressions: [expr('bad key!', 'Exists')] }, // not a qualified name
      { matchFields: [name('In', ['a1', 'b1'])] }, // fields take exactly one value
      { matchFields: [{ key: OBJECT_NAME_FIELD, operator: 'Exists' }] }, // only In / NotIn on fields
    ];
    for (const t of bad) {
      expect(parseNodeSelectorTerm(t).bad).toBe(true);
      expect(matching([t], all)).toEqual([]);
    }
    // a bad requirement spoils its whole term, even next to one that would match a1
    expect(matching([{ matchExpressions: [expr('zone', 'In', ['a']), expr('cpus', 'Gt', ['four'])] }], all)).toEqual([]);
    // ... but not the other terms: bad OR zone=b -> b1
    expect(matching([bad[0], { matchExpressions: [expr('zone', 'In', ['b'])] }, bad[6]], all)).toEqual(['b1']);
  });

  it('skips empty terms: alone they match nothing, next to a good term they do not widen it', () => {
    expect(matching([{}], all)).toEqual([]);
    expect(matching([{ matchExpressions: [], matchFields: [] }], all)).toEqual([]);
    expect(matching([{}, { matchExpressions: [expr('zone', 'In', ['c'])] }], all)).toEqual(['c1']);
    expect(matching([], all)).toEqual([]);
  });
});

describe('preferredSchedulingTerms', () => {
  it('sums the weights of the matching terms', () => {
    const terms = preferredSchedulingTerms([
      { weight: 30, preference: { matchExpressions: [expr('zone', 'In', ['a', 'b'])] } },
      { weight: 50, preference: { matchExpressions: [expr('disk', 'Exists')] } },
      { weight: 7, preference: { matchFields: [name('In', ['c1'])] } },
    ]);
    expect(terms.score(zoneA)).toBe(80); // 30 + 50
    expect(terms.score(zoneB)).toBe(30); // zone only
    expect(terms.score(zoneC)).toBe(7); // name only
    expect(terms.score(bare)).toBe(0);
  });

  it('drops terms of weight 0 and empty terms', () => {
    const terms = preferredSchedulingTerms([
      { weight: 0, preference: { matchExpressions: [expr('zone', 'In', ['a'])] } },
      { weight: 40, preference: {} },
      { weight: 40, preference: { matchExpressions: [], matchFields: [] } },
      { weight: 5, preference: { matchExpressions: [expr('zone', 'In', ['a'])] } },
    ]);
    // only the weight-5 term counts: an empty preference would otherwise match everything it was compared against
    expect(terms.score(zoneA)).toBe(5);
    expect(terms.score(bare)).toBe(0);
  });

  it('the same matching term counted twice adds twice', () => {
    const t = { weight: 10, preference: { matchExpressions: [expr('zone', 'In', ['a'])] } };
    expect(preferredSchedulingTerms([t, t]).score(zoneA)).toBe(20); // 10 + 10
  });
});
