// The namespace controller's NamespacedResourcesDeleter (pkg/controller/
// namespace/deletion/namespaced_resources_deleter.go): for a Namespace with
// a deletionTimestamp, delete everything in it kind by kind, report what is
// left in its conditions, and once nothing is, remove the "kubernetes"
// finalizer through namespaces/finalize, which lets the apiserver delete it.
// This apiserver has no deletecollection, so each kind takes upstream's
// fallback path: list, then delete each item (propagationPolicy Background).
import type { Namespace, NamespaceCondition } from 'kubernetes-types/core/v1';
import { RESOURCES, type KubeObject, type Pod, type ResourceInfo } from '../api/types';
import type { ApiClient, ApiResult } from '../apiserver/apiserver';
import type { Failure } from '../apiserver/status';
import type { Kernel } from '../kernel/kernel';
import { timestamp, virtualMs } from '../kernel/time';
import { updateConditions } from './namespace-conditions';

export const FINALIZER_KUBERNETES = 'kubernetes';

/** An item with a finalizer, and no grace period to wait for: give the finalizer's owner this long (s). */
export const FINALIZER_ESTIMATE_SECONDS = 15;

/** Every namespaced kind the apiserver serves; all support delete. */
const NAMESPACED: readonly ResourceInfo[] = RESOURCES.filter((r) => r.namespaced);

/** What one attempt came to: finished (or nothing to do), content still going away, or an error. */
export type DeleteResult = { kind: 'done' } | { kind: 'remaining'; estimateSeconds: number } | { kind: 'error'; message: string };

interface KindResult {
  estimateSeconds: number;
  remaining: number;
  finalizers: Map<string, number>;
  error?: string;
}

/** Conflicts are retried as often as they come (retryOnConflictError); a bound keeps a bug from looping forever. */
const MAX_CONFLICT_RETRIES = 10;

export class NamespacedResourcesDeleter {
  constructor(
    private readonly kernel: Kernel,
    private readonly client: ApiClient,
  ) {}

  delete(name: string): DeleteResult {
    const got = this.client.get('Namespace', undefined, name);
    if (!got.ok) return got.status.code === 404 ? { kind: 'done' } : { kind: 'error', message: got.status.message };
    let ns = got.object as KubeObject & Namespace;
    if (!ns.metadata.deletionTimestamp) return { kind: 'done' };
    // The status says Terminating (the apiserver set it; make sure).
    const st = this.retryOnConflict(ns, (n) => (n.status?.phase === 'Terminating' ? { ok: true, object: n } : this.client.updateStatus({ ...n, status: { ...n.status, phase: 'Terminating' } })));
    if ('message' in st) return st.notFound ? { kind: 'done' } : { kind: 'error', message: st.message };
    ns = st.object;
    if (!(ns.spec?.finalizers ?? []).length) return { kind: 'done' };

    const content = this.deleteAllContent(ns);
    if (content.errors.length) return { kind: 'error', message: content.errors.join(', ') };
    if (content.estimateSeconds > 0) return { kind: 'remaining', estimateSeconds: content.estimateSeconds };

    // Everything is gone: take our finalizer off (the namespace as read before the conditions were written,
    // so this first try conflicts and is retried on the fresh object, as upstream's does).
    const fin = this.retryOnConflict(ns, (n) => {
      const rest = [...new Set((n.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES))].sort();
      return this.client.update({ ...n, spec: { ...n.spec, finalizers: rest } }, { subresource: 'finalize' });
    });
    if ('message' in fin && !fin.notFound) return { kind: 'error', message: fin.message };
    return { kind: 'done' };
  }

  /** deleteAllContent: every namespaced kind, then the conditions; the longest estimate and all errors. */
  private deleteAllContent(ns: KubeObject & Namespace): { estimateSeconds: number; errors: string[] } {
    const name = ns.metadata.name!;
    const deletedAt = virtualMs(ns.metadata.deletionTimestamp!);
    let estimateSeconds = 0;
    const errors: string[] = [];
    const remainingByResource = new Map<string, number>();
    const remainingByFinalizer = new Map<string, number>();
    for (const info of NAMESPACED) {
      const r = this.deleteKind(info, name, deletedAt);
      if (r.error) errors.push(r.error);
      estimateSeconds = Math.max(estimateSeconds, r.estimateSeconds);
      if (r.remaining > 0) {
        remainingByResource.set(`${info.resource}.${info.group}`, r.remaining);
        for (const [f, n] of r.finalizers) remainingByFinalizer.set(f, (remainingByFinalizer.get(f) ?? 0) + n);
      }
    }
    // Always compare: a condition that said "failing" must be set back once it is fine.
    const conditions = updateConditions(ns.status?.conditions ?? [], { remainingByResource, remainingByFinalizer, errors }, timestamp(this.kernel.now));
    if (conditions) this.client.updateStatus({ ...ns, status: { ...ns.status, conditions: conditions as NamespaceCondition[] } });
    return { estimateSeconds, errors };
  }

  /** deleteAllContentForGroupVersionResource. */
  private deleteKind(info: ResourceInfo, namespace: string, deletedAt: number): KindResult {
    const none: KindResult = { estimateSeconds: 0, remaining: 0, finalizers: new Map() };
    let estimateSeconds = 0;
    if (info.kind === 'Pod') {
      const est = this.estimatePods(namespace, deletedAt);
      if (typeof est === 'string') return { ...none, error: est };
      estimateSeconds = est;
    }
    const items = this.client.list(info.kind, { namespace });
    if (!items.ok) return { ...none, estimateSeconds, error: items.status.message };
    for (const item of items.items) {
      const r = this.client.delete(info.kind, namespace, item.metadata.name!, { propagationPolicy: 'Background' });
      if (!r.ok && r.status.code !== 404 && r.status.code !== 405) return { ...none, estimateSeconds, error: r.status.message };
    }
    const left = this.client.list(info.kind, { namespace });
    if (!left.ok) return { ...none, estimateSeconds, error: left.status.message };
    if (!left.items.length) return none;
    const finalizers = new Map<string, number>();
    for (const item of left.items) for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    const remaining = left.items.length;
    if (estimateSeconds !== 0) return { estimateSeconds, remaining, finalizers };
    // Items held by finalizers are normal: the garbage collector or another controller will finish them.
    if (finalizers.size) return { estimateSeconds: FINALIZER_ESTIMATE_SECONDS, remaining, finalizers };
    const version = info.apiVersion.split('/').pop();
    return { estimateSeconds, remaining, finalizers, error: `unexpected items still remain in namespace: ${namespace} for gvr: {${info.group} ${version} ${info.resource}}` };
  }

  /**
   * estimateGracefulTerminationForPods: the longest grace period of the
   * pods not yet finished, or 0 once that long has passed since the
   * namespace was deleted.
   */
  private estimatePods(namespace: string, deletedAt: number): number | string {
    const pods = this.client.list('Pod', { namespace });
    if (!pods.ok) return pods.status.message;
    let estimate = 0;
    for (const p of pods.items as Pod[]) {
      const phase = p.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      estimate = Math.max(estimate, p.spec?.terminationGracePeriodSeconds ?? 0);
    }
    return this.kernel.now - deletedAt >= estimate * 1000 ? 0 : estimate;
  }

  /** retryOnConflictError: redo `fn` on a fresh read while it conflicts; the namespace must stay the same one. */
  private retryOnConflict(
    ns: KubeObject & Namespace,
    fn: (n: KubeObject & Namespace) => ApiResult,
  ): { ok: true; object: KubeObject & Namespace } | { message: string; notFound: boolean } {
    let latest = ns;
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const r = fn(latest);
      if (r.ok) return { ok: true, object: r.object as KubeObject & Namespace };
      if (r.status.code !== 409) return failed(r.status);
      const again = this.client.get('Namespace', undefined, latest.metadata.name!);
      if (!again.ok) return failed(again.status);
      if (again.object.metadata.uid !== latest.metadata.uid) return { message: 'namespace uid has changed across retries', notFound: false };
      latest = again.object as KubeObject & Namespace;
    }
    return { message: 'namespace keeps conflicting', notFound: false };
  }
}

const failed = (s: Failure) => ({ message: s.message, notFound: s.code === 404 });
