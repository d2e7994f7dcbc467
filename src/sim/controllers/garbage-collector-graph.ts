// The garbage collector's view of objects: one node per uid with who owns it
// and where its deletion stands (pkg/controller/garbagecollector/graph.go),
// the owner-reference helpers of graph_builder.go, and the cache of owners
// known to be gone (absent_owner_cache.go / uid_cache.go). Dependents are
// not stored on the nodes: they are the byOwnerUid index of the shared
// informers, which holds the same thing upstream's dependents sets do.
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../api/types';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

/** objectReference: an owner reference's coordinates plus the namespace ('' when cluster-scoped or not known). */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  namespace: string;
}

export interface GraphNode {
  identity: ObjectIdentity;
  /** The ownerReferences as last observed. */
  owners: readonly OwnerReference[];
  /** deletionTimestamp set with the foregroundDeletion finalizer: waits for its blocking dependents. */
  deletingDependents: boolean;
  /** deletionTimestamp set: a one-way trip to deletion. */
  beingDeleted: boolean;
  /** Known only from a dependent's ownerReference, not (yet) seen through an informer. */
  virtual: boolean;
}

export function identityOf(obj: KubeObject): ObjectIdentity {
  const m = obj.metadata;
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: m.name ?? '', uid: m.uid ?? '', namespace: m.namespace ?? '' };
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.namespace === b.namespace;
}

/** ownerReferenceMatchesCoordinates: uid, name, kind and apiVersion agree. */
export function matchesCoordinates(ref: OwnerReference, id: Pick<ObjectIdentity, 'uid' | 'name' | 'kind' | 'apiVersion'>): boolean {
  return ref.uid === id.uid && ref.name === id.name && ref.kind === id.kind && ref.apiVersion === id.apiVersion;
}

export function identityFromRef(ref: OwnerReference, namespace: string): ObjectIdentity {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
}

/** objectReference.String(), as upstream's events print an owner. */
export function identityString(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

export const beingDeleted = (o: KubeObject): boolean => !!o.metadata.deletionTimestamp;
export const hasFinalizer = (o: KubeObject, f: string): boolean => (o.metadata.finalizers ?? []).includes(f);
export const isBlocking = (ref: OwnerReference): boolean => ref.blockOwnerDeletion === true;

export interface ReferenceDiff {
  added: OwnerReference[];
  removed: OwnerReference[];
  changed: Array<{ oldRef: OwnerReference; newRef: OwnerReference }>;
}

const EMPTY_DIFF: ReferenceDiff = { added: [], removed: [], changed: [] };

function sameRef(a: OwnerReference, b: OwnerReference): boolean {
  return matchesCoordinates(a, b) && (a.controller ?? null) === (b.controller ?? null) && (a.blockOwnerDeletion ?? null) === (b.blockOwnerDeletion ?? null);
}

/** referencesDiffs: owner references added, removed and changed (by uid) between two versions of an object. */
export function referencesDiff(old: readonly OwnerReference[], next: readonly OwnerReference[]): ReferenceDiff {
  // Most updates (status writes) leave the references as they were.
  if (old === next || (old.length === next.length && old.every((r, i) => sameRef(r, next[i])))) return EMPTY_DIFF;
  const before = new Map(old.map((r) => [r.uid, r]));
  const diff: ReferenceDiff = { added: [], removed: [], changed: [] };
  for (const r of next) {
    const was = before.get(r.uid);
    if (!was) diff.added.push(r);
    else {
      if (!sameRef(was, r)) diff.changed.push({ oldRef: was, newRef: r });
      before.delete(r.uid);
    }
  }
  diff.removed.push(...before.values());
  return diff;
}

/**
 * deletionStartsWithFinalizer: the object is being deleted with the
 * finalizer, and the previous version was not (or there is none, as after
 * a relist).
 */
export function deletionStartsWithFinalizer(old: KubeObject | undefined, obj: KubeObject, finalizer: string): boolean {
  if (!beingDeleted(obj) || !hasFinalizer(obj, finalizer)) return false;
  return !old || !beingDeleted(old) || !hasFinalizer(old, finalizer);
}

/** referenceLessThan: kind, apiVersion, namespace, name, uid. */
function referenceLess(a: ObjectIdentity, b: ObjectIdentity): boolean {
  for (const k of ['kind', 'apiVersion', 'namespace', 'name', 'uid'] as const) if (a[k] !== b[k]) return a[k] < b[k];
  return false;
}

/**
 * getAlternateOwnerIdentity: another identity the dependents know the
 * verified-absent owner's uid by; the first that sorts after it, else the
 * first overall.
 */
export function alternateOwnerIdentity(deps: readonly GraphNode[], absent: ObjectIdentity): ObjectIdentity | undefined {
  const clusterScoped = absent.namespace === '';
  const seen = new Set<string>([JSON.stringify(absent)]);
  let first: ObjectIdentity | undefined;
  let firstFollowing: ObjectIdentity | undefined;
  for (const dep of deps) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (matchesCoordinates(ref, absent) && (clusterScoped || absent.namespace === dep.identity.namespace)) continue;
      const alt = identityFromRef(ref, dep.identity.namespace);
      // That apiVersion/kind is known to be cluster-scoped.
      if (clusterScoped && alt.apiVersion === absent.apiVersion && alt.kind === absent.kind) alt.namespace = '';
      const k = JSON.stringify(alt);
      if (seen.has(k)) continue;
      seen.add(k);
      if (!first || referenceLess(alt, first)) first = alt;
      if (referenceLess(absent, alt) && (!firstFollowing || referenceLess(alt, firstFollowing))) firstFollowing = alt;
    }
  }
  return firstFollowing ?? first;
}

/**
 * partitionDependents: dependents whose reference to the owner's uid
 * matches the identity, and those whose reference (or namespace) does not.
 * A dependent can be in both.
 */
export function partitionDependents(deps: readonly GraphNode[], owner: ObjectIdentity): [GraphNode[], GraphNode[]] {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  for (const dep of deps) {
    let match = false;
    let mismatch = false;
    if (owner.namespace !== '' && owner.namespace !== dep.identity.namespace) mismatch = true;
    else
      for (const ref of dep.owners) {
        if (ref.uid !== owner.uid) continue;
        if (matchesCoordinates(ref, owner)) match = true;
        else mismatch = true;
      }
    if (match) matching.push(dep);
    if (mismatch) nonmatching.push(dep);
  }
  return [matching, nonmatching];
}

/**
 * The absent-owner cache: owners the apiserver said do not exist, so the
 * dependents of one deleted owner cost one GET, not one each. An LRU of
 * 500 entries, as upstream's.
 */
export class AbsentOwnerCache {
  private readonly entries = new Map<string, true>();

  constructor(private readonly capacity = 500) {}

  private static key(id: ObjectIdentity): string {
    return `${id.apiVersion}|${id.kind}|${id.namespace}|${id.name}|${id.uid}`;
  }

  add(id: ObjectIdentity): void {
    const k = AbsentOwnerCache.key(id);
    this.entries.delete(k);
    this.entries.set(k, true);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  has(id: ObjectIdentity): boolean {
    const k = AbsentOwnerCache.key(id);
    if (!this.entries.has(k)) return false;
    // A hit makes the entry the most recently used.
    this.entries.delete(k);
    this.entries.set(k, true);
    return true;
  }
}
