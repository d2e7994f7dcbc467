// A StatefulSet's revision history as unknown as ControllerRevisions, after upstream
// pkg/controller/history/controller_history.go and the revision parts of
// pkg/controller/statefulset (stateful_set_utils.go newRevision,
// ApplyRevision, nextRevision; stateful_set_control.go
// getStatefulSetRevisions, truncateHistory). A revision's data is the patch
// that restores the pod template ({"spec":{"template":{..., "$patch":
// "replace"}}}); its name is "<set>-<hash>", the hash FNV-1 (32 bit) of
// the data and the collision count, rendered with SafeEncodeString. Upstream
// hashes Go's JSON encoding; kubeviz hashes the canonical JSON (keys
// sorted), so the names differ from a real cluster's but change exactly when
// the template does.
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import type { Failure } from '../apiserver/status';
import { byCreationTimestamp, isAlreadyExists, newControllerRef } from './controller-utils';
import { canonicalJson, safeEncodeString, utf8 } from './controller-utils-hash';
import { STS_KIND } from './statefulset-utils';

/** history.ControllerRevisionHashLabel. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1 (multiply, then xor), 32 bits: Go's fnv.New32, which HashControllerRevision uses. */
export function fnv32(bytes: Iterable<number>, seed = FNV_OFFSET): number {
  let h = seed;
  for (const b of bytes) h = (Math.imul(h, FNV_PRIME) ^ b) >>> 0;
  return h >>> 0;
}

/** HashControllerRevision: the data, then the collision count in decimal when there is one. */
export function hashControllerRevision(data: unknown, collisionCount: number | undefined): string {
  let h = fnv32(utf8(canonicalJson(data)));
  if (collisionCount !== undefined) h = fnv32(utf8(String(collisionCount)), h);
  return safeEncodeString(String(h));
}

/** ControllerRevisionName: the parent's name (at most 223 characters), a dash, the hash. */
export const controllerRevisionName = (prefix: string, hash: string): string => `${prefix.slice(0, 223)}-${hash}`;

/** getPatch: the revision's data, which restores the set's pod template. */
export function revisionData(set: StatefulSet): { spec: { template: PodTemplateSpec & { $patch: 'replace' } } } {
  return { spec: { template: { ...structuredClone(set.spec!.template), $patch: 'replace' } } };
}

/** newRevision: a ControllerRevision of the set's template (labels of the template, the set's annotations), named by its hash. */
export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  const data = revisionData(set);
  const hash = hashControllerRevision(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(set.metadata!.name!, hash),
      namespace: set.metadata?.namespace,
      labels: { ...set.spec?.template?.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      annotations: { ...set.metadata?.annotations },
      ownerReferences: [newControllerRef(set as KubeObject, STS_KIND.apiVersion, STS_KIND.kind)],
    },
    data,
    revision,
  };
}

/** ApplyRevision: the set as it was at the revision (its template restored). */
export function applyRevision(set: StatefulSet, revision: ControllerRevision): StatefulSet {
  const tpl = (revision.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined)?.spec?.template;
  if (!tpl) return set;
  const { $patch: _p, ...template } = tpl;
  void _p;
  return { ...set, spec: { ...set.spec!, template } };
}

/** SortControllerRevisions: by revision number, then creation time, then name. */
export function sortRevisions(revisions: ControllerRevision[]): ControllerRevision[] {
  return revisions.sort((a, b) => a.revision - b.revision || byCreationTimestamp(a, b));
}

/** nextRevision: one more than the highest (revisions sorted), 1 for the first. */
export const nextRevision = (sorted: readonly ControllerRevision[]): number => (sorted.length ? sorted[sorted.length - 1].revision + 1 : 1);

/** EqualRevision: the same hash label (when both have one) and the same data. */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  const ha = a.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  const hb = b.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return canonicalJson(a.data) === canonicalJson(b.data);
}

export type HistoryResult = { ok: true; revision: ControllerRevision } | { ok: false; status: Failure };

/** The history writes (upstream's realHistory) through the controller-manager's client. */
export class ControllerHistory {
  constructor(private readonly client: ApiClient) {}

  /**
   * CreateControllerRevision: a name taken by different data bumps the collision count and tries the next name.
   * `adoptedName`: the name the set's pods already carry (see StatefulSetControl), used for the first try.
   */
  create(set: StatefulSet, revision: ControllerRevision, collision: { count: number }, adoptedName?: string): HistoryResult {
    for (let attempt = 0; ; attempt++) {
      const hash = hashControllerRevision(revision.data, collision.count);
      // The hash label stays the data's (EqualRevision compares it), whatever the name.
      const name = attempt === 0 && adoptedName ? adoptedName : controllerRevisionName(set.metadata!.name!, hash);
      const clone = { ...revision, metadata: { ...revision.metadata, name } };
      const r = this.client.create(clone as KubeObject);
      if (r.ok) return { ok: true, revision: r.object as unknown as ControllerRevision };
      if (!isAlreadyExists(r.status)) return { ok: false, status: r.status };
      const exists = this.client.get('ControllerRevision', set.metadata?.namespace, clone.metadata.name!);
      if (!exists.ok) return { ok: false, status: exists.status };
      if (canonicalJson((exists.object as unknown as ControllerRevision).data) === canonicalJson(clone.data)) return { ok: true, revision: exists.object as unknown as ControllerRevision };
      collision.count++;
    }
  }

  /** UpdateControllerRevision: a rollback renumbers an old revision to the newest. */
  renumber(revision: ControllerRevision, to: number): HistoryResult {
    if (revision.revision === to) return { ok: true, revision };
    const r = this.client.update({ ...revision, revision: to } as unknown as KubeObject);
    return r.ok ? { ok: true, revision: r.object as unknown as ControllerRevision } : { ok: false, status: r.status };
  }

  delete(revision: ControllerRevision): Failure | undefined {
    const r = this.client.delete('ControllerRevision', revision.metadata?.namespace, revision.metadata!.name!);
    return r.ok || r.status.reason === 'NotFound' ? undefined : r.status;
  }
}
