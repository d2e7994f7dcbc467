// The pieces of pkg/controller/controller_utils.go that the daemonset and
// job controllers share: RealPodControl (create a pod from a template with
// a controller reference, delete one, each with its Event),
// ControllerExpectations (do not act again before the watch has shown the
// last creates and deletes), the slow-start batch sizes, and
// PodControllerRefManager.ClaimPods (adopt matching orphans, release owned
// pods that no longer match). The daemonset- prefix only says who owns it.
import type { LabelSelector, OwnerReference } from 'kubernetes-types/meta/v1';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import type { ApiClient, ApiResult } from '../apiserver/apiserver';
import { internal } from '../apiserver/status';
import type { EventRecorder } from '../client/event-recorder';
import { isDNS1123Subdomain, maskTrailingDash } from '../api/names';
import { byControllerUid, type IndexFunc, type SharedInformer } from './shared-informers';

/** SlowStartInitialBatchSize: the first batch of creates is one pod, then 2, 4, 8, ... */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/** ExpectationsTimeout: expectations older than this are treated as met (a lost watch event must not wedge a controller). */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

/** metav1.NewControllerRef. */
export function controllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** The ownerReference with controller: true, if any (metav1.GetControllerOf). */
export const controllerOf = (o: { metadata?: KubeObject['metadata'] }): OwnerReference | undefined => o.metadata?.ownerReferences?.find((r) => r.controller);

/** getPodsPrefix: "<controller>-", or the bare name when the dash would make an invalid name. */
function podsPrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  return isDNS1123Subdomain(maskTrailingDash(prefix)).length ? controllerName : prefix;
}

/** RealPodControl: pod writes on behalf of a controller, each with upstream's Event on the controller object. */
export class PodControl {
  constructor(
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
  ) {}

  /** CreatePodsWithGenerateName (generateName defaults to "<owner>-"). */
  create(namespace: string, template: PodTemplateSpec, owner: KubeObject, generateName?: string): ApiResult {
    const labels = { ...template.metadata?.labels };
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        namespace,
        generateName: generateName || podsPrefix(owner.metadata.name!),
        labels,
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ...(template.metadata?.finalizers?.length ? { finalizers: [...template.metadata.finalizers] } : {}),
        ownerReferences: [controllerRef(owner)],
      },
      spec: template.spec,
    };
    if (Object.keys(labels).length === 0) {
      return { ok: false, status: internal('unable to create pods, no labels') };
    }
    const r = this.client.create(pod as KubeObject);
    if (r.ok) this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${r.object.metadata.name}`);
    else this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${r.status.message}`);
    return r;
  }

  /** DeletePod: a graceful delete; NotFound is the caller's to ignore and gets no Event. */
  delete(namespace: string, name: string, owner: KubeObject): ApiResult {
    const r = this.client.delete('Pod', namespace, name);
    if (r.ok) this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    else if (r.status.code !== 404) this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${r.status.message}`);
    return r;
  }

  patch(namespace: string, name: string, patch: unknown): ApiResult {
    return this.client.patch('Pod', namespace, name, patch);
  }
}

/** The batch sizes of slowStartBatch for `count` creates: 1, 2, 4, ... until all are covered. */
export function slowStartBatches(count: number): number[] {
  const out: number[] = [];
  for (let size = Math.min(count, SLOW_START_INITIAL_BATCH_SIZE), left = count; left > 0; size = Math.min(2 * size, left)) {
    out.push(size);
    left -= size;
  }
  return out;
}

interface Expectation {
  add: number;
  del: number;
  at: number;
}

/**
 * ControllerExpectations: how many creates and deletes a controller still
 * waits to see through its informer. A sync that finds them unmet does not
 * act, so a create is never repeated before the watch has delivered it.
 */
export class ControllerExpectations {
  private readonly items = new Map<string, Expectation>();

  constructor(private readonly now: () => number) {}

  satisfied(key: string): boolean {
    const e = this.items.get(key);
    if (!e) return true;
    return (e.add <= 0 && e.del <= 0) || this.now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  set(key: string, add: number, del: number): void {
    this.items.set(key, { add, del, at: this.now() });
  }

  expectCreations(key: string, n: number): void {
    this.set(key, n, 0);
  }

  expectDeletions(key: string, n: number): void {
    this.set(key, 0, n);
  }

  lower(key: string, add: number, del: number): void {
    const e = this.items.get(key);
    if (!e) return;
    e.add -= add;
    e.del -= del;
  }

  creationObserved(key: string): void {
    this.lower(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lower(key, 0, 1);
  }

  delete(key: string): void {
    this.items.delete(key);
  }
}

export interface ClaimOptions {
  owner: KubeObject;
  /** The owner's selector as a matcher on labels. */
  matches: (labels: Record<string, string> | undefined) => boolean;
  /** Pods whose controller reference names the owner's uid. */
  owned: readonly Pod[];
  /** Pods with no controller in the owner's namespace: candidates for adoption. */
  orphans: readonly Pod[];
  podControl: PodControl;
  /** Finalizers added on adoption (the job controller's tracking finalizer). */
  finalizers?: readonly string[];
}

export interface ClaimResult {
  pods: Pod[];
  /** The first failed adoption or release, which makes the sync retry. */
  error?: string;
}

/**
 * PodControllerRefManager.ClaimPods: keeps owned pods that still match,
 * releases owned pods that no longer match (unless the owner is being
 * deleted), and adopts matching orphans that are not being deleted.
 */
export function claimPods(o: ClaimOptions): ClaimResult {
  const { owner, podControl } = o;
  const ns = owner.metadata.namespace!;
  const ownerDeleting = !!owner.metadata.deletionTimestamp;
  const pods: Pod[] = [];
  let error: string | undefined;
  for (const pod of o.owned) {
    if (o.matches(pod.metadata?.labels)) {
      pods.push(pod);
      continue;
    }
    if (ownerDeleting) continue;
    const refs = (pod.metadata?.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
    const r = podControl.patch(ns, pod.metadata!.name!, { metadata: { ownerReferences: refs.length ? refs : null } });
    if (!r.ok && r.status.code !== 404) error ??= r.status.message;
  }
  if (ownerDeleting) return { pods, error };
  for (const pod of o.orphans) {
    if (pod.metadata?.deletionTimestamp || !o.matches(pod.metadata?.labels)) continue;
    const finalizers = [...(pod.metadata?.finalizers ?? [])];
    for (const f of o.finalizers ?? []) if (!finalizers.includes(f)) finalizers.push(f);
    const patch = {
      metadata: {
        ownerReferences: [...(pod.metadata?.ownerReferences ?? []), controllerRef(owner)],
        ...(o.finalizers?.length ? { finalizers } : {}),
      },
    };
    const r = podControl.patch(ns, pod.metadata!.name!, patch);
    if (r.ok) pods.push(r.object as Pod);
    else if (r.status.code !== 404) error ??= r.status.message;
  }
  return { pods, error };
}

// ---- informer indexes ---------------------------------------------------------------
// Upstream lists every pod of the namespace on each sync and lets ClaimPods
// skip the rest; with 150,000 bare pods that is every sync's cost here. So
// pods are found by their controller's uid, and adoption candidates (pods
// with no controller) by namespace and by label pair. The names and keys are
// the ones the replicaset controller registers too, so each index exists once.

/** Pods by their controller's uid (shared-informers' byControllerUid). */
export const CONTROLLER_UID_INDEX = 'controllerUid';
export const ORPHANS_BY_NAMESPACE = 'orphansByNamespace';
export const ORPHANS_BY_LABEL = 'orphansByLabel';

const isOrphan = (o: KubeObject) => !controllerOf(o) && !!o.metadata.namespace;

export const orphansByNamespace: IndexFunc = (o) => (isOrphan(o) ? [o.metadata.namespace!] : []);

/** "<namespace>/<key>=<value>" for each label of an orphan. */
export const orphansByLabel: IndexFunc = (o) => (isOrphan(o) ? Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${o.metadata.namespace}/${k}=${v}`) : []);

export function addPodIndexes(pods: SharedInformer): void {
  pods.addIndex(CONTROLLER_UID_INDEX, byControllerUid);
  pods.addIndex(ORPHANS_BY_NAMESPACE, orphansByNamespace);
  pods.addIndex(ORPHANS_BY_LABEL, orphansByLabel);
}

/** Orphans that may match the selector: those carrying its rarest matchLabels pair (the caller matches the rest). */
export function orphanCandidates(pods: SharedInformer, namespace: string, selector: LabelSelector | undefined): Pod[] {
  const pairs = Object.entries(selector?.matchLabels ?? {});
  if (pairs.length === 0) return pods.byIndex(ORPHANS_BY_NAMESPACE, namespace) as Pod[];
  let best: KubeObject[] | undefined;
  for (const [k, v] of pairs) {
    const bucket = pods.byIndex(ORPHANS_BY_LABEL, `${namespace}/${k}=${v}`);
    if (!best || bucket.length < best.length) best = bucket;
    if (best.length === 0) break;
  }
  return best as Pod[];
}

/** The pods whose controller reference names this owner. */
export const ownedPods = (pods: SharedInformer, owner: KubeObject): Pod[] =>
  (pods.byIndex(CONTROLLER_UID_INDEX, owner.metadata.uid!) as Pod[]).filter((p) => p.metadata?.namespace === owner.metadata.namespace);
