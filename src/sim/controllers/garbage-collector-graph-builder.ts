// The garbage collector's GraphBuilder (pkg/controller/garbagecollector/
// graph_builder.go, processGraphChanges): turns the informers' add, update
// and delete events into the uid -> node graph, and decides which nodes the
// collector must look at: dependents whose owner went away, owners that
// start waiting for their dependents (foregroundDeletion) or want them
// orphaned (orphan), owners a dependent stopped blocking.
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../api/types';
import {
  AbsentOwnerCache,
  alternateOwnerIdentity,
  beingDeleted,
  deletionStartsWithFinalizer,
  FINALIZER_FOREGROUND,
  FINALIZER_ORPHAN,
  hasFinalizer,
  identityFromRef,
  identityOf,
  isBlocking,
  matchesCoordinates,
  partitionDependents,
  referencesDiff,
  sameIdentity,
  type GraphNode,
} from './garbage-collector-graph';

export interface GraphEvent {
  type: 'add' | 'update' | 'delete';
  obj: KubeObject;
  old?: KubeObject;
  /** Made up by the collector when the apiserver says an object is gone, not seen through an informer. */
  virtual?: boolean;
}

/** What the builder asks of the collector it feeds. */
export interface GraphSinks {
  attemptToDelete(node: GraphNode): void;
  attemptToDeleteRateLimited(node: GraphNode): void;
  attemptToOrphan(node: GraphNode): void;
  /** The objects whose ownerReferences name this uid (the byOwnerUid index). */
  dependentsOf(uid: string): readonly KubeObject[];
  /** A dependent names an owner that exists, but in another namespace. */
  invalidNamespaceOwnerRef(dependent: GraphNode, ref: OwnerReference): void;
}

export class GraphBuilder {
  readonly uidToNode = new Map<string, GraphNode>();
  readonly absentOwners = new AbsentOwnerCache();

  constructor(private readonly sinks: GraphSinks) {}

  /** The graph nodes of the owner's dependents. */
  dependents(uid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const o of this.sinks.dependentsOf(uid)) {
      const n = this.uidToNode.get(o.metadata.uid ?? '');
      if (n) out.push(n);
    }
    return out;
  }

  /** The dependents whose reference to `owner` has blockOwnerDeletion: true. */
  blockingDependents(owner: GraphNode): GraphNode[] {
    return this.dependents(owner.identity.uid).filter((d) => d.owners.some((r) => r.uid === owner.identity.uid && isBlocking(r)));
  }

  process(ev: GraphEvent): void {
    const uid = ev.obj.metadata.uid;
    if (!uid) return;
    const existing = this.uidToNode.get(uid);
    // A status write keeps the owner references, deletion mark and finalizers it had: the graph has nothing to learn.
    if (ev.type === 'update' && existing && !existing.virtual && ev.old && unchangedForGraph(ev.old, ev.obj)) return;
    if (existing && !ev.virtual && existing.virtual) this.observe(existing, ev.obj);
    if (ev.type === 'delete') return this.processDelete(ev, existing);
    const owners = ev.obj.metadata.ownerReferences ?? [];
    if (!existing) {
      const node: GraphNode = {
        identity: identityOf(ev.obj),
        owners,
        deletingDependents: beingDeleted(ev.obj) && hasFinalizer(ev.obj, FINALIZER_FOREGROUND),
        beingDeleted: beingDeleted(ev.obj),
        virtual: false,
      };
      this.uidToNode.set(uid, node);
      this.addDependentToOwners(node, owners);
      // One event may stand for a create and a delete (a relist), so look at transitions too.
      this.processTransitions(ev.old, ev.obj, node);
      return;
    }
    const diff = referencesDiff(existing.owners, owners);
    if (diff.added.length || diff.removed.length || diff.changed.length) {
      this.addUnblockedOwnersToDeleteQueue(diff.removed, diff.changed);
      existing.owners = owners;
      this.addDependentToOwners(existing, diff.added);
    }
    if (beingDeleted(ev.obj)) existing.beingDeleted = true;
    this.processTransitions(ev.old, ev.obj, existing);
  }

  /** A virtual node is seen for real: take the observed identity; dependents that named it otherwise are checked. */
  private observe(node: GraphNode, obj: KubeObject): void {
    const observed = identityOf(obj);
    if (!sameIdentity(observed, node.identity)) {
      const [, mismatched] = partitionDependents(this.dependents(node.identity.uid), observed);
      for (const dep of mismatched) {
        if (observed.namespace !== '' && dep.identity.namespace !== observed.namespace) {
          const ref = dep.owners.find((r) => r.uid === observed.uid);
          if (ref) this.sinks.invalidNamespaceOwnerRef(dep, ref);
        }
        this.sinks.attemptToDelete(dep);
      }
      node.identity = observed;
    }
    node.virtual = false;
  }

  private processDelete(ev: GraphEvent, existing: GraphNode | undefined): void {
    if (!existing) return;
    let remove = true;
    if (ev.virtual) {
      // The collector found this identity absent; an observed or differently named owner may still be real.
      const deleted = identityOf(ev.obj);
      if (existing.virtual) {
        const [matching, nonmatching] = partitionDependents(this.dependents(deleted.uid), deleted);
        if (nonmatching.length) {
          remove = false;
          if (matching.length) {
            this.absentOwners.add(deleted);
            for (const dep of matching) this.sinks.attemptToDelete(dep);
          }
          if (sameIdentity(existing.identity, deleted)) {
            const alt = alternateOwnerIdentity(nonmatching, deleted);
            if (alt) {
              existing.identity = alt;
              this.sinks.attemptToDeleteRateLimited(existing);
            }
          }
        }
      } else if (!sameIdentity(existing.identity, deleted)) {
        remove = false;
        const [matching] = partitionDependents(this.dependents(deleted.uid), deleted);
        if (matching.length) {
          this.absentOwners.add(deleted);
          for (const dep of matching) this.sinks.attemptToDelete(dep);
        }
      }
    }
    if (!remove) return;
    const uid = existing.identity.uid;
    this.uidToNode.delete(uid);
    const deps = this.dependents(uid);
    if (deps.length) this.absentOwners.add(identityOf(ev.obj));
    for (const dep of deps) this.sinks.attemptToDelete(dep);
    // An owner deleting in the foreground may have been waiting for this one.
    for (const ref of existing.owners) {
      const owner = this.uidToNode.get(ref.uid);
      if (owner?.deletingDependents) this.sinks.attemptToDelete(owner);
    }
  }

  /**
   * addDependentToOwners: an owner not in the graph gets a virtual node, for
   * the collector to check against the apiserver; a reference that does not
   * fit the owner seen (namespace, coordinates) gets the dependent checked.
   */
  private addDependentToOwners(n: GraphNode, owners: readonly OwnerReference[]): void {
    let suspicious = false;
    for (const ref of owners) {
      const ownerNode = this.uidToNode.get(ref.uid);
      if (!ownerNode) {
        const virtual: GraphNode = { identity: identityFromRef(ref, n.identity.namespace), owners: [], deletingDependents: false, beingDeleted: false, virtual: true };
        this.uidToNode.set(ref.uid, virtual);
        this.sinks.attemptToDelete(virtual);
        continue;
      }
      if (suspicious) continue;
      const ownerNamespaced = ownerNode.identity.namespace !== '';
      if (ownerNamespaced && ownerNode.identity.namespace !== n.identity.namespace) {
        // Cluster-scoped owners may be named from anywhere; namespaced ones only from their own namespace.
        if (!ownerNode.virtual) this.sinks.invalidNamespaceOwnerRef(n, ref);
        suspicious = true;
      } else if (!matchesCoordinates(ref, ownerNode.identity)) suspicious = true;
      else if (!ownerNamespaced && ownerNode.identity.namespace !== n.identity.namespace && ownerNode.virtual) suspicious = true;
    }
    if (suspicious) this.sinks.attemptToDelete(n);
  }

  /** A blocking reference removed, or set to blockOwnerDeletion false: its owner may be waiting for that. */
  private addUnblockedOwnersToDeleteQueue(removed: readonly OwnerReference[], changed: ReadonlyArray<{ oldRef: OwnerReference; newRef: OwnerReference }>): void {
    for (const ref of removed) {
      const owner = isBlocking(ref) ? this.uidToNode.get(ref.uid) : undefined;
      if (owner) this.sinks.attemptToDelete(owner);
    }
    for (const c of changed) {
      const owner = isBlocking(c.oldRef) && !isBlocking(c.newRef) ? this.uidToNode.get(c.newRef.uid) : undefined;
      if (owner) this.sinks.attemptToDelete(owner);
    }
  }

  private processTransitions(old: KubeObject | undefined, obj: KubeObject, n: GraphNode): void {
    if (deletionStartsWithFinalizer(old, obj, FINALIZER_ORPHAN)) {
      this.sinks.attemptToOrphan(n);
      return;
    }
    if (deletionStartsWithFinalizer(old, obj, FINALIZER_FOREGROUND)) {
      // Set here too: a node first made virtual did not have it.
      n.deletingDependents = true;
      for (const dep of this.dependents(n.identity.uid)) this.sinks.attemptToDelete(dep);
      this.sinks.attemptToDelete(n);
    }
  }
}

/** Same owner references, deletionTimestamp and finalizers (the stored sub-objects are shared when unchanged). */
function unchangedForGraph(old: KubeObject, obj: KubeObject): boolean {
  const a = old.metadata;
  const b = obj.metadata;
  return a.ownerReferences === b.ownerReferences && a.deletionTimestamp === b.deletionTimestamp && a.finalizers === b.finalizers;
}
