// Adoption and orphaning, after upstream pkg/controller/controller_ref_manager.go
// (BaseControllerRefManager.ClaimObject, ClaimPods, ClaimReplicaSets,
// RecheckDeletionTimestamp): a controller owns what its selector matches and
// carries its controllerRef; it adopts matching orphans (patching in a
// controllerRef with blockOwnerDeletion) and releases what it owns but no
// longer matches. Patches are JSON merge patches here (the apiserver has no
// strategic merge), so the whole ownerReferences list is written, guarded by
// the object's resourceVersion and uid.
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import type { Failure } from '../apiserver/status';
import { controllerRefOf, isInvalid, isNotFound, newControllerRef } from './controller-utils';

export interface ClaimContext {
  client: ApiClient;
  /** The kind being claimed: "Pod" or "ReplicaSet". */
  kind: string;
  /** The controller, as its informer has it. */
  controller: KubeObject;
  controllerKind: { apiVersion: string; kind: string };
  /** The controller's selector (plus any extra filter) against the object. */
  matches(obj: KubeObject): boolean;
}

export interface ClaimResult<T> {
  claimed: T[];
  errors: Failure[];
}

/**
 * ClaimPods / ClaimReplicaSets: the objects the controller should manage.
 * Before the first adoption it re-reads the controller (an uncached quorum
 * read) so that a controller being deleted adopts nothing.
 */
export function claimObjects<T extends KubeObject>(objects: readonly T[], ctx: ClaimContext): ClaimResult<T> {
  const claimed: T[] = [];
  const errors: Failure[] = [];
  const deleting = !!ctx.controller.metadata.deletionTimestamp;
  let canAdopt: Failure | null | undefined;
  const recheck = (): Failure | null => {
    if (canAdopt === undefined) canAdopt = recheckDeletionTimestamp(ctx);
    return canAdopt;
  };
  for (const obj of objects) {
    const ref = controllerRefOf(obj);
    if (ref) {
      if (ref.uid !== ctx.controller.metadata.uid) continue;
      if (ctx.matches(obj)) {
        claimed.push(obj);
        continue;
      }
      if (deleting) continue;
      const err = release(ctx, obj);
      if (err && !isNotFound(err)) errors.push(err);
      continue;
    }
    // An orphan: adopt it if it matches, unless either side is being deleted.
    if (deleting || !ctx.matches(obj) || obj.metadata.deletionTimestamp) continue;
    if (ctx.controller.metadata.namespace && ctx.controller.metadata.namespace !== obj.metadata.namespace) continue;
    const denied = recheck();
    if (denied) {
      errors.push({ ...denied, message: `can't adopt ${ctx.kind} ${obj.metadata.namespace}/${obj.metadata.name} (${obj.metadata.uid}): ${denied.message}` });
      continue;
    }
    const err = adopt(ctx, obj);
    if (err) {
      if (!isNotFound(err)) errors.push(err);
      continue;
    }
    claimed.push(obj);
  }
  return { claimed, errors };
}

/** RecheckDeletionTimestamp: a fresh GET of the controller; adoption is refused once it is being deleted. */
function recheckDeletionTimestamp(ctx: ClaimContext): Failure | null {
  const m = ctx.controller.metadata;
  const r = ctx.client.get(ctx.controller.kind, m.namespace, m.name!);
  if (!r.ok) return r.status;
  const fresh = r.object.metadata;
  if (fresh.uid !== m.uid) return conflictLike(`original ${ctx.controller.kind} ${m.namespace}/${m.name} is gone: got uid ${fresh.uid}, wanted ${m.uid}`);
  if (fresh.deletionTimestamp) return conflictLike(`${m.namespace}/${m.name} has just been deleted at ${fresh.deletionTimestamp}`);
  return null;
}

function conflictLike(message: string): Failure {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Conflict', code: 409, message };
}

function adopt(ctx: ClaimContext, obj: KubeObject): Failure | undefined {
  const ref = newControllerRef(ctx.controller, ctx.controllerKind.apiVersion, ctx.controllerKind.kind);
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
  return patchOwners(ctx, obj, [...refs, ref]);
}

/** Release: drop our reference; a 404 or 422 means there is nothing left to release. */
function release(ctx: ClaimContext, obj: KubeObject): Failure | undefined {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ctx.controller.metadata.uid);
  const err = patchOwners(ctx, obj, refs);
  return err && (isNotFound(err) || isInvalid(err)) ? undefined : err;
}

function patchOwners(ctx: ClaimContext, obj: KubeObject, refs: OwnerReference[]): Failure | undefined {
  const m = obj.metadata;
  const patch = { metadata: { ownerReferences: refs.length ? refs : null, uid: m.uid, resourceVersion: m.resourceVersion } };
  const r = ctx.client.patch(ctx.kind, m.namespace, m.name!, patch);
  return r.ok ? undefined : r.status;
}
