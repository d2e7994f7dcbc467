import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import type { ControllerFactory } from './controller';
import { ControllerManager } from './controller-manager';
import { newPodGCController, podGCController } from './podgc';

// PodGC alone in a controller manager started at t=0: its passes run at
// 0.1 s (after the informers sync), then every 20 s: 20.1 s, 40.1 s, ...
// Nodes are created through the API, so no kubelet runs on them.
function setup(factory: ControllerFactory = newPodGCController) {
  const cluster = createCluster(emptyScenario());
  cluster.act({ action: 'stopComponent', component: 'kube-controller-manager' });
  cluster.act({ action: 'stopComponent', component: 'kube-scheduler' });
  new ControllerManager(cluster.kernel, cluster.apiserver, cluster.scenario.settings, [factory], { leaderElect: false });
  const api = cluster.apiserver.client('test');
  const create = (obj: KubeObject): KubeObject => {
    const r = api.create(obj);
    if (!r.ok) throw new Error(r.status.message);
    return r.object;
  };
  const getPod = (name: string) => {
    const r = api.get('Pod', 'default', name);
    return r.ok ? (r.object as Pod) : undefined;
  };
  const setStatus = (name: string, status: Record<string, unknown>) => {
    const cur = getPod(name)!;
    const r = api.updateStatus({ ...(cur as KubeObject), status: { ...cur.status, ...status } });
    if (!r.ok) throw new Error(r.status.message);
  };
  const exists = (...names: string[]) => names.map((n) => getPod(n) !== undefined);
  return { cluster, api, create, getPod, setStatus, exists };
}

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
const pod = (name: string, nodeName?: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...extra },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx' }] },
});

describe('PodGC: pods of deleted nodes', () => {
  it('force-deletes them 40 s after it first sees the node missing, marked Failed with DisruptionTarget', () => {
    const t = setup();
    t.create(node('gone'));
    t.create(pod('a', 'gone'));
    t.create(pod('b', 'gone'));
    t.setStatus('a', { phase: 'Running' });
    t.cluster.runUntil(5_000);
    expect(t.api.delete('Node', undefined, 'gone').ok).toBe(true);
    // The pass at 20.1 s sees the node missing and quarantines it until 60.1 s; the pass at 40.1 s waits.
    t.cluster.runUntil(60_000);
    expect(t.exists('a', 'b')).toEqual([true, true]);
    const seen: Array<Record<string, unknown>> = [];
    const w = t.api.watch('Pod', { resourceVersion: String(t.cluster.revision) }, (ev) => {
      if (ev.type === 'MODIFIED') seen.push((ev.object as Pod).status as Record<string, unknown>);
    });
    expect(w.ok).toBe(true);
    t.cluster.runUntil(60_200);
    expect(t.exists('a', 'b')).toEqual([false, false]);
    // Before the delete, each pod was marked as upstream does.
    expect(seen).toHaveLength(2);
    for (const s of seen) {
      expect(s.phase).toBe('Failed');
      expect(s.conditions).toContainEqual({
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'DeletionByPodGC',
        message: 'PodGC: node no longer exists',
        lastTransitionTime: '2026-01-01T00:01:00Z',
      });
    }
    const deletes = t.cluster.trace().filter((m) => m.from === 'kube-controller-manager' && m.verb === 'delete');
    expect(deletes.map((m) => m.key)).toEqual(['default/a', 'default/b']);
  });

  it('leaves pods alone when the node comes back within the quarantine', () => {
    const t = setup();
    t.create(node('flaky'));
    t.create(pod('a', 'flaky'));
    t.cluster.runUntil(5_000);
    t.api.delete('Node', undefined, 'flaky');
    t.cluster.runUntil(30_000);
    t.create(node('flaky'));
    t.cluster.runUntil(120_000);
    expect(t.exists('a')).toEqual([true]);
  });
});

describe('PodGC: terminated pods beyond the threshold', () => {
  /** Five terminated pods made a second apart (the evicted one last) and one running. */
  function terminatedPods(t: ReturnType<typeof setup>) {
    const phases: Array<[string, Record<string, unknown>]> = [
      ['p1', { phase: 'Succeeded' }],
      ['p2', { phase: 'Failed' }],
      ['p3', { phase: 'Succeeded' }],
      ['p4', { phase: 'Succeeded' }],
      ['p5', { phase: 'Failed', reason: 'Evicted' }],
      ['running', { phase: 'Running' }],
    ];
    for (const [i, [name, status]] of phases.entries()) {
      t.cluster.runUntil(1_000 * (i + 1));
      t.create(pod(name, 'n1'));
      t.setStatus(name, status);
    }
  }

  it('deletes the excess, evicted pods first and then the oldest', () => {
    const t = setup(podGCController({ terminatedPodThreshold: 3 }));
    t.create(node('n1'));
    terminatedPods(t);
    // 5 terminated, threshold 3: the pass at 20.1 s deletes 2, the evicted p5 and then the oldest, p1.
    t.cluster.runUntil(20_000);
    expect(t.exists('p1', 'p5')).toEqual([true, true]);
    t.cluster.runUntil(20_200);
    expect(t.exists('p1', 'p2', 'p3', 'p4', 'p5', 'running')).toEqual([false, true, true, true, false, true]);
    const deletes = t.cluster.trace().filter((m) => m.from === 'kube-controller-manager' && m.verb === 'delete');
    expect(deletes.map((m) => m.key)).toEqual(['default/p5', 'default/p1']);
  });

  it('keeps up to 12500 by default', () => {
    const t = setup();
    t.create(node('n1'));
    terminatedPods(t);
    t.cluster.runUntil(60_000);
    expect(t.exists('p1', 'p2', 'p3', 'p4', 'p5', 'running')).toEqual([true, true, true, true, true, true]);
  });
});

describe('PodGC: terminating pods', () => {
  it('force-deletes terminating pods on a NotReady node tainted out-of-service', () => {
    const t = setup();
    t.create(node('down'));
    t.create(node('up'));
    for (const [n, ready] of [
      ['down', 'False'],
      ['up', 'True'],
    ] as const) {
      const cur = t.api.get('Node', undefined, n);
      if (!cur.ok) throw new Error();
      t.api.updateStatus({ ...cur.object, status: { conditions: [{ type: 'Ready', status: ready }] } });
      t.api.patch('Node', undefined, n, { spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] } });
    }
    t.create(pod('on-down', 'down'));
    t.create(pod('on-up', 'up'));
    t.setStatus('on-down', { phase: 'Running' });
    t.setStatus('on-up', { phase: 'Running' });
    // Graceful deletes (30 s) that no kubelet will confirm.
    t.api.delete('Pod', 'default', 'on-down');
    t.api.delete('Pod', 'default', 'on-up');
    t.cluster.runUntil(20_200);
    expect(t.exists('on-down', 'on-up')).toEqual([false, true]);
  });

  it('marks an unscheduled terminating pod Failed and force-deletes it (its own finalizer may still hold it)', () => {
    const t = setup();
    t.create(pod('stuck', undefined, { finalizers: ['example.com/hold'] }));
    t.api.delete('Pod', 'default', 'stuck');
    t.cluster.runUntil(20_200);
    const p = t.getPod('stuck');
    expect(p?.status?.phase).toBe('Failed');
    expect(p?.metadata?.deletionGracePeriodSeconds).toBe(0);
  });
});
