// Workloads as the example scenarios tell them, loaded the way `sim run`
// loads a file, and sampled at many instants (a rolling update's bounds
// must hold at every one of them, not only where a single --until looks).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/load';
import type { Pod } from '../sim/api/types';

const open = (name: string) => loadScenario(readFileSync(fileURLToPath(new URL(`../scenario/examples/${name}`, import.meta.url)), 'utf8')).cluster;
const podsOf = (c: ReturnType<typeof open>) => c.objects().filter((o) => o.kind === 'Pod') as unknown as Pod[];
const isReady = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

describe('example scenarios, sampled over time', () => {
  it('rolling-update: 10 replicas never exceed 13 pods (surge 25% up) nor fall below 8 available (25% down)', () => {
    const c = open('rolling-update.yaml');
    let most = 0;
    let fewest = Infinity;
    for (let t = 30_000; t <= 120_000; t += 50) {
      c.runUntil(t);
      // Terminating pods do not count, as the Deployment controller counts replicas.
      const pods = podsOf(c).filter((p) => !p.metadata?.deletionTimestamp);
      most = Math.max(most, pods.length);
      fewest = Math.min(fewest, pods.filter(isReady).length);
    }
    expect(most).toBe(13);
    expect(fewest).toBe(8);
    const live = podsOf(c).filter((p) => !p.metadata?.deletionTimestamp);
    expect(live.map((p) => p.spec?.containers[0].image)).toEqual(Array(10).fill('nginx:1.28'));
    expect(live.every(isReady)).toBe(true);
  });

  it('crash-loop: restarts at once, then after 10, 20, 40 and 80 s of CrashLoopBackOff', () => {
    const c = open('crash-loop.yaml');
    const restarts: number[] = [];
    let waiting = '';
    for (let t = 0; t <= 200_000; t += 100) {
      c.runUntil(t);
      const cs = podsOf(c)[0].status?.containerStatuses?.[0];
      if ((cs?.restartCount ?? 0) > restarts.length) restarts.push(t);
      if (cs?.state?.waiting?.reason) waiting = cs.state.waiting.reason;
    }
    // Each run lasts 5 s. The first exit restarts at once; then each restart waits 5 s of running
    // plus the backoff: 10, 20, 40, 80 s.
    const gaps = restarts.slice(1).map((t, i) => t - restarts[i]);
    expect(gaps).toEqual([15_000, 25_000, 45_000, 85_000]);
    expect(waiting).toBe('CrashLoopBackOff');
    expect(podsOf(c)[0].status?.phase).toBe('Running');
  });

  it('daemonset-nodes: a joining node gets its pod, a deleted node loses it, a tainted node is skipped', () => {
    const c = open('daemonset-nodes.yaml');
    const where = () => podsOf(c).map((p) => p.spec?.nodeName ?? '(unscheduled)').sort();
    c.runUntil(10_000);
    expect(where()).toEqual(['node-1', 'node-2']);
    // node-4 is applied bare at 20 s; its kubelet reports capacity and Ready, and the scheduler binds the pod.
    c.runUntil(30_000);
    expect(where()).toEqual(['node-1', 'node-2', 'node-4']);
    expect(podsOf(c).every((p) => p.status?.phase === 'Running')).toBe(true);
    // node-2 loses power at 40 s and is deleted at 41 s: PodGC removes its pod once the 40 s quarantine is over.
    c.runUntil(120_000);
    expect(where()).toEqual(['node-1', 'node-4']);
  });
});
