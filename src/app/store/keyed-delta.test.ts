import { describe, expect, it } from 'vitest';
import { applyKeyed, diffKeyed, type ListOrder } from './keyed-delta';

type Item = { k: string; v: number };
const order: ListOrder<Item> = { key: (i) => i.k, compare: (a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) };
const it_ = (k: string, v = 0): Item => ({ k, v });

describe('keyed delta', () => {
  it('sends only the items whose identity changed, and the removed keys', () => {
    const a = it_('a');
    const b = it_('b');
    const c = it_('c');
    const prev = [a, b, c];
    const b2 = it_('b', 1);
    const next = [a, b2, it_('bb'), it_('d')];
    const d = diffKeyed(prev, next, order);
    expect(d.upserts.map((i) => `${i.k}${i.v}`)).toEqual(['b1', 'bb0', 'd0']);
    expect(d.removed).toEqual([c]);
    const merged = applyKeyed(prev, d, order);
    expect(merged.map((i) => i.k)).toEqual(['a', 'b', 'bb', 'd']);
    // Unchanged items keep their identity on the receiving side too.
    expect(merged[0]).toBe(a);
    expect(merged[1]).toBe(b2);
  });

  it('round-trips arbitrary edits of a sorted list', () => {
    // A fixed pseudo-random walk: insertions, removals and replacements at every position.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let list: Item[] = Array.from({ length: 50 }, (_, i) => it_(`k${String(i).padStart(3, '0')}`));
    for (let round = 0; round < 40; round++) {
      const next = list.filter(() => rnd() > 0.1).map((i) => (rnd() < 0.1 ? it_(i.k, round) : i));
      // Keys are unique in a list (kind/namespace/name): new ones are drawn until they are new.
      const keys = new Set(next.map((i) => i.k));
      for (let n = 0; n < 5; n++) {
        const k = `k${String(Math.floor(rnd() * 200)).padStart(3, '0')}x${round}`;
        if (!keys.has(k)) next.push(it_(k));
        keys.add(k);
      }
      next.sort(order.compare);
      const merged = applyKeyed(list, diffKeyed(list, next, order), order);
      expect(merged).toEqual(next);
      list = next;
    }
  });

  it('an empty delta keeps the same array', () => {
    const list = [it_('a')];
    expect(applyKeyed(list, diffKeyed(list, list, order), order)).toBe(list);
  });
});
