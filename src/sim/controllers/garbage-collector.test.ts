import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import type { DeletionPropagation } from '../apiserver/apiserver';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import { ControllerManager } from './controller-manager';
import { newGarbageCollector } from './garbage-collector';

// The garbage collector alone in a controller manager of its own, so the
// workload controllers (written elsewhere) do not act on the hand-made
// ReplicaSets and Pods. No nodes: pods stay unscheduled, so deleting one
// needs no kubelet to confirm it.
function setup() {
  const cluster = createCluster(emptyScenario());
  cluster.act({ action: 'stopComponent', component: 'kube-controller-manager' });
  cluster.act({ action: 'stopComponent', component: 'kube-scheduler' });
  const kcm = new ControllerManager(cluster.kernel, cluster.apiserver, cluster.scenario.settings, [newGarbageCollector], { leaderElect: false });
  const api = cluster.apiserver.client('test');
  const run = (ms = 100) => cluster.runUntil(cluster.now + ms);
  const create = (obj: KubeObject): KubeObject => {
    const r = api.create(obj);
    if (!r.ok) throw new Error(r.status.message);
    return r.object;
  };
  const get = (kind: string, name: string) => {
    const r = api.get(kind, 'default', name);
    return r.ok ? r.object : undefined;
  };
  const del = (kind: string, name: string, propagationPolicy?: DeletionPropagation) => {
    const r = api.delete(kind, 'default', name, propagationPolicy ? { propagationPolicy } : {});
    if (!r.ok) throw new Error(r.status.message);
    return r.object;
  };
  /** What the garbage collector sent, as "verb resource key". */
  const gcRequests = (afterSeq: number) =>
    cluster
      .trace(afterSeq)
      .filter((m) => m.from === 'kube-controller-manager' && m.to === 'kube-apiserver')
      .map((m) => `${m.verb} ${m.resource} ${m.key}${m.ok ? '' : ' (failed)'}`);
  return { cluster, kcm, api, run, create, get, del, gcRequests };
}

const labels = { app: 'web' };
const template = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };

const controllerRef = (owner: KubeObject, block = true): OwnerReference => ({
  apiVersion: owner.apiVersion,
  kind: owner.kind,
  name: owner.metadata.name!,
  uid: owner.metadata.uid!,
  controller: true,
  blockOwnerDeletion: block,
});

const deployment = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: { replicas: 3, selector: { matchLabels: labels }, template },
});

const replicaSet = (name: string, owner?: KubeObject): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'default', labels, ...(owner ? { ownerReferences: [controllerRef(owner)] } : {}) },
  spec: { replicas: 3, selector: { matchLabels: labels }, template },
});

const pod = (name: string, owners: OwnerReference[], extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels, ownerReferences: owners, ...extra },
  spec: template.spec,
});

/** A ReplicaSet and its three pods, as the ReplicaSet controller would leave them. */
function replicaSetWithPods(t: ReturnType<typeof setup>, owner?: KubeObject) {
  const rs = t.create(replicaSet('web-7d4b9', owner));
  const pods = ['web-7d4b9-a', 'web-7d4b9-b', 'web-7d4b9-c'].map((n) => t.create(pod(n, [controllerRef(rs)])));
  t.run();
  return { rs, pods };
}

const names = (objs: Array<KubeObject | undefined>) => objs.map((o) => o?.metadata.name ?? null);

describe('garbage collector: Background deletion', () => {
  it('deletes the pods of a deleted ReplicaSet, without asking the apiserver about the owner it saw go', () => {
    const t = setup();
    const { pods } = replicaSetWithPods(t);
    const seq = t.cluster.kernel.trace.count;
    // Background (the default for apps/v1): the ReplicaSet goes at once.
    t.del('ReplicaSet', 'web-7d4b9');
    expect(t.get('ReplicaSet', 'web-7d4b9')).toBeUndefined();
    expect(names(pods.map((p) => t.get('Pod', p.metadata.name!)))).toEqual(['web-7d4b9-a', 'web-7d4b9-b', 'web-7d4b9-c']);
    t.run();
    expect(names(pods.map((p) => t.get('Pod', p.metadata.name!)))).toEqual([null, null, null]);
    // Each pod is read and deleted. The owner is not looked up: its delete event put it in the absent-owner cache.
    expect(t.gcRequests(seq)).toEqual([
      'get pods default/web-7d4b9-a',
      'delete pods default/web-7d4b9-a',
      'get pods default/web-7d4b9-b',
      'delete pods default/web-7d4b9-b',
      'get pods default/web-7d4b9-c',
      'delete pods default/web-7d4b9-c',
    ]);
  });

  it('deletes a Deployment, then its ReplicaSet, then that ReplicaSet\'s pods', () => {
    const t = setup();
    const deploy = t.create(deployment('web'));
    const { rs, pods } = replicaSetWithPods(t, deploy);
    const seq = t.cluster.kernel.trace.count;
    t.del('Deployment', 'web');
    t.run();
    expect(t.get('ReplicaSet', rs.metadata.name!)).toBeUndefined();
    expect(names(pods.map((p) => t.get('Pod', p.metadata.name!)))).toEqual([null, null, null]);
    const deletes = t.gcRequests(seq).filter((r) => r.startsWith('delete'));
    expect(deletes).toEqual([
      'delete replicasets default/web-7d4b9',
      'delete pods default/web-7d4b9-a',
      'delete pods default/web-7d4b9-b',
      'delete pods default/web-7d4b9-c',
    ]);
  });

  it('only drops the reference to a deleted owner when another owner remains', () => {
    const t = setup();
    const a = t.create(replicaSet('a'));
    const b = t.create(replicaSet('b'));
    t.create(pod('shared', [controllerRef(a), { ...controllerRef(b), controller: false }]));
    t.run();
    t.del('ReplicaSet', 'a');
    t.run();
    const p = t.get('Pod', 'shared');
    expect(p?.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: b.metadata.uid, controller: false, blockOwnerDeletion: true }]);
  });

  it('deletes a dependent whose owner never existed', () => {
    const t = setup();
    t.create(pod('stray', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ghost', uid: '0000-ghost', controller: true }]));
    t.run();
    expect(t.get('Pod', 'stray')).toBeUndefined();
  });
});

describe('garbage collector: Foreground deletion', () => {
  it('keeps the ReplicaSet, marked for deletion, until its blocking pods are gone', () => {
    const t = setup();
    const { pods } = replicaSetWithPods(t);
    // One pod holds on with a finalizer of its own, so its deletion takes a while.
    const holdRes = t.api.patch('Pod', 'default', 'web-7d4b9-c', { metadata: { finalizers: ['example.com/hold'] } });
    expect(holdRes.ok).toBe(true);
    t.run();
    const marked = t.del('ReplicaSet', 'web-7d4b9', 'Foreground');
    expect(marked.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(marked.metadata.finalizers).toEqual(['foregroundDeletion']);
    t.run();
    expect(names(pods.map((p) => t.get('Pod', p.metadata.name!)))).toEqual([null, null, 'web-7d4b9-c']);
    expect(t.get('Pod', 'web-7d4b9-c')?.metadata.deletionTimestamp).toBeDefined();
    expect(t.get('ReplicaSet', 'web-7d4b9')?.metadata.finalizers).toEqual(['foregroundDeletion']);
    // The last pod's finalizer goes: the pod goes, and then the ReplicaSet.
    const held = t.get('Pod', 'web-7d4b9-c')!;
    expect(t.api.update({ ...held, metadata: { ...held.metadata, finalizers: [] } }).ok).toBe(true);
    expect(t.get('Pod', 'web-7d4b9-c')).toBeUndefined();
    expect(t.get('ReplicaSet', 'web-7d4b9')).toBeDefined();
    t.run();
    expect(t.get('ReplicaSet', 'web-7d4b9')).toBeUndefined();
  });

  it('does not wait for dependents that do not block (blockOwnerDeletion unset)', () => {
    const t = setup();
    const rs = t.create(replicaSet('web'));
    t.create(pod('loose', [controllerRef(rs, false)], { finalizers: ['example.com/hold'] }));
    t.run();
    t.del('ReplicaSet', 'web', 'Foreground');
    t.run();
    // The ReplicaSet is gone, and the pod is being deleted (its own finalizer still holds it).
    expect(t.get('ReplicaSet', 'web')).toBeUndefined();
    expect(t.get('Pod', 'loose')?.metadata.deletionTimestamp).toBeDefined();
  });

  it('deletes a Deployment in the foreground down the whole chain, the Deployment last', () => {
    const t = setup();
    const deploy = t.create(deployment('web'));
    const { rs } = replicaSetWithPods(t, deploy);
    const seq = t.cluster.kernel.trace.count;
    t.del('Deployment', 'web', 'Foreground');
    t.run();
    expect(t.get('Deployment', 'web')).toBeUndefined();
    expect(t.get('ReplicaSet', rs.metadata.name!)).toBeUndefined();
    const writes = t.gcRequests(seq).filter((r) => !r.startsWith('get'));
    // The ReplicaSet has dependents of its own, so it too is deleted in the foreground: its pods go first,
    // then its foregroundDeletion finalizer is removed (it is gone), then the Deployment's.
    const podDeletes = ['a', 'b', 'c'].map((x) => writes.indexOf(`delete pods default/web-7d4b9-${x}`));
    expect(writes.slice(-2)).toEqual(['patch replicasets default/web-7d4b9', 'patch deployments default/web']);
    expect(Math.min(...podDeletes)).toBeGreaterThan(-1);
    expect(writes.indexOf('delete replicasets default/web-7d4b9')).toBeLessThan(Math.min(...podDeletes));
  });
});

describe('garbage collector: Orphan deletion', () => {
  it('takes the ReplicaSet off its pods, then lets the ReplicaSet go', () => {
    const t = setup();
    const { pods } = replicaSetWithPods(t);
    const marked = t.del('ReplicaSet', 'web-7d4b9', 'Orphan');
    expect(marked.metadata.finalizers).toEqual(['orphan']);
    t.run();
    expect(t.get('ReplicaSet', 'web-7d4b9')).toBeUndefined();
    const left = pods.map((p) => t.get('Pod', p.metadata.name!));
    expect(names(left)).toEqual(['web-7d4b9-a', 'web-7d4b9-b', 'web-7d4b9-c']);
    expect(left.map((p) => p?.metadata.ownerReferences)).toEqual([undefined, undefined, undefined]);
  });

  it('orphans a batch/v1 Job\'s pods when no policy is given (the API\'s default for Jobs)', () => {
    const t = setup();
    const job = t.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi', namespace: 'default' },
      spec: {
        manualSelector: true,
        selector: { matchLabels: { job: 'pi' } },
        template: { metadata: { labels: { job: 'pi' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'perl' }] } },
      },
    });
    t.create(pod('pi-x', [controllerRef(job)]));
    t.run();
    t.del('Job', 'pi');
    t.run();
    expect(t.get('Job', 'pi')).toBeUndefined();
    expect(t.get('Pod', 'pi-x')?.metadata.ownerReferences).toBeUndefined();
  });
});

describe('garbage collector: references that do not fit', () => {
  it('warns about an owner named from another namespace, and collects the dependent, whose owner is not in its namespace', () => {
    const t = setup();
    t.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    const rs = t.create(replicaSet('web'));
    t.run();
    t.create({ ...pod('stray', [controllerRef(rs)]), metadata: { name: 'stray', namespace: 'other', ownerReferences: [controllerRef(rs)] } });
    t.run();
    expect(t.api.get('Pod', 'other', 'stray').ok).toBe(false);
    expect(t.get('ReplicaSet', 'web')).toBeDefined();
    const events = t.api.list('Event', { namespace: 'other' });
    const warned = events.ok ? events.items.filter((e) => e.reason === 'OwnerRefInvalidNamespace') : [];
    expect(warned.map((e) => e.message)).toEqual([`ownerRef [apps/v1/ReplicaSet, namespace: other, name: web, uid: ${rs.metadata.uid}] does not exist in namespace "other"`]);
    expect(warned[0]).toMatchObject({ type: 'Warning', source: { component: 'garbage-collector-controller' }, involvedObject: { kind: 'Pod', name: 'stray' } });
  });
});

describe('garbage collector: restarts', () => {
  it('collects the pods of a ReplicaSet deleted while kube-controller-manager was down, once it is back', () => {
    const t = setup();
    replicaSetWithPods(t);
    t.kcm.stop();
    t.del('ReplicaSet', 'web-7d4b9');
    t.run(5_000);
    expect(t.get('Pod', 'web-7d4b9-a')).toBeDefined();
    t.kcm.start();
    t.run();
    expect(['a', 'b', 'c'].map((x) => t.get('Pod', `web-7d4b9-${x}`))).toEqual([undefined, undefined, undefined]);
  });

  it('picks up an owner marked while kube-controller-manager was down', () => {
    const t = setup();
    replicaSetWithPods(t);
    t.kcm.stop();
    t.del('ReplicaSet', 'web-7d4b9', 'Foreground');
    t.run(5_000);
    expect(t.get('ReplicaSet', 'web-7d4b9')).toBeDefined();
    t.kcm.start();
    t.run();
    expect(t.get('ReplicaSet', 'web-7d4b9')).toBeUndefined();
    expect(t.get('Pod', 'web-7d4b9-a')).toBeUndefined();
  });
});
