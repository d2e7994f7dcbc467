// Test fixtures for scheduler plugins: Pods, Nodes, NodeInfos, a Snapshot and
// a Handle built by hand, without the cache or the framework runtime. For
// tests only; any plugin's test may use them.
//
//   const ni = makeNodeInfo({ name: 'n1', allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
//                             pods: [makePod({ requests: { cpu: '1' } })] });
//   const handle = makeHandle([ni]);
//   const plugin = newNodeResourcesFit(undefined, handle);
//
// NodeInfos are computed with the same functions the cache uses
// (newPodInfo, resourceFromList), so requested / nonZeroRequested match.
import { podHostPorts } from '../framework/host-ports';
import type { ContainerPort, Node, NodeSpec, Pod, PodSpec, Taint } from 'kubernetes-types/core/v1';
import { addResource, emptyResource, newPodInfo, resourceFromList } from '../framework/resources';
import { NodeBatch } from '../framework/node-batch';
import { NodeTable } from '../framework/node-table';
import { SUCCESS } from '../framework/status';
import type { Handle, ImageStateSummary, NodeInfo, PodInfo, Snapshot } from '../framework/types';
import { CycleState } from '../framework/types';

// ---------------------------------------------------------------------------
// Pods

export interface ContainerInput {
  name?: string;
  /** Default "registry.k8s.io/pause:3.10". */
  image?: string;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
  /** "Always" on an init container makes it a sidecar (restartable init container). */
  restartPolicy?: 'Always';
  ports?: ContainerPort[];
}

export interface MakePodOptions {
  /** Default "pod-<n>", n counting up per module load. */
  name?: string;
  /** Default "default". */
  namespace?: string;
  /** Default "<namespace>/<name>". */
  uid?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  priority?: number;
  /** Shorthand for one container with these requests (when `containers` is not given). */
  requests?: Record<string, string>;
  /** Shorthand for the image of that one container. */
  image?: string;
  containers?: ContainerInput[];
  initContainers?: ContainerInput[];
  /** spec.overhead (RuntimeClass overhead). */
  overhead?: Record<string, string>;
  /** Pod-level spec.resources.requests (PodLevelResources; absent from kubernetes-types 1.30). */
  podRequests?: Record<string, string>;
  /** Merged into spec last, for anything else (affinity, tolerations, topologySpreadConstraints, ...). */
  spec?: Partial<PodSpec>;
}

let podSeq = 0;
export const DEFAULT_IMAGE = 'registry.k8s.io/pause:3.10';

function container(c: ContainerInput, i: number, prefix: string) {
  const resources: { requests?: Record<string, string>; limits?: Record<string, string> } = {};
  if (c.requests) resources.requests = c.requests;
  if (c.limits) resources.limits = c.limits;
  return {
    name: c.name ?? `${prefix}${i}`,
    image: c.image ?? DEFAULT_IMAGE,
    ...(c.requests || c.limits ? { resources } : {}),
    ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}),
    ...(c.ports ? { ports: c.ports } : {}),
  };
}

/** A Pod as the scheduler sees it (defaults applied by hand: namespace, uid, one container). */
export function makePod(o: MakePodOptions = {}): Pod {
  const name = o.name ?? `pod-${++podSeq}`;
  const namespace = o.namespace ?? 'default';
  const containers = (o.containers ?? [{ requests: o.requests, image: o.image }]).map((c, i) => container(c, i, 'c'));
  const spec: PodSpec = { containers };
  if (o.initContainers) spec.initContainers = o.initContainers.map((c, i) => container(c, i, 'init'));
  if (o.overhead) spec.overhead = o.overhead;
  if (o.nodeName) spec.nodeName = o.nodeName;
  if (o.priority !== undefined) spec.priority = o.priority;
  if (o.podRequests) (spec as PodSpec & { resources?: unknown }).resources = { requests: o.podRequests };
  Object.assign(spec, o.spec);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: o.uid ?? `${namespace}/${name}`, ...(o.labels ? { labels: o.labels } : {}) },
    spec,
    status: { phase: 'Pending' },
  };
}

// ---------------------------------------------------------------------------
// Nodes

export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

export interface MakeNodeOptions {
  name: string;
  /** status.allocatable; default { cpu: '4', memory: '8Gi', pods: '110' }. */
  allocatable?: Record<string, string>;
  /** status.capacity; default the allocatable. */
  capacity?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  /** status.images, as the kubelet reports them. */
  images?: NodeImage[];
  /** Merged into spec last. */
  spec?: Partial<NodeSpec>;
}

export const DEFAULT_ALLOCATABLE: Readonly<Record<string, string>> = Object.freeze({ cpu: '4', memory: '8Gi', pods: '110' });

/** A Ready Node with the hostname label. */
export function makeNode(o: MakeNodeOptions): Node {
  const allocatable = o.allocatable ?? { ...DEFAULT_ALLOCATABLE };
  const spec: NodeSpec = {};
  if (o.taints) spec.taints = o.taints;
  if (o.unschedulable) spec.unschedulable = true;
  Object.assign(spec, o.spec);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: o.name, uid: `node/${o.name}`, labels: { 'kubernetes.io/hostname': o.name, ...o.labels } },
    spec,
    status: {
      allocatable,
      capacity: o.capacity ?? allocatable,
      conditions: [{ type: 'Ready', status: 'True' }],
      ...(o.images ? { images: o.images } : {}),
    },
  };
}

// ---------------------------------------------------------------------------
// NodeInfos

export interface MakeNodeInfoOptions extends MakeNodeOptions {
  /** Pods placed on the node (their spec.nodeName is left as given). */
  pods?: Pod[];
  /**
   * imageStates as the cache would hold them. Default: from `images`, each
   * with numNodes 1; use spreadImages() to count across several NodeInfos.
   */
  imageStates?: Record<string, ImageStateSummary>;
}


/** Adds a pod to a NodeInfo in place, as the cache does (requests, non-zero requests, ports, affinity lists). */
export function addPodToNodeInfo(ni: NodeInfo, pod: Pod | PodInfo): NodeInfo {
  const info = 'pod' in pod && 'requests' in pod ? pod : newPodInfo(pod as Pod);
  ni.pods.push(info);
  const aff = info.pod.spec?.affinity;
  if (aff?.podAffinity || aff?.podAntiAffinity) ni.podsWithAffinity.push(info);
  if (aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) ni.podsWithRequiredAntiAffinity.push(info);
  ni.usedPorts.push(...podHostPorts(info.pod));
  ni.requested = addResource(ni.requested, info.requests);
  ni.nonZeroRequested = {
    milliCPU: ni.nonZeroRequested.milliCPU + info.nonZeroRequests.milliCPU,
    memory: ni.nonZeroRequested.memory + info.nonZeroRequests.memory,
  };
  ni.generation++;
  return ni;
}

/** A NodeInfo for a hand-built node and the pods on it. */
export function makeNodeInfo(o: MakeNodeInfoOptions): NodeInfo {
  const node = makeNode(o);
  const imageStates: Record<string, ImageStateSummary> = o.imageStates ?? {};
  if (!o.imageStates) for (const img of o.images ?? []) for (const n of img.names) imageStates[n] = { size: img.sizeBytes, numNodes: 1 };
  const ni: NodeInfo = {
    node,
    name: o.name,
    pods: [],
    podsWithAffinity: [],
    podsWithRequiredAntiAffinity: [],
    usedPorts: [],
    requested: emptyResource(),
    nonZeroRequested: { milliCPU: 0, memory: 0 },
    allocatable: resourceFromList(node.status!.allocatable),
    imageStates,
    generation: 1,
  };
  for (const p of o.pods ?? []) addPodToNodeInfo(ni, p);
  return ni;
}

/** Recomputes every NodeInfo's imageStates from its node's status.images, counting on how many nodes each name is (as the cache does). */
export function spreadImages(nodes: readonly NodeInfo[]): void {
  const count = new Map<string, number>();
  for (const ni of nodes) for (const img of ni.node.status?.images ?? []) for (const n of img.names ?? []) count.set(n, (count.get(n) ?? 0) + 1);
  for (const ni of nodes) {
    const states: Record<string, ImageStateSummary> = {};
    for (const img of ni.node.status?.images ?? []) for (const n of img.names ?? []) states[n] = { size: img.sizeBytes ?? 0, numNodes: count.get(n) ?? 1 };
    ni.imageStates = states;
  }
}

// ---------------------------------------------------------------------------
// Snapshot and Handle

export function makeSnapshot(nodes: readonly NodeInfo[]): Snapshot {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  return {
    list: () => nodes,
    get: (name) => byName.get(name),
    havePodsWithAffinity: () => nodes.filter((n) => n.podsWithAffinity.length > 0),
    havePodsWithRequiredAntiAffinity: () => nodes.filter((n) => n.podsWithRequiredAntiAffinity.length > 0),
  };
}

/**
 * A Handle over these nodes: runFilterPlugins and the PreFilter extensions
 * succeed, nothing is nominated, randomInt returns 0. Override any member.
 */
export function makeHandle(nodes: readonly NodeInfo[] | Snapshot, overrides: Partial<Handle> = {}): Handle {
  const snapshot = Array.isArray(nodes) ? makeSnapshot(nodes) : (nodes as Snapshot);
  return {
    snapshot: () => snapshot,
    runFilterPlugins: () => SUCCESS,
    runPreFilterExtensionAddPod: () => SUCCESS,
    runPreFilterExtensionRemovePod: () => SUCCESS,
    nominatedPodsForNode: () => [],
    randomInt: () => 0,
    ...overrides,
  };
}

/** These nodes as a batch over a table of them (slots 0..n-1), for filterNodes / scoreNodes. */
export function makeBatch(nodes: readonly NodeInfo[]): NodeBatch {
  const batch = new NodeBatch(NodeTable.of(nodes));
  for (let k = 0; k < nodes.length; k++) batch.push(k);
  return batch;
}

/** A fresh CycleState (re-exported for tests' convenience). */
export const newCycleState = (): CycleState => new CycleState();

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
