import { describe, expect, it } from 'vitest';
import type { DaemonSet, KubeObject, Pod } from '../api/types';
import { Informer } from '../client/informer';
import type { Cluster } from '../cluster';
import { timestamp } from '../kernel/time';
import { quietCluster } from './controller-utils-testing';
import { CONTROLLER_REVISION_HASH_LABEL } from './daemonset-util';

const node = (name: string, extra: { labels?: Record<string, string>; taints?: unknown[]; unschedulable?: boolean } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: extra.labels ?? {} },
  spec: { ...(extra.taints ? { taints: extra.taints } : {}), ...(extra.unschedulable ? { unschedulable: true } : {}) },
  status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
});

const daemonSet = (spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'kube-system' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'fluentd:1.16' }], ...podSpec } },
    ...spec,
  },
});

/**
 * The kubelet is not ours: this one makes bound pods Running and Ready
 * `startMs` after they are bound, and finishes deleting terminating pods
 * `stopMs` after their deletionTimestamp appears.
 */
function fakeKubelet(cluster: Cluster, startMs = 1000, stopMs = 1000) {
  const client = cluster.apiserver.client('fake-kubelet');
  const seen = new Set<string>();
  let ip = 0;
  const handle = (o: KubeObject) => {
    const pod = o as Pod;
    const m = pod.metadata!;
    if (m.deletionTimestamp) {
      if (seen.has(`stop/${m.uid}`)) return;
      seen.add(`stop/${m.uid}`);
      cluster.kernel.after(stopMs, 'fake-kubelet.stop', () => void client.delete('Pod', m.namespace, m.name!, { gracePeriodSeconds: 0 }));
      return;
    }
    if (!pod.spec?.nodeName || seen.has(`start/${m.uid}`)) return;
    seen.add(`start/${m.uid}`);
    cluster.kernel.after(startMs, 'fake-kubelet.start', () => {
      const at = timestamp(cluster.now);
      const podIP = `10.244.0.${++ip}`;
      client.patch(
        'Pod',
        m.namespace,
        m.name!,
        { status: { phase: 'Running', podIP, podIPs: [{ ip: podIP }], conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at }] } },
        { subresource: 'status' },
      );
    });
  };
  new Informer(cluster.kernel, client, 'Pod', {}, { add: handle, update: handle }).start();
}


function setup(objects: KubeObject[]) {
  const cluster = quietCluster(objects);
  fakeKubelet(cluster);
  const client = cluster.apiserver.client('test');
  const pods = () =>
    cluster
      .objects()
      .filter((o) => o.kind === 'Pod' && o.metadata.namespace === 'kube-system')
      .map((o) => o as Pod);
  const live = () => pods().filter((p) => !p.metadata?.deletionTimestamp);
  const ds = () => (client.get('DaemonSet', 'kube-system', 'agent') as { object: DaemonSet }).object;
  const events = (reason: string) =>
    cluster
      .objects()
      .filter((o) => o.kind === 'Event' && o.reason === reason && (o.source as { component: string }).component === 'daemonset-controller')
      .map((o) => o.message as string);
  return { cluster, client, pods, live, ds, events };
}

const nodesOf = (pods: Pod[]) => pods.map((p) => p.spec?.nodeName).sort();

describe('daemonset-controller', () => {
  it('runs one pod per node, pinned by node affinity and bound there by kube-scheduler', () => {
    const { cluster, live, ds, events } = setup([node('n1'), node('n2'), node('n3'), daemonSet()]);
    cluster.runUntil(5000);
    const pods = live();
    expect(nodesOf(pods)).toEqual(['n1', 'n2', 'n3']);
    for (const p of pods) {
      // Upstream pins the pod with matchFields on metadata.name (since 1.12) and lets the scheduler bind it.
      const terms = p.spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms;
      expect(terms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec!.nodeName] }] }]);
      expect(p.metadata!.name).toMatch(/^agent-[a-z0-9]{5}$/);
      expect(p.metadata!.ownerReferences).toEqual([expect.objectContaining({ kind: 'DaemonSet', name: 'agent', controller: true, blockOwnerDeletion: true })]);
      expect(p.metadata!.labels![CONTROLLER_REVISION_HASH_LABEL]).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
      expect(p.spec!.tolerations!.map((t) => `${t.key}:${t.effect}`)).toEqual([
        'node.kubernetes.io/not-ready:NoExecute',
        'node.kubernetes.io/unreachable:NoExecute',
        'node.kubernetes.io/disk-pressure:NoSchedule',
        'node.kubernetes.io/memory-pressure:NoSchedule',
        'node.kubernetes.io/pid-pressure:NoSchedule',
        'node.kubernetes.io/unschedulable:NoSchedule',
      ]);
    }
    expect(ds().status).toEqual({
      observedGeneration: 1,
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      numberReady: 3,
      numberAvailable: 3,
      updatedNumberScheduled: 3,
    });
    expect(events('SuccessfulCreate').sort()).toEqual(pods.map((p) => `Created pod: ${p.metadata!.name}`).sort());
  });

  it('hostNetwork pods also tolerate network-unavailable', () => {
    const { cluster, live } = setup([node('n1'), daemonSet({}, { hostNetwork: true })]);
    cluster.runUntil(2000);
    expect(live()[0].spec!.tolerations!.at(-1)).toEqual({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  });

  it('follows nodes joining and leaving', () => {
    const { cluster, live, ds } = setup([node('n1'), node('n2'), daemonSet()]);
    cluster.runUntil(3000);
    cluster.act({ action: 'apply', manifests: [node('n3')] });
    cluster.act({ action: 'stopKubelet', node: 'n3' });
    cluster.runUntil(6000);
    expect(nodesOf(live())).toEqual(['n1', 'n2', 'n3']);
    expect(ds().status?.desiredNumberScheduled).toBe(3);
    cluster.act({ action: 'delete', kind: 'Node', name: 'n3' });
    cluster.runUntil(7000);
    // The pod on the deleted node is the pod GC's; the DaemonSet stops counting the node at once.
    expect(ds().status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2 });
  });

  it('deletes the pod of a node whose labels no longer match the nodeSelector', () => {
    const ssd = { disk: 'ssd' };
    const { cluster, client, live, ds, events } = setup([
      node('n1', { labels: ssd }),
      node('n2', { labels: ssd }),
      node('n3'),
      daemonSet({}, { nodeSelector: ssd }),
    ]);
    cluster.runUntil(3000);
    expect(nodesOf(live())).toEqual(['n1', 'n2']);
    const onN2 = live().find((p) => p.spec?.nodeName === 'n2')!;
    client.patch('Node', undefined, 'n2', { metadata: { labels: { disk: null } } });
    cluster.runUntil(6000);
    expect(nodesOf(live())).toEqual(['n1']);
    expect(events('SuccessfulDelete')).toEqual([`Deleted pod: ${onN2.metadata!.name}`]);
    expect(ds().status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 0 });
  });

  it('skips a tainted node unless the template tolerates the taint', () => {
    const gpu = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
    const objects = [node('n1'), node('n2'), node('n3', { taints: gpu })];
    const plain = setup([...objects, daemonSet()]);
    plain.cluster.runUntil(3000);
    expect(nodesOf(plain.live())).toEqual(['n1', 'n2']);
    expect(plain.ds().status?.desiredNumberScheduled).toBe(2);

    const tolerant = setup([...objects, daemonSet({}, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] })]);
    tolerant.cluster.runUntil(3000);
    expect(nodesOf(tolerant.live())).toEqual(['n1', 'n2', 'n3']);
  });

  it('keeps a running pod under a new NoSchedule taint (misscheduled) and removes it under NoExecute', () => {
    const { cluster, client, live, ds } = setup([node('n1'), node('n2'), daemonSet()]);
    cluster.runUntil(3000);
    client.patch('Node', undefined, 'n2', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } });
    cluster.runUntil(5000);
    // shouldRun false, shouldContinueRunning true: the pod stays and counts as misscheduled.
    expect(nodesOf(live())).toEqual(['n1', 'n2']);
    expect(ds().status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 1 });
    client.patch('Node', undefined, 'n2', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] } });
    cluster.runUntil(8000);
    expect(nodesOf(live())).toEqual(['n1']);
    expect(ds().status).toMatchObject({ desiredNumberScheduled: 1, numberMisscheduled: 0 });
  });

  it('runs on a cordoned node: its pods tolerate node.kubernetes.io/unschedulable', () => {
    const { cluster, live } = setup([node('n1'), node('n2', { unschedulable: true }), daemonSet()]);
    cluster.runUntil(3000);
    expect(nodesOf(live())).toEqual(['n1', 'n2']);
    expect(live().every((p) => p.status?.phase === 'Running')).toBe(true);
  });

  it('RollingUpdate (maxUnavailable 1) replaces the pods one node at a time', () => {
    const { cluster, client, live, ds, events } = setup([node('n1'), node('n2'), node('n3'), daemonSet()]);
    cluster.runUntil(3000);
    const oldHash = live()[0].metadata!.labels![CONTROLLER_REVISION_HASH_LABEL];
    const cur = ds();
    expect(cur.spec?.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    client.update({
      ...(cur as KubeObject),
      spec: { ...cur.spec, template: { ...cur.spec!.template, spec: { ...cur.spec!.template.spec, containers: [{ name: 'agent', image: 'fluentd:1.17' }] } } },
    });
    // At every instant at most one node is without an available (Ready, not terminating) daemon pod.
    let worst = 0;
    const start = cluster.now;
    while (cluster.now < start + 20_000) {
      cluster.runUntil(cluster.now + 100);
      const covered = new Set(live().filter((p) => p.status?.phase === 'Running').map((p) => p.spec?.nodeName));
      worst = Math.max(worst, 3 - covered.size);
    }
    expect(worst).toBe(1);
    const pods = live();
    expect(nodesOf(pods)).toEqual(['n1', 'n2', 'n3']);
    const newHash = pods[0].metadata!.labels![CONTROLLER_REVISION_HASH_LABEL];
    expect(newHash).not.toBe(oldHash);
    expect(pods.every((p) => p.metadata!.labels![CONTROLLER_REVISION_HASH_LABEL] === newHash && p.spec!.containers[0].image === 'fluentd:1.17')).toBe(true);
    // 3 first creates, then delete/create pairs one after another.
    expect(events('SuccessfulDelete')).toHaveLength(3);
    expect(events('SuccessfulCreate')).toHaveLength(6);
    expect(ds().status).toMatchObject({ observedGeneration: 2, updatedNumberScheduled: 3, numberAvailable: 3 });
  });

  it('OnDelete leaves old pods alone until someone deletes them', () => {
    const { cluster, client, live, ds } = setup([node('n1'), node('n2'), daemonSet({ updateStrategy: { type: 'OnDelete' } })]);
    cluster.runUntil(3000);
    const cur = ds();
    client.update({ ...(cur as KubeObject), spec: { ...cur.spec, template: { ...cur.spec!.template, metadata: { labels: { app: 'agent', v: '2' } } } } });
    cluster.runUntil(10_000);
    // Nothing replaced: updatedNumberScheduled is 0, which the status leaves out (omitempty).
    expect(ds().status).toMatchObject({ observedGeneration: 2, desiredNumberScheduled: 2, numberReady: 2 });
    expect(ds().status?.updatedNumberScheduled).toBeUndefined();
    const victim = live().find((p) => p.spec?.nodeName === 'n1')!;
    client.delete('Pod', 'kube-system', victim.metadata!.name!);
    cluster.runUntil(15_000);
    const onN1 = live().find((p) => p.spec?.nodeName === 'n1')!;
    expect(onN1.metadata!.labels!.v).toBe('2');
    expect(ds().status?.updatedNumberScheduled).toBe(1);
  });

  it('deletes a failed daemon pod and replaces it, with a FailedDaemonPod warning', () => {
    const { cluster, client, live, events } = setup([node('n1'), daemonSet()]);
    cluster.runUntil(3000);
    const pod = live()[0];
    client.patch('Pod', 'kube-system', pod.metadata!.name!, { status: { phase: 'Failed' } }, { subresource: 'status' });
    cluster.runUntil(6000);
    expect(events('FailedDaemonPod')).toEqual([`Found failed daemon pod kube-system/${pod.metadata!.name} on node n1, will try to kill it`]);
    const now = live();
    expect(now).toHaveLength(1);
    expect(now[0].metadata!.name).not.toBe(pod.metadata!.name);
  });

  it('adopts a matching orphan pod instead of creating another', () => {
    const orphan: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stray', namespace: 'kube-system', labels: { app: 'agent' } },
      spec: { nodeName: 'n1', containers: [{ name: 'agent', image: 'fluentd:1.16' }] },
    };
    // OnDelete: a RollingUpdate would go on to replace the adopted pod, which lacks the hash label.
    const { cluster, live } = setup([node('n1'), orphan, daemonSet({ updateStrategy: { type: 'OnDelete' } })]);
    cluster.runUntil(3000);
    const pods = live();
    expect(pods.map((p) => p.metadata!.name)).toEqual(['stray']);
    expect(pods[0].metadata!.ownerReferences).toEqual([expect.objectContaining({ kind: 'DaemonSet', name: 'agent', controller: true })]);
  });
});
