// The StatefulSet controller's writes, after upstream
// pkg/controller/statefulset/stateful_pod_control.go (StatefulPodControl)
// and the retention-policy parts of stateful_set_utils.go: a pod's claims
// are created before the pod, a pod that lost its identity or storage is
// fixed, and the claims' ownerReferences follow
// persistentVolumeClaimRetentionPolicy (Retain/Retain, the default: none, so
// the claims outlive the pods and the set; whenDeleted Delete: owned by the
// set; whenScaled Delete: owned by a scaled-down pod). Every outcome is an
// Event on the set: "create Pod web-0 in StatefulSet web successful",
// "create Claim data-web-0 Pod web-0 in StatefulSet web success", ...
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import type { EventRecorder } from '../client/event-recorder';
import { isAlreadyExists, isNotFound, newControllerRef } from './controller-utils';
import type { SharedInformer } from './shared-informers';
import {
  POD_KIND,
  STS_KIND,
  claimName,
  claimsForPod,
  identityMatches,
  ordinalOf,
  podInOrdinalRange,
  storageMatches,
  updateIdentity,
  updateStorage,
} from './statefulset-utils';

/** A failed step, as the error the sync returns (it is retried with backoff). */
export class StatefulSetError extends Error {}

const title = (verb: string) => verb[0].toUpperCase() + verb.slice(1);

type Policy = { whenDeleted: string; whenScaled: string };

/** getPersistentVolumeClaimRetentionPolicy: Retain for both when unset. */
export function retentionPolicy(set: StatefulSet): Policy {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: p?.whenDeleted || 'Retain', whenScaled: p?.whenScaled || 'Retain' };
}

const refs = (o: { metadata?: { ownerReferences?: OwnerReference[] } }) => o.metadata?.ownerReferences ?? [];
const matchesRef = (r: OwnerReference, obj: { metadata?: { name?: string } }, kind: { apiVersion: string; kind: string }) =>
  r.apiVersion === kind.apiVersion && r.kind === kind.kind && r.name === obj.metadata?.name;
const hasOwnerRef = (target: PersistentVolumeClaim, owner: { metadata?: { uid?: string } }) => refs(target).some((r) => r.uid === owner.metadata?.uid);
/** hasStaleOwnerRef: a reference to an object of this name and kind, but another uid (an earlier incarnation). */
function hasStaleOwnerRef(target: PersistentVolumeClaim, obj: { metadata?: { name?: string; uid?: string } }, kind: { apiVersion: string; kind: string }): boolean {
  const r = refs(target).find((x) => matchesRef(x, obj, kind));
  return r !== undefined && r.uid !== obj.metadata?.uid;
}

/** hasUnexpectedController: with a Delete policy, a controller other than this set or pod manages the claim. */
function hasUnexpectedController(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  const policy = retentionPolicy(set);
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Retain') return false;
  for (const r of refs(claim)) {
    if (matchesRef(r, set, STS_KIND)) {
      if (r.uid !== set.metadata?.uid) return true;
      continue;
    }
    if (matchesRef(r, pod, POD_KIND)) {
      if (r.uid !== pod.metadata?.uid) return true;
      continue;
    }
    if (r.controller) return true;
  }
  return false;
}

/** isClaimOwnerUpToDate: the claim's owners are what the retention policy asks for (stale or foreign owners are left alone). */
export function isClaimOwnerUpToDate(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  if (hasStaleOwnerRef(claim, set, STS_KIND) || hasStaleOwnerRef(claim, pod, POD_KIND)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  if (refs(claim).some((r) => (r.uid === set.metadata?.uid || r.uid === pod.metadata?.uid) && !r.controller)) return false;
  const policy = retentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  const setRef = hasOwnerRef(claim, set);
  const podRef = hasOwnerRef(claim, pod);
  if (policy.whenScaled === 'Delete' && policy.whenDeleted === 'Delete') return scaledDown !== setRef && scaledDown === podRef;
  if (policy.whenScaled === 'Delete') return !setRef && scaledDown === podRef;
  if (policy.whenDeleted === 'Delete') return setRef && !podRef;
  return !setRef && !podRef;
}

/** updateClaimOwnerRefForSetAndPod: our references scrubbed, then added back as the policy says. */
export function claimOwnersForPolicy(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): OwnerReference[] {
  const unexpected = hasUnexpectedController(claim, set, pod);
  const kept = refs(claim).filter((r) => !matchesRef(r, set, STS_KIND) && !matchesRef(r, pod, POD_KIND));
  if (unexpected) return kept;
  const policy = retentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  const add = (owner: KubeObject, kind: { apiVersion: string; kind: string }) => {
    if (!kept.some((r) => r.uid === owner.metadata.uid)) kept.push(newControllerRef(owner, kind.apiVersion, kind.kind));
  };
  if (policy.whenScaled === 'Delete' && scaledDown) add(pod as KubeObject, POD_KIND);
  if (policy.whenDeleted === 'Delete' && !(policy.whenScaled === 'Delete' && scaledDown)) add(set as KubeObject, STS_KIND);
  return kept;
}

export class StatefulPodControl {
  constructor(
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
    private readonly claims: SharedInformer,
  ) {}

  private claim(namespace: string | undefined, name: string): PersistentVolumeClaim | undefined {
    return this.claims.get(`${namespace}/${name}`) as PersistentVolumeClaim | undefined;
  }

  private podEvent(verb: string, set: StatefulSet, pod: Pod, err?: string): void {
    const sts = set as KubeObject;
    if (err === undefined) this.recorder.event(sts, 'Normal', `Successful${title(verb)}`, `${verb} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} successful`);
    else this.recorder.event(sts, 'Warning', `Failed${title(verb)}`, `${verb} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} failed error: ${err}`);
  }

  private claimEvent(verb: string, set: StatefulSet, pod: Pod, claim: PersistentVolumeClaim, err?: string): void {
    const sts = set as KubeObject;
    if (err === undefined)
      this.recorder.event(sts, 'Normal', `Successful${title(verb)}`, `${verb} Claim ${claim.metadata?.name} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} success`);
    else
      this.recorder.event(sts, 'Warning', `Failed${title(verb)}`, `${verb} Claim ${claim.metadata?.name} for Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} failed error: ${err}`);
  }

  /** createPersistentVolumeClaims: each missing claim created; a claim being deleted blocks the pod. */
  createPersistentVolumeClaims(set: StatefulSet, pod: Pod): string | undefined {
    const errs: string[] = [];
    for (const claim of claimsForPod(set, pod).values()) {
      const existing = this.claim(claim.metadata?.namespace, claim.metadata!.name!);
      if (existing) {
        if (existing.metadata?.deletionTimestamp) errs.push(`pvc ${claim.metadata!.name} is being deleted`);
        continue;
      }
      const r = this.client.create(claim as KubeObject);
      if (r.ok) this.claimEvent('create', set, pod, claim);
      else {
        errs.push(`failed to create PVC ${claim.metadata!.name}: ${r.status.message}`);
        if (!isAlreadyExists(r.status)) this.claimEvent('create', set, pod, claim, r.status.message);
      }
    }
    return errs.length ? (errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`) : undefined;
  }

  /** CreateStatefulPod: the claims first, then the pod, then its claims' owners as the retention policy says. */
  createStatefulPod(set: StatefulSet, pod: Pod): void {
    const claimErr = this.createPersistentVolumeClaims(set, pod);
    if (claimErr) {
      this.podEvent('create', set, pod, claimErr);
      throw new StatefulSetError(claimErr);
    }
    const r = this.client.create(pod as KubeObject);
    if (!r.ok) {
      if (!isAlreadyExists(r.status)) this.podEvent('create', set, pod, r.status.message);
      throw new StatefulSetError(r.status.message);
    }
    this.updatePodClaimForRetentionPolicy(set, r.object as Pod);
    this.podEvent('create', set, pod);
  }

  deleteStatefulPod(set: StatefulSet, pod: Pod): void {
    const r = this.client.delete('Pod', pod.metadata?.namespace, pod.metadata!.name!);
    this.podEvent('delete', set, pod, r.ok ? undefined : r.status.message);
    if (!r.ok && !isNotFound(r.status)) throw new StatefulSetError(r.status.message);
  }

  /** ClaimsMatchRetentionPolicy: every claim of the pod has the owners the policy asks for (a claim not seen yet is picked up later). */
  claimsMatchRetentionPolicy(set: StatefulSet, pod: Pod): boolean {
    for (const t of set.spec?.volumeClaimTemplates ?? []) {
      const claim = this.claim(set.metadata?.namespace, claimName(set, t, ordinalOf(pod)));
      if (claim && !isClaimOwnerUpToDate(claim, set, pod)) return false;
    }
    return true;
  }

  /** UpdatePodClaimForRetentionPolicy: claims whose owners differ from the policy are updated (missing ones wait for the next sync). */
  updatePodClaimForRetentionPolicy(set: StatefulSet, pod: Pod): void {
    for (const t of set.spec?.volumeClaimTemplates ?? []) {
      const name = claimName(set, t, ordinalOf(pod));
      const claim = this.claim(set.metadata?.namespace, name);
      if (!claim) continue;
      if (hasUnexpectedController(claim, set, pod))
        this.recorder.event(
          set as KubeObject,
          'Warning',
          'ConflictingController',
          `PersistentVolumeClaim ${name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`,
        );
      if (isClaimOwnerUpToDate(claim, set, pod)) continue;
      const ownerReferences = claimOwnersForPolicy(claim, set, pod);
      const r = this.client.update({ ...claim, metadata: { ...claim.metadata, ownerReferences } } as KubeObject);
      if (!r.ok) throw new StatefulSetError(`could not update claim ${name} for delete policy ownerRefs: ${r.status.message}`);
    }
  }

  /** PodClaimIsStale: with whenScaled Delete, a claim still owned by an earlier pod of this name blocks the new pod. */
  podClaimIsStale(set: StatefulSet, pod: Pod): boolean {
    if (retentionPolicy(set).whenScaled === 'Retain') return false;
    for (const claim of claimsForPod(set, pod).values()) {
      const existing = this.claim(claim.metadata?.namespace, claim.metadata!.name!);
      if (existing && hasStaleOwnerRef(existing, pod, POD_KIND)) return true;
    }
    return false;
  }

  /** UpdateStatefulPod: identity and storage restored (creating missing claims), claim owners fixed. */
  updateStatefulPod(set: StatefulSet, pod: Pod): void {
    let next = pod;
    let dirty = false;
    if (!identityMatches(set, next)) {
      next = updateIdentity(set, next);
      dirty = true;
    }
    if (!storageMatches(set, next)) {
      next = updateStorage(set, next);
      dirty = true;
      const err = this.createPersistentVolumeClaims(set, next);
      if (err) {
        this.podEvent('update', set, pod, err);
        throw new StatefulSetError(err);
      }
    }
    if (!this.claimsMatchRetentionPolicy(set, next)) {
      try {
        this.updatePodClaimForRetentionPolicy(set, next);
      } catch (e) {
        this.podEvent('update', set, pod, (e as Error).message);
        throw e;
      }
      // Upstream counts the pod dirty too: the (no-op) pod update and its event follow.
      dirty = true;
    }
    if (!dirty) return;
    const r = this.client.update(next as KubeObject);
    this.podEvent('update', set, pod, r.ok ? undefined : r.status.message);
    if (!r.ok) throw new StatefulSetError(r.status.message);
  }
}
