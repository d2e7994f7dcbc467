import type { Namespace, NamespaceCondition } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import { ControllerManager } from './controller-manager';
import { newGarbageCollector } from './garbage-collector';
import { newNamespaceController } from './namespace';
import { updateConditions } from './namespace-conditions';

// The namespace controller and the garbage collector, alone in a controller
// manager of their own (the workload controllers are written elsewhere).
// No nodes: pods stay unscheduled and go at once when deleted.
function setup() {
  const cluster = createCluster(emptyScenario());
  cluster.act({ action: 'stopComponent', component: 'kube-controller-manager' });
  cluster.act({ action: 'stopComponent', component: 'kube-scheduler' });
  new ControllerManager(cluster.kernel, cluster.apiserver, cluster.scenario.settings, [newNamespaceController, newGarbageCollector], { leaderElect: false });
  const api = cluster.apiserver.client('test');
  const create = (obj: KubeObject): KubeObject => {
    const r = api.create(obj);
    if (!r.ok) throw new Error(r.status.message);
    return r.object;
  };
  const ns = () => {
    const r = api.get('Namespace', undefined, 'team');
    return r.ok ? (r.object as KubeObject & Namespace) : undefined;
  };
  const inTeam = (kind: string) => {
    const r = api.list(kind, { namespace: 'team' });
    return r.ok ? r.items.map((o) => o.metadata.name) : [];
  };
  return { cluster, api, create, ns, inTeam };
}

const labels = { app: 'web' };
const template = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };
const ref = (o: KubeObject): OwnerReference => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name!, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: true });
const pod = (name: string, owner?: KubeObject, finalizers?: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team', labels, ...(owner ? { ownerReferences: [ref(owner)] } : {}), ...(finalizers ? { finalizers } : {}) },
  spec: template.spec,
});

/** A Deployment with its ReplicaSet and pods (made by hand, with ownerReferences), a Service and a bare pod. */
function fillTeam(t: ReturnType<typeof setup>) {
  t.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  const deploy = t.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'team' }, spec: { replicas: 2, selector: { matchLabels: labels }, template } });
  const rs = t.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5f6d7', namespace: 'team', labels, ownerReferences: [ref(deploy)] },
    spec: { replicas: 2, selector: { matchLabels: labels }, template },
  });
  t.create(pod('web-5f6d7-a', rs));
  t.create(pod('web-5f6d7-b', rs));
  t.create(pod('debug'));
  t.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'team' }, spec: { selector: labels, ports: [{ port: 80 }] } });
}

const condition = (ns: Namespace | undefined, type: string): Partial<NamespaceCondition> | undefined => {
  const c = ns?.status?.conditions?.find((x) => x.type === type);
  return c && { status: c.status, reason: c.reason, message: c.message };
};

describe('namespace controller', () => {
  it('deletes a namespace\'s pods, services and deployments 5 s after it is deleted, then the namespace itself', () => {
    const t = setup();
    fillTeam(t);
    t.cluster.runUntil(10_000);
    expect(t.api.delete('Namespace', undefined, 'team').ok).toBe(true);
    expect(t.ns()?.status?.phase).toBe('Terminating');
    // New content is refused meanwhile (NamespaceLifecycle admission).
    expect(t.api.create(pod('late')).ok).toBe(false);
    // namespaceDeletionGracePeriod: nothing happens for 5 s.
    t.cluster.runUntil(15_000);
    expect(t.inTeam('Pod')).toEqual(['debug', 'web-5f6d7-a', 'web-5f6d7-b']);
    expect(t.inTeam('Service')).toEqual(['web']);
    // At 15 s + the watch delay the controller empties it and finalizes it; the apiserver then deletes it.
    t.cluster.runUntil(15_100);
    for (const kind of ['Pod', 'Service', 'Deployment', 'ReplicaSet']) expect(t.inTeam(kind)).toEqual([]);
    expect(t.ns()).toBeUndefined();
    // It went through namespaces/finalize.
    const finalize = t.cluster.trace().filter((m) => m.from === 'kube-controller-manager' && m.resource === 'namespaces/finalize' && m.ok);
    expect(finalize.map((m) => m.key)).toEqual(['team']);
  });

  it('reports content held by a finalizer in its conditions, waits, and finishes once it is gone', () => {
    const t = setup();
    fillTeam(t);
    t.create(pod('held', undefined, ['example.com/hold']));
    t.cluster.runUntil(10_000);
    t.api.delete('Namespace', undefined, 'team');
    // First pass at 15 s: everything but the held pod goes.
    t.cluster.runUntil(15_100);
    expect(t.inTeam('Pod')).toEqual(['held']);
    const ns = t.ns();
    expect(ns?.spec?.finalizers).toEqual(['kubernetes']);
    expect(ns?.status?.conditions?.map((c) => c.type)).toEqual([
      'NamespaceDeletionDiscoveryFailure',
      'NamespaceDeletionGroupVersionParsingFailure',
      'NamespaceDeletionContentFailure',
      'NamespaceContentRemaining',
      'NamespaceFinalizersRemaining',
    ]);
    expect(condition(ns, 'NamespaceDeletionContentFailure')).toEqual({ status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' });
    expect(condition(ns, 'NamespaceContentRemaining')).toEqual({ status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods. has 1 resource instances' });
    expect(condition(ns, 'NamespaceFinalizersRemaining')).toEqual({
      status: 'True',
      reason: 'SomeFinalizerRemain',
      message: 'Some finalizers are remaining: example.com/hold in 1 resource instances',
    });
    // The held pod is Pending with a 30 s grace period, so the estimate is 30 s: passes at 20 s (its own
    // status write requeued it 5 s on), then 20 + 30/2 + 1 = 36 s.
    t.cluster.runUntil(25_000);
    const held = t.api.get('Pod', 'team', 'held');
    if (!held.ok) throw new Error();
    t.api.update({ ...held.object, metadata: { ...held.object.metadata, finalizers: [] } });
    expect(t.inTeam('Pod')).toEqual([]);
    t.cluster.runUntil(36_000);
    expect(t.ns()).toBeDefined();
    t.cluster.runUntil(36_100);
    expect(t.ns()).toBeUndefined();
  });

  it('leaves namespaces that are not being deleted alone', () => {
    const t = setup();
    fillTeam(t);
    t.cluster.runUntil(60_000);
    expect(t.inTeam('Pod')).toEqual(['debug', 'web-5f6d7-a', 'web-5f6d7-b']);
    expect(t.ns()?.status?.phase).toBe('Active');
  });
});

describe('namespace conditions', () => {
  const report = (remaining: number) => ({ remainingByResource: new Map([['pods.', remaining]]), remainingByFinalizer: new Map<string, number>(), errors: [] });

  it('moves lastTransitionTime only when a condition\'s status flips', () => {
    const first = updateConditions([], report(2), 't1')!;
    expect(first.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({ status: 'True', lastTransitionTime: 't1', message: 'Some resources are remaining: pods. has 2 resource instances' });
    // Same status, new message: rewritten, same transition time.
    const second = updateConditions(first, report(1), 't2')!;
    expect(second.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({ status: 'True', lastTransitionTime: 't1', message: 'Some resources are remaining: pods. has 1 resource instances' });
    // Nothing changed: no write needed.
    expect(updateConditions(second, report(1), 't3')).toBeUndefined();
    // Flipped back to fine.
    const third = updateConditions(second, report(0), 't4')!;
    expect(third.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({ status: 'False', reason: 'ContentRemoved', lastTransitionTime: 't4' });
  });

  it('reports failed deletions, sorted, in NamespaceDeletionContentFailure', () => {
    const c = updateConditions([], { remainingByResource: new Map(), remainingByFinalizer: new Map(), errors: ['b failed', 'a failed'] }, 't')!;
    expect(c.find((x) => x.type === 'NamespaceDeletionContentFailure')).toMatchObject({
      status: 'True',
      reason: 'ContentDeletionFailed',
      message: 'Failed to delete all resource types, 2 remaining: a failed, b failed',
    });
  });
});
