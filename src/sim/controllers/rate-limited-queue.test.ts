import { describe, expect, it } from 'vitest';
import { Rng } from '../kernel/rng';
import { RateLimitedTimedQueue, TokenBucket, type TimedValue, type TryResult } from './rate-limited-queue';

describe('TokenBucket (flowcontrol.NewTokenBucketRateLimiter, burst 1)', () => {
  it('starts full and gives one token per 1/qps seconds: 0.1 qps is one per 10 s', () => {
    const b = new TokenBucket(0.1, 0);
    expect(b.tryAccept(0)).toBe(true);
    expect(b.tryAccept(0)).toBe(false);
    expect(b.tryAccept(9_999)).toBe(false);
    expect(b.nextTokenAt(9_999)).toBe(10_000);
    expect(b.tryAccept(10_000)).toBe(true);
  });

  it('holds at most one token however long it waits (burst 1)', () => {
    const b = new TokenBucket(0.01, 0);
    expect(b.tryAccept(0)).toBe(true);
    // 0.01 qps: 100 s a token; after 1000 s idle there is still just one.
    expect(b.tryAccept(1_000_000)).toBe(true);
    expect(b.tryAccept(1_000_000)).toBe(false);
    expect(b.nextTokenAt(1_000_000)).toBe(1_100_000);
  });

  it('qps 0 never accepts (the "never" limiter)', () => {
    const b = new TokenBucket(0, 0);
    expect(b.tryAccept(0)).toBe(false);
    expect(b.nextTokenAt(5)).toBe(Infinity);
  });
});

describe('RateLimitedTimedQueue', () => {
  const taken: string[] = [];
  const take = (v: TimedValue): TryResult => {
    taken.push(v.value);
    return { ok: true };
  };

  it('processes values in the order they were added, one per token', () => {
    taken.length = 0;
    const q = new RateLimitedTimedQueue(0.1, 0);
    expect(q.add('a', 'uid-a', 0)).toBe(true);
    expect(q.add('b', 'uid-b', 0)).toBe(true);
    expect(q.add('a', 'uid-a', 0)).toBe(false);
    q.try(0, take);
    expect(taken).toEqual(['a']);
    expect(q.nextTokenAt(0)).toBe(10_000);
    q.try(5_000, take);
    expect(taken).toEqual(['a']);
    q.try(10_000, take);
    expect(taken).toEqual(['a', 'b']);
    expect(q.nextTokenAt(10_000)).toBeUndefined();
  });

  it('a processed value is not added again until it is removed (UniqueQueue keeps it in its set)', () => {
    const q = new RateLimitedTimedQueue(0.1, 0);
    q.add('a', '', 0);
    q.try(0, () => ({ ok: true }));
    expect(q.add('a', '', 1)).toBe(false);
    expect(q.length).toBe(0);
    expect(q.remove('a')).toBe(true);
    expect(q.add('a', '', 2)).toBe(true);
  });

  it('a failed value goes back with processAt = now + wait (+1), and has used its token', () => {
    const q = new RateLimitedTimedQueue(0.1, 0);
    q.add('a', '', 0);
    q.add('b', '', 0);
    q.try(0, () => ({ ok: false, waitMs: 50 }));
    // a failed: it now waits until 51 ms, behind b (processAt 0).
    expect(q.values().map((v) => [v.value, v.processAt])).toEqual([
      ['b', 0],
      ['a', 51],
    ]);
    expect(q.nextTokenAt(100)).toBe(10_000);
  });

  it('takes a token before looking at the head: a head not due yet wastes it (as upstream)', () => {
    const q = new RateLimitedTimedQueue(0.1, 0);
    q.add('a', '', 0);
    q.try(0, () => ({ ok: false, waitMs: 20_000 }));
    // Due at 20.001 s: the tokens of 10 s and 20 s are both spent on finding it not due; 30 s takes it.
    taken.length = 0;
    q.try(10_000, take);
    expect(taken).toEqual([]);
    q.try(20_000, take);
    expect(taken).toEqual([]);
    q.try(30_000, take);
    expect(taken).toEqual(['a']);
  });

  it('swapLimiter: a new rate starts full, unless the old bucket was empty; the same rate changes nothing', () => {
    const full = new RateLimitedTimedQueue(0.1, 0);
    full.add('a', '', 0);
    full.swapLimiter(0.01, 0);
    expect(full.nextTokenAt(0)).toBe(0);

    const empty = new RateLimitedTimedQueue(0.1, 0);
    empty.add('a', '', 0);
    empty.add('b', '', 0);
    empty.try(0, () => ({ ok: true }));
    empty.swapLimiter(0.01, 1_000);
    // Drained at 1 s: the first token of the 0.01/s bucket is 100 s later.
    expect(empty.nextTokenAt(1_000)).toBe(101_000);

    const same = new RateLimitedTimedQueue(0.1, 0);
    same.add('a', '', 0);
    same.try(0, () => ({ ok: true }));
    same.add('b', '', 0);
    same.swapLimiter(0.1, 5_000);
    expect(same.nextTokenAt(5_000)).toBe(10_000);

    const stopped = new RateLimitedTimedQueue(0.1, 0);
    stopped.add('a', '', 0);
    stopped.swapLimiter(0, 0);
    expect(stopped.nextTokenAt(0)).toBeUndefined();
    expect(stopped.qps).toBe(0);
    // Back from "never" (which has no token to give): the new bucket starts empty.
    stopped.swapLimiter(0.1, 7_000);
    expect(stopped.nextTokenAt(7_000)).toBe(17_000);
  });
});

/** UniqueQueue as a plain list: a linear search for each value, a stable sort by processAt. */
class ListQueue {
  items: { value: string; processAt: number }[] = [];
  set = new Set<string>();
  add(value: string, now: number): void {
    if (this.set.has(value)) return;
    this.set.add(value);
    this.put({ value, processAt: now });
  }
  remove(value: string): void {
    if (!this.set.delete(value)) return;
    this.items = this.items.filter((q) => q.value !== value);
  }
  /** try() with a bucket that always gives a token. */
  try(now: number, fn: (value: string) => TryResult): void {
    while (this.items.length && now >= this.items[0].processAt) {
      const head = this.items.shift()!;
      const r = fn(head.value);
      if (!r.ok) this.put({ value: head.value, processAt: now + r.waitMs + 1 });
    }
  }
  private put(q: { value: string; processAt: number }): void {
    const i = this.items.findIndex((x) => x.processAt > q.processAt);
    this.items.splice(i < 0 ? this.items.length : i, 0, q);
  }
}

describe('RateLimitedTimedQueue against a plain list', () => {
  for (const seed of [7, 8, 9]) {
    it(`keeps the same values in the same order through random adds, removes and tries (seed ${seed})`, () => {
      const rng = new Rng(seed);
      // A rate so high that every try() has tokens for every due value.
      const q = new RateLimitedTimedQueue(1e6, 0);
      const list = new ListQueue();
      let now = 0;
      for (let step = 0; step < 3000; step++) {
        now += rng.int(3);
        const value = `node-${rng.int(40)}`;
        const op = rng.int(10);
        if (op < 5) {
          q.add(value, 'uid', now);
          list.add(value, now);
        } else if (op < 8) {
          q.remove(value);
          list.remove(value);
        } else {
          // The same verdicts for both: fail some values for a few ms.
          const verdicts = new Map<string, TryResult>();
          const verdict = (v: string) => {
            if (!verdicts.has(v)) verdicts.set(v, rng.int(3) ? { ok: true } : { ok: false, waitMs: rng.int(5) });
            return verdicts.get(v)!;
          };
          const seenQ: string[] = [];
          const seenList: string[] = [];
          q.try(now + 1e6, (v) => (seenQ.push(v.value), verdict(v.value)));
          list.try(now + 1e6, (v) => (seenList.push(v), verdict(v)));
          expect(seenQ).toEqual(seenList);
        }
        expect(q.values().map((v) => [v.value, v.processAt])).toEqual(list.items.map((v) => [v.value, v.processAt]));
      }
    });
  }
});
