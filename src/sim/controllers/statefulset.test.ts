import { describe, expect, it } from 'vitest';
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1';
import type { Event, KubeObject, PersistentVolumeClaim, Pod } from '../api/types';
import { createCluster } from '../cluster';
import { virtualMs } from '../kernel/time';
import { emptyScenario } from '../model';
import { FakeKubelet, stored, type FakeKubeletOptions } from './controller-utils-testing';
import { STATEFULSET_CONTROLLER } from './statefulset';

// Upstream: pkg/controller/statefulset (stateful_set.go, stateful_set_control.go,
// stateful_set_utils.go, stateful_pod_control.go), v1.30.

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { cpu: '8', memory: '32Gi', pods: '110' } } });

function statefulSet(spec: Record<string, unknown> = {}, image = 'nginx:1.27'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } },
      ...spec,
    },
  };
}

const claimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];
/** A class with a pre-created volume per claim would need binding; an Immediate class with a provisioner binds at once. */
const storageClass: KubeObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'disk.csi.example.com' } as KubeObject;

function setup(objects: KubeObject[], kubelet: FakeKubeletOptions = { readyAfterMs: 2000 }) {
  const cluster = createCluster({ ...emptyScenario(), objects: [node('n1'), node('n2'), node('n3'), ...objects] });
  new FakeKubelet(cluster, kubelet);
  const client = cluster.apiserver.client('test');
  const all = () => stored<Pod>(cluster, 'pods');
  const pods = () => all().filter((p) => !p.metadata?.deletionTimestamp);
  const names = () => pods().map((p) => p.metadata!.name!).sort();
  const pod = (name: string) => all().find((p) => p.metadata?.name === name);
  const sts = () => stored<StatefulSet>(cluster, 'statefulsets').find((s) => s.metadata?.name === 'web')!;
  const revisions = () => stored<ControllerRevision>(cluster, 'controllerrevisions');
  const claims = () => stored<PersistentVolumeClaim>(cluster, 'persistentvolumeclaims');
  const events = (reason?: string) => stored<Event>(cluster, 'events').filter((e) => e.source?.component === STATEFULSET_CONTROLLER && (!reason || e.reason === reason));
  const created = (name: string) => virtualMs(pod(name)!.metadata!.creationTimestamp!);
  return { cluster, client, pods, names, pod, sts, revisions, claims, events, created };
}

describe('statefulset-controller', () => {
  it('creates web-0, web-1, web-2 one at a time, each once the one before is Running and Ready', () => {
    const { cluster, names, pod, events } = setup([statefulSet()]);
    // The fake kubelet reports a bound pod Running at once and Ready 2 s later.
    cluster.runUntil(1900);
    expect(names()).toEqual(['web-0']);
    cluster.runUntil(2100);
    expect(names()).toEqual(['web-0', 'web-1']);
    cluster.runUntil(3900);
    expect(names()).toEqual(['web-0', 'web-1']);
    cluster.runUntil(4100);
    expect(names()).toEqual(['web-0', 'web-1', 'web-2']);
    expect(events('SuccessfulCreate').map((e) => e.message)).toEqual([
      'create Pod web-0 in StatefulSet web successful',
      'create Pod web-1 in StatefulSet web successful',
      'create Pod web-2 in StatefulSet web successful',
    ]);
    expect(pod('web-1')!.metadata!.generateName).toBe('web-');
  });

  it('gives each pod its stable identity: hostname, subdomain, the pod-name and pod-index labels, its revision', () => {
    const { cluster, pod, sts, revisions } = setup([statefulSet({ replicas: 2 })]);
    cluster.runUntil(6000);
    const p = pod('web-1')!;
    const rev = revisions()[0];
    expect(p.spec).toMatchObject({ hostname: 'web-1', subdomain: 'web' });
    expect(p.metadata!.labels).toEqual({
      app: 'web',
      'statefulset.kubernetes.io/pod-name': 'web-1',
      'apps.kubernetes.io/pod-index': '1',
      'controller-revision-hash': rev.metadata!.name,
    });
    expect(rev.metadata!.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rev.revision).toBe(1);
    expect(sts().status).toMatchObject({ replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 2, currentRevision: rev.metadata!.name, updateRevision: rev.metadata!.name });
  });

  it('creates every pod at once with podManagementPolicy Parallel', () => {
    const { cluster, names, created } = setup([statefulSet({ podManagementPolicy: 'Parallel' })]);
    cluster.runUntil(500);
    expect(names()).toEqual(['web-0', 'web-1', 'web-2']);
    expect(new Set(['web-0', 'web-1', 'web-2'].map(created)).size).toBe(1);
  });

  it('scales down from the highest ordinal, waiting for each pod to be gone', () => {
    const { cluster, client, pod, names } = setup([statefulSet()], { readyAfterMs: 1000, terminationDelayMs: 3000 });
    cluster.runUntil(5000);
    client.patch('StatefulSet', 'default', 'web', { spec: { replicas: 1 } });
    cluster.runUntil(6000);
    // web-2 terminates for 3 s; web-1 is left alone meanwhile.
    expect(pod('web-2')!.metadata!.deletionTimestamp).toBeDefined();
    expect(pod('web-1')!.metadata!.deletionTimestamp).toBeUndefined();
    cluster.runUntil(8500);
    expect(pod('web-2')).toBeUndefined();
    expect(pod('web-1')!.metadata!.deletionTimestamp).toBeDefined();
    cluster.runUntil(12000);
    expect(names()).toEqual(['web-0']);
  });

  it('rolls a new template out from the highest ordinal down to the partition, one pod at a time', () => {
    const { cluster, client, pod, sts, revisions } = setup([statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } })], { readyAfterMs: 1000, terminationDelayMs: 1000 });
    cluster.runUntil(5000);
    const old = sts().status!.currentRevision!;
    const cur = sts();
    client.update({ ...(cur as KubeObject), spec: { ...cur.spec!, template: { ...cur.spec!.template, spec: { ...cur.spec!.template.spec!, containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } });
    cluster.runUntil(10_000);
    const next = sts().status!.updateRevision!;
    expect(next).not.toBe(old);
    const rev = (n: string) => pod(n)!.metadata!.labels!['controller-revision-hash'];
    // Only web-2 (ordinal >= partition 2) moved.
    expect([rev('web-0'), rev('web-1'), rev('web-2')]).toEqual([old, old, next]);
    expect(pod('web-2')!.spec!.containers[0].image).toBe('nginx:1.28');
    expect(sts().status).toMatchObject({ currentRevision: old, updateRevision: next, currentReplicas: 2, updatedReplicas: 1, readyReplicas: 3 });
    // Partition 0: web-1, then web-0, then the update revision is the current one.
    client.patch('StatefulSet', 'default', 'web', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    cluster.runUntil(10_500);
    expect(pod('web-1')!.metadata!.deletionTimestamp).toBeDefined();
    expect(pod('web-0')!.metadata!.deletionTimestamp).toBeUndefined();
    // web-1 gone at 11 s, recreated at the new revision, Ready at 12 s; only then is web-0 deleted.
    cluster.runUntil(11_900);
    expect(rev('web-1')).toBe(next);
    expect(pod('web-0')!.metadata!.deletionTimestamp).toBeUndefined();
    cluster.runUntil(20_000);
    expect([rev('web-0'), rev('web-1'), rev('web-2')]).toEqual([next, next, next]);
    expect(sts().status).toMatchObject({ currentRevision: next, updateRevision: next, currentReplicas: 3, updatedReplicas: 3 });
    expect(revisions().map((r) => r.revision).sort()).toEqual([1, 2]);
  });

  it('with OnDelete replaces nothing until a pod is deleted, which comes back at the new revision', () => {
    const { cluster, client, pod, sts } = setup([statefulSet({ updateStrategy: { type: 'OnDelete' } })], { readyAfterMs: 1000, terminationDelayMs: 500 });
    cluster.runUntil(5000);
    client.patch('StatefulSet', 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } });
    cluster.runUntil(10_000);
    const next = sts().status!.updateRevision!;
    expect(['web-0', 'web-1', 'web-2'].map((n) => pod(n)!.spec!.containers[0].image)).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    client.delete('Pod', 'default', 'web-1');
    cluster.runUntil(13_000);
    expect(pod('web-1')!.metadata!.labels!['controller-revision-hash']).toBe(next);
    expect(pod('web-1')!.spec!.containers[0].image).toBe('nginx:1.28');
    expect(pod('web-0')!.spec!.containers[0].image).toBe('nginx:1.27');
  });

  it('rolls back by renumbering the earlier revision instead of making a third', () => {
    const { cluster, client, sts, revisions } = setup([statefulSet({ replicas: 1 })], { readyAfterMs: 500, terminationDelayMs: 500 });
    cluster.runUntil(3000);
    const first = sts().status!.currentRevision!;
    const image = (i: string) => client.patch('StatefulSet', 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: i }] } } } });
    image('nginx:1.28');
    cluster.runUntil(8000);
    image('nginx:1.27');
    cluster.runUntil(13_000);
    expect(sts().status).toMatchObject({ currentRevision: first, updateRevision: first });
    expect(revisions().map((r) => [r.metadata!.name, r.revision]).sort()).toEqual(
      [[first, 3], [revisions().find((r) => r.metadata!.name !== first)!.metadata!.name, 2]].sort(),
    );
  });

  it('creates a claim per template and ordinal before the pod; the claims stay when pods and the set go (Retain)', () => {
    const { cluster, client, pod, claims, events } = setup([storageClass, statefulSet({ replicas: 2, volumeClaimTemplates: claimTemplates })], { readyAfterMs: 1000, terminationDelayMs: 500 });
    cluster.runUntil(15_000);
    expect(claims().map((c) => [c.metadata!.name, c.metadata!.labels, c.metadata!.ownerReferences, c.status?.phase])).toEqual([
      ['data-web-0', { app: 'web' }, undefined, 'Bound'],
      ['data-web-1', { app: 'web' }, undefined, 'Bound'],
    ]);
    expect(pod('web-1')!.spec!.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } }]);
    expect(events('SuccessfulCreate').map((e) => e.message).slice(0, 2)).toEqual(['create Claim data-web-0 Pod web-0 in StatefulSet web success', 'create Pod web-0 in StatefulSet web successful']);
    // A deleted pod comes back under its name on the same claim.
    const uid = claims().find((c) => c.metadata!.name === 'data-web-1')!.metadata!.uid;
    client.delete('Pod', 'default', 'web-1');
    cluster.runUntil(20_000);
    expect(pod('web-1')!.metadata!.deletionTimestamp).toBeUndefined();
    expect(pod('web-1')!.spec!.volumes![0].persistentVolumeClaim!.claimName).toBe('data-web-1');
    expect(claims().find((c) => c.metadata!.name === 'data-web-1')!.metadata!.uid).toBe(uid);
    // Deleting the set (cascading) takes the pods and leaves the claims.
    client.delete('StatefulSet', 'default', 'web', { propagationPolicy: 'Background' });
    cluster.runUntil(30_000);
    expect(pod('web-0')).toBeUndefined();
    expect(claims().map((c) => c.metadata!.name)).toEqual(['data-web-0', 'data-web-1']);
  });

  it('with whenScaled: Delete hands a scaled-down pod its claim, which goes with it', () => {
    const policy = { whenDeleted: 'Retain', whenScaled: 'Delete' };
    const { cluster, client, claims } = setup([storageClass, statefulSet({ replicas: 2, volumeClaimTemplates: claimTemplates, persistentVolumeClaimRetentionPolicy: policy })], {
      readyAfterMs: 1000,
      terminationDelayMs: 2000,
    });
    // Each pod waits for its claim to be provisioned (2 s) and bound before it is scheduled: both run by 15 s.
    cluster.runUntil(15_000);
    expect(claims().every((c) => c.metadata!.ownerReferences === undefined)).toBe(true);
    client.patch('StatefulSet', 'default', 'web', { spec: { replicas: 1 } });
    cluster.runUntil(15_500);
    // The condemned pod owns its claim (controller ref), so the garbage collector deletes the claim after the pod.
    const owned = claims().find((c) => c.metadata!.name === 'data-web-1')!;
    expect(owned.metadata!.ownerReferences).toMatchObject([{ kind: 'Pod', name: 'web-1', controller: true }]);
    cluster.runUntil(16_000);
    expect(claims().map((c) => c.metadata!.name)).toEqual(['data-web-0', 'data-web-1']);
    // The pod is gone at 17 s (2 s of termination); then its claim.
    cluster.runUntil(18_000);
    expect(claims().map((c) => c.metadata!.name)).toEqual(['data-web-0']);
  });

  it('recreates a pod that failed', () => {
    const { cluster, client, pod } = setup([statefulSet({ replicas: 1 })], { readyAfterMs: 500, terminationDelayMs: 0 });
    cluster.runUntil(3000);
    const uid = pod('web-0')!.metadata!.uid;
    client.patch('Pod', 'default', 'web-0', { status: { phase: 'Failed' } }, { subresource: 'status' });
    cluster.runUntil(6000);
    expect(pod('web-0')!.metadata!.uid).not.toBe(uid);
    expect(pod('web-0')!.status?.phase).toBe('Running');
  });
});
