// The pod failure backoff of the job controller (pkg/controller/job/
// backoff_utils.go): after a failed pod the replacement waits 10 s, doubling
// with each failure since the last success, capped at 10 minutes
// (DefaultJobPodFailureBackOff, MaxJobPodFailureBackOff since v1.27; the
// documentation still says six minutes, the 1.26 cap). The wait runs from
// the moment the last pod finished, read from the pod itself.
import type { Pod } from '../api/types';
import { virtualMs } from '../kernel/time';

export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  /** Virtual ms the last counted failure finished. */
  lastFailureTime?: number;
}

/**
 * getFinishedTime: the latest container finishedAt when all containers
 * terminated, else the Ready=False transition, else the deletion time less
 * the grace period, else the creation time.
 */
export function finishedTime(p: Pod): number {
  const statuses = p.status?.containerStatuses ?? [];
  let fromContainers: number | undefined;
  for (const s of statuses) {
    const at = s.state?.terminated?.finishedAt;
    if (!at) {
      fromContainers = undefined;
      break;
    }
    fromContainers = Math.max(fromContainers ?? -Infinity, virtualMs(at));
  }
  if (fromContainers !== undefined) return fromContainers;
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'False' && ready.lastTransitionTime) return virtualMs(ready.lastTransitionTime);
  if (p.metadata?.deletionTimestamp) return virtualMs(p.metadata.deletionTimestamp) - (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return p.metadata?.creationTimestamp ? virtualMs(p.metadata.creationTimestamp) : 0;
}

const byFinishedTime = (pods: readonly Pod[]) => [...pods].sort((a, b) => finishedTime(a) - finishedTime(b));

/** backoffStore: one record per Job, updated when a sync counts new finished pods. */
export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  update(r: BackoffRecord): void {
    this.records.set(r.key, { ...r });
  }

  remove(key: string): void {
    this.records.delete(key);
  }

  /**
   * newBackoffRecord: failures since the last success. A success resets the
   * count; failures that finished after the latest success still count.
   */
  next(key: string, newSucceeded: readonly Pod[], newFailed: readonly Pod[]): BackoffRecord {
    const old = this.records.get(key);
    const rec: BackoffRecord = { key, failuresAfterLastSuccess: old?.failuresAfterLastSuccess ?? 0, lastFailureTime: old?.lastFailureTime };
    const failed = byFinishedTime(newFailed);
    if (newSucceeded.length === 0) {
      if (failed.length === 0) return rec;
      rec.failuresAfterLastSuccess += failed.length;
      rec.lastFailureTime = finishedTime(failed[failed.length - 1]);
      return rec;
    }
    rec.failuresAfterLastSuccess = 0;
    rec.lastFailureTime = undefined;
    const succeeded = byFinishedTime(newSucceeded);
    const lastSuccess = finishedTime(succeeded[succeeded.length - 1]);
    for (let i = failed.length - 1; i >= 0; i--) {
      const t = finishedTime(failed[i]);
      if (t <= lastSuccess) break;
      if (rec.lastFailureTime === undefined) rec.lastFailureTime = t;
      rec.failuresAfterLastSuccess++;
    }
    return rec;
  }
}

/** getRemainingTimeForFailuresCount: 10 s x 2^(failures-1), capped, less the time since the last failure. */
export function remainingBackoff(r: BackoffRecord, now: number, base = DEFAULT_POD_FAILURE_BACKOFF_MS, max = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (r.failuresAfterLastSuccess === 0 || r.lastFailureTime === undefined) return 0;
  let backoff = base;
  for (let i = 1; i < r.failuresAfterLastSuccess; i++) {
    backoff *= 2;
    if (backoff >= max) {
      backoff = max;
      break;
    }
  }
  const elapsed = now - r.lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}
