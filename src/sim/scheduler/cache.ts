// The scheduler's cache: what it believes is on each node, from its watches
// of nodes and bound pods, plus the pods it has assumed (chosen a node for,
// binding not yet seen). Upstream: pkg/scheduler/internal/cache.
import { podHostPorts } from './framework/host-ports';
import type { Node, Pod } from '../api/types';
import { addResource, emptyResource, newPodInfo, resourceFromList, subtractResource } from './framework/resources';
import type { NodeInfo, PodInfo, Snapshot } from './framework/types';
import { NodeTree } from './node-tree';

interface PodState {
  info: PodInfo;
  nodeName: string;
  /** Chosen by this scheduler; its bind has not come back through the watch yet. */
  assumed: boolean;
}

const hasAffinity = (p: Pod) => !!(p.spec?.affinity?.podAffinity || p.spec?.affinity?.podAntiAffinity);
const hasRequiredAntiAffinity = (p: Pod) => !!p.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length;


function emptyNodeInfo(node: Node): NodeInfo {
  return {
    node,
    name: node.metadata!.name!,
    pods: [],
    podsWithAffinity: [],
    podsWithRequiredAntiAffinity: [],
    usedPorts: [],
    requested: emptyResource(),
    nonZeroRequested: { milliCPU: 0, memory: 0 },
    allocatable: resourceFromList(node.status?.allocatable as Record<string, string> | undefined),
    imageStates: {},
    generation: 0,
  };
}

export class SchedulerCache {
  private nodes = new Map<string, NodeInfo>();
  private pods = new Map<string, PodState>();
  private tree = new NodeTree();
  private generation = 0;
  /** Pods bound to nodes the cache has not seen (yet): kept so a late Node gets them. */
  private orphans = new Map<string, PodInfo[]>();

  addOrUpdateNode(node: Node): void {
    const name = node.metadata!.name!;
    const cur = this.nodes.get(name);
    // Recounting images walks every node: only when this node's image list is a new one.
    const imagesChanged = !cur || cur.node.status?.images !== node.status?.images;
    if (cur) {
      cur.node = node;
      cur.allocatable = resourceFromList(node.status?.allocatable as Record<string, string> | undefined);
      cur.generation = ++this.generation;
    } else {
      const info = emptyNodeInfo(node);
      info.generation = ++this.generation;
      this.nodes.set(name, info);
      for (const p of this.orphans.get(name) ?? []) this.place(info, p);
      this.orphans.delete(name);
    }
    this.tree.add(node);
    if (imagesChanged) this.refreshImages();
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    this.nodes.delete(name);
    this.tree.remove(name);
    // Pods still bound to it stay known; if the node returns they are on it again.
    if (info.pods.length) this.orphans.set(name, info.pods.slice());
    this.refreshImages();
  }

  /** A bound pod seen through the watch: confirms an assumed pod or adds a new one. */
  addOrUpdatePod(pod: Pod): void {
    const uid = pod.metadata!.uid!;
    const nodeName = pod.spec!.nodeName!;
    const cur = this.pods.get(uid);
    if (cur) this.unplace(cur);
    const state: PodState = { info: newPodInfo(pod), nodeName, assumed: false };
    this.pods.set(uid, state);
    const node = this.nodes.get(nodeName);
    if (node) this.place(node, state.info);
    else this.orphans.set(nodeName, [...(this.orphans.get(nodeName) ?? []), state.info]);
  }

  removePod(pod: Pod): void {
    const uid = pod.metadata!.uid!;
    const cur = this.pods.get(uid);
    if (!cur) return;
    this.unplace(cur);
    this.pods.delete(uid);
  }

  /** The scheduler chose `nodeName`: count the pod there now, before the bind is seen. */
  assume(info: PodInfo, nodeName: string): void {
    const state: PodState = { info, nodeName, assumed: true };
    this.pods.set(info.pod.metadata!.uid!, state);
    const node = this.nodes.get(nodeName);
    if (node) this.place(node, info);
  }

  /** The bind failed: take the assumed pod back out. */
  forget(pod: Pod): void {
    const cur = this.pods.get(pod.metadata!.uid!);
    if (cur?.assumed) this.removePod(pod);
  }

  isAssumed(pod: Pod): boolean {
    return this.pods.get(pod.metadata?.uid ?? '')?.assumed ?? false;
  }

  nodeCount(): number {
    return this.nodes.size;
  }

  /** This cycle's view of every node, in node-tree order. Lists are built once per snapshot, on first use. */
  snapshot(): Snapshot {
    const names = this.tree.list();
    const nodes = this.nodes;
    let list: NodeInfo[] | undefined;
    let withAffinity: NodeInfo[] | undefined;
    let withAnti: NodeInfo[] | undefined;
    const all = () => (list ??= names.map((n) => nodes.get(n)!));
    return {
      list: all,
      get: (name) => nodes.get(name),
      havePodsWithAffinity: () => (withAffinity ??= all().filter((n) => n.podsWithAffinity.length > 0)),
      havePodsWithRequiredAntiAffinity: () => (withAnti ??= all().filter((n) => n.podsWithRequiredAntiAffinity.length > 0)),
    };
  }

  private place(node: NodeInfo, info: PodInfo): void {
    node.pods.push(info);
    if (hasAffinity(info.pod)) node.podsWithAffinity.push(info);
    if (hasRequiredAntiAffinity(info.pod)) node.podsWithRequiredAntiAffinity.push(info);
    for (const hp of podHostPorts(info.pod)) node.usedPorts.push(hp);
    node.requested = addResource(node.requested, info.requests);
    node.nonZeroRequested = {
      milliCPU: node.nonZeroRequested.milliCPU + info.nonZeroRequests.milliCPU,
      memory: node.nonZeroRequested.memory + info.nonZeroRequests.memory,
    };
    node.generation = ++this.generation;
  }

  private unplace(state: PodState): void {
    const node = this.nodes.get(state.nodeName);
    if (!node) {
      const list = this.orphans.get(state.nodeName);
      if (list) this.orphans.set(state.nodeName, list.filter((p) => p.pod.metadata!.uid !== state.info.pod.metadata!.uid));
      return;
    }
    const uid = state.info.pod.metadata!.uid;
    const drop = (l: PodInfo[]) => {
      const i = l.findIndex((p) => p.pod.metadata!.uid === uid);
      if (i >= 0) l.splice(i, 1);
    };
    drop(node.pods);
    drop(node.podsWithAffinity);
    drop(node.podsWithRequiredAntiAffinity);
    for (const hp of podHostPorts(state.info.pod)) {
      const i = node.usedPorts.findIndex((u) => u.ip === hp.ip && u.protocol === hp.protocol && u.port === hp.port);
      if (i >= 0) node.usedPorts.splice(i, 1);
    }
    node.requested = subtractResource(node.requested, state.info.requests);
    node.nonZeroRequested = {
      milliCPU: node.nonZeroRequested.milliCPU - state.info.nonZeroRequests.milliCPU,
      memory: node.nonZeroRequested.memory - state.info.nonZeroRequests.memory,
    };
    node.generation = ++this.generation;
  }

  /**
   * Image states from each node's status.images: size, and on how many
   * nodes an image is (ImageLocality's spread). Names are kept as the node
   * reports them; the plugin normalizes what the pod asks for.
   */
  private refreshImages(): void {
    const count = new Map<string, number>();
    for (const info of this.nodes.values())
      for (const img of info.node.status?.images ?? []) for (const n of img.names ?? []) count.set(n, (count.get(n) ?? 0) + 1);
    for (const info of this.nodes.values()) {
      const states: NodeInfo['imageStates'] = {};
      for (const img of info.node.status?.images ?? [])
        for (const n of img.names ?? []) states[n] = { size: img.sizeBytes ?? 0, numNodes: count.get(n) ?? 1 };
      info.imageStates = states;
    }
  }
}
