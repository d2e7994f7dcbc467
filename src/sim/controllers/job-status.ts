// Job tracking with finalizers, the status half of the job controller
// (pkg/controller/job/job_controller.go trackJobStatusAndRemoveFinalizers,
// flushUncountedAndRemoveFinalizers, enactJobFinished): finished pods are
// written into status.uncountedTerminatedPods first, then lose the
// batch.kubernetes.io/job-tracking finalizer, then move into
// status.succeeded / status.failed; the terminal condition (after the
// interim SuccessCriteriaMet or FailureTarget) is written once nothing is
// uncounted and no pod is terminating. A pod deleted early is never lost
// from the count, and a controller restarted midway counts nothing twice.
import type { JobCondition, JobStatus } from 'kubernetes-types/batch/v1';
import type { Job, KubeObject, Pod } from '../api/types';
import type { ApiClient, ApiResult } from '../apiserver/apiserver';
import type { EventRecorder } from '../client/event-recorder';
import type { PodControl } from './daemonset-pod-control';
import type { BackoffRecord, BackoffStore } from './job-backoff';
import { completionIndex, formatIntervals, hasIndex, isIndexedJob, totalIndexes, UNKNOWN_INDEX, withIndexes, type Interval } from './job-indexed';
import {
  ensureCondition,
  findCondition,
  type FinalizerExpectations,
  hasTrackingFinalizer,
  JOB_COMPLETE,
  JOB_FAILED,
  JOB_FAILURE_TARGET,
  JOB_SUCCESS_CRITERIA_MET,
  newCondition,
  removeTrackingFinalizerPatch,
} from './job-tracking';

/** MaxUncountedPods: at most this many uids in status.uncountedTerminatedPods at once. */
export const MAX_UNCOUNTED_PODS = 500;

export type Status = JobStatus & { uncountedTerminatedPods: { succeeded: string[]; failed: string[] } };
export type WorkingJob = Job & { status: Status };

/** syncJobCtx: what one sync has learned about the Job and its pods. */
export interface SyncContext {
  key: string;
  job: WorkingJob;
  pods: Pod[];
  activePods: Pod[];
  succeeded: number;
  failed: number;
  finished?: JobCondition;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  newBackoffRecord: BackoffRecord;
  expectedRmFinalizers: ReadonlySet<string>;
  uncounted: { succeeded: ReadonlySet<string>; failed: ReadonlySet<string> };
  terminating: number;
  ready: number;
}

/** A Job whose status this sync may edit: fresh arrays, the stored object untouched. */
export function editable(job: Job): WorkingJob {
  const st = job.status ?? {};
  return {
    ...job,
    status: {
      ...st,
      conditions: [...(st.conditions ?? [])],
      uncountedTerminatedPods: { succeeded: [...(st.uncountedTerminatedPods?.succeeded ?? [])], failed: [...(st.uncountedTerminatedPods?.failed ?? [])] },
    },
  };
}

/** The status as the apiserver would serialize it: zero counters and empty lists omitted (omitempty). */
function serializedStatus(st: Status): JobStatus {
  const { active, succeeded, failed, conditions, uncountedTerminatedPods: u, ...rest } = st;
  return {
    ...rest,
    ...(conditions?.length ? { conditions } : {}),
    ...(active ? { active } : {}),
    ...(succeeded ? { succeeded } : {}),
    ...(failed ? { failed } : {}),
    uncountedTerminatedPods: { ...(u.succeeded.length ? { succeeded: u.succeeded } : {}), ...(u.failed.length ? { failed: u.failed } : {}) },
  };
}

/** onlyReplaceFailedPods: podReplacementPolicy Failed (or a podFailurePolicy) waits for terminating pods to finish. */
export const onlyReplaceFailedPods = (job: Job) => job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy != null;

/** isPodFailed: Failed, or (unless only failed pods are replaced) deleted before it succeeded. */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

export interface StatusTrackerDeps {
  client: ApiClient;
  podControl: PodControl;
  finalizerExpectations: FinalizerExpectations;
  backoff: BackoffStore;
  recorder: EventRecorder;
  now(): number;
}

/** trackJobStatusAndRemoveFinalizers and its helpers, for one controller. */
export class JobStatusTracker {
  constructor(private readonly deps: StatusTrackerDeps) {}

  /**
   * trackJobStatusAndRemoveFinalizers: finished pods go into
   * uncountedTerminatedPods (written first), then lose their finalizer, then
   * move into the counters; the terminal condition is written once nothing
   * is left uncounted or terminating.
   */
  track(c: SyncContext, needsFlushIn: boolean): boolean {
    let needsFlush = needsFlushIn;
    const job = c.job;
    const st = job.status;
    const indexed = isIndexedJob(job);
    const completions = job.spec?.completions ?? 0;
    const pods = indexed ? [...c.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : c.pods;
    const uidsWithFinalizer = new Set<string>();
    for (const p of pods) if (hasTrackingFinalizer(p) && !c.expectedRmFinalizers.has(p.metadata!.uid!)) uidsWithFinalizer.add(p.metadata!.uid!);
    if (cleanUncountedPodsWithoutFinalizers(st, uidsWithFinalizer)) needsFlush = true;
    const toRemove: Pod[] = [];
    const newSucceededIndexes: number[] = [];
    const uncounted = st.uncountedTerminatedPods;
    let reachedMax = false;
    for (const pod of pods) {
      const uid = pod.metadata!.uid!;
      if (!hasTrackingFinalizer(pod) || c.expectedRmFinalizers.has(uid)) continue;
      const considerFailed = isPodFailed(pod, job);
      // canRemoveFinalizer (without backoffLimitPerIndex): the Job ends, or the pod finished.
      if (!(job.metadata?.deletionTimestamp || c.finished || pod.status?.phase === 'Succeeded' || considerFailed)) continue;
      toRemove.push(pod);
      if (pod.status?.phase === 'Succeeded' && !c.uncounted.failed.has(uid)) {
        if (indexed) {
          const ix = completionIndex(pod);
          if (ix !== UNKNOWN_INDEX && ix < completions && !hasIndex(c.prevSucceededIndexes, ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!c.uncounted.succeeded.has(uid)) {
          needsFlush = true;
          uncounted.succeeded.push(uid);
        }
      } else if (considerFailed || (c.finished && c.finished.type !== JOB_SUCCESS_CRITERIA_MET)) {
        // A Job that ends counts every pod that did not succeed as failed.
        const ix = completionIndex(pod);
        if (!c.uncounted.failed.has(uid) && (!indexed || (ix !== UNKNOWN_INDEX && ix < completions))) {
          needsFlush = true;
          uncounted.failed.push(uid);
        }
      }
      if (newSucceededIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      c.succeededIndexes = withIndexes(c.succeededIndexes, [...new Set(newSucceededIndexes)].sort((a, b) => a - b));
      const text = formatIntervals(c.succeededIndexes);
      if (text !== (st.completedIndexes ?? '')) needsFlush = true;
      st.succeeded = totalIndexes(c.succeededIndexes);
      st.completedIndexes = text;
    }
    const now = this.deps.now();
    if (c.finished?.type === JOB_FAILURE_TARGET) {
      // The interim condition is written before the finalizers go; Failed follows with the same reason.
      st.conditions = [...(st.conditions ?? []), c.finished];
      needsFlush = true;
      c.finished = newCondition(JOB_FAILED, 'True', c.finished.reason ?? '', c.finished.message ?? '', now);
    }
    if (c.finished?.type === JOB_SUCCESS_CRITERIA_MET) {
      if (!findCondition(job, JOB_SUCCESS_CRITERIA_MET)) {
        st.conditions = [...(st.conditions ?? []), c.finished];
        needsFlush = true;
      }
      c.finished = newCondition(JOB_COMPLETE, 'True', c.finished.reason ?? '', c.finished.message ?? '', now);
    }
    const flushed = this.flushUncountedAndRemoveFinalizers(c, toRemove, uidsWithFinalizer, needsFlush);
    if (!flushed.ok) return false;
    needsFlush = flushed.needsFlush;
    const finished = !reachedMax && this.enactJobFinished(c);
    if (finished) needsFlush = true;
    if (needsFlush) {
      const r = this.updateStatus(c.job);
      if (!r.ok) return false;
      if (finished) this.recordJobFinished(c.job, c.finished!);
    }
    return true;
  }

  /**
   * flushUncountedAndRemoveFinalizers: write the new uncounted uids, remove
   * their finalizers, then fold the removed ones into the counters (written
   * again at once only if a removal failed).
   */
  private flushUncountedAndRemoveFinalizers(c: SyncContext, toRemove: readonly Pod[], uidsWithFinalizer: Set<string>, needsFlushIn: boolean): { ok: boolean; needsFlush: boolean } {
    let needsFlush = needsFlushIn;
    if (needsFlush) {
      const r = this.updateStatus(c.job);
      if (!r.ok) return { ok: false, needsFlush };
      c.job = editable(r.object as Job);
      this.deps.backoff.update(c.newBackoffRecord);
      needsFlush = false;
    }
    let rmOk = true;
    if (toRemove.length) {
      this.deps.finalizerExpectations.expectRemoved(
        c.key,
        toRemove.map((p) => p.metadata!.uid!),
      );
      for (const pod of toRemove) {
        const patch = removeTrackingFinalizerPatch(pod);
        if (!patch) continue;
        const r = this.deps.podControl.patch(pod.metadata!.namespace!, pod.metadata!.name!, patch);
        if (!r.ok) {
          // No update will come for this pod: stop waiting for it.
          this.deps.finalizerExpectations.observed(c.key, pod.metadata!.uid!);
          if (r.status.code !== 404) {
            rmOk = false;
            continue;
          }
        }
        uidsWithFinalizer.delete(pod.metadata!.uid!);
      }
    }
    if (cleanUncountedPodsWithoutFinalizers(c.job.status, uidsWithFinalizer)) needsFlush = true;
    if (!rmOk && needsFlush) {
      const r = this.updateStatus(c.job);
      if (!r.ok) return { ok: false, needsFlush };
    }
    return { ok: rmOk, needsFlush };
  }

  /** enactJobFinished: the terminal condition, once nothing is uncounted and no pod is terminating. */
  private enactJobFinished(c: SyncContext): boolean {
    const f = c.finished;
    if (!f) return false;
    const st = c.job.status;
    if (st.uncountedTerminatedPods.succeeded.length + st.uncountedTerminatedPods.failed.length > 0) return false;
    if (c.terminating > 0) return false;
    st.conditions = ensureCondition(st.conditions ?? [], f.type, f.status, f.reason ?? '', f.message ?? '', this.deps.now()).list;
    if (f.type === JOB_COMPLETE) st.completionTime = f.lastTransitionTime;
    return true;
  }

  private recordJobFinished(job: WorkingJob, f: JobCondition): void {
    if (f.type === JOB_COMPLETE) {
      const completions = job.spec?.completions;
      if (completions != null && (job.status.succeeded ?? 0) > completions) {
        this.deps.recorder.event(job as KubeObject, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.deps.recorder.event(job as KubeObject, 'Normal', 'Completed', 'Job completed');
    } else this.deps.recorder.event(job as KubeObject, 'Warning', f.reason ?? '', f.message ?? '');
  }

  private updateStatus(job: WorkingJob): ApiResult {
    return this.deps.client.updateStatus({ ...(job as KubeObject), status: serializedStatus(job.status) });
  }
}

/**
 * cleanUncountedPodsWithoutFinalizers: uids in uncountedTerminatedPods whose
 * pod no longer holds the finalizer move into succeeded / failed.
 */
function cleanUncountedPodsWithoutFinalizers(st: Status, withFinalizer: ReadonlySet<string>): boolean {
  let changed = false;
  const u = st.uncountedTerminatedPods;
  const keepS = u.succeeded.filter((uid) => withFinalizer.has(uid));
  if (keepS.length !== u.succeeded.length) {
    changed = true;
    st.succeeded = (st.succeeded ?? 0) + u.succeeded.length - keepS.length;
    u.succeeded = keepS;
  }
  const keepF = u.failed.filter((uid) => withFinalizer.has(uid));
  if (keepF.length !== u.failed.length) {
    changed = true;
    st.failed = (st.failed ?? 0) + u.failed.length - keepF.length;
    u.failed = keepF;
  }
  return changed;
}

