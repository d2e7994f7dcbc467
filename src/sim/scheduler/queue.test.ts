import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { numFeasibleNodesToFind } from './profile';
import { SchedulingQueue } from './queue';

const pod = (name: string, priority = 0): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, uid: name, namespace: 'default' }, spec: { containers: [], priority } });

describe('numFeasibleNodesToFind (upstream schedule_one.go)', () => {
  it.each([
    [0, 10, 10], // fewer than 100: all
    [0, 99, 99],
    [0, 100, 100], // 100 * (50 - 0)% = 50 -> at least 100
    [0, 1000, 420], // 50 - 1000/125 = 42%
    [0, 5000, 500], // 50 - 40 = 10%
    [0, 6000, 300], // 50 - 48 = 2% -> floor 5% = 300
    [0, 1500, 570], // 50 - 12 = 38%: 570
    [30, 1000, 300], // configured percentage
    [5, 1000, 100], // 50 -> at least 100
  ])('percentage %d of %d nodes examines %d', (pct, n, want) => expect(numFeasibleNodesToFind(pct, n)).toBe(want));
});

describe('SchedulingQueue', () => {
  it('pops by priority, then by arrival (PrioritySort)', () => {
    let now = 0;
    const q = new SchedulingQueue(() => now);
    q.add(pod('low', 0), false);
    now = 1;
    q.add(pod('high', 100), false);
    now = 2;
    q.add(pod('low2', 0), false);
    expect([q.pop()!.pod.metadata!.name, q.pop()!.pod.metadata!.name, q.pop()!.pod.metadata!.name]).toEqual(['high', 'low', 'low2']);
  });

  it('counts every queued pod, whichever queue it is in', () => {
    const q = new SchedulingQueue(() => 0);
    q.add(pod('a'), false);
    q.add(pod('b'), false);
    q.add(pod('gated'), true);
    const info = q.pop()!;
    q.addUnschedulable(info, q.schedulingCycle, false);
    // a unschedulable, b active, gated gated; nothing popped is counted twice
    expect(q.pending().map((p) => p.queue).sort()).toEqual(['activeQ', 'gated', 'unschedulable']);
    expect(q.size).toBe(3);
    q.delete(pod('b'));
    expect(q.size).toBe(q.pending().length);
  });

  it('backs off 1 s, 2 s, 4 s, 8 s, then 10 s per attempt', () => {
    let now = 0;
    const q = new SchedulingQueue(() => now);
    q.add(pod('p'), false);
    const durations: number[] = [];
    for (let i = 0; i < 6; i++) {
      const info = q.pop()!;
      durations.push(q.backoffDuration(info));
      q.addUnschedulable(info, q.schedulingCycle, true); // an error goes to backoffQ
      now = q.nextBackoffExpiry()!;
      q.flush();
    }
    expect(durations).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('keeps unschedulable pods until a cluster event, then back to backoff or active', () => {
    let now = 0;
    const q = new SchedulingQueue(() => now);
    q.add(pod('p'), false);
    const info = q.pop()!;
    q.addUnschedulable(info, q.schedulingCycle, false);
    expect(q.pending().map((x) => x.queue)).toEqual(['unschedulable']);
    now = 500;
    q.moveAllToActiveOrBackoff(); // still within its 1 s backoff
    expect(q.pending().map((x) => x.queue)).toEqual(['backoffQ']);
    now = 1000;
    q.flush();
    expect(q.pending().map((x) => x.queue)).toEqual(['activeQ']);
  });

  it('gives up waiting for an event after 5 minutes', () => {
    let now = 0;
    const q = new SchedulingQueue(() => now);
    q.add(pod('p'), false);
    q.addUnschedulable(q.pop()!, q.schedulingCycle, false);
    now = 5 * 60_000;
    q.flush();
    expect(q.pending()[0].queue).toBe('unschedulable');
    now = 5 * 60_000 + 1;
    q.flush();
    expect(q.pending()[0].queue).toBe('activeQ');
  });

  it('a pod that failed while a move request came in goes to backoff, not unschedulable', () => {
    const now = 0;
    const q = new SchedulingQueue(() => now);
    q.add(pod('p'), false);
    const info = q.pop()!;
    const cycle = q.schedulingCycle;
    q.moveAllToActiveOrBackoff(); // e.g. a node was added during the cycle
    q.addUnschedulable(info, cycle, false);
    expect(q.pending()[0].queue).toBe('backoffQ');
  });

  it('holds gated pods out of activeQ until the gates go', () => {
    const q = new SchedulingQueue(() => 0);
    q.add(pod('g'), true);
    expect(q.pop()).toBeUndefined();
    q.update(pod('g'), false);
    expect(q.pop()?.pod.metadata?.name).toBe('g');
  });
});
