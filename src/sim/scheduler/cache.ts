// The scheduler's cache: what it believes is on each node, from its watches
// of nodes and bound pods, plus the pods it has assumed (chosen a node for,
// binding not yet seen). Upstream: pkg/scheduler/internal/cache.
import { podHostPorts } from './framework/host-ports';
import type { Node, Pod } from '../api/types';
import { NodeTable } from './framework/node-table';
import { emptyResource, newPodInfo, resourceFromList, sameRequestInputs } from './framework/resources';
import type { ImageStateSummary, NodeInfo, PodInfo, Snapshot } from './framework/types';
import { NodeTree } from './node-tree';
import { LabelCoverage, MatchingPodIndex } from './matching-pods';

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

/** An image as the cache knows it across nodes (upstream cacheImageState): its size and the nodes that hold it. */
interface CachedImage {
  nodes: Set<string>;
  /** Shared by every NodeInfo that holds the image, so numNodes is current everywhere. */
  summary: ImageStateSummary;
}

/**
 * Adds (or takes away) a pod's requests in place: a NodeInfo keeps the
 * objects it was built with, so the fields every Filter and Score reads stay
 * together in memory (and no garbage is made per placement). Scalars stay,
 * at 0, once seen, as NodeInfo.update does.
 */
function accumulate(node: NodeInfo, info: PodInfo, sign: 1 | -1): void {
  const r = node.requested;
  const q = info.requests;
  r.milliCPU += sign * q.milliCPU;
  r.memory += sign * q.memory;
  r.ephemeralStorage += sign * q.ephemeralStorage;
  for (const k in q.scalar) r.scalar[k] = (r.scalar[k] ?? 0) + sign * q.scalar[k];
  node.nonZeroRequested.milliCPU += sign * info.nonZeroRequests.milliCPU;
  node.nonZeroRequested.memory += sign * info.nonZeroRequests.memory;
}

/** Takes a pod out of one of a node's lists. They hold the PodInfo place() was given: found by identity, without reading each pod's metadata. */
function removeFrom(list: PodInfo[], info: PodInfo): boolean {
  let i = list.indexOf(info);
  if (i < 0) i = list.findIndex((p) => p.pod.metadata!.uid === info.pod.metadata!.uid);
  if (i >= 0) list.splice(i, 1);
  return i >= 0;
}

export class SchedulerCache {
  private nodes = new Map<string, NodeInfo>();
  private pods = new Map<string, PodState>();
  private tree = new NodeTree();
  private images = new Map<string, CachedImage>();
  private generation = 0;
  /** Pods bound to nodes the cache has not seen (yet): kept so a late Node gets them. */
  private orphans = new Map<string, PodInfo[]>();
  /**
   * The node list in tree order and the nodes holding pods with
   * (anti-)affinity, kept between cycles: NodeInfos change in place, so the
   * lists need rebuilding only when nodes come and go or affinity pods move.
   */
  private list?: NodeInfo[];
  /** Every node's hot numbers by slot (kept in step with its NodeInfo), and the slots in list order. */
  private table = new NodeTable();
  private order?: Int32Array;
  private withAffinity?: NodeInfo[];
  private withRequiredAnti?: NodeInfo[];
  /** Matching-pod counts per selector PodTopologySpread asked for, and which nodes lack which keys. */
  private matching = new MatchingPodIndex();
  private coverage = new LabelCoverage();

  addOrUpdateNode(node: Node): void {
    const name = node.metadata!.name!;
    const cur = this.nodes.get(name);
    if (cur) {
      // Status writes (every 10 s per kubelet) keep the images and allocatable objects when they did not change.
      const imagesChanged = cur.node.status?.images !== node.status?.images;
      const allocatableChanged = cur.node.status?.allocatable !== node.status?.allocatable;
      const labelsBefore = cur.node.metadata?.labels;
      if (imagesChanged) this.removeImages(cur);
      cur.node = node;
      if (labelsBefore !== node.metadata?.labels) {
        this.coverage.relabelled(labelsBefore, node.metadata?.labels);
        this.matching.relabelled(cur, labelsBefore);
      }
      if (imagesChanged) this.addImages(cur);
      if (allocatableChanged) Object.assign(cur.allocatable, resourceFromList(node.status?.allocatable as Record<string, string> | undefined));
      cur.generation = ++this.generation;
      this.table.sync(cur);
    } else {
      const info = emptyNodeInfo(node);
      info.generation = ++this.generation;
      this.nodes.set(name, info);
      this.coverage.counted(node.metadata?.labels, 1);
      this.addImages(info);
      this.table.sync(info);
      for (const p of this.orphans.get(name) ?? []) this.place(info, p);
      this.orphans.delete(name);
      this.list = this.withAffinity = this.withRequiredAnti = undefined;
    }
    if (this.tree.add(node)) this.list = undefined;
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    this.nodes.delete(name);
    this.tree.remove(name);
    this.table.remove(name);
    this.removeImages(info);
    this.coverage.counted(info.node.metadata?.labels, -1);
    this.matching.removed(info);
    this.list = this.withAffinity = this.withRequiredAnti = undefined;
    // Pods still bound to it stay known; if the node returns they are on it again.
    if (info.pods.length) this.orphans.set(name, info.pods.slice());
  }

  /** A bound pod seen through the watch: confirms an assumed pod or adds a new one. */
  addOrUpdatePod(pod: Pod): void {
    const uid = pod.metadata!.uid!;
    const nodeName = pod.spec!.nodeName!;
    const cur = this.pods.get(uid);
    // Status writes keep the stored spec object: the requests worked out before still hold.
    if (cur && !cur.assumed && cur.nodeName === nodeName && cur.info.pod.spec === pod.spec) {
      if (this.matching.size) {
        const ni = this.nodes.get(nodeName);
        if (ni) this.matching.changed(ni, cur.info.pod, pod);
      }
      cur.info.pod = pod;
      return;
    }
    // Binding changes spec.nodeName only: when the parts of the spec the requests, ports and affinity
    // come from are the same objects, the assumed pod's PodInfo holds but for the pod itself.
    const node = this.nodes.get(nodeName);
    if (cur && node && cur.nodeName === nodeName && sameRequestInputs(cur.info.pod, pod) && cur.info.pod.spec?.affinity === pod.spec?.affinity && node.pods.includes(cur.info)) {
      const info: PodInfo = { pod, requests: cur.info.requests, nonZeroRequests: cur.info.nonZeroRequests };
      this.replace(node, cur.info, info);
      cur.info = info;
      cur.assumed = false;
      return;
    }
    if (cur) this.unplace(cur);
    const state: PodState = { info: newPodInfo(pod), nodeName, assumed: false };
    this.pods.set(uid, state);
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

  /**
   * The cycle's view of every node, in node-tree order. Cycles run to the
   * end without yielding to other events, so the NodeInfos themselves serve
   * as the snapshot (upstream copies them because its cycles run beside
   * its informers).
   */
  snapshot(): Snapshot {
    const all = () => {
      if (!this.list) {
        this.list = this.tree.list().map((n) => this.nodes.get(n)!);
        this.order = Int32Array.from(this.list, (n) => this.table.slot(n.name)!);
      }
      return this.list;
    };
    return {
      list: all,
      table: () => {
        all();
        return { table: this.table, order: this.order! };
      },
      get: (name) => this.nodes.get(name),
      matchingPods: (ns, selector) => this.matching.get(ns, selector, () => this.nodes.values()),
      nodesWithoutLabel: (key) => this.coverage.without(key, () => this.nodes.values()),
      havePodsWithAffinity: () => (this.withAffinity ??= all().filter((n) => n.podsWithAffinity.length > 0)),
      havePodsWithRequiredAntiAffinity: () => (this.withRequiredAnti ??= all().filter((n) => n.podsWithRequiredAntiAffinity.length > 0)),
    };
  }

  private place(node: NodeInfo, info: PodInfo): void {
    node.pods.push(info);
    if (this.matching.size) this.matching.placed(node, info.pod);
    if (hasAffinity(info.pod)) {
      node.podsWithAffinity.push(info);
      this.withAffinity = undefined;
    }
    if (hasRequiredAntiAffinity(info.pod)) {
      node.podsWithRequiredAntiAffinity.push(info);
      this.withRequiredAnti = undefined;
    }
    for (const hp of podHostPorts(info.pod)) node.usedPorts.push(hp);
    accumulate(node, info, 1);
    node.generation = ++this.generation;
    this.table.syncPods(node);
  }

  /**
   * unplace(old) then place(info) for a new version of a placed pod with the
   * same requests, ports and affinity: it moves to the end of the node's
   * lists as it would, and the sums are left as they are (taking the same
   * integers away and adding them back changes nothing), so the table row too.
   */
  private replace(node: NodeInfo, old: PodInfo, info: PodInfo): void {
    const move = (l: PodInfo[]) => {
      removeFrom(l, old);
      l.push(info);
    };
    move(node.pods);
    if (this.matching.size) this.matching.changed(node, old.pod, info.pod);
    if (hasAffinity(info.pod)) {
      move(node.podsWithAffinity);
      this.withAffinity = undefined;
    }
    if (hasRequiredAntiAffinity(info.pod)) {
      move(node.podsWithRequiredAntiAffinity);
      this.withRequiredAnti = undefined;
    }
    const ports = podHostPorts(info.pod);
    for (const hp of ports) {
      const i = node.usedPorts.findIndex((u) => u.ip === hp.ip && u.protocol === hp.protocol && u.port === hp.port);
      if (i >= 0) node.usedPorts.splice(i, 1);
    }
    for (const hp of ports) node.usedPorts.push(hp);
    node.generation = ++this.generation;
  }

  private unplace(state: PodState): void {
    const node = this.nodes.get(state.nodeName);
    if (!node) {
      const list = this.orphans.get(state.nodeName);
      if (list) this.orphans.set(state.nodeName, list.filter((p) => p.pod.metadata!.uid !== state.info.pod.metadata!.uid));
      return;
    }
    const drop = (l: PodInfo[]) => removeFrom(l, state.info);
    if (drop(node.pods) && this.matching.size) this.matching.unplaced(node, state.info.pod);
    if (hasAffinity(state.info.pod)) {
      drop(node.podsWithAffinity);
      this.withAffinity = undefined;
    }
    if (hasRequiredAntiAffinity(state.info.pod)) {
      drop(node.podsWithRequiredAntiAffinity);
      this.withRequiredAnti = undefined;
    }
    for (const hp of podHostPorts(state.info.pod)) {
      const i = node.usedPorts.findIndex((u) => u.ip === hp.ip && u.protocol === hp.protocol && u.port === hp.port);
      if (i >= 0) node.usedPorts.splice(i, 1);
    }
    accumulate(node, state.info, -1);
    node.generation = ++this.generation;
    this.table.syncPods(node);
  }

  /** Counts the node's status.images in (upstream addNodeImageStates): the first node to report an image sets its size. */
  private addImages(info: NodeInfo): void {
    const states: NodeInfo['imageStates'] = {};
    for (const img of info.node.status?.images ?? [])
      for (const n of img.names ?? []) {
        let c = this.images.get(n);
        if (!c) this.images.set(n, (c = { nodes: new Set(), summary: { size: img.sizeBytes ?? 0, numNodes: 0 } }));
        c.nodes.add(info.name);
        c.summary.numNodes = c.nodes.size;
        states[n] = c.summary;
      }
    info.imageStates = states;
  }

  private removeImages(info: NodeInfo): void {
    for (const n of Object.keys(info.imageStates)) {
      const c = this.images.get(n);
      if (!c) continue;
      c.nodes.delete(info.name);
      c.summary.numNodes = c.nodes.size;
      if (c.nodes.size === 0) this.images.delete(n);
    }
    info.imageStates = {};
  }
}
