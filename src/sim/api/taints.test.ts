import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import { TAINT_NODE_UNSCHEDULABLE, doNotScheduleTaint, findMatchingUntoleratedTaint, toleratesTaint, tolerationsTolerateTaint } from './taints';

// Upstream: k8s.io/api/core/v1 Toleration.ToleratesTaint, and
// component-helpers/scheduling/corev1 TolerationsTolerateTaint / FindMatchingUntoleratedTaint.
const dedicated: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  it('empty operator means Equal: key and value must both match', () => {
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu' }, dedicated)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: '', value: 'gpu' }, dedicated)).toBe(true);
    // value "cpu" != "gpu"
    expect(toleratesTaint({ key: 'dedicated', value: 'cpu' }, dedicated)).toBe(false);
    // key "other" != "dedicated"
    expect(toleratesTaint({ key: 'other', value: 'gpu' }, dedicated)).toBe(false);
  });

  it('Equal compares values, a missing value reading as ""', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu' }, dedicated)).toBe(true);
    // "" != "gpu"
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal' }, dedicated)).toBe(false);
    const bare: Taint = { key: 'dedicated', effect: 'NoSchedule' };
    // "" == "" (both unset)
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal' }, bare)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: '' }, bare)).toBe(true);
    // "gpu" != ""
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu' }, bare)).toBe(false);
  });

  it('Exists ignores the value (even one set on the toleration)', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, dedicated)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists', value: 'cpu' }, dedicated)).toBe(true);
    expect(toleratesTaint({ key: 'other', operator: 'Exists' }, dedicated)).toBe(false);
  });

  it('Exists with an empty key tolerates every taint', () => {
    const all: Toleration = { operator: 'Exists' };
    for (const effect of ['NoSchedule', 'PreferNoSchedule', 'NoExecute'])
      for (const t of [{ key: 'a', value: 'x', effect }, { key: 'node.kubernetes.io/not-ready', effect }])
        expect(toleratesTaint(all, t)).toBe(true);
    // with an effect it is limited to that effect
    expect(toleratesTaint({ operator: 'Exists', effect: 'NoExecute' }, dedicated)).toBe(false);
    expect(toleratesTaint({ operator: 'Exists', effect: 'NoSchedule' }, dedicated)).toBe(true);
  });

  it('an empty key with Equal skips the key check and compares values (upstream does not special-case it)', () => {
    // len(t.Key) == 0 -> no key check; "" == "" -> tolerated
    expect(toleratesTaint({ operator: 'Equal' }, { key: 'anything', effect: 'NoSchedule' })).toBe(true);
    // "" != "gpu"
    expect(toleratesTaint({ operator: 'Equal' }, dedicated)).toBe(false);
  });

  it('an empty effect matches every effect; a set effect must be equal', () => {
    for (const effect of ['NoSchedule', 'PreferNoSchedule', 'NoExecute'])
      expect(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, { ...dedicated, effect })).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: '' }, dedicated)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }, dedicated)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'PreferNoSchedule' }, dedicated)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, dedicated)).toBe(false);
  });

  it('an unknown operator tolerates nothing (Gt / Lt are behind an alpha gate, off by default)', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Matches', value: 'gpu' }, dedicated)).toBe(false);
    expect(toleratesTaint({ operator: 'exists' }, dedicated)).toBe(false); // case matters
    expect(toleratesTaint({ key: 'n', operator: 'Gt', value: '1' }, { key: 'n', value: '5', effect: 'NoSchedule' })).toBe(false);
  });
});

describe('tolerationsTolerateTaint', () => {
  it('any toleration suffices; none or an empty list tolerates nothing', () => {
    expect(tolerationsTolerateTaint(undefined, dedicated)).toBe(false);
    expect(tolerationsTolerateTaint([], dedicated)).toBe(false);
    expect(tolerationsTolerateTaint([{ key: 'x', operator: 'Exists' }, { key: 'dedicated', value: 'gpu' }], dedicated)).toBe(true);
    expect(tolerationsTolerateTaint([{ key: 'x', operator: 'Exists' }, { key: 'dedicated', value: 'cpu' }], dedicated)).toBe(false);
  });
});

describe('doNotScheduleTaint', () => {
  it('selects NoSchedule and NoExecute, not PreferNoSchedule', () => {
    expect(doNotScheduleTaint({ key: 'k', effect: 'NoSchedule' })).toBe(true);
    expect(doNotScheduleTaint({ key: 'k', effect: 'NoExecute' })).toBe(true);
    expect(doNotScheduleTaint({ key: 'k', effect: 'PreferNoSchedule' })).toBe(false);
  });
});

describe('findMatchingUntoleratedTaint', () => {
  const taints: Taint[] = [
    { key: 'soft', effect: 'PreferNoSchedule' },
    { key: 'a', value: '1', effect: 'NoSchedule' },
    { key: 'b', value: '2', effect: 'NoExecute' },
  ];

  it('returns the first untolerated taint the filter selects, in node order', () => {
    // soft is filtered out; a is the first selected and untolerated
    expect(findMatchingUntoleratedTaint(taints, undefined, doNotScheduleTaint)).toBe(taints[1]);
    // a tolerated -> b
    expect(findMatchingUntoleratedTaint(taints, [{ key: 'a', value: '1' }], doNotScheduleTaint)).toBe(taints[2]);
    // both tolerated; soft does not count here
    expect(findMatchingUntoleratedTaint(taints, [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }], doNotScheduleTaint)).toBeUndefined();
  });

  it('the filter decides which taints are looked at', () => {
    // everything selected: soft comes first
    expect(findMatchingUntoleratedTaint(taints, undefined, () => true)).toBe(taints[0]);
    expect(findMatchingUntoleratedTaint(taints, undefined, () => false)).toBeUndefined();
    expect(findMatchingUntoleratedTaint(taints, undefined, (t) => t.effect === 'NoExecute')).toBe(taints[2]);
  });

  it('a node without taints has none', () => {
    expect(findMatchingUntoleratedTaint(undefined, undefined, doNotScheduleTaint)).toBeUndefined();
    expect(findMatchingUntoleratedTaint([], [], doNotScheduleTaint)).toBeUndefined();
  });

  it('names the cordon taint key as upstream', () => {
    expect(TAINT_NODE_UNSCHEDULABLE).toBe('node.kubernetes.io/unschedulable');
  });
});
