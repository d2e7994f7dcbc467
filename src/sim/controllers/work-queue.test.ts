import { describe, expect, it } from 'vitest';
import { Kernel } from '../kernel/kernel';
import { WorkQueue, type SyncResult } from './work-queue';

function setup(result: (key: string, n: number) => SyncResult = () => 'done') {
  const kernel = new Kernel(1);
  const seen: Array<[number, string]> = [];
  const q = new WorkQueue(kernel, 'test', (key) => {
    seen.push([kernel.now, key]);
    return result(key, seen.filter(([, k]) => k === key).length);
  });
  return { kernel, q, seen };
}

describe('WorkQueue', () => {
  it('syncs each key once however often it was added, in arrival order, at the same instant', () => {
    const { kernel, q, seen } = setup();
    kernel.runUntil(100);
    q.add('b');
    q.add('a');
    q.add('b');
    kernel.runUntil(200);
    expect(seen).toEqual([
      [100, 'b'],
      [100, 'a'],
    ]);
  });

  it('retries a failing key after 5 ms doubling, and forgets the failures once it succeeds', () => {
    const { kernel, q, seen } = setup((_k, n) => (n <= 4 ? 'retry' : 'done'));
    q.add('x');
    kernel.runUntil(1000);
    // 0, then +5, +10, +20, +40 ms
    expect(seen.map(([t]) => t)).toEqual([0, 5, 15, 35, 75]);
    expect(q.numRequeues('x')).toBe(0);
  });

  it('caps the backoff at 1000 s', () => {
    const { kernel, q, seen } = setup(() => 'retry');
    q.add('x');
    kernel.runUntil(10_000_000);
    const gaps = seen.slice(1).map(([t], i) => t - seen[i][0]);
    expect(Math.max(...gaps)).toBe(1_000_000);
  });

  it('shares a 10 qps bucket (burst 100) among all keys: the 101st retry at once waits 100 ms, each further one 100 ms more', () => {
    const { kernel, q, seen } = setup((_k, n) => (n === 1 ? 'retry' : 'done'));
    const keys = Array.from({ length: 150 }, (_, i) => `k${i}`);
    for (const k of keys) q.add(k);
    kernel.runUntil(60_000);
    const retryAt = (k: string) => seen.filter(([, key]) => key === k)[1][0];
    expect(retryAt('k0')).toBe(5);
    expect(retryAt('k99')).toBe(5);
    expect(retryAt('k100')).toBe(100);
    expect(retryAt('k101')).toBe(200);
    expect(retryAt('k149')).toBe(5000);
  });

  it('a key requeued rate-limited after every successful sync (a stuck Deployment) settles at 10 syncs a second', () => {
    const kernel = new Kernel(1);
    const times: number[] = [];
    const q: WorkQueue = new WorkQueue(kernel, 'test', () => {
      times.push(kernel.now);
      q.addRateLimited('d');
      return 'done';
    });
    q.add('d');
    kernel.runUntil(30_000);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // The success forgets the item's failures: 5 ms apart while the burst lasts, then the bucket's 100 ms.
    expect(gaps.slice(0, 100).every((g) => g === 5)).toBe(true);
    expect(gaps.slice(-50).every((g) => g === 100)).toBe(true);
  });

  it('addAfter keeps the soonest pending delay', () => {
    const { kernel, q, seen } = setup();
    q.addAfter('x', 500);
    q.addAfter('x', 200);
    q.addAfter('x', 900);
    kernel.runUntil(2000);
    expect(seen).toEqual([[200, 'x']]);
  });

  it('does nothing after shutDown', () => {
    const { kernel, q, seen } = setup();
    q.add('x');
    q.addAfter('y', 10);
    q.shutDown();
    q.add('z');
    kernel.runUntil(100);
    expect(seen).toEqual([]);
  });
});
