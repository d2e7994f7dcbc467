// The kubelet's pod admission (pkg/kubelet/lifecycle/predicate.go): before
// it runs a pod the node re-checks what the scheduler checked, since a pod
// may arrive with spec.nodeName set by hand or the node may have changed.
// The checks are the scheduler's own (AdmissionCheck: NodeResourcesFit,
// NodeAffinity, NodeName, NodePorts), then untolerated NoExecute taints;
// the first failure names the rejection: OutOfcpu, OutOfmemory, OutOfpods,
// NodeAffinity, NodePorts, TaintToleration, ...
import type { Node, Pod } from '../api/types';
import { podMatchesNodeSelectorAndAffinity } from '../api/node-affinity';
import { findMatchingUntoleratedTaint } from '../api/taints';
import { hostPortConflicts, podHostPorts } from '../scheduler/framework/host-ports';
import { emptyResource, isExtendedResourceName, podRequests, resourceFromList } from '../scheduler/framework/resources';
import type { HostPort, Resource } from '../scheduler/framework/types';
import { ERR_REASON_POD as NODE_AFFINITY_REASON, NODE_AFFINITY } from '../scheduler/plugins/node-affinity';
import { ERR_REASON_NODE_NAME, NODE_NAME } from '../scheduler/plugins/node-name';
import { ERR_REASON_NODE_PORTS, NODE_PORTS } from '../scheduler/plugins/node-ports';
import { TAINT_TOLERATION } from '../scheduler/plugins/taint-toleration';

/** tainttoleration.ErrReasonNotMatch, which the kubelet reports (the scheduler's Filter says which taint). */
export const TAINT_NOT_TOLERATED = "node(s) had taints that the pod didn't tolerate";

const OS_LABEL = 'kubernetes.io/os';
/** The simulated nodes are linux/amd64 (see cluster/node-defaults.ts). */
const NODE_OS = 'linux';

export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

/** One resource the node is short of, as InsufficientResourceError reports it. */
interface Shortage {
  resource: string;
  requested: number;
  used: number;
  capacity: number;
}

const OUT_OF: Record<string, string> = { cpu: 'OutOfcpu', memory: 'OutOfmemory', 'ephemeral-storage': 'OutOfephemeral-storage', pods: 'OutOfpods' };

/** Requests of pods that share one containers list (pool pods stamped from one template), computed once. */
const requestCache = new WeakMap<object, Resource>();

export function cachedPodRequests(pod: Pod): Resource {
  const spec = pod.spec;
  const simple = spec && spec.containers && !spec.initContainers && !spec.overhead && !(spec as { resources?: unknown }).resources;
  if (!simple) return podRequests(pod);
  let r = requestCache.get(spec.containers);
  if (!r) requestCache.set(spec.containers, (r = podRequests(pod)));
  return r;
}

/** into += sign * r, field by field: the sums are this class's own, so they are updated in place. */
function accumulate(into: Resource, r: Resource, sign: 1 | -1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  for (const k in r.scalar) into.scalar[k] = (into.scalar[k] ?? 0) + sign * r.scalar[k];
}

/** The node's allocatable, parsed once per version of its status. */
const allocatableCache = new WeakMap<object, Resource>();

function allocatableOf(node: Node): Resource {
  const list = node.status?.allocatable as Record<string, string> | undefined;
  if (!list) return resourceFromList(undefined);
  let r = allocatableCache.get(list);
  if (!r) allocatableCache.set(list, (r = resourceFromList(list)));
  return r;
}

/** What the admitted pods of a node hold: their summed requests and host ports. */
export class AdmittedPods {
  private readonly requested = emptyResource();
  private count = 0;
  private readonly ports = new Map<string, HostPort[]>();
  private readonly members = new Map<string, Resource>();

  get size(): number {
    return this.count;
  }

  has(uid: string): boolean {
    return this.members.has(uid);
  }

  add(pod: Pod): void {
    const uid = pod.metadata!.uid!;
    if (this.members.has(uid)) return;
    const r = cachedPodRequests(pod);
    this.members.set(uid, r);
    accumulate(this.requested, r, 1);
    this.count++;
    const hp = podHostPorts(pod);
    if (hp.length) this.ports.set(uid, hp);
  }

  /** The pod finished or left: its resources are free again. */
  remove(uid: string): void {
    const r = this.members.get(uid);
    if (!r) return;
    this.members.delete(uid);
    accumulate(this.requested, r, -1);
    this.count--;
    this.ports.delete(uid);
  }

  clear(): void {
    Object.assign(this.requested, emptyResource());
    this.count = 0;
    this.ports.clear();
    this.members.clear();
  }

  /** canAdmitPod: the predicate admit handler's verdict for `pod` on `node`, given the pods admitted so far. */
  admit(pod: Pod, node: Node): AdmitResult {
    // The node's own OS label is taken to be the kubelet's OS (linux) whatever the Node says.
    const podOS = pod.metadata?.labels?.[OS_LABEL];
    if (podOS !== undefined && podOS !== NODE_OS)
      return reject('PodOSSelectorNodeLabelDoesNotMatch', "Failed to admit pod as the `kubernetes.io/os` label doesn't match node label");
    if (pod.spec?.os?.name && pod.spec.os.name !== NODE_OS) return reject('PodOSNotSupported', "Failed to admit pod as the OS field doesn't match node OS");

    const shortage = this.fits(pod, node);
    if (shortage) {
      const message = `Node didn't have enough resource: ${shortage.resource}, requested: ${shortage.requested}, used: ${shortage.used}, capacity: ${shortage.capacity}`;
      return reject(OUT_OF[shortage.resource] ?? `OutOf${shortage.resource}`, message);
    }
    if (!podMatchesNodeSelectorAndAffinity(pod, node)) return predicate(NODE_AFFINITY, NODE_AFFINITY_REASON);
    if (pod.spec?.nodeName && pod.spec.nodeName !== node.metadata?.name) return predicate(NODE_NAME, ERR_REASON_NODE_NAME);
    const want = podHostPorts(pod);
    if (want.length) {
      const used = [...this.ports.values()].flat();
      if (want.some((p) => hostPortConflicts(used, p))) return predicate(NODE_PORTS, ERR_REASON_NODE_PORTS);
    }
    // The kubelet cares only about NoExecute taints: NoSchedule is the scheduler's business.
    if (findMatchingUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, (t) => t.effect === 'NoExecute'))
      return predicate(TAINT_TOLERATION, TAINT_NOT_TOLERATED);
    return { admit: true };
  }

  /** noderesources.Fits, first shortage only (the kubelet reports the first reason). */
  private fits(pod: Pod, node: Node): Shortage | undefined {
    const alloc = allocatableOf(node);
    if (this.count + 1 > alloc.allowedPodNumber) return { resource: 'pods', requested: 1, used: this.count, capacity: alloc.allowedPodNumber };
    const req = cachedPodRequests(pod);
    const used = this.requested;
    if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) return { resource: 'cpu', requested: req.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU };
    if (req.memory > 0 && req.memory > alloc.memory - used.memory) return { resource: 'memory', requested: req.memory, used: used.memory, capacity: alloc.memory };
    if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage)
      return { resource: 'ephemeral-storage', requested: req.ephemeralStorage, used: used.ephemeralStorage, capacity: alloc.ephemeralStorage };
    for (const name of Object.keys(req.scalar).sort()) {
      const q = req.scalar[name];
      if (q === 0) continue;
      // removeMissingExtendedResources: an extended resource the node does not know is not the kubelet's to check.
      if (isExtendedResourceName(name) && !(name in alloc.scalar)) continue;
      const a = alloc.scalar[name] ?? 0;
      const u = used.scalar[name] ?? 0;
      if (q > a - u) return { resource: name, requested: q, used: u, capacity: a };
    }
    return undefined;
  }
}

const reject = (reason: string, message: string): AdmitResult => ({ admit: false, reason, message });
const predicate = (name: string, desc: string): AdmitResult => reject(name, `Predicate ${name} failed: ${desc}`);
