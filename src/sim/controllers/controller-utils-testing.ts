// Test support for the workload controllers (imported by *.test.ts only):
// a stand-in for every node's kubelet, so the controller tests do not
// depend on the real one. The real kubelets are stopped (a stopKubelet
// action on each node) and this one, through an apiserver client, keeps
// the nodes healthy (Lease renewed and Ready posted every 10 s), reports a
// bound pod Running and Ready `readyAfterMs` after it sees it bound, and
// finishes graceful deletions (a delete with gracePeriodSeconds 0).
import type { NodeCondition } from 'kubernetes-types/core/v1';
import type { KubeObject, Node, Pod } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import { Informer } from '../client/informer';
import { createCluster, type Cluster } from '../cluster';
import { emptyScenario, type ScenarioModel } from '../model';
import { microTimestamp, timestamp } from '../kernel/time';

const HEARTBEAT_MS = 10_000;

export interface FakeKubeletOptions {
  /** Delay between seeing a pod bound and reporting it Ready (ms). */
  readyAfterMs?: number;
  /** Pods for which this returns true start Running but never become Ready. */
  neverReady?: (pod: Pod) => boolean;
  /** Leave terminating pods alone (they stay until deleted by hand). */
  keepTerminating?: boolean;
  /** How long a terminating pod takes to go (ms; 0: at once). */
  terminationDelayMs?: number;
}

export class FakeKubelet {
  readonly client: ApiClient;
  private readonly informer: Informer;
  private readonly started = new Set<string>();
  private readonly terminating = new Set<string>();

  constructor(
    private readonly cluster: Cluster,
    private readonly opts: FakeKubeletOptions = {},
  ) {
    this.client = cluster.apiserver.client('kubelet');
    const seen = (o: KubeObject) => this.seen(o as Pod);
    this.informer = new Informer(cluster.kernel, this.client, 'Pod', {}, { add: seen, update: seen });
    this.informer.start();
    for (const n of stored<Node>(cluster, 'nodes')) cluster.act({ action: 'stopKubelet', node: n.metadata!.name! });
    this.heartbeat();
  }

  stop(): void {
    this.informer.stop();
  }

  /** Every node's two heartbeats: its Lease renewed and its conditions posted. */
  private heartbeat(): void {
    const now = this.cluster.now;
    for (const node of stored<Node>(this.cluster, 'nodes')) {
      const name = node.metadata!.name!;
      const lease = this.client.get('Lease', 'kube-node-lease', name);
      const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTimestamp(now) };
      if (lease.ok) this.client.update({ ...lease.object, spec: { ...(lease.object.spec as object), ...spec } });
      else this.client.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec });
      const at = timestamp(now);
      const conditions: NodeCondition[] = (node.status?.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: at }));
      if (!conditions.some((c) => c.type === 'Ready')) conditions.push({ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: at, lastTransitionTime: at });
      this.client.updateStatus({ ...(node as KubeObject), status: { ...node.status, conditions } });
    }
    this.cluster.kernel.after(HEARTBEAT_MS, 'fake-kubelet.heartbeat', () => this.heartbeat());
  }

  private seen(pod: Pod): void {
    const m = pod.metadata!;
    const key = `${m.namespace}/${m.name}/${m.uid}`;
    if (m.deletionTimestamp) {
      if (this.opts.keepTerminating || this.terminating.has(key)) return;
      this.terminating.add(key);
      this.cluster.kernel.after(this.opts.terminationDelayMs ?? 0, 'fake-kubelet.kill', () => {
        this.client.delete('Pod', m.namespace, m.name!, { gracePeriodSeconds: 0, preconditions: { uid: m.uid } });
      });
      return;
    }
    if (!pod.spec?.nodeName || this.started.has(key)) return;
    this.started.add(key);
    this.client.patch('Pod', m.namespace, m.name!, { status: { phase: 'Running', conditions: conditions(pod, false, this.cluster.now) } }, { subresource: 'status' });
    if (this.opts.neverReady?.(pod)) return;
    this.cluster.kernel.after(this.opts.readyAfterMs ?? 0, 'fake-kubelet.ready', () => {
      const cur = this.informer.get(`${m.namespace}/${m.name}`) as Pod | undefined;
      if (!cur || cur.metadata?.uid !== m.uid || cur.metadata?.deletionTimestamp) return;
      this.client.patch('Pod', m.namespace, m.name!, { status: { phase: 'Running', conditions: conditions(cur, true, this.cluster.now) } }, { subresource: 'status' });
    });
  }

  /** Reports a running pod not Ready (a failing readiness probe). */
  makeNotReady(namespace: string, name: string): void {
    const cur = this.informer.get(`${namespace}/${name}`) as Pod | undefined;
    if (cur) this.client.patch('Pod', namespace, name, { status: { conditions: conditions(cur, false, this.cluster.now) } }, { subresource: 'status' });
  }
}

function conditions(pod: Pod, ready: boolean, now: number) {
  const t = timestamp(now);
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const flag = ready ? 'True' : 'False';
  return [
    ...(scheduled ? [scheduled] : []),
    { type: 'Initialized', status: 'True', lastTransitionTime: t },
    { type: 'ContainersReady', status: flag, lastTransitionTime: t },
    { type: 'Ready', status: flag, lastTransitionTime: t },
  ];
}

/** The objects of a kind in the store right now (no request, no trace). */
export function stored<T = KubeObject>(cluster: Cluster, resource: string): T[] {
  return [...cluster.etcd.store.range(`/registry/${resource}/`)].map((kv) => kv.value as T);
}

/**
 * A cluster whose real kubelets are stopped, with the node grace periods
 * pushed out to a day so their silence does not make the nodes unreachable
 * (and taint them) while a test's fake kubelet stands in for them.
 */
export function quietCluster(objects: KubeObject[], base: ScenarioModel = emptyScenario()): Cluster {
  const day = 24 * 3600_000;
  const all = [...base.objects, ...objects];
  const cluster = createCluster({ ...base, settings: { ...base.settings, nodeMonitorGracePeriod: day, nodeStartupGracePeriod: day }, objects: all });
  for (const o of all) if (o.kind === 'Node') cluster.act({ action: 'stopKubelet', node: o.metadata.name! });
  return cluster;
}
