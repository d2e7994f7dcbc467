// VolumeBinding's binder, after upstream
// pkg/scheduler/framework/plugins/volumebinding/binder.go (v1.30): a pod's
// claims sorted into bound, unbound with delayed binding and unbound
// immediate (GetPodVolumeClaims); per node, whether bound volumes are
// reachable and unbound claims can get a volume, by a pre-created one or by
// provisioning (FindPodVolumes); the choice assumed in the caches at Reserve
// (AssumePodVolumes); and at PreBind the API writes that start the binding
// and the check that it finished (bindAPIUpdate, checkBindings).
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../../api/types';
import {
  ANN_SELECTED_NODE,
  bindVolumeToClaim,
  checkNodeAffinity,
  claimClass,
  claimRequest,
  findMatchingVolume,
  isClaimFullyBound,
  isDelayBindingMode,
  NOT_SUPPORTED_PROVISIONER,
  podClaimNames,
  pvcKey,
  volumeClass,
} from '../../api/persistent-volume-helpers';
import type { VolumeListers } from '../framework/types';
import { PVAssumeCache, PVCAssumeCache } from './volume-assume-cache';

/** binder.go's ConflictReasons, in the order FindPodVolumes reports them. */
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NOT_ENOUGH_SPACE = 'node(s) did not have enough free storage';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';

export interface PodVolumeClaims {
  bound: PersistentVolumeClaim[];
  unboundDelayBinding: PersistentVolumeClaim[];
  unboundImmediate: PersistentVolumeClaim[];
}

/** A pre-created volume chosen for a claim. */
export interface BindingInfo {
  pvc: PersistentVolumeClaim;
  pv: PersistentVolume;
}

/** What a node needs for the pod's unbound claims: static bindings and claims to provision there. */
export interface PodVolumes {
  staticBindings: BindingInfo[];
  dynamicProvisions: PersistentVolumeClaim[];
}

/** An internal failure (upstream returns an error): the Filter or PreBind status is Error. */
export class VolumeBinderError extends Error {}

const keyOfClaim = (pvc: PersistentVolumeClaim) => pvcKey(pvc.metadata?.namespace, pvc.metadata!.name!);
const rv = (o: { metadata?: { resourceVersion?: string } }) => Number(o.metadata?.resourceVersion ?? 0);

export class VolumeBinder {
  readonly pvCache: PVAssumeCache;
  readonly pvcCache: PVCAssumeCache;

  constructor(private readonly listers: () => VolumeListers | undefined) {
    this.pvCache = new PVAssumeCache(listers);
    this.pvcCache = new PVCAssumeCache(listers);
  }

  private claimOf(pod: Pod, name: string): PersistentVolumeClaim | undefined {
    return this.pvcCache.get(pvcKey(pod.metadata?.namespace, name));
  }

  /** GetPodVolumeClaims: bound claims, unbound WaitForFirstConsumer claims, and the rest (which the PV controller should have bound). */
  getPodVolumeClaims(pod: Pod): PodVolumeClaims {
    const out: PodVolumeClaims = { bound: [], unboundDelayBinding: [], unboundImmediate: [] };
    const classes = (n: string) => this.listers()?.storageClass(n);
    for (const name of podClaimNames(pod)) {
      const pvc = this.claimOf(pod, name);
      if (!pvc) throw new VolumeBinderError(`error getting PVC "${pvcKey(pod.metadata?.namespace, name)}": could not find v1.PersistentVolumeClaim "${pvcKey(pod.metadata?.namespace, name)}"`);
      if (isClaimFullyBound(pvc)) out.bound.push(pvc);
      else if (isDelayBindingMode(pvc, classes) && !pvc.spec?.volumeName) out.unboundDelayBinding.push(pvc);
      else out.unboundImmediate.push(pvc);
    }
    return out;
  }

  /** FindPodVolumes for one node: the volumes the pod would use there, or why it cannot go there. */
  findPodVolumes(claims: PodVolumeClaims, node: Node): { podVolumes: PodVolumes; reasons: string[] } {
    const podVolumes: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
    let boundSatisfied = true;
    let unboundSatisfied = true;
    let boundPVsFound = true;
    const reasons = () => {
      const r: string[] = [];
      if (!boundSatisfied) r.push(ERR_REASON_NODE_CONFLICT);
      if (!unboundSatisfied) r.push(ERR_REASON_BIND_CONFLICT);
      if (!boundPVsFound) r.push(ERR_REASON_PV_NOT_EXIST);
      return { podVolumes, reasons: r };
    };
    // checkBoundClaims: each bound claim's volume must exist and be reachable from the node.
    for (const pvc of claims.bound) {
      const pv = this.pvCache.get(pvc.spec!.volumeName!);
      if (!pv) {
        boundPVsFound = false;
        break;
      }
      if (!checkNodeAffinity(pv, node.metadata?.labels)) {
        boundSatisfied = false;
        break;
      }
    }
    if (claims.unboundDelayBinding.length === 0) return reasons();
    const toProvision: PersistentVolumeClaim[] = [];
    const toMatch: PersistentVolumeClaim[] = [];
    for (const pvc of claims.unboundDelayBinding) {
      const selected = pvc.metadata?.annotations?.[ANN_SELECTED_NODE];
      if (selected !== undefined) {
        // Already being provisioned for another node: this node cannot have it.
        if (selected !== node.metadata?.name) {
          unboundSatisfied = false;
          return reasons();
        }
        toProvision.push(pvc);
      } else toMatch.push(pvc);
    }
    if (toMatch.length) {
      const m = this.findMatchingVolumes(toMatch, node);
      unboundSatisfied = m.found;
      podVolumes.staticBindings = m.bindings;
      toProvision.push(...m.unbound);
    }
    if (toProvision.length) {
      const p = this.checkVolumeProvisions(toProvision, node);
      unboundSatisfied = p.satisfied;
      podVolumes.dynamicProvisions = p.provisions;
    }
    return reasons();
  }

  /** findMatchingVolumes: smallest claims first, each taking the smallest fitting volume not already taken. */
  private findMatchingVolumes(claims: PersistentVolumeClaim[], node: Node): { found: boolean; bindings: BindingInfo[]; unbound: PersistentVolumeClaim[] } {
    const sorted = claims.slice().sort((a, b) => claimRequest(a) - claimRequest(b));
    const chosen = new Set<string>();
    const bindings: BindingInfo[] = [];
    const unbound: PersistentVolumeClaim[] = [];
    let found = true;
    for (const pvc of sorted) {
      const pvs = this.pvCache.listByClass(claimClass(pvc), volumeClass);
      const pv = findMatchingVolume(pvc, pvs, node, chosen, true);
      if (!pv) {
        unbound.push(pvc);
        found = false;
        continue;
      }
      chosen.add(pv.metadata!.name!);
      bindings.push({ pvc, pv });
    }
    return { found, bindings, unbound };
  }

  /** checkVolumeProvisions: every remaining claim's class provisions, and may provision where this node is. */
  private checkVolumeProvisions(claims: PersistentVolumeClaim[], node: Node): { satisfied: boolean; provisions: PersistentVolumeClaim[] } {
    const provisions: PersistentVolumeClaim[] = [];
    for (const pvc of claims) {
      const className = claimClass(pvc);
      if (!className) throw new VolumeBinderError(`no class for claim "${keyOfClaim(pvc)}"`);
      const sc = this.listers()?.storageClass(className);
      if (!sc) throw new VolumeBinderError(`failed to find storage class "${className}"`);
      if (!sc.provisioner || sc.provisioner === NOT_SUPPORTED_PROVISIONER) return { satisfied: false, provisions: [] };
      if (!matchTopologySelectorTerms(sc.allowedTopologies, node.metadata?.labels)) return { satisfied: false, provisions: [] };
      // Storage capacity (CSIStorageCapacity) is not simulated: every class has room.
      provisions.push(pvc);
    }
    return { satisfied: true, provisions };
  }

  /** arePodVolumesBound, against the caches. */
  arePodVolumesBound(pod: Pod): boolean {
    for (const name of podClaimNames(pod)) {
      const pvc = this.claimOf(pod, name);
      if (!pvc || !isClaimFullyBound(pvc)) return false;
    }
    return true;
  }

  /**
   * AssumePodVolumes: the chosen volumes pre-bound to their claims and the
   * claims to provision given the node, in the caches only. Returns true
   * when there is nothing to bind; `podVolumes` then holds the assumed copies.
   */
  assumePodVolumes(pod: Pod, nodeName: string, podVolumes: PodVolumes): boolean {
    if (this.arePodVolumesBound(pod)) return true;
    const bindings: BindingInfo[] = [];
    for (const b of podVolumes.staticBindings) {
      const { pv, dirty } = bindVolumeToClaim(b.pv, b.pvc);
      if (dirty && !this.pvCache.assume(pv)) {
        this.revert({ staticBindings: bindings, dynamicProvisions: [] });
        throw new VolumeBinderError(`PersistentVolume ${JSON.stringify(pv.metadata!.name)} is out of sync with the cache`);
      }
      bindings.push({ pv, pvc: b.pvc });
    }
    const provisions: PersistentVolumeClaim[] = [];
    for (const claim of podVolumes.dynamicProvisions) {
      const clone = { ...claim, metadata: { ...claim.metadata, annotations: { ...claim.metadata?.annotations, [ANN_SELECTED_NODE]: nodeName } } };
      if (!this.pvcCache.assume(keyOfClaim(clone), clone)) {
        this.revert({ staticBindings: bindings, dynamicProvisions: provisions });
        throw new VolumeBinderError(`PersistentVolumeClaim ${JSON.stringify(keyOfClaim(clone))} is out of sync with the cache`);
      }
      provisions.push(clone);
    }
    podVolumes.staticBindings = bindings;
    podVolumes.dynamicProvisions = provisions;
    return false;
  }

  /** RevertAssumedPodVolumes. */
  revert(podVolumes: PodVolumes): void {
    for (const b of podVolumes.staticBindings) this.pvCache.restore(b.pv.metadata!.name!);
    for (const c of podVolumes.dynamicProvisions) this.pvcCache.restore(keyOfClaim(c));
  }

  /** bindAPIUpdate: the PVs pre-bound, then the claims annotated with the node; the PV controller and the provisioner do the rest. */
  bindAPIUpdate(podVolumes: PodVolumes): void {
    const listers = this.listers();
    if (!listers) throw new VolumeBinderError('volume listers are not available');
    let bound = 0;
    let annotated = 0;
    try {
      for (const b of podVolumes.staticBindings) {
        const r = listers.update(b.pv);
        if (!r.ok) throw new VolumeBinderError(r.message);
        b.pv = r.object as PersistentVolume;
        bound++;
      }
      podVolumes.dynamicProvisions.forEach((claim, i) => {
        const r = listers.update(claim);
        if (!r.ok) throw new VolumeBinderError(r.message);
        podVolumes.dynamicProvisions[i] = r.object as PersistentVolumeClaim;
        annotated++;
      });
    } finally {
      // Assumptions the API writes did not carry out are reverted.
      this.revert({ staticBindings: podVolumes.staticBindings.slice(bound), dynamicProvisions: podVolumes.dynamicProvisions.slice(annotated) });
    }
  }

  /**
   * checkBindings: true once every claim the pod's binding touched is fully
   * bound (on the informer's copies, which the PV controller and the
   * provisioner write); an error when the binding must be retried.
   */
  checkBindings(pod: Pod, podVolumes: PodVolumes, node: Node): boolean {
    const listers = this.listers();
    const ns = pod.metadata!.namespace!;
    if (!listers?.pendingPod(ns, pod.metadata!.name!)) throw new VolumeBinderError(`pod does not exist any more: pods "${pod.metadata!.name}" not found`);
    const nodeName = node.metadata!.name!;
    for (const b of podVolumes.staticBindings) {
      const pv = this.pvCache.getAPI(b.pv.metadata!.name!);
      if (!pv) throw new VolumeBinderError(`failed to check binding: could not find v1.PersistentVolume "${b.pv.metadata!.name}"`);
      const pvc = this.pvcCache.getAPI(keyOfClaim(b.pvc));
      if (!pvc) throw new VolumeBinderError(`failed to check binding: could not find v1.PersistentVolumeClaim "${keyOfClaim(b.pvc)}"`);
      // Our own write has not come back through the watch yet.
      if (rv(b.pv) > rv(pv)) return false;
      if (!checkNodeAffinity(pv, node.metadata?.labels)) throw new VolumeBinderError(`pv "${pv.metadata!.name}" node affinity doesn't match node "${nodeName}": no matching NodeSelectorTerms`);
      if (!pv.spec?.claimRef?.uid) throw new VolumeBinderError(`ClaimRef got reset for pv "${pv.metadata!.name}"`);
      if (!isClaimFullyBound(pvc)) return false;
    }
    for (const claim of podVolumes.dynamicProvisions) {
      const pvc = this.pvcCache.getAPI(keyOfClaim(claim));
      if (!pvc) throw new VolumeBinderError(`failed to check provisioning pvc: could not find v1.PersistentVolumeClaim "${keyOfClaim(claim)}"`);
      if (rv(claim) > rv(pvc)) return false;
      if (!pvc.metadata?.annotations) throw new VolumeBinderError(`selectedNode annotation reset for PVC "${pvc.metadata!.name}"`);
      // The provisioner removes the annotation when it fails: the scheduler must choose again.
      if (pvc.metadata.annotations[ANN_SELECTED_NODE] !== nodeName) throw new VolumeBinderError(`provisioning failed for PVC "${pvc.metadata!.name}"`);
      if (pvc.spec?.volumeName) {
        const pv = this.pvCache.getAPI(pvc.spec.volumeName);
        if (!pv) return false;
        if (!checkNodeAffinity(pv, node.metadata?.labels)) throw new VolumeBinderError(`pv "${pv.metadata!.name}" node affinity doesn't match node "${nodeName}": no matching NodeSelectorTerms`);
      }
      if (!isClaimFullyBound(pvc)) return false;
    }
    return true;
  }
}

/** v1helper.MatchTopologySelectorTerms: no terms match everything; else any non-empty term whose every expression holds. */
export function matchTopologySelectorTerms(
  terms: ReadonlyArray<{ matchLabelExpressions?: ReadonlyArray<{ key: string; values: string[] }> }> | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.some((t) => {
    const exprs = t.matchLabelExpressions ?? [];
    return exprs.length > 0 && exprs.every((e) => labels?.[e.key] !== undefined && e.values.includes(labels[e.key]));
  });
}
