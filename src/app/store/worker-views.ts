// What the architecture canvas shows of each worker node, in the words of
// `kubectl describe node` (k8s.io/kubectl/pkg/describe: describeNodeResource)
// and `kubectl get pods` (pkg/printers/internalversion printPod): Ready badge,
// taints, cordon, requested vs allocatable over the node's non-terminated
// pods, and a token per pod with its phase as kubectl's STATUS column would
// name it. Views are reused when nothing they show changed, so a memoized
// card re-renders only when its own node or pods moved. WorkerViewIndex keeps
// them by changes (object-feed.ts): a write to a pod rebuilds only its
// node's view, which is what keeps 1,000 nodes cheap.
import type { KubeObject, Node, Pod } from '../../sim/api/types';
import type { ObjectChange } from './object-feed';
import type { ListOrder } from './keyed-delta';
import { milliValue, tryParseQuantity, value } from '../../sim/api/quantity';
import { podRequests } from '../../sim/scheduler/framework/resources';

/** kubectl's names for a pod's state, as the canvas colours them. */
export const POD_TOKEN_PHASES = ['Pending', 'ContainerCreating', 'Running', 'Terminating', 'Succeeded', 'Failed'] as const;
export type PodTokenPhase = (typeof POD_TOKEN_PHASES)[number];

export interface PodToken {
  /** namespace/name */
  key: string;
  phase: PodTokenPhase;
}

export type NodeReadiness = 'Ready' | 'NotReady' | 'Unknown';

export interface Usage {
  /** Sum of the non-terminated pods' requests (milli-cpu, bytes, pods). */
  requested: number;
  allocatable: number;
}

export interface WorkerView {
  name: string;
  /** From the Ready condition: True, False, or Unknown/missing. */
  ready: NodeReadiness;
  /** Other conditions that are True (MemoryPressure, DiskPressure, ...): each one is a problem. */
  problems: string[];
  /** "key=value:Effect" as kubectl prints taints. */
  taints: string[];
  /** spec.unschedulable: `kubectl cordon`. */
  cordoned: boolean;
  cpu: Usage;
  memory: Usage;
  pods: Usage;
  /**
   * Every pod bound to the node (terminated ones too), in the objects' order:
   * their namespace/name joined by newlines, and their phases, one character
   * each (the digit of the phase's index in POD_TOKEN_PHASES). Two strings,
   * not an object per pod: at config-max a card carries 30 pods and 5,000
   * cards cross from the Web Worker, and a string is copied whole where 30
   * objects are read field by field. podTokens() gives them back as tokens.
   */
  podKeys: string;
  podPhases: string;
}

/** A phase's character in WorkerView.podPhases. */
export const PHASE_CHAR: Readonly<Record<PodTokenPhase, string>> = Object.fromEntries(POD_TOKEN_PHASES.map((p, i) => [p, String(i)])) as Record<PodTokenPhase, string>;

/** The phase index (into POD_TOKEN_PHASES) of pod `i` of a view. */
export const podPhaseIndex = (w: Pick<WorkerView, 'podPhases'>, i: number): number => w.podPhases.charCodeAt(i) - 48;

const decoded = new WeakMap<WorkerView, PodToken[]>();

/** The view's pods as tokens (for a card that draws them), computed once per view. */
export function podTokens(w: WorkerView): readonly PodToken[] {
  let t = decoded.get(w);
  if (!t) {
    const keys = w.podKeys === '' ? [] : w.podKeys.split('\n');
    t = keys.map((key, i) => ({ key, phase: POD_TOKEN_PHASES[podPhaseIndex(w, i)] }));
    decoded.set(w, t);
  }
  return t;
}

/** How many of the view's pods are in each phase, in POD_TOKEN_PHASES' order. */
export function phaseCounts(w: Pick<WorkerView, 'podPhases'>): number[] {
  const counts = POD_TOKEN_PHASES.map(() => 0);
  for (let i = 0; i < w.podPhases.length; i++) counts[podPhaseIndex(w, i)]++;
  return counts;
}

/** kubectl's STATUS for the canvas: Terminating first, then ContainerCreating inside Pending. */
export function podTokenPhase(p: Pod): PodTokenPhase {
  if (p.metadata?.deletionTimestamp) return 'Terminating';
  const phase = p.status?.phase ?? 'Pending';
  if (phase === 'Pending') {
    const creating = (p.status?.containerStatuses ?? []).some((c) => c.state?.waiting?.reason === 'ContainerCreating');
    return creating ? 'ContainerCreating' : 'Pending';
  }
  if (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed') return phase;
  return 'Pending';
}

function readiness(n: Node): NodeReadiness {
  const s = n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return s === 'True' ? 'Ready' : s === 'False' ? 'NotReady' : 'Unknown';
}

function allocatable(n: Node, name: string, milli: boolean): number {
  // A node without status.allocatable offers its capacity (as the kubelet reports it when nothing is reserved).
  const raw = n.status?.allocatable?.[name] ?? n.status?.capacity?.[name];
  const q = raw === undefined ? undefined : tryParseQuantity(raw);
  if (!q) return 0;
  return milli ? milliValue(q) : value(q);
}

/** Requests by pod spec: stored objects are never changed in place, and the pods of a big pool share specs. */
const requestsBySpec = new WeakMap<object, { milliCPU: number; memory: number }>();

function requestsOf(p: Pod): { milliCPU: number; memory: number } {
  const spec = p.spec;
  if (!spec) return podRequests(p);
  let r = requestsBySpec.get(spec);
  if (!r) {
    const all = podRequests(p);
    r = { milliCPU: all.milliCPU, memory: all.memory };
    requestsBySpec.set(spec, r);
  }
  return r;
}

function workerView(n: Node, pods: readonly Pod[]): WorkerView {
  let cpu = 0;
  let memory = 0;
  let running = 0;
  // Joined, not concatenated piece by piece: `+=` makes a rope that every later read (and the structured clone
  // to the page) must flatten first, which cost the first patch at config-max 400 ms.
  const keys: string[] = new Array(pods.length);
  const phases: string[] = new Array(pods.length);
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i];
    keys[i] = podKey(p);
    phases[i] = PHASE_CHAR[podTokenPhase(p)];
    // kubectl describe node counts pods whose phase is neither Succeeded nor Failed.
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const r = requestsOf(p);
    cpu += r.milliCPU;
    memory += r.memory;
    running++;
  }
  return {
    name: n.metadata?.name ?? '',
    ready: readiness(n),
    problems: (n.status?.conditions ?? []).filter((c) => c.type !== 'Ready' && c.status === 'True').map((c) => c.type),
    taints: (n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`),
    cordoned: n.spec?.unschedulable === true,
    cpu: { requested: cpu, allocatable: allocatable(n, 'cpu', true) },
    memory: { requested: memory, allocatable: allocatable(n, 'memory', false) },
    pods: { requested: running, allocatable: allocatable(n, 'pods', false) },
    podKeys: keys.join('\n'),
    podPhases: phases.join(''),
  };
}

/**
 * One view per Node, in the objects' order (by name), each with its bound
 * pods (in the objects' order: namespace, then name). A view equal to the
 * previous one for that node is returned as the same object; the array is
 * the previous array when no view changed.
 */
export function workerViews(objects: readonly KubeObject[], previous: readonly WorkerView[]): WorkerView[] {
  const podsByNode = new Map<string, Pod[]>();
  const nodes: Node[] = [];
  for (const o of objects) {
    if (o.kind === 'Node') nodes.push(o as unknown as Node);
    else if (o.kind === 'Pod') {
      const p = o as unknown as Pod;
      const on = p.spec?.nodeName;
      if (!on) continue;
      const list = podsByNode.get(on);
      if (list) list.push(p);
      else podsByNode.set(on, [p]);
    }
  }
  const before = new Map(previous.map((w) => [w.name, w]));
  const next = nodes.map((n) => {
    const fresh = workerView(n, podsByNode.get(n.metadata?.name ?? '') ?? []);
    const old = before.get(fresh.name);
    return old && sameWorker(old, fresh) ? old : fresh;
  });
  return next.length === previous.length && next.every((w, i) => w === previous[i]) ? (previous as WorkerView[]) : next;
}

const sameList = <T,>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean) => a.length === b.length && a.every((x, i) => eq(x, b[i]));
const sameUsage = (a: Usage, b: Usage) => a.requested === b.requested && a.allocatable === b.allocatable;

export function sameWorker(a: WorkerView, b: WorkerView): boolean {
  return (
    a.name === b.name &&
    a.ready === b.ready &&
    a.cordoned === b.cordoned &&
    sameUsage(a.cpu, b.cpu) &&
    sameUsage(a.memory, b.memory) &&
    sameUsage(a.pods, b.pods) &&
    sameList(a.problems, b.problems, (x, y) => x === y) &&
    sameList(a.taints, b.taints, (x, y) => x === y) &&
    a.podKeys === b.podKeys &&
    a.podPhases === b.podPhases
  );
}

/** Pods in the objects' order: namespace, then name. */
function comparePods(a: Pod, b: Pod): number {
  const na = a.metadata?.namespace ?? '';
  const nb = b.metadata?.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  const ma = a.metadata?.name ?? '';
  const mb = b.metadata?.name ?? '';
  return ma < mb ? -1 : ma > mb ? 1 : 0;
}

/** The node cards' order, by name, as a keyed list (keyed-delta.ts): how the worker sends them and the page merges them. */
export const WORKER_ORDER: ListOrder<WorkerView> = { key: (w) => w.name, compare: (a, b) => byName(a.name, b.name) };

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const podKey = (p: Pod) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;


/** The pods bound to a node as the cluster stores them, a fresh array in any order (Cluster.podsOnNode: the apiserver's index). */
export type PodsOnNode = (nodeName: string) => KubeObject[];

/**
 * The worker views kept by changes: each write marks the nodes it touches
 * (a pod's old and new node, a Node itself), and only those views are
 * rebuilt, from the pods the cluster's own index has on the node (no copy
 * of 150,000 pods by node here). current() equals
 * workerViews(cluster.objects(), previous) at every instant, as the same
 * objects when they did not change.
 */
export class WorkerViewIndex {
  private nodes = new Map<string, Node>();
  private podsOn: PodsOnNode = () => [];
  private views = new Map<string, WorkerView>();
  private list: WorkerView[] = [];
  private dirty = new Set<string>();
  private orderChanged = false;

  current(): WorkerView[] {
    if (this.dirty.size === 0 && !this.orderChanged) return this.list;
    let changed = this.orderChanged;
    for (const name of this.dirty) {
      const n = this.nodes.get(name);
      const old = this.views.get(name);
      if (!n) {
        if (old) this.views.delete(name);
        continue;
      }
      // Key order is not quite the objects' order (namespace "a-b" keys sort before "a"): sorted here.
      const pods = (this.podsOn(name) as unknown as Pod[]).sort(comparePods);
      const fresh = workerView(n, pods);
      if (old && sameWorker(old, fresh)) continue;
      this.views.set(name, fresh);
      changed = true;
    }
    this.dirty.clear();
    if (this.orderChanged) {
      const names = [...this.nodes.keys()].sort(byName);
      this.list = names.map((n) => this.views.get(n)!);
      this.orderChanged = false;
    } else if (changed) this.list = this.list.map((w) => this.views.get(w.name)!);
    return this.list;
  }

  /**
   * Starts again from a full list (the first time, a new cluster after a rewind, and after etcd compacted the
   * history the index had not read); `podsOn` reads that cluster's pods by node from then on.
   */
  reset(objects: readonly KubeObject[], podsOn: PodsOnNode): void {
    this.podsOn = podsOn;
    this.nodes.clear();
    for (const o of objects) if (o.kind === 'Node') this.nodes.set(o.metadata.name ?? '', o as unknown as Node);
    // Views that stay the same keep their identity across a reset.
    for (const name of this.views.keys()) if (!this.nodes.has(name)) this.views.delete(name);
    for (const name of this.nodes.keys()) this.dirty.add(name);
    this.orderChanged = true;
  }

  apply(changes: readonly ObjectChange[]): void {
    for (const c of changes) {
      if (c.prev) this.remove(c.prev);
      if (c.object) this.put(c.object);
    }
  }

  private put(o: KubeObject): void {
    if (o.kind === 'Node') {
      const name = o.metadata.name ?? '';
      if (!this.nodes.has(name)) this.orderChanged = true;
      this.nodes.set(name, o as unknown as Node);
      this.dirty.add(name);
    } else if (o.kind === 'Pod') this.touch(o);
  }

  private remove(o: KubeObject): void {
    if (o.kind === 'Node') {
      const name = o.metadata.name ?? '';
      if (this.nodes.delete(name)) this.orderChanged = true;
      this.dirty.add(name);
    } else if (o.kind === 'Pod') this.touch(o);
  }

  /** A pod written or deleted: its node's view is rebuilt. */
  private touch(o: KubeObject): void {
    const on = (o as unknown as Pod).spec?.nodeName;
    if (on) this.dirty.add(on);
  }
}
