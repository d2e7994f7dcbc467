// The scheduling framework's data, after upstream's pkg/scheduler/framework
// (types.go, interface.go, cycle_state.go). Plugins are pure functions of
// these inputs: they read the snapshot and the pod and return a verdict.
import type { KubeObject, Node, PersistentVolume, PersistentVolumeClaim, Pod, ReplicaSet, Service, StorageClass } from '../../api/types';
import type { NodeBatch } from './node-batch';
import type { NodeTable } from './node-table';
import type { Status } from './status';
import type { Selector } from '../../api/selector';

/** Upstream's framework.Resource: integer milli-CPU and bytes. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Pods a node allows (status.allocatable.pods); unused in pod requests. */
  allowedPodNumber: number;
  /** Extended and hugepage resources, e.g. "nvidia.com/gpu": 2. */
  scalar: Record<string, number>;
}

export interface PodInfo {
  pod: Pod;
  /** The pod's effective requests (containers, init containers, overhead), computed once. */
  requests: Resource;
  /** The same with scoring defaults for containers that omit cpu or memory (100m, 200Mi). */
  nonZeroRequests: { milliCPU: number; memory: number };
}

/** How many nodes hold an image, and its size (for ImageLocality). */
export interface ImageStateSummary {
  size: number;
  numNodes: number;
}

/** A host port in use on a node: protocol, IP ("0.0.0.0" for any) and port. */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** Upstream's NodeInfo: a node and what is placed on it, as the scheduler's cache sees it. */
export interface NodeInfo {
  node: Node;
  name: string;
  pods: PodInfo[];
  /** Pods with any (anti-)affinity, for InterPodAffinity. */
  podsWithAffinity: PodInfo[];
  /** Pods with required anti-affinity terms. */
  podsWithRequiredAntiAffinity: PodInfo[];
  usedPorts: HostPort[];
  /** Sum of the requests of the pods on the node. */
  requested: Resource;
  /** Sum of the non-zero requests (scoring defaults applied). */
  nonZeroRequested: { milliCPU: number; memory: number };
  allocatable: Resource;
  /** Images on the node, by every name they are known by (normalized, e.g. "docker.io/library/nginx:1.27"). */
  imageStates: Record<string, ImageStateSummary>;
  /** Bumped on every change, for cheap cache checks. */
  generation: number;
}

/** What plugins may read besides the pod: the cycle's snapshot of every node. */
export interface Snapshot {
  list(): readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** Nodes that hold pods with (anti-)affinity / required anti-affinity, for InterPodAffinity's PreFilter. */
  havePodsWithAffinity(): readonly NodeInfo[];
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[];
  /**
   * The hot numbers of every node by slot, and the slots in list() order.
   * The cache keeps them; without them (a snapshot made by hand) the
   * framework builds a table for the cycle.
   */
  table?(): { table: NodeTable; order: Int32Array };
  /** Pods of `namespace` the selector matches, per node and per domain, kept by the cache (PodTopologySpread's counts). */
  matchingPods?(namespace: string, selector: Selector): MatchingPodCounts;
  /** How many nodes of list() lack the label key. */
  nodesWithoutLabel?(key: string): number;
}

/** countPodsMatchSelector's counts for one namespace and selector, over the snapshot's nodes. */
export interface MatchingPodCounts {
  /** Matching pods on the node (terminating pods left out). */
  of(ni: NodeInfo): number;
  /** Matching pods summed by the value of `key` on their node ("" where the node lacks it); absent domains hold none. */
  byDomain(key: string): ReadonlyMap<string, number>;
}

/**
 * Per-cycle state plugins write in PreFilter/PreScore and read later. Values
 * must be cloneable: preemption evaluates "what if these pods were gone" on copies.
 */
export interface StateData {
  clone(): StateData;
}

export class CycleState {
  private data = new Map<string, StateData>();
  /** Plugins that returned Skip at PreFilter / PreScore: their Filter / Score are not run. */
  readonly skipFilter = new Set<string>();
  readonly skipScore = new Set<string>();
  /** The Filter plugins left once PreFilter's skips are known: set by the framework, so Filter on each node walks a plain list. */
  filterPlugins?: readonly FilterPlugin[];

  read<T extends StateData>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: StateData): void {
    this.data.set(key, value);
  }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v.clone());
    for (const s of this.skipFilter) c.skipFilter.add(s);
    for (const s of this.skipScore) c.skipScore.add(s);
    c.filterPlugins = this.filterPlugins;
    return c;
  }
}

export interface NodeScore {
  name: string;
  score: number;
}

/** PreFilter may narrow the nodes to consider (e.g. NodeName, NodeAffinity with a single-node term). */
export interface PreFilterResult {
  /** undefined: all nodes. */
  nodeNames?: Set<string>;
}

/** What every plugin gets when it is built: the snapshot of this cycle and the framework's services. */
export interface Handle {
  snapshot(): Snapshot;
  /** Runs every Filter plugin for a pod on a node (preemption's "would it fit now?"). */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
  /** Tells PreFilter plugins with extensions that a pod was added to or removed from a node (preemption's what-if). */
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
  /** Pods nominated to run on a node (after preemption), that Filter must count as if placed. */
  nominatedPodsForNode(nodeName: string): PodInfo[];
  /** Seeded randomness for tie breaks. */
  randomInt(n: number): number;
  /** Every pod the scheduler knows that is nominated to some node (for preemption's lower-priority nominations). */
  nominatedPods?(): PodInfo[];
  /** Labels of a namespace, for namespaceSelector in pod affinity terms. */
  namespaceLabels?(name: string): Record<string, string> | undefined;
  /** Services of a namespace (PodTopologySpread's default constraints select pods as the pod's Services do). */
  services?(namespace: string): readonly Service[];
  /** A ReplicaSet by namespace and name (PodTopologySpread's default constraints add its selector). */
  replicaSet?(namespace: string, name: string): ReplicaSet | undefined;
  /** PVCs, PVs and StorageClasses, for VolumeBinding, VolumeZone, VolumeRestrictions and NodeVolumeLimits. */
  volumeListers?(): VolumeListers | undefined;
}

/**
 * The listers the volume plugins read (upstream's PVC, PV and StorageClass
 * informers) and the write VolumeBinding's PreBind makes through the
 * scheduler's client (fh.ClientSet()).
 */
export interface VolumeListers {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volume(name: string): PersistentVolume | undefined;
  /** Every PersistentVolume, in a stable order. */
  volumes(): readonly PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
  /** The pending pod as the scheduler last saw it (undefined once deleted). */
  pendingPod(namespace: string, name: string): Pod | undefined;
  update(obj: PersistentVolume | PersistentVolumeClaim): { ok: true; object: KubeObject } | { ok: false; message: string };
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: Status };
  /** PreFilterExtensions: keep the cycle state right when preemption adds or removes pods. */
  addPod?(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  removePod?(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
  /**
   * Optional: filter() over a batch of nodes in the plugin's own loop, the
   * same verdicts. For each k < batch.count with out[k] undefined (no plugin
   * before it rejected the node), a rejection goes into out[k]; a pass leaves
   * it undefined. Returns how many nodes it rejected.
   */
  filterNodes?(state: CycleState, pod: Pod, batch: NodeBatch, out: (Status | undefined)[]): number;
}

/** Nodes that failed Filter, with why. */
export type NodeToStatus = Map<string, Status>;

export interface PostFilterResult {
  nominatedNodeName?: string;
  /**
   * What preemption decided, as a plan the scheduler carries out through the
   * apiserver (plugins never call it themselves): the pods to evict, and
   * lower-priority pods whose nomination on that node must be cleared.
   */
  victims?: Pod[];
  clearNomination?: Pod[];
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: Pod, filtered: NodeToStatus): { result?: PostFilterResult; status: Status };
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
}

export interface ScorePlugin extends Plugin {
  /**
   * The node's raw score (0..100, MaxNodeScore, once NormalizeScore has run).
   * Called once per feasible node, so it returns a bare number; an internal
   * failure throws PluginError, which the framework reports as an Error status.
   */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number;
  /**
   * Optional: `out[k] = score(state, pod, batch.info(k))` for every node of
   * the batch, the same numbers, in the plugin's own loop over the table
   * (one call per cycle instead of one megamorphic call per node).
   */
  scoreNodes?(state: CycleState, pod: Pod, batch: NodeBatch, out: number[]): void;
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): Status;
  /**
   * Optional: normalizeScore() over the first n of the scores alone, in
   * node order, for a NormalizeScore that does not read node names; the
   * framework uses it when there is one.
   */
  normalizeScoreValues?(state: CycleState, pod: Pod, scores: number[], n: number): Status;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Status;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: Pod, nodeName: string): { status: Status; timeout?: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string): Status;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: Pod, nodeName: string): void;
}

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

/** Scoring defaults for containers that request nothing (pkg/scheduler/util: DefaultMilliCPURequest, DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;
