// The conditions the namespace controller keeps on a terminating Namespace
// (pkg/controller/namespace/deletion/status_condition_utils.go): each of the
// five types is always present, False with an "all fine" reason while that
// part of the cleanup has nothing to report.
import type { NamespaceCondition } from 'kubernetes-types/core/v1';

export type NamespaceConditionType =
  | 'NamespaceDeletionDiscoveryFailure'
  | 'NamespaceDeletionGroupVersionParsingFailure'
  | 'NamespaceDeletionContentFailure'
  | 'NamespaceContentRemaining'
  | 'NamespaceFinalizersRemaining';

/** In upstream's order, which is the order they are added to the status. */
export const CONDITION_TYPES: readonly NamespaceConditionType[] = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
];

const OK: Record<NamespaceConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
};

/** What one cleanup pass found, for the conditions. */
export interface CleanupReport {
  /** "pods." or "deployments.apps" (resource.group) -> how many are left. */
  remainingByResource: ReadonlyMap<string, number>;
  /** finalizer -> how many remaining objects carry it. */
  remainingByFinalizer: ReadonlyMap<string, number>;
  /** One message per resource whose deletion failed. */
  errors: readonly string[];
}

/** The failing conditions a report calls for (types not named are fine). */
export function failingConditions(report: CleanupReport): Array<Omit<NamespaceCondition, 'lastTransitionTime'>> {
  const out: Array<Omit<NamespaceCondition, 'lastTransitionTime'>> = [];
  const remaining = [...report.remainingByResource].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`);
  if (remaining.length)
    out.push({ type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.sort().join(', ')}` });
  const byFinalizer = [...report.remainingByFinalizer].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`);
  if (byFinalizer.length)
    out.push({ type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizerRemain', message: `Some finalizers are remaining: ${byFinalizer.sort().join(', ')}` });
  if (report.errors.length) {
    const msgs = [...report.errors].sort();
    out.push({
      type: 'NamespaceDeletionContentFailure',
      status: 'True',
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
    });
  }
  return out;
}

/**
 * updateConditions: every type set to its failing or "ok" variant; a
 * condition whose status flips gets a new lastTransitionTime. Undefined
 * when nothing changed (no status write is needed).
 */
export function updateConditions(current: readonly NamespaceCondition[], report: CleanupReport, now: string): NamespaceCondition[] | undefined {
  const failing = failingConditions(report);
  const next = current.map((c) => ({ ...c }));
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const want = failing.find((c) => c.type === type) ?? { type, status: 'False', ...OK[type] };
    const old = next.find((c) => c.type === type);
    if (!old) {
      next.push({ ...want, lastTransitionTime: now });
      changed = true;
    } else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
      if (old.status !== want.status) old.lastTransitionTime = now;
      Object.assign(old, { status: want.status, reason: want.reason, message: want.message });
      changed = true;
    }
  }
  return changed ? next : undefined;
}
