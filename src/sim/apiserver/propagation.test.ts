import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';

// The apiserver's side of deletion: which finalizers a DELETE leaves for
// the garbage collector (orphan, foregroundDeletion) per propagationPolicy
// and resource default, and when the object is finally removed. The
// controller manager is stopped, so nothing here removes a finalizer.
function setup() {
  const cluster = createCluster({ ...emptyScenario(), objects: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } }] });
  cluster.act({ action: 'stopComponent', component: 'kube-controller-manager' });
  cluster.act({ action: 'stopComponent', component: 'kube-scheduler' });
  // No kubelet either: graceful deletions stay pending, as this file's tests inspect them.
  cluster.act({ action: 'stopKubelet', node: 'node-1' });
  const api = cluster.apiserver.client('test');
  const create = (obj: KubeObject): KubeObject => {
    const r = api.create(obj);
    if (!r.ok) throw new Error(r.status.message);
    return r.object;
  };
  const get = (kind: string, name: string, namespace: string | undefined = 'default') => {
    const r = api.get(kind, namespace, name);
    return r.ok ? r.object : undefined;
  };
  /** Removes the finalizers as a controller would, with an update. */
  const clearFinalizers = (kind: string, name: string) => {
    const cur = get(kind, name)!;
    const r = api.update({ ...cur, metadata: { ...cur.metadata, finalizers: [] } });
    if (!r.ok) throw new Error(r.status.message);
  };
  return { cluster, api, create, get, clearFinalizers };
}

const replicaSet = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

const job = (name: string): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default' },
  spec: {
    manualSelector: true,
    selector: { matchLabels: { job: name } },
    template: { metadata: { labels: { job: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'perl' }] } },
  },
});

const pod = (name: string, nodeName?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx' }] },
});

describe('DELETE propagationPolicy', () => {
  it('Background (the default for apps/v1) removes the owner at once and leaves its dependents to the garbage collector', () => {
    const t = setup();
    t.create(replicaSet('web'));
    const r = t.api.delete('ReplicaSet', 'default', 'web');
    expect(r.ok && r.object.metadata.finalizers).toBeUndefined();
    expect(t.get('ReplicaSet', 'web')).toBeUndefined();
  });

  it('Foreground keeps the owner, marked now with grace 0 and the foregroundDeletion finalizer, until that is removed', () => {
    const t = setup();
    t.create(replicaSet('web'));
    t.cluster.runUntil(7_500);
    const r = t.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Foreground' });
    expect(r.ok && r.object.metadata).toMatchObject({
      // 7.5 s after the epoch, at second precision.
      deletionTimestamp: '2026-01-01T00:00:07Z',
      deletionGracePeriodSeconds: 0,
      finalizers: ['foregroundDeletion'],
      // The first mark of an object without graceful deletion bumps its generation (1 -> 2).
      generation: 2,
    });
    expect(t.get('ReplicaSet', 'web')).toBeDefined();
    t.clearFinalizers('ReplicaSet', 'web');
    expect(t.get('ReplicaSet', 'web')).toBeUndefined();
  });

  it('Orphan keeps the owner with the orphan finalizer', () => {
    const t = setup();
    t.create(replicaSet('web'));
    const r = t.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Orphan' });
    expect(r.ok && r.object.metadata.finalizers).toEqual(['orphan']);
    expect(t.get('ReplicaSet', 'web')?.metadata.deletionTimestamp).toBeDefined();
  });

  it('batch/v1 Jobs orphan by default (kept for compatibility); an explicit Background deletes at once', () => {
    const t = setup();
    t.create(job('a'));
    t.create(job('b'));
    const a = t.api.delete('Job', 'default', 'a');
    expect(a.ok && a.object.metadata.finalizers).toEqual(['orphan']);
    t.api.delete('Job', 'default', 'b', { propagationPolicy: 'Background' });
    expect(t.get('Job', 'b')).toBeUndefined();
  });

  it('a later delete may switch the policy; the same one again writes nothing', () => {
    const t = setup();
    t.create(replicaSet('web'));
    const first = t.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Foreground' });
    const same = t.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Foreground' });
    expect(same.ok && same.object.metadata.resourceVersion).toBe(first.ok && first.object.metadata.resourceVersion);
    // No policy: the finalizer already there decides.
    t.api.delete('ReplicaSet', 'default', 'web');
    expect(t.get('ReplicaSet', 'web')?.metadata.finalizers).toEqual(['foregroundDeletion']);
    t.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Orphan' });
    expect(t.get('ReplicaSet', 'web')?.metadata.finalizers).toEqual(['orphan']);
    // Background takes the garbage collector's finalizer away, and nothing else holds the object.
    t.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Background' });
    expect(t.get('ReplicaSet', 'web')).toBeUndefined();
  });

  it('keeps other finalizers and their order', () => {
    const t = setup();
    t.create({ ...replicaSet('web'), metadata: { name: 'web', namespace: 'default', finalizers: ['example.com/a'] } });
    t.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Foreground' });
    expect(t.get('ReplicaSet', 'web')?.metadata.finalizers).toEqual(['example.com/a', 'foregroundDeletion']);
    t.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Background' });
    expect(t.get('ReplicaSet', 'web')?.metadata.finalizers).toEqual(['example.com/a']);
  });

  it('checks preconditions before anything else', () => {
    const t = setup();
    t.create(replicaSet('web'));
    const r = t.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Foreground', preconditions: { uid: 'other' } });
    expect(!r.ok && r.status.code).toBe(409);
    expect(t.get('ReplicaSet', 'web')?.metadata.deletionTimestamp).toBeUndefined();
  });
});

describe('graceful pod deletion with propagation', () => {
  it('a bound pod deleted in the foreground waits for its grace period and then for the finalizer', () => {
    const t = setup();
    t.create(pod('web', 'node-1'));
    t.cluster.runUntil(10_000);
    const r = t.api.delete('Pod', 'default', 'web', { propagationPolicy: 'Foreground' });
    // 10 s + the default 30 s grace period.
    expect(r.ok && r.object.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:40Z', deletionGracePeriodSeconds: 30, finalizers: ['foregroundDeletion'] });
    // While the graceful deletion is pending, a new policy changes nothing.
    t.api.delete('Pod', 'default', 'web', { propagationPolicy: 'Orphan' });
    expect(t.get('Pod', 'web')?.metadata.finalizers).toEqual(['foregroundDeletion']);
    // The kubelet's final delete (grace 0) at 12 s: 40 - 30 + 0 = 10 s is past, so the deadline is now; the finalizer still holds it.
    t.cluster.runUntil(12_000);
    t.api.delete('Pod', 'default', 'web', { gracePeriodSeconds: 0 });
    expect(t.get('Pod', 'web')?.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:12Z', deletionGracePeriodSeconds: 0 });
    t.clearFinalizers('Pod', 'web');
    expect(t.get('Pod', 'web')).toBeUndefined();
  });

  it('removing the finalizers of a pod still in its grace period does not delete it; the kubelet does', () => {
    const t = setup();
    t.create({ ...pod('web', 'node-1'), metadata: { name: 'web', namespace: 'default', finalizers: ['example.com/hold'] } });
    t.api.delete('Pod', 'default', 'web');
    t.clearFinalizers('Pod', 'web');
    expect(t.get('Pod', 'web')?.metadata.deletionGracePeriodSeconds).toBe(30);
    t.api.delete('Pod', 'default', 'web', { gracePeriodSeconds: 0 });
    expect(t.get('Pod', 'web')).toBeUndefined();
  });

  it('a shorter grace period moves the deadline back from the first request, never into the past', () => {
    const t = setup();
    t.create(pod('a', 'node-1'));
    t.create(pod('b', 'node-1'));
    t.cluster.runUntil(10_000);
    t.api.delete('Pod', 'default', 'a');
    t.api.delete('Pod', 'default', 'b');
    // At 12 s, grace 5: 40 - 30 + 5 = 15 s, still ahead.
    t.cluster.runUntil(12_000);
    t.api.delete('Pod', 'default', 'a', { gracePeriodSeconds: 5 });
    expect(t.get('Pod', 'a')?.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:15Z', deletionGracePeriodSeconds: 5 });
    // At 20 s, grace 5: 15 s is past, so now, with the shortest graceful period (1 s).
    t.cluster.runUntil(20_000);
    t.api.delete('Pod', 'default', 'b', { gracePeriodSeconds: 5 });
    expect(t.get('Pod', 'b')?.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:20Z', deletionGracePeriodSeconds: 1 });
    // A longer one than pending changes nothing.
    t.api.delete('Pod', 'default', 'a', { gracePeriodSeconds: 60 });
    expect(t.get('Pod', 'a')?.metadata.deletionGracePeriodSeconds).toBe(5);
  });
});

describe('namespace deletion', () => {
  it('marks the namespace Terminating; it goes once namespaces/finalize empties spec.finalizers', () => {
    const t = setup();
    t.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    t.cluster.runUntil(3_000);
    const r = t.api.delete('Namespace', undefined, 'team');
    expect(r.ok && r.object).toMatchObject({ metadata: { deletionTimestamp: '2026-01-01T00:00:03Z' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } });
    // The namespace registry sets no grace period and no GC finalizer by default.
    expect(r.ok && r.object.metadata.deletionGracePeriodSeconds).toBeUndefined();
    expect(r.ok && r.object.metadata.finalizers).toBeUndefined();
    const again = t.api.delete('Namespace', undefined, 'team');
    expect(again.ok && again.object.metadata.resourceVersion).toBe(r.ok && r.object.metadata.resourceVersion);
    // A status write while terminating does not finish it.
    const cur = t.get('Namespace', 'team', undefined)!;
    expect(t.api.updateStatus({ ...cur, status: { phase: 'Terminating', conditions: [{ type: 'NamespaceContentRemaining', status: 'False' }] } }).ok).toBe(true);
    expect(t.get('Namespace', 'team', undefined)).toBeDefined();
    // A plain update cannot drop spec.finalizers; the finalize subresource can.
    const ns = t.get('Namespace', 'team', undefined)!;
    t.api.update({ ...ns, spec: {} });
    expect(t.get('Namespace', 'team', undefined)?.spec).toEqual({ finalizers: ['kubernetes'] });
    const fin = t.api.update({ ...ns, spec: { finalizers: [] } }, { subresource: 'finalize' });
    expect(fin.ok).toBe(true);
    expect(t.get('Namespace', 'team', undefined)).toBeUndefined();
    const msgs = t.cluster.trace().filter((m) => m.from === 'test' && m.verb === 'update finalize');
    expect(msgs.map((m) => `${m.resource} ${m.key}`)).toEqual(['namespaces/finalize team']);
  });

  it('namespaces/finalize exists only for namespaces', () => {
    const t = setup();
    const p = t.create(pod('web'));
    const r = t.api.update(p, { subresource: 'finalize' });
    expect(!r.ok && r.status.code).toBe(404);
  });
});
