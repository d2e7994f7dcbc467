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
