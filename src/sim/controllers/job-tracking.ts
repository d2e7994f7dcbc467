// Job tracking with finalizers (pkg/controller/job/tracking_utils.go and the
// condition helpers of job_controller.go): every Job pod carries the
// batch.kubernetes.io/job-tracking finalizer until the controller has counted
// it in status.succeeded / status.failed (by way of
// status.uncountedTerminatedPods), so a pod deleted early is never lost from
// the count. uidTrackingExpectations remembers which removals are in flight.
import type { JobCondition } from 'kubernetes-types/batch/v1';
import type { Job, Pod } from '../api/types';
import { timestamp } from '../kernel/time';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

// Condition types and reasons (batch/v1 types.go).
export const JOB_COMPLETE = 'Complete';
export const JOB_FAILED = 'Failed';
export const JOB_FAILURE_TARGET = 'FailureTarget';
export const JOB_SUCCESS_CRITERIA_MET = 'SuccessCriteriaMet';
export const JOB_SUSPENDED = 'Suspended';
export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';
export const MESSAGE_BACKOFF_LIMIT_EXCEEDED = 'Job has reached the specified backoff limit';
export const MESSAGE_DEADLINE_EXCEEDED = 'Job was active longer than specified deadline';
export const MESSAGE_COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';

export const hasTrackingFinalizer = (p: Pod): boolean => (p.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

/** removeTrackingFinalizerPatch, as a merge patch of the remaining finalizers (null when none is left). */
export function removeTrackingFinalizerPatch(p: Pod): unknown {
  if (!hasTrackingFinalizer(p)) return undefined;
  const rest = (p.metadata?.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
  return { metadata: { finalizers: rest.length ? rest : null } };
}

export const findCondition = (job: Job, type: string): JobCondition | undefined => job.status?.conditions?.find((c) => c.type === type);

/** IsJobFinished: Complete or Failed is True. */
export function isJobFinished(job: Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === JOB_COMPLETE || c.type === JOB_FAILED) && c.status === 'True');
}

export function newCondition(type: string, status: string, reason: string, message: string, now: number): JobCondition {
  const at = timestamp(now);
  return { type, status, lastProbeTime: at, lastTransitionTime: at, reason, message };
}

/**
 * ensureJobConditionStatus: updates the condition of that type when its
 * status, reason or message differ; appends it when absent, unless False.
 */
export function ensureCondition(list: readonly JobCondition[], type: string, status: string, reason: string, message: string, now: number): { list: JobCondition[]; changed: boolean } {
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i];
    if (c.status === status && c.reason === reason && c.message === message) return { list: [...list], changed: false };
    const out = [...list];
    out[i] = newCondition(type, status, reason, message, now);
    return { list: out, changed: true };
  }
  if (status === 'False') return { list: [...list], changed: false };
  return { list: [...list, newCondition(type, status, reason, message, now)], changed: true };
}

/** uidTrackingExpectations: per Job, the pod uids whose finalizer removal the controller waits to see. */
export class FinalizerExpectations {
  private readonly byJob = new Map<string, Set<string>>();

  expected(jobKey: string): ReadonlySet<string> {
    return this.byJob.get(jobKey) ?? EMPTY;
  }

  expectRemoved(jobKey: string, uids: readonly string[]): void {
    let s = this.byJob.get(jobKey);
    if (!s) this.byJob.set(jobKey, (s = new Set()));
    for (const u of uids) s.add(u);
  }

  observed(jobKey: string, uid: string): void {
    const s = this.byJob.get(jobKey);
    if (!s) return;
    s.delete(uid);
    if (s.size === 0) this.byJob.delete(jobKey);
  }

  delete(jobKey: string): void {
    this.byJob.delete(jobKey);
  }
}

const EMPTY: ReadonlySet<string> = new Set();
