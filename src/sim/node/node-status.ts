// The kubelet's node status loop (pkg/kubelet/kubelet_node_status.go and
// pkg/kubelet/nodestatus/setters.go): every nodeStatusUpdateFrequency (10 s)
// it reads its Node, works out the status (capacity and allocatable, the
// pressure conditions and Ready with their heartbeat, nodeInfo, the images
// it holds) and patches it only when something other than the heartbeat
// changed or nodeStatusReportFrequency (5 minutes) has passed since the last
// report: with node leases the Lease is the heartbeat, and the Node's
// lastHeartbeatTime moves every 5 minutes. A Node deleted while its kubelet
// runs is registered again (registerWithAPIServer), as a real kubelet does.
// MemoryPressure follows the eviction manager (MemoryPressureCondition), with
// the NodeHasInsufficientMemory / NodeHasSufficientMemory events. Ready is
// False (KubeletNotReady, "container runtime network not ready: ...") while
// the runtime's network is not ready, which happens only on a machine that
// joined a cloud cluster and has no pod CIDR yet; at start the kubelet then
// polls its Node every 100 ms (fastStatusUpdateOnce, for at most 2 minutes)
// and posts as soon as the pod CIDR made the network ready.
import type { Taint } from 'kubernetes-types/core/v1';
import type { ContainerImage, Node, NodeCondition, NodeStatus } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import { semanticEqual } from '../api/validation/equal';
import type { ApiClient } from '../apiserver/apiserver';
import { registeredNode } from '../cluster/node-defaults';
import type { EventRecorder } from '../client/event-recorder';
import type { Kernel, Timer } from '../kernel/kernel';
import type { ContainerRuntime } from './container-runtime';
import { stamp } from './pod-status';

/** nodeStatusReportFrequency's default. */
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;
/** nodeStatusMaxImages and MaxNamesPerImageInNodeStatus. */
const MAX_IMAGES = 50;
const MAX_NAMES_PER_IMAGE = 5;
/** nodeStatusUpdateRetry. */
const UPDATE_RETRIES = 5;
/** fastStatusUpdateOnce's poll, and nodeReadyGracePeriod: how long it keeps polling. */
export const FAST_STATUS_POLL_MS = 100;
export const NODE_READY_GRACE_PERIOD_MS = 120_000;

/** MemoryPressure=True, as the MemoryPressureCondition setter writes it under pressure. */
const MEMORY_PRESSURE_TRUE: [string, string, string, string] = ['MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'];

const KUBELET_CONDITIONS: Array<[string, string, string, string]> = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/** nodestatus.Images: largest first, at most 50, each with its digest then its tags. */
export function nodeImages(rt: ContainerRuntime): ContainerImage[] {
  const list = [...rt.images.values()].sort((a, b) => b.sizeBytes - a.sizeBytes || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  return list.slice(0, MAX_IMAGES).map((img) => ({ names: [img.repoDigest, ...img.repoTags].slice(0, MAX_NAMES_PER_IMAGE), sizeBytes: img.sizeBytes }));
}

/** nodeStatusHasChanged: any change but a condition's lastHeartbeatTime. */
export function nodeStatusChanged(a: NodeStatus | undefined, b: NodeStatus): boolean {
  const strip = (s: NodeStatus | undefined) => ({
    ...s,
    conditions: [...(s?.conditions ?? [])].map((c) => ({ ...c, lastHeartbeatTime: undefined })).sort((x, y) => (x.type < y.type ? -1 : x.type > y.type ? 1 : 0)),
  });
  return !semanticEqual(strip(a), strip(b));
}

export class NodeStatusReporter {
  private timer?: Timer;
  private fastTimer?: Timer;
  private lastReport = -Infinity;
  private running = false;
  /** nodeInfo.bootID of this boot. */
  bootID = '';
  /** The Node as the kubelet last read or wrote it (its lister, for admission). */
  node?: Node;
  reports = 0;
  /**
   * The Node's status and the runtime's image count when the kubelet last
   * found nothing to report: while both are the same, so is its answer,
   * and the status need not be worked out again.
   */
  private settled?: { status: NodeStatus | undefined; images: number; bootID: string; pressure: boolean; network: string | undefined };

  constructor(
    private readonly kernel: Kernel,
    private readonly client: ApiClient,
    private readonly nodeName: string,
    private readonly index: number,
    private readonly period: number,
    private readonly runtime: ContainerRuntime,
    /** The running process's recorder (a new one per start). */
    private readonly recorder: () => EventRecorder,
    /** The eviction manager's IsUnderMemoryPressure. */
    private readonly memoryPressure: () => boolean = () => false,
    /** updateNode's first step: the kubelet looks at the Node it just read (its pod CIDR). */
    private readonly nodeRead: (node: Node) => void = () => {},
    /** --register-with-taints: what a Node this kubelet registers carries from the start. */
    private readonly registerTaints: () => readonly Taint[] = () => [],
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.sync();
    if (this.runtime.networkNotReady() !== undefined) this.fastUntilReady(this.kernel.now);
  }

  stop(): void {
    this.running = false;
    this.lastReport = -Infinity;
    this.settled = undefined;
    if (this.timer) this.kernel.cancel(this.timer);
    this.kernel.cancel(this.fastTimer);
    this.timer = this.fastTimer = undefined;
  }

  /**
   * fastStatusUpdateOnce: every 100 ms, read the Node (upstream reads its
   * lister; here a GET) until the network is ready, then post at once; give
   * up after nodeReadyGracePeriod and leave it to the 10 s loop.
   */
  private fastUntilReady(since: number): void {
    this.fastTimer = this.kernel.after(FAST_STATUS_POLL_MS, 'kubelet.fastNodeStatus', () => {
      this.fastTimer = undefined;
      if (!this.running) return;
      // While nothing changed this only reads the Node; once its pod CIDR made the network ready, it posts.
      this.post();
      if (this.runtime.networkNotReady() === undefined) return;
      if (this.kernel.now - since < NODE_READY_GRACE_PERIOD_MS) this.fastUntilReady(since);
    });
  }

  /** Made once: the loop reschedules it every 10 s on every node. */
  private readonly onPeriod = () => {
    this.timer = undefined;
    if (this.running) this.sync();
  };

  private schedule(): void {
    this.timer = this.kernel.after(this.period, 'kubelet.nodeStatus', this.onPeriod);
  }

  /** syncNodeStatus: updateNodeStatus with its retries, then wait for the next period. */
  sync(): void {
    this.post();
    this.schedule();
  }

  /** updateNodeStatus: tryUpdateNodeStatus up to nodeStatusUpdateRetry times. */
  private post(): void {
    for (let i = 0; i < UPDATE_RETRIES; i++) if (this.tryUpdate()) break;
  }

  private tryUpdate(): boolean {
    const got = this.client.get('Node', undefined, this.nodeName);
    if (!got.ok) return got.status.code === 404 ? this.register() : false;
    const node = got.object as Node;
    this.node = node;
    this.nodeRead(node);
    const now = this.kernel.now;
    const due = now >= this.lastReport + NODE_STATUS_REPORT_FREQUENCY_MS;
    const s = this.settled;
    const pressure = this.memoryPressure();
    const network = this.runtime.networkNotReady();
    if (!due && s && s.status === node.status && s.images === this.runtime.images.size && s.bootID === this.bootID && s.pressure === pressure && s.network === network) return true;
    const status = this.desiredStatus(node, now);
    if (!due && !nodeStatusChanged(node.status, status)) {
      this.settled = { status: node.status, images: this.runtime.images.size, bootID: this.bootID, pressure, network };
      return true;
    }
    const r = this.client.updateStatus({ ...(node as KubeObject), status });
    if (!r.ok) return false;
    this.node = r.object as Node;
    this.settled = { status: this.node.status, images: this.runtime.images.size, bootID: this.bootID, pressure, network };
    this.lastReport = now;
    this.reports++;
    this.events(node.status);
    return true;
  }

  /** registerWithAPIServer: the Node as this machine describes itself (its labels and capacity as last seen). */
  private register(): boolean {
    const last = this.node;
    const fresh: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: this.nodeName, ...(last?.metadata?.labels ? { labels: last.metadata.labels } : {}) },
      ...(this.registerTaints().length ? { spec: { taints: this.registerTaints().map((t) => ({ ...t })) } } : {}),
      status: last?.status?.capacity ? { capacity: last.status.capacity, allocatable: last.status.allocatable } : {},
    };
    const node = registeredNode(fresh, this.index, this.kernel.now);
    const r = this.client.create({ ...(node as KubeObject), status: { ...node.status, nodeInfo: { ...node.status!.nodeInfo!, bootID: this.bootID }, images: nodeImages(this.runtime) } });
    if (!r.ok) return false;
    this.node = r.object as Node;
    this.settled = undefined;
    this.lastReport = this.kernel.now;
    this.reports++;
    return true;
  }

  /** The setters, in upstream's order: addresses, machine info, version info, daemon endpoints, images, conditions. */
  private desiredStatus(node: Node, now: number): NodeStatus {
    // Fills what a hand-written Node lacks (capacity, addresses, nodeInfo) as registration would.
    const base = registeredNode(node, this.index, now).status!;
    const at = stamp(now);
    const conditions: NodeCondition[] = [];
    const old = base.conditions ?? [];
    const pressure = this.memoryPressure();
    const network = this.runtime.networkNotReady();
    const setters = KUBELET_CONDITIONS.map((c): [string, string, string, string] => {
      if (pressure && c[0] === 'MemoryPressure') return MEMORY_PRESSURE_TRUE;
      // The ReadyCondition setter: any runtime or network error makes the node not ready.
      if (network !== undefined && c[0] === 'Ready') return ['Ready', 'False', 'KubeletNotReady', `container runtime network not ready: ${network}`];
      return c;
    });
    for (const [type, status, reason, message] of setters) {
      const prev = old.find((c) => c.type === type);
      const lastTransitionTime = prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : at;
      conditions.push({ type, status, lastHeartbeatTime: at, lastTransitionTime, reason, message });
    }
    for (const c of old) if (!KUBELET_CONDITIONS.some(([t]) => t === c.type)) conditions.push(c);
    return {
      ...base,
      conditions,
      nodeInfo: { ...base.nodeInfo!, bootID: this.bootID },
      images: nodeImages(this.runtime),
    };
  }

  /** recordNodeStatusEvent and the MachineInfo setter's reboot check. */
  private events(old: NodeStatus | undefined): void {
    const ref = { kind: 'Node', apiVersion: 'v1', metadata: { name: this.nodeName, uid: this.nodeName } };
    const oldBoot = old?.nodeInfo?.bootID ?? '';
    if (oldBoot !== '' && oldBoot !== this.bootID) this.recorder().event(ref, 'Warning', 'Rebooted', `Node ${this.nodeName} has been rebooted, boot id: ${this.bootID}`);
    // MemoryPressureCondition records its transitions (a Node registered fresh starts without pressure).
    const oldMemory = old?.conditions?.find((c) => c.type === 'MemoryPressure')?.status;
    const memory = this.node?.status?.conditions?.find((c) => c.type === 'MemoryPressure')?.status;
    if (memory !== oldMemory && (memory === 'True' || oldMemory !== undefined)) {
      const event = memory === 'True' ? 'NodeHasInsufficientMemory' : 'NodeHasSufficientMemory';
      this.recorder().event(ref, 'Normal', event, `Node ${this.nodeName} status is now: ${event}`);
    }
    const wasReady = old?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    const isReady = this.node?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (!wasReady && isReady) this.recorder().event(ref, 'Normal', 'NodeReady', `Node ${this.nodeName} status is now: NodeReady`);
    if (wasReady && !isReady) this.recorder().event(ref, 'Normal', 'NodeNotReady', `Node ${this.nodeName} status is now: NodeNotReady`);
  }
}
