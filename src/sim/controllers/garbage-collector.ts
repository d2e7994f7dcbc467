// kube-controller-manager's garbage collector (pkg/controller/garbagecollector/
// garbagecollector.go and operations.go). It watches every kind that can own
// or be owned, keeps the owner/dependent graph (garbage-collector-graph-
// builder.ts) and works two queues:
// - attemptToDelete: a dependent whose owners are all gone is deleted (with
//   the propagation its own finalizers ask, else Background); an owner
//   deleting in the foreground loses its foregroundDeletion finalizer once
//   no dependent blocks it (blockOwnerDeletion), and its blocking dependents
//   are deleted first;
// - attemptToOrphan: an owner deleted with the orphan finalizer has its
//   ownerReference taken off every dependent, then loses the finalizer.
// Every read that decides a deletion is a live GET, as upstream's are.
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { RESOURCES, resourceForKind, type KubeObject } from '../api/types';
import type { ApiResult, DeletionPropagation } from '../apiserver/apiserver';
import type { EventRecorder } from '../client/event-recorder';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import {
  FINALIZER_FOREGROUND,
  FINALIZER_ORPHAN,
  hasFinalizer,
  identityFromRef,
  identityString,
  isBlocking,
  type GraphNode,
  type ObjectIdentity,
} from './garbage-collector-graph';
import { GraphBuilder } from './garbage-collector-graph-builder';
import { byOwnerUid, type SharedInformer } from './shared-informers';
import { WorkQueue, type SyncResult } from './work-queue';

export const GARBAGE_COLLECTOR = 'garbage-collector-controller';

/** The byOwnerUid index: every object filed under each of its owners' uids. */
export const OWNER_UID_INDEX = 'byOwnerUid';

/** Upstream's default ignoredResources: events are never collected. */
const MONITORED_KINDS = RESOURCES.filter((r) => r.kind !== 'Event').map((r) => r.kind);

/** What one attempt on a node came to. */
type Outcome = 'done' | 'retry' | 'virtual-deleted';

/** What isDangling found for one owner reference. */
type OwnerLookup = { dangling: true } | { dangling: false; owner: KubeObject } | { error: 'retry' | 'forget' };

/** retry.DefaultBackoff's steps for conflicting writes. */
const CONFLICT_RETRIES = 4;

export class GarbageCollector implements Controller {
  readonly name = GARBAGE_COLLECTOR;
  readonly graph: GraphBuilder;
  private readonly informers: SharedInformer[];
  private readonly deleteQueue: WorkQueue;
  private readonly orphanQueue: WorkQueue;
  /** Uids queued while their node was virtual: once observed, that item is dropped (a fresh one is queued if needed). */
  private readonly queuedVirtual = new Set<string>();
  private readonly recorder: EventRecorder;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder(GARBAGE_COLLECTOR);
    this.deleteQueue = new WorkQueue(ctx.kernel, `${GARBAGE_COLLECTOR}.attemptToDelete`, (uid) => this.attemptToDeleteWorker(uid));
    this.orphanQueue = new WorkQueue(ctx.kernel, `${GARBAGE_COLLECTOR}.attemptToOrphan`, (uid) => this.attemptToOrphanWorker(uid));
    this.graph = new GraphBuilder({
      attemptToDelete: (n) => this.enqueueDelete(n),
      attemptToDeleteRateLimited: (n) => {
        if (n.virtual) this.queuedVirtual.add(n.identity.uid);
        this.deleteQueue.addRateLimited(n.identity.uid);
      },
      attemptToOrphan: (n) => this.orphanQueue.add(n.identity.uid),
      dependentsOf: (uid) => this.dependentObjects(uid),
      invalidNamespaceOwnerRef: (dep, ref) => this.reportInvalidNamespaceOwnerRef(dep, ref),
    });
    this.informers = MONITORED_KINDS.map((kind) => {
      const inf = ctx.informers.for(kind);
      inf.addIndex(OWNER_UID_INDEX, byOwnerUid);
      inf.on({
        add: (obj) => this.observe({ type: 'add', obj }),
        update: (obj, old) => this.observe({ type: 'update', obj, old }),
        delete: (obj) => this.observe({ type: 'delete', obj }),
      });
      return inf;
    });
  }

  stop(): void {
    this.stopped = true;
    this.deleteQueue.shutDown();
    this.orphanQueue.shutDown();
  }

  private observe(ev: Parameters<GraphBuilder['process']>[0]): void {
    if (!this.stopped) this.graph.process(ev);
  }

  private enqueueDelete(n: GraphNode): void {
    if (n.virtual) this.queuedVirtual.add(n.identity.uid);
    this.deleteQueue.add(n.identity.uid);
  }

  private dependentObjects(uid: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const inf of this.informers) out.push(...inf.byIndex(OWNER_UID_INDEX, uid));
    return out;
  }

  // ---- attemptToDelete ------------------------------------------------------

  private attemptToDeleteWorker(uid: string): SyncResult {
    const n = this.graph.uidToNode.get(uid);
    const queuedVirtual = this.queuedVirtual.delete(uid);
    // Gone from the graph, or the virtual item we queued has since been observed: nothing to do for it.
    if (!n || (queuedVirtual && !n.virtual)) return 'done';
    const out = this.attemptToDeleteItem(n);
    if (out === 'virtual-deleted') return 'done';
    if (out === 'retry' || n.virtual) {
      // A virtual node is polled until an informer shows it or the apiserver says it is gone.
      if (n.virtual) this.queuedVirtual.add(uid);
      return 'retry';
    }
    return 'done';
  }

  /**
   * attemptToDeleteItem: looks the object up, and deletes it if every owner
   * is gone (or waiting for its dependents to go), or removes the references
   * to absent owners when another owner still stands.
   */
  private attemptToDeleteItem(item: GraphNode): Outcome {
    // Being deleted already: its dependents are handled once it is gone.
    if (item.beingDeleted && !item.deletingDependents) return 'done';
    const id = item.identity;
    const got = this.getObject(id);
    if (got === 'unknown-kind') return 'retry';
    if (!got.ok) return got.status.code === 404 ? this.virtualDelete(id) : 'retry';
    const latest = got.object;
    if (latest.metadata.uid !== id.uid) return this.virtualDelete(id);
    if (item.deletingDependents) return this.processDeletingDependentsItem(item);
    const refs = latest.metadata.ownerReferences ?? [];
    if (!refs.length) return 'done';

    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const found = this.isDangling(ref, item);
      if ('error' in found) return found.error === 'forget' ? 'done' : 'retry';
      if (found.dangling) dangling.push(ref);
      else if (found.owner.metadata.deletionTimestamp && hasFinalizer(found.owner, FINALIZER_FOREGROUND)) waiting.push(ref);
      else solid.push(ref);
    }

    if (solid.length) {
      if (!dangling.length && !waiting.length) return 'done';
      // An owner waiting for its dependents must not keep waiting on this one: drop those references too.
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      return this.patchOwnerReferences(latest, (cur) => cur.filter((r) => !drop.has(r.uid)));
    }
    if (waiting.length && this.graph.dependents(id.uid).length) {
      // Deleting in the foreground in turn; a dependent that also waits would make a cycle, so stop blocking owners.
      if (this.graph.dependents(id.uid).some((d) => d.deletingDependents)) {
        const r = this.patchOwnerReferences(latest, (cur) => cur.map((ref) => (isBlocking(ref) ? { ...ref, blockOwnerDeletion: false } : ref)));
        if (r !== 'done') return r;
      }
      return this.deleteObject(id, latest, 'Foreground');
    }
    const policy: DeletionPropagation = hasFinalizer(latest, FINALIZER_ORPHAN) ? 'Orphan' : hasFinalizer(latest, FINALIZER_FOREGROUND) ? 'Foreground' : 'Background';
    return this.deleteObject(id, latest, policy);
  }

  /** An owner deleting in the foreground: done when no dependent blocks it, else its blocking dependents go first. */
  private processDeletingDependentsItem(item: GraphNode): Outcome {
    const blocking = this.graph.blockingDependents(item);
    if (!blocking.length) return this.removeFinalizer(item.identity, FINALIZER_FOREGROUND);
    for (const dep of blocking) if (!dep.deletingDependents) this.enqueueDelete(dep);
    return 'done';
  }

  /** isDangling: does the owner a reference names exist (same uid)? Absent owners are remembered. */
  private isDangling(ref: OwnerReference, item: GraphNode): OwnerLookup {
    const absent = this.graph.absentOwners;
    const clusterKey = identityFromRef(ref, '');
    const namespacedKey = identityFromRef(ref, item.identity.namespace);
    if (absent.has(clusterKey) || absent.has(namespacedKey)) return { dangling: true };
    const info = resourceForKind(ref.kind);
    // A kind or version the apiserver does not serve: try again later (upstream's restMappingError).
    if (!info || info.apiVersion !== ref.apiVersion) return { error: 'retry' };
    // A cluster-scoped object cannot have a namespaced owner; retrying will not change that.
    if (info.namespaced && !item.identity.namespace) return { error: 'forget' };
    const key = info.namespaced ? namespacedKey : clusterKey;
    const r = this.ctx.client.get(ref.kind, info.namespaced ? item.identity.namespace : undefined, ref.name);
    if (!r.ok) {
      if (r.status.code !== 404) return { error: 'retry' };
      absent.add(key);
      return { dangling: true };
    }
    if (r.object.metadata.uid !== ref.uid) {
      absent.add(key);
      return { dangling: true };
    }
    return { dangling: false, owner: r.object };
  }

  /**
   * deleteObject: with the uid and resourceVersion the decision was made on
   * as preconditions; if only the version moved and the owners did not
   * change, the delete is sent again without it.
   */
  private deleteObject(id: ObjectIdentity, latest: KubeObject, policy: DeletionPropagation): Outcome {
    const ns = id.namespace || undefined;
    const rv = latest.metadata.resourceVersion;
    let r = this.ctx.client.delete(id.kind, ns, id.name, { preconditions: { uid: id.uid, resourceVersion: rv }, propagationPolicy: policy });
    if (!r.ok && r.status.code === 409 && rv) {
      const live = this.ctx.client.get(id.kind, ns, id.name);
      if (!live.ok) return live.status.code === 404 ? this.virtualDelete(id) : 'retry';
      if (live.object.metadata.uid !== id.uid) return this.virtualDelete(id);
      if (sameRefs(live.object.metadata.ownerReferences ?? [], latest.metadata.ownerReferences ?? []))
        r = this.ctx.client.delete(id.kind, ns, id.name, { preconditions: { uid: id.uid }, propagationPolicy: policy });
    }
    if (r.ok) return 'done';
    return r.status.code === 404 ? this.virtualDelete(id) : 'retry';
  }

  /** The apiserver says the object is gone: tell the graph, as if an informer had. */
  private virtualDelete(id: ObjectIdentity): Outcome {
    this.graph.process({
      type: 'delete',
      virtual: true,
      obj: { apiVersion: id.apiVersion, kind: id.kind, metadata: { name: id.name, uid: id.uid, ...(id.namespace ? { namespace: id.namespace } : {}) } },
    });
    return 'virtual-deleted';
  }

  private getObject(id: ObjectIdentity): ApiResult | 'unknown-kind' {
    const info = resourceForKind(id.kind);
    if (!info || info.apiVersion !== id.apiVersion) return 'unknown-kind';
    return this.ctx.client.get(id.kind, info.namespaced ? id.namespace : undefined, id.name);
  }

  // ---- attemptToOrphan ------------------------------------------------------

  /** The owner was deleted with the orphan finalizer: free every dependent, then let the owner go. */
  private attemptToOrphanWorker(uid: string): SyncResult {
    const owner = this.graph.uidToNode.get(uid);
    if (!owner) return 'done';
    let failed = false;
    for (const dep of this.dependentObjects(uid)) {
      if (this.patchOwnerReferences(dep, (refs) => refs.filter((ref) => ref.uid !== uid)) === 'retry') failed = true;
    }
    if (failed) return 'retry';
    return this.removeFinalizer(owner.identity, FINALIZER_ORPHAN) === 'retry' ? 'retry' : 'done';
  }

  // ---- writes ---------------------------------------------------------------

  /**
   * Edits an object's ownerReferences: a JSON merge patch guarded by the
   * resourceVersion the edit was made on; on a conflict, read and redo it.
   * A dependent that is already gone needs nothing.
   */
  private patchOwnerReferences(obj: KubeObject, edit: (refs: readonly OwnerReference[]) => OwnerReference[]): Outcome {
    let cur = obj;
    for (let i = 0; i < CONFLICT_RETRIES; i++) {
      const m = cur.metadata;
      const next = edit(m.ownerReferences ?? []);
      const r = this.ctx.client.patch(cur.kind, m.namespace, m.name!, { metadata: { resourceVersion: m.resourceVersion, ownerReferences: next.length ? next : null } });
      if (r.ok || r.status.code === 404) return 'done';
      if (r.status.code !== 409) return 'retry';
      const live = this.ctx.client.get(cur.kind, m.namespace, m.name!);
      if (!live.ok) return live.status.code === 404 ? 'done' : 'retry';
      if (live.object.metadata.uid !== m.uid) return 'done';
      cur = live.object;
    }
    return 'retry';
  }

  /** removeFinalizer: read, drop the finalizer, write back with that resourceVersion; conflicts are retried. */
  private removeFinalizer(id: ObjectIdentity, finalizer: string): Outcome {
    for (let i = 0; i < CONFLICT_RETRIES; i++) {
      const got = this.getObject(id);
      if (got === 'unknown-kind') return 'retry';
      if (!got.ok) return got.status.code === 404 ? 'done' : 'retry';
      const m = got.object.metadata;
      const finalizers = m.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return 'done';
      const rest = finalizers.filter((f) => f !== finalizer);
      const r = this.ctx.client.patch(id.kind, id.namespace || undefined, id.name, { metadata: { resourceVersion: m.resourceVersion, finalizers: rest.length ? rest : null } });
      if (r.ok || r.status.code === 404) return 'done';
      if (r.status.code !== 409) return 'retry';
    }
    return 'retry';
  }

  private reportInvalidNamespaceOwnerRef(dep: GraphNode, ref: OwnerReference): void {
    const id = dep.identity;
    const invalid = identityFromRef(ref, id.namespace);
    this.recorder.event(
      { apiVersion: id.apiVersion, kind: id.kind, metadata: { name: id.name, namespace: id.namespace || undefined, uid: id.uid } },
      'Warning',
      'OwnerRefInvalidNamespace',
      `ownerRef ${identityString(invalid)} does not exist in namespace ${JSON.stringify(id.namespace)}`,
    );
  }
}

function sameRefs(a: readonly OwnerReference[], b: readonly OwnerReference[]): boolean {
  return a.length === b.length && a.every((r, i) => JSON.stringify(r) === JSON.stringify(b[i]));
}

export const newGarbageCollector: ControllerFactory = (ctx) => new GarbageCollector(ctx);
