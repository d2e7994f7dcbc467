import { describe, expect, it } from 'vitest';
import type { Event, KubeObject, Pod, ReplicaSet } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import { FakeKubelet, stored, type FakeKubeletOptions } from './controller-utils-testing';
import { REPLICASET_CONTROLLER, type ReplicaSetController } from './replicaset';

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { cpu: '8', memory: '32Gi', pods: '110' } } });

function replicaSet(replicas: number, extra: { minReadySeconds?: number; priorityClassName?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      ...(extra.minReadySeconds ? { minReadySeconds: extra.minReadySeconds } : {}),
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', tier: 'fe' } },
        spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...(extra.priorityClassName ? { priorityClassName: extra.priorityClassName } : {}) },
      },
    },
  };
}

const barePod = (name: string, labels: Record<string, string>, nodeName?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...(nodeName ? { nodeName } : {}) },
});

function setup(objects: KubeObject[], kubelet: FakeKubeletOptions = {}) {
  const cluster = createCluster({ ...emptyScenario(), objects: [node('n1'), node('n2'), node('n3'), ...objects] });
  const kubeletFake = new FakeKubelet(cluster, kubelet);
  const client = cluster.apiserver.client('test');
  const pods = () => stored<Pod>(cluster, 'pods').filter((p) => !p.metadata?.deletionTimestamp);
  const rs = () => stored<ReplicaSet>(cluster, 'replicasets').find((r) => r.metadata?.name === 'web')!;
  const events = (reason?: string) => stored<Event>(cluster, 'events').filter((e) => e.source?.component === REPLICASET_CONTROLLER && (!reason || e.reason === reason));
  const creates = () => cluster.trace().filter((m) => m.from === 'kube-controller-manager' && m.verb === 'create' && m.resource === 'pods');
  return { cluster, kubelet: kubeletFake, client, pods, rs, events, creates };
}

const GENERATED = /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

describe('replicaset-controller', () => {
  it('creates the missing pods from the template, owned by the ReplicaSet, and reports them', () => {
    const { cluster, pods, rs, events } = setup([replicaSet(3)]);
    cluster.runUntil(2000);
    const uid = rs().metadata!.uid;
    expect(pods()).toHaveLength(3);
    for (const p of pods()) {
      expect(p.metadata!.name).toMatch(GENERATED);
      expect(p.metadata!.labels).toEqual({ app: 'web', tier: 'fe' });
      expect(p.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid, controller: true, blockOwnerDeletion: true }]);
      expect(p.status?.phase).toBe('Running');
    }
    expect(events('SuccessfulCreate').map((e) => e.message).sort()).toEqual(pods().map((p) => `Created pod: ${p.metadata!.name}`).sort());
    expect(rs().status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
  });

  it('adopts a matching orphan and releases a pod whose labels stop matching', () => {
    const { cluster, client, pods, rs, creates } = setup([barePod('stray', { app: 'web' }, 'n1'), replicaSet(3)]);
    cluster.runUntil(2000);
    const uid = rs().metadata!.uid;
    // The orphan counts: only two pods are created.
    expect(creates()).toHaveLength(2);
    const stray = pods().find((p) => p.metadata!.name === 'stray')!;
    expect(stray.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid, controller: true, blockOwnerDeletion: true }]);
    // The adopted pod lacks the template's tier label: 3 replicas, 2 fully labeled.
    expect(rs().status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 2 });
    // Relabelled out of the selector: released (no owner) and replaced.
    client.patch('Pod', 'default', 'stray', { metadata: { labels: { app: 'debug' } } });
    cluster.runUntil(4000);
    const released = pods().find((p) => p.metadata!.name === 'stray')!;
    expect(released.metadata!.ownerReferences).toBeUndefined();
    expect(pods().filter((p) => p.metadata!.ownerReferences?.[0]?.uid === uid)).toHaveLength(3);
    expect(rs().status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3 });
  });

  it('sends one create while creates are refused, reports FailedCreate, and recovers in slow-start batches', () => {
    // Priority admission refuses pods that name a PriorityClass that does not exist.
    const { cluster, client, pods, rs, events, creates } = setup([replicaSet(7, { priorityClassName: 'gold' })]);
    cluster.runUntil(1);
    // First sync (t = 1 ms, the initial watch events): the first batch of 1 fails, the other 6 are skipped.
    expect(creates()).toHaveLength(1);
    const failed = events('FailedCreate');
    expect(failed).toHaveLength(1);
    expect(failed[0].type).toBe('Warning');
    // (Upstream names the pod "web-" here, its generateName: admission runs before names are generated.)
    expect(failed[0].message).toMatch(/^Error creating: pods "web-[a-z0-9]*" is forbidden: no PriorityClass with name gold was found$/);
    cluster.runUntil(100);
    expect(rs().status?.conditions).toMatchObject([
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: expect.stringMatching(/is forbidden: no PriorityClass with name gold was found$/) },
    ]);
    client.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'gold' }, value: 1000 });
    const before = creates().length;
    // Retries back off 5 ms doubling; the next one after the PriorityClass exists creates all 7
    // in batches of 1, 2 and 4: seven requests, none wasted.
    cluster.runUntil(2000);
    expect(pods()).toHaveLength(7);
    expect(creates().length - before).toBe(7);
    expect(rs().status?.conditions ?? []).toEqual([]);
  });

  it('creates at most 500 pods per sync (burstReplicas)', () => {
    const { cluster, pods } = setup([replicaSet(600)], {});
    cluster.runUntil(1);
    expect(pods()).toHaveLength(500);
    // The next sync waits until all 500 creations are observed (t = 2 ms), then creates the rest.
    cluster.runUntil(2);
    expect(pods()).toHaveLength(600);
  });

  it('expectations: a second sync before the watch reports the new pods creates nothing', () => {
    const { cluster, pods, creates } = setup([replicaSet(3)]);
    cluster.runUntil(1);
    expect(pods()).toHaveLength(3);
    const rsc = cluster.controllerManager.controller<ReplicaSetController>(REPLICASET_CONTROLLER)!;
    // Still t = 1 ms: the informer has not seen the three pods; without expectations this would create three more.
    expect(rsc.expectations.satisfied('default/web')).toBe(false);
    rsc.sync('default/web');
    expect(creates()).toHaveLength(3);
    cluster.runUntil(2000);
    expect(pods()).toHaveLength(3);
  });

  it('does not count terminating pods: a graceful delete is replaced at once', () => {
    const { cluster, client, pods, rs } = setup([replicaSet(3)], { keepTerminating: true });
    cluster.runUntil(2000);
    const victim = pods()[0].metadata!.name!;
    client.delete('Pod', 'default', victim);
    cluster.runUntil(2010);
    const all = stored<Pod>(cluster, 'pods');
    expect(all).toHaveLength(4);
    expect(all.find((p) => p.metadata!.name === victim)?.metadata?.deletionTimestamp).toBeDefined();
    expect(pods()).toHaveLength(3);
    expect(rs().status?.replicas).toBe(3);
  });

  it('scales down the pod that is not Ready first and reports SuccessfulDelete', () => {
    const { cluster, client, kubelet, pods, events } = setup([replicaSet(3)]);
    cluster.runUntil(2000);
    const sick = pods()[1].metadata!.name!;
    kubelet.makeNotReady('default', sick);
    cluster.runUntil(3000);
    client.patch('ReplicaSet', 'default', 'web', { spec: { replicas: 2 } });
    cluster.runUntil(4000);
    expect(pods().map((p) => p.metadata!.name)).not.toContain(sick);
    expect(pods()).toHaveLength(2);
    expect(events('SuccessfulDelete').map((e) => e.message)).toEqual([`Deleted pod: ${sick}`]);
  });

  it('counts pods available only once Ready for longer than minReadySeconds', () => {
    const { cluster, rs } = setup([replicaSet(3, { minReadySeconds: 10 })]);
    // Pods are Ready a few ms in; Ready times are whole seconds (0 s), so they are available
    // once now > 0 s + 10 s. The controller looks again 10 s after its status write at ~4 ms.
    cluster.runUntil(9_999);
    expect(rs().status).toMatchObject({ readyReplicas: 3, availableReplicas: 0 });
    cluster.runUntil(10_100);
    expect(rs().status).toMatchObject({ readyReplicas: 3, availableReplicas: 3 });
  });
});
