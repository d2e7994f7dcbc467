// The kubelet of one node (pkg/kubelet/kubelet.go): a process with a
// lifecycle statechart (running / stopped / powered off) that, while it
// runs, renews its node Lease, reports its Node's status, watches the pods
// bound to its node (spec.nodeName=NODE), admits them and runs them through
// the pod workers, and writes their status. On start it lists its pods
// (the reflector's list), picks up containers the runtime still runs,
// kills those of pods the apiserver no longer has, then watches from the
// list's resourceVersion. Its
// eviction manager (eviction-manager.ts) watches the machine's memory.
// Where node CIDRs are allocated (a cloud) it hands its Node's
// spec.podCIDR to the runtime whenever it reads the Node (updatePodCIDR).
import type { Taint } from 'kubernetes-types/core/v1';
import type { Actor } from 'xstate';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject, Node } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import { nodeIp } from '../cluster/node-defaults';
import { EventRecorder } from '../client/event-recorder';
import { Informer } from '../client/informer';
import type { Kernel, Timer } from '../kernel/kernel';
import type { ClusterSettings } from '../model';
import type { ContainerRuntime } from './container-runtime';
import type { KubeletState, NodeAgentsSnapshotValue, nodeAgentsMachine } from './kubelet-machine';
import { EvictionManager, type ActivePod } from './eviction-manager';
import { AdmittedPods } from './kubelet-admission';
import { NodeLease } from './node-lease';
import { NodeStatusReporter } from './node-status';
import { current, podFacts, type PodRecord } from './pod-record';
import { evictedPodStatus, generatePodStatus, rejectedPodStatus } from './pod-status';
import { PodWorkers } from './pod-workers';
import { StatusManager } from './status-manager';
import { waitForAttachAndMount } from './volume-manager';

/** The reflector's wait before listing again after a failed list. */
const RELIST_RETRY_MS = 1000;

export interface KubeletDeps {
  kernel: Kernel;
  client: ApiClient;
  runtime: ContainerRuntime;
  nodeName: string;
  /** The node's place in the cluster (its InternalIP when the Node lacks one). */
  index: number;
  settings: ClusterSettings;
  /** The node's statechart; its kubelet region is this kubelet's lifecycle. */
  actor: Actor<typeof nodeAgentsMachine>;
  /** The machine's memory is filled (cluster/machines.ts): what cadvisor would tell the eviction manager. */
  memoryFilled(): boolean;
  /**
   * The cluster allocates node CIDRs (kube-controller-manager's node IPAM, on
   * a cloud): the runtime's network follows the Node's spec.podCIDR. Without
   * it each node's network keeps its own /24 and the Node's is ignored.
   */
  podCIDRFromNode?(): boolean;
  /** Taints the kubelet registers its Node with (--register-with-taints; the cloud's uninitialized taint with --cloud-provider=external). */
  registerTaints?(): readonly Taint[];
}

/** One pod as the kubelet runs it, for the UI. */
export interface KubeletPodView {
  key: string;
  uid: string;
  phase: string;
  /** What the pod worker is doing: pulling, creating the sandbox, terminating, ... */
  activity: string;
  containers: Array<{ name: string; state: string; reason?: string; ready: boolean; restartCount: number }>;
}

export class Kubelet {
  readonly lease: NodeLease;
  readonly nodeStatus: NodeStatusReporter;
  readonly eviction: EvictionManager;
  private workers?: PodWorkers;
  private status?: StatusManager;
  private informer?: Informer;
  private recorder: EventRecorder;
  private readonly admitted = new AdmittedPods();
  private bootTimer?: Timer;
  private readonly name: string;

  constructor(private readonly d: KubeletDeps) {
    this.name = d.nodeName;
    this.recorder = this.newRecorder();
    this.lease = new NodeLease(d.kernel, d.client, d.nodeName, Math.round(d.settings.nodeLeaseDuration / 1000));
    this.nodeStatus = new NodeStatusReporter(
      d.kernel,
      d.client,
      d.nodeName,
      d.index,
      d.settings.nodeStatusUpdateFrequency,
      d.runtime,
      () => this.recorder,
      () => this.eviction.underMemoryPressure,
      (node) => this.updatePodCIDR(node),
      () => d.registerTaints?.() ?? [],
    );
    this.eviction = new EvictionManager({
      kernel: d.kernel,
      nodeName: d.nodeName,
      memoryFilled: () => d.memoryFilled(),
      activePods: () => this.activePods(),
      evict: (pod, message, grace) => this.workers?.evict(pod.metadata!.uid!, message, grace) ?? false,
      recorder: () => this.recorder,
    });
  }

  get state(): KubeletState {
    return (this.d.actor.getSnapshot().value as NodeAgentsSnapshotValue).kubelet;
  }

  private newRecorder(): EventRecorder {
    return new EventRecorder(this.d.kernel, this.d.client, { component: 'kubelet', host: this.d.nodeName });
  }

  /**
   * Start the process. `clusterStart`: the scenario's first instant, when
   * the pods already bound to this node count as running since t=0.
   */
  boot(clusterStart: boolean): void {
    this.d.kernel.cancel(this.bootTimer);
    this.bootTimer = this.d.kernel.after(0, 'kubelet.start', () => {
      this.bootTimer = undefined;
      if (this.state === 'running') this.startProcess(clusterStart);
    });
  }

  stopKubelet(): void {
    if (this.state !== 'running') return;
    this.d.actor.send({ type: 'kubelet.stop' });
    this.stopProcess();
  }

  startKubelet(): void {
    if (this.state !== 'stopped') return;
    this.d.actor.send({ type: 'kubelet.start' });
    this.boot(false);
  }

  /** The machine lost power (NodeAgents moved the statechart): the process and every task go. */
  poweredOff(): void {
    this.stopProcess();
    this.d.runtime.powerOff();
  }

  /** The machine booted: a new boot id, and the kubelet starts. */
  poweredOn(): void {
    this.d.runtime.powerOn();
    this.nodeStatus.bootID = this.d.kernel.ids.uid();
    this.boot(false);
  }

  /** The network to the control plane broke or came back: open connections are dead either way, so watch again. */
  networkChanged(): void {
    if (this.state !== 'running' || !this.informer) return;
    this.informer.stop();
    this.informer.start();
  }

  private startProcess(clusterStart: boolean): void {
    const k = this.d.kernel;
    this.nodeStatus.bootID ||= k.ids.uid();
    this.recorder = this.newRecorder();
    if (!clusterStart) {
      const ref = { kind: 'Node', apiVersion: 'v1', metadata: { name: this.name, uid: this.name } };
      this.recorder.event(ref, 'Normal', 'Starting', 'Starting kubelet.');
      this.recorder.event(ref, 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    }
    const status = new StatusManager(k, this.d.client, (rec) => this.desiredStatus(rec), (rec) => this.workers?.deleted(rec));
    this.status = status;
    this.workers = new PodWorkers({
      kernel: k,
      runtime: this.d.runtime,
      recorder: this.recorder,
      admitted: this.admitted,
      evictionAdmit: (pod) => this.eviction.admit(pod),
      statusChanged: (rec) => status.mark(rec),
      node: () => this.nodeStatus.node,
      hostIP: () => this.hostIP(),
      volumesError: (pod) => waitForAttachAndMount(this.d.client, pod),
    });
    const workers = this.workers;
    this.d.runtime.listen((c) => workers.containerExited(c));
    // The Node first (admission reads it), then the pods.
    const node = this.d.client.get('Node', undefined, this.name);
    if (node.ok) {
      this.nodeStatus.node = node.object as Node;
      this.updatePodCIDR(this.nodeStatus.node);
    }
    this.listAndWatch(clusterStart);
    // The pods it lists are admitted before the eviction manager has observed anything; and it runs before
    // the status loop, so at an instant both run the status reports what it just observed.
    this.eviction.start();
    this.lease.start();
    this.nodeStatus.start();
  }

  private listAndWatch(clusterStart: boolean): void {
    const workers = this.workers!;
    const selector = `spec.nodeName=${this.name}`;
    const listed = this.d.client.list('Pod', { fieldSelector: selector });
    if (!listed.ok) {
      this.bootTimer = this.d.kernel.after(RELIST_RETRY_MS, 'kubelet.relist', () => {
        this.bootTimer = undefined;
        if (this.state === 'running' && this.workers === workers) this.listAndWatch(false);
      });
      return;
    }
    // HandlePodAdditions admits pods oldest first; ties in the list's order (namespace/name: the sort is stable).
    const pods = (listed.items as Pod[]).slice().sort(byCreation);
    const uids = new Set<string>();
    for (const p of pods) {
      uids.add(p.metadata!.uid!);
      // The starting cluster's pods have been running since t=0; one whose status the snapshot already
      // holds (a settled workload's) runs the very sandbox and containers that status names.
      workers.add(p, clusterStart);
    }
    workers.killOrphans(uids);
    // The pod config source is one reflector (pkg/kubelet/config/apiserver.go): this list is its list,
    // and its watch carries on from the list's resourceVersion.
    this.informer = new Informer(this.d.kernel, this.d.client, 'Pod', { fieldSelector: selector }, {
      add: (o) => workers.add(o as Pod),
      update: (o) => workers.update(o as Pod),
      delete: (o) => workers.remove(o as Pod),
    });
    this.informer.start(listed);
  }

  private stopProcess(): void {
    this.d.kernel.cancel(this.bootTimer);
    this.bootTimer = undefined;
    this.informer?.stop();
    this.informer = undefined;
    this.lease.stop();
    this.nodeStatus.stop();
    this.eviction.stop();
    this.workers?.stop();
    this.status?.stop();
    this.workers = this.status = undefined;
    this.d.runtime.listen(undefined);
    this.admitted.clear();
  }

  /**
   * updatePodCIDR: the Node's pod CIDR goes to the runtime (UpdateRuntimeConfig),
   * whose network is ready from then on. Only where node CIDRs are allocated.
   */
  private updatePodCIDR(node: Node): void {
    if (!this.d.podCIDRFromNode?.()) return;
    const cidr = node.spec?.podCIDRs?.[0] ?? node.spec?.podCIDR;
    if (cidr) this.d.runtime.updatePodCIDR(cidr);
  }

  hostIP(): string {
    const addrs = this.nodeStatus.node?.status?.addresses;
    return addrs?.find((a) => a.type === 'InternalIP')?.address ?? nodeIp(this.d.index);
  }

  private desiredStatus(rec: PodRecord) {
    if (rec.gone) return undefined;
    if (rec.rejected) return rejectedPodStatus(rec.pod, rec.rejected.reason, rec.rejected.message);
    // A pod that was finished before this kubelet met it is not its to report.
    if (rec.startTime === undefined) return undefined;
    const status = generatePodStatus(podFacts(rec, this.d.runtime, this.hostIP(), this.d.kernel.now));
    return rec.evicted ? evictedPodStatus(status, rec.evicted.message, rec.evicted.at) : status;
  }

  /** GetActivePods, for the eviction manager: admitted pods that are neither finished nor being stopped. */
  private activePods(): ActivePod[] {
    const out: ActivePod[] = [];
    const now = this.d.kernel.now;
    for (const rec of this.workers?.records.values() ?? []) {
      if (rec.terminated || rec.rejected || rec.terminating || rec.gone || rec.startTime === undefined) continue;
      const containers = [];
      for (const t of rec.tracks.values()) {
        if (t.kind !== 'regular') continue;
        const c = current(this.d.runtime, t);
        const b = t.behavior;
        // The working set the behavior names, once the container has grown to it.
        const reached = c?.state === 'running' && b?.memoryBytes !== undefined && now >= (c.startedAt ?? 0) + b.memoryAfter;
        containers.push({ name: t.spec.name, usage: reached ? b!.memoryBytes : undefined, request: t.spec.resources?.requests?.memory as string | undefined });
      }
      out.push({ pod: rec.pod, containers });
    }
    return out;
  }

  // ---- views ---------------------------------------------------------------

  /** The pods this kubelet runs, in the order it met them. */
  pods(): KubeletPodView[] {
    const out: KubeletPodView[] = [];
    for (const rec of this.workers?.records.values() ?? []) {
      const rt = this.d.runtime;
      const activity = rec.rejected
        ? `rejected: ${rec.rejected.reason}`
        : rec.terminated
          ? 'terminated'
          : rec.terminating
            ? 'terminating'
            : rec.busy?.kind === 'pull'
              ? `pulling image for ${rec.busy.container}`
              : rec.busy?.kind === 'sandbox'
                ? 'creating sandbox'
                : 'running';
      out.push({
        key: rec.key,
        uid: rec.uid,
        phase: (rec.pod.status?.phase as string) ?? 'Pending',
        activity,
        containers: [...rec.tracks.values()].map((t) => {
          const c = current(rt, t);
          return {
            name: t.spec.name,
            state: t.waiting && c?.state !== 'running' ? 'waiting' : (c?.state ?? 'waiting'),
            reason: t.waiting?.reason ?? (c?.state === 'exited' ? c.reason : undefined),
            ready: t.ready && c?.state === 'running',
            restartCount: c?.attempt ?? 0,
          };
        }),
      });
    }
    return out;
  }

  /** Writes of pod status this process made (for tests and the UI). */
  get statusWrites(): number {
    return this.status?.writes ?? 0;
  }
}

/** Oldest first. Only the timestamps: the list comes in key order, and Array.prototype.sort keeps ties in it. */
function byCreation(a: Pod | KubeObject, b: Pod | KubeObject): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  return ta === tb ? 0 : ta < tb ? -1 : 1;
}
