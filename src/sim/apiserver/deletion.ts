// Deletion as kube-apiserver's registry does it (registry/rest/delete.go,
// generic/registry/store.go): the finalizers a propagation policy leaves for
// the garbage collector (orphan, foregroundDeletion), each resource's default
// policy, and a Namespace's termination (spec.finalizers, phase Terminating).
// Pure functions of the stored object and the request.
import type { KubeObject, ResourceInfo } from '../api/types';
import { timestamp, virtualMs } from '../kernel/time';

/** metav1.DeletionPropagation: what happens to the dependents (ownerReferences) of a deleted object. */
export type DeletionPropagation = 'Orphan' | 'Background' | 'Foreground';

const ORPHAN_FINALIZER = 'orphan';
const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** DefaultGarbageCollectionPolicy: batch/v1 Jobs orphan their pods unless asked otherwise (kept for compatibility); the rest delete dependents. */
function defaultPropagation(info: ResourceInfo): DeletionPropagation {
  return info.resource === 'jobs' ? 'Orphan' : 'Background';
}

/**
 * deletionFinalizersForGarbageCollection: the finalizers a delete leaves for
 * the garbage collector. An explicit policy wins, then a GC finalizer the
 * object already has, then the resource's default. Undefined: no change.
 */
export function finalizersForPropagation(info: ResourceInfo, existing: readonly string[], policy: DeletionPropagation | undefined): string[] | undefined {
  const firstGc = existing.find((f) => f === ORPHAN_FINALIZER || f === FOREGROUND_FINALIZER);
  const orphan = policy ? policy === 'Orphan' : firstGc ? firstGc === ORPHAN_FINALIZER : defaultPropagation(info) === 'Orphan';
  const foreground = policy ? policy === 'Foreground' : existing.includes(FOREGROUND_FINALIZER);
  const next = existing.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER);
  if (orphan) next.push(ORPHAN_FINALIZER);
  if (foreground) next.push(FOREGROUND_FINALIZER);
  const same = new Set(existing).size === new Set(next).size && next.every((f) => existing.includes(f));
  return same ? undefined : next;
}

export function setFinalizers(meta: KubeObject['metadata'], finalizers: string[]): void {
  if (finalizers.length) meta.finalizers = finalizers;
  else delete meta.finalizers;
}

/** markAsDeleting: an object without graceful deletion waits for its finalizers, marked now with grace 0. */
export function markAsDeleting(meta: { -readonly [K in keyof KubeObject['metadata']]: KubeObject['metadata'][K] }, now: number): void {
  if (!meta.deletionTimestamp && (meta.generation ?? 0) > 0) meta.generation = meta.generation! + 1;
  if (!meta.deletionTimestamp || virtualMs(meta.deletionTimestamp) > now) meta.deletionTimestamp = timestamp(now);
  meta.deletionGracePeriodSeconds = 0;
}

export function specFinalizers(ns: KubeObject): readonly string[] {
  return (ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
}

/**
 * The namespace registry's first delete: deletionTimestamp, phase
 * Terminating, and orphan/foregroundDeletion finalizers only when the
 * request asks (namespaces have no default policy of their own).
 */
export function startTermination(ns: KubeObject, now: number, policy: DeletionPropagation | undefined): KubeObject {
  const existing = ns.metadata.finalizers ?? [];
  const orphan = policy ? policy === 'Orphan' : existing.includes(ORPHAN_FINALIZER);
  const foreground = policy ? policy === 'Foreground' : existing.includes(FOREGROUND_FINALIZER);
  const finalizers = existing.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER);
  if (orphan) finalizers.push(ORPHAN_FINALIZER);
  if (foreground) finalizers.push(FOREGROUND_FINALIZER);
  const metadata: KubeObject['metadata'] = { ...ns.metadata, deletionTimestamp: timestamp(now) };
  setFinalizers(metadata, finalizers);
  return { ...ns, metadata, status: { ...(ns.status as object), phase: 'Terminating' } };
}

/**
 * ShouldDeleteDuringUpdate: an update that leaves a deleted object without
 * finalizers deletes it, unless a graceful deletion is still running (the
 * kubelet finishes a pod). A namespace also waits for spec.finalizers.
 */
export function shouldDeleteDuringUpdate(info: ResourceInfo, obj: KubeObject, cur: KubeObject): boolean {
  if ((obj.metadata.finalizers ?? []).length || !cur.metadata.deletionTimestamp) return false;
  if (cur.metadata.deletionGracePeriodSeconds) return false;
  return info.resource !== 'namespaces' || specFinalizers(obj).length === 0;
}

/** The namespaces/finalize subresource: only spec.finalizers comes from the request. */
export function withSpecFinalizers(cur: KubeObject, req: KubeObject): KubeObject {
  const spec = { ...(cur.spec as object) } as { finalizers?: string[] };
  const asked = specFinalizers(req);
  if (asked.length) spec.finalizers = [...asked];
  else delete spec.finalizers;
  return { ...cur, metadata: { ...cur.metadata }, spec };
}
