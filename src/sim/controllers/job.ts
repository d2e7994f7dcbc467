// kube-controller-manager's job-controller (pkg/controller/job/
// job_controller.go, v1.31+ behaviour): runs up to `parallelism` pods until
// `completions` succeed (NonIndexed, or Indexed with one success per index),
// counts finished pods through the batch.kubernetes.io/job-tracking
// finalizer and status.uncountedTerminatedPods (job-status.ts), recreates failed pods after
// the pod failure backoff (job-backoff.ts), and fails the Job on
// backoffLimit or activeDeadlineSeconds. Terminal conditions come in two
// steps as upstream has them since JobPodReplacementPolicy/JobManagedBy:
// SuccessCriteriaMet or FailureTarget first, Complete or Failed once no pod
// is terminating. Pod events are batched for 1 s (syncJobBatchPeriod); API
// errors retry after 1 s doubling to 1 min. Not simulated: podFailurePolicy,
// successPolicy, backoffLimitPerIndex.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { Job, KubeObject, Pod } from '../api/types';
import type { ApiResult } from '../apiserver/apiserver';
import { compileLabelSelector } from '../api/selector';
import { semanticEqual } from '../api/validation/equal';
import type { EventRecorder } from '../client/event-recorder';
import { timestamp, virtualMs } from '../kernel/time';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { addPodIndexes, claimPods, ControllerExpectations, controllerOf, orphanCandidates, ownedPods, PodControl, slowStartBatches } from './daemonset-pod-control';
import { compareActivePods, isPodActive, isPodReady, isPodTerminating } from './daemonset-pod-util';
import { BackoffStore, remainingBackoff } from './job-backoff';
import { editable, isPodFailed, JobStatusTracker, onlyReplaceFailedPods, type SyncContext, type WorkingJob } from './job-status';
import {
  completionIndex,
  duplicatedIndexPods,
  firstPendingIndexes,
  indexedGenerateName,
  isIndexedJob,
  succeededIndexes,
  templateForIndex,
  totalIndexes,
  UNKNOWN_INDEX,
  withCompletionIndexEnv,
} from './job-indexed';
import {
  ensureCondition,
  findCondition,
  FinalizerExpectations,
  hasTrackingFinalizer,
  isJobFinished,
  JOB_FAILED,
  JOB_FAILURE_TARGET,
  JOB_SUCCESS_CRITERIA_MET,
  JOB_SUSPENDED,
  JOB_TRACKING_FINALIZER,
  MESSAGE_BACKOFF_LIMIT_EXCEEDED,
  MESSAGE_COMPLETIONS_REACHED,
  MESSAGE_DEADLINE_EXCEEDED,
  newCondition,
  REASON_BACKOFF_LIMIT_EXCEEDED,
  REASON_COMPLETIONS_REACHED,
  REASON_DEADLINE_EXCEEDED,
  removeTrackingFinalizerPatch,
} from './job-tracking';
import { keyOf, type SharedInformer } from './shared-informers';
import { WorkQueue, type SyncResult } from './work-queue';
import { resolveControllerRef } from './controller-utils';

export const JOB_CONTROLLER = 'job-controller';
/** syncJobBatchPeriod: pod events wait this long so one sync sees a burst of them. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;
/** DefaultJobApiBackOff / MaxJobApiBackOff: the queue's retry after a failed sync. */
const API_BACKOFF_MS = 1000;
const MAX_API_BACKOFF_MS = 60_000;
/** MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** The value of spec.managedBy that means this controller. */
const MANAGED_BY_JOB_CONTROLLER = 'kubernetes.io/job-controller';

const suspended = (job: Job) => job.spec?.suspend === true;

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure the kubelet restarts containers; their restarts count. */
function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

class JobController implements Controller {
  readonly name = JOB_CONTROLLER;
  private readonly queue: WorkQueue;
  private readonly orphanQueue: WorkQueue;
  private readonly jobs: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly expectations: ControllerExpectations;
  private readonly finalizerExpectations = new FinalizerExpectations();
  private readonly backoff = new BackoffStore();
  private readonly apiFailures = new Map<string, number>();
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;
  private readonly status: JobStatusTracker;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder(JOB_CONTROLLER);
    this.podControl = new PodControl(ctx.client, this.recorder);
    this.status = new JobStatusTracker({
      client: ctx.client,
      podControl: this.podControl,
      finalizerExpectations: this.finalizerExpectations,
      backoff: this.backoff,
      recorder: this.recorder,
      now: () => ctx.kernel.now,
    });
    this.expectations = new ControllerExpectations(() => ctx.kernel.now);
    this.queue = new WorkQueue(ctx.kernel, JOB_CONTROLLER, (key) => this.retrying(key, this.syncJob(key)));
    this.orphanQueue = new WorkQueue(ctx.kernel, `${JOB_CONTROLLER}.orphan-pods`, (key) => this.syncOrphanPod(key));
    this.jobs = ctx.informers.for('Job');
    this.pods = ctx.informers.for('Pod');
    addPodIndexes(this.pods);
    this.jobs.on({
      add: (j) => this.queue.add(keyOf(j)),
      update: (j, old) => this.updateJob(j as Job, old as Job),
      delete: (j) => {
        this.queue.add(keyOf(j));
        this.cleanupPodFinalizers(j as Job);
      },
    });
    this.pods.on({
      add: (p) => this.addPod(p as Pod),
      update: (p, old) => this.updatePod(p as Pod, old as Pod),
      delete: (p) => this.deletePod(p as Pod, true),
    });
  }

  stop(): void {
    this.queue.shutDown();
    this.orphanQueue.shutDown();
  }

  private now(): number {
    return this.ctx.kernel.now;
  }

  /** The job queue's rate limiter (1 s doubling to 1 min), kept here because it differs from the default. */
  private retrying(key: string, ok: boolean): SyncResult {
    if (ok) {
      this.apiFailures.delete(key);
      return 'done';
    }
    const n = this.apiFailures.get(key) ?? 0;
    this.apiFailures.set(key, n + 1);
    this.queue.addAfter(key, Math.min(API_BACKOFF_MS * 2 ** n, MAX_API_BACKOFF_MS));
    return 'done';
  }

  // ---- event handlers ---------------------------------------------------------

  private resolve(namespace: string | undefined, ref: { kind: string; name: string; uid: string } | undefined): Job | undefined {
    return resolveControllerRef<Job>(this.jobs, 'Job', namespace, ref);
  }

  /** getPodJobs: Jobs in the pod's namespace that select it. */
  private jobsForPod(pod: Pod): Job[] {
    return this.jobs
      .list()
      .filter((j) => j.metadata.namespace === pod.metadata?.namespace && compileLabelSelector((j as Job).spec?.selector)(pod.metadata?.labels)) as Job[];
  }

  private batched(job: Job): void {
    this.queue.addAfter(keyOf(job as KubeObject), SYNC_JOB_BATCH_PERIOD_MS);
  }

  private updateJob(cur: Job, old: Job): void {
    const key = keyOf(cur as KubeObject);
    // A spec change is synced at once; status updates (mostly ours) are batched like pod events.
    if (cur.metadata?.generation === old.metadata?.generation) this.batched(cur);
    else this.queue.add(key);
    if (isJobFinished(cur)) this.cleanupPodFinalizers(cur);
    const ads = cur.spec?.activeDeadlineSeconds;
    if (cur.status?.startTime && ads != null && old.spec?.activeDeadlineSeconds !== ads) {
      this.queue.addAfter(key, ads * 1000 - (this.now() - virtualMs(cur.status.startTime)));
    }
  }

  /** cleanupPodFinalizers: a finished or deleted Job's pods still holding the finalizer go to the orphan queue. */
  private cleanupPodFinalizers(job: Job): void {
    for (const p of ownedPods(this.pods, job as KubeObject)) if (hasTrackingFinalizer(p)) this.orphanQueue.add(keyOf(p as KubeObject));
  }

  private addPod(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) return this.deletePod(pod, false);
    const ref = controllerOf(pod);
    if (ref) {
      const job = this.resolve(pod.metadata?.namespace, ref);
      if (!job) return;
      this.expectations.creationObserved(keyOf(job as KubeObject));
      this.batched(job);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.orphanQueue.add(keyOf(pod as KubeObject));
    for (const job of this.jobsForPod(pod)) this.batched(job);
  }

  private updatePod(cur: Pod, old: Pod): void {
    if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return;
    if (cur.metadata?.deletionTimestamp) return this.deletePod(cur, false);
    const finalizerRemoved = !hasTrackingFinalizer(cur);
    const curRef = controllerOf(cur);
    const oldRef = controllerOf(old);
    const refChanged = !semanticEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const job = this.resolve(old.metadata?.namespace, oldRef);
      if (job) {
        if (finalizerRemoved) this.finalizerExpectations.observed(keyOf(job as KubeObject), cur.metadata!.uid!);
        this.batched(job);
      }
    }
    if (curRef) {
      const job = this.resolve(cur.metadata?.namespace, curRef);
      if (!job) return;
      if (finalizerRemoved) this.finalizerExpectations.observed(keyOf(job as KubeObject), cur.metadata!.uid!);
      this.batched(job);
      return;
    }
    if (hasTrackingFinalizer(cur)) this.orphanQueue.add(keyOf(cur as KubeObject));
    if (refChanged || !semanticEqual(cur.metadata?.labels, old.metadata?.labels)) for (const job of this.jobsForPod(cur)) this.batched(job);
  }

  /** deletePod: `final` is the informer's delete; otherwise a deletionTimestamp just appeared. */
  private deletePod(pod: Pod, final: boolean): void {
    const ref = controllerOf(pod);
    const finalizer = hasTrackingFinalizer(pod);
    if (!ref) {
      // The garbage collector may have removed the reference of a Job pod.
      if (finalizer) this.orphanQueue.add(keyOf(pod as KubeObject));
      return;
    }
    const job = this.resolve(pod.metadata?.namespace, ref);
    if (!job || isJobFinished(job)) {
      if (finalizer) this.orphanQueue.add(keyOf(pod as KubeObject));
      return;
    }
    const key = keyOf(job as KubeObject);
    this.expectations.deletionObserved(key);
    if (final || !finalizer) this.finalizerExpectations.observed(key, pod.metadata!.uid!);
    this.batched(job);
  }

  /** syncOrphanPod: drop the tracking finalizer of a pod no unfinished Job owns. */
  private syncOrphanPod(key: string): SyncResult {
    const pod = this.pods.get(key) as Pod | undefined;
    if (!pod) return 'done';
    const ref = controllerOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return 'done';
      const job = this.resolve(pod.metadata?.namespace, ref);
      if (job && job.spec?.managedBy && job.spec.managedBy !== MANAGED_BY_JOB_CONTROLLER) return 'done';
      if (job && !isJobFinished(job)) return 'done';
    }
    const patch = removeTrackingFinalizerPatch(pod);
    if (!patch) return 'done';
    const r = this.podControl.patch(pod.metadata!.namespace!, pod.metadata!.name!, patch);
    return r.ok || r.status.code === 404 ? 'done' : 'retry';
  }

  // ---- sync -------------------------------------------------------------------------

  private syncJob(key: string): boolean {
    const shared = this.jobs.get(key) as Job | undefined;
    if (!shared) {
      this.expectations.delete(key);
      this.finalizerExpectations.delete(key);
      this.backoff.remove(key);
      return true;
    }
    if (shared.spec?.managedBy && shared.spec.managedBy !== MANAGED_BY_JOB_CONTROLLER) return true;
    if (isJobFinished(shared)) {
      this.backoff.remove(key);
      return true;
    }
    const mode = shared.spec?.completionMode;
    if (mode && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.recorder.event(shared as KubeObject, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return true;
    }
    const job = editable(shared);
    const st = job.status;
    const now = this.now();
    // Expectations before the pods: a pod arriving in between only defers the work to the next sync.
    const satisfied = this.expectations.satisfied(key);
    const claimed = this.podsForJob(job);
    if (claimed.error) return false;
    const pods = claimed.pods;
    const activePods = pods.filter(isPodActive);
    const c: SyncContext = {
      key,
      job,
      pods,
      activePods,
      succeeded: 0,
      failed: 0,
      prevSucceededIndexes: [],
      succeededIndexes: [],
      newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
      expectedRmFinalizers: this.finalizerExpectations.expected(key),
      uncounted: { succeeded: new Set(st.uncountedTerminatedPods.succeeded), failed: new Set(st.uncountedTerminatedPods.failed) },
      terminating: pods.filter(isPodTerminating).length,
      ready: activePods.filter(isPodReady).length,
    };
    let active = activePods.length;
    const newSucceeded = this.validPods(c, c.uncounted.succeeded, (p) => p.status?.phase === 'Succeeded');
    const newFailed = this.validPods(c, c.uncounted.failed, (p) => isPodFailed(p, job));
    c.succeeded = (st.succeeded ?? 0) + newSucceeded.length + c.uncounted.succeeded.size;
    c.failed = (st.failed ?? 0) + newFailed.length + c.uncounted.failed.size;
    if (!st.startTime && !suspended(job)) st.startTime = timestamp(now);
    c.newBackoffRecord = this.backoff.next(key, newSucceeded, newFailed);

    const exceedsBackoffLimit = c.failed > (job.spec?.backoffLimit ?? 6);
    const met = findCondition(job, JOB_SUCCESS_CRITERIA_MET);
    c.finished = met?.status === 'True' ? met : undefined;
    if (!c.finished) {
      const target = findCondition(job, JOB_FAILURE_TARGET);
      if (target?.status === 'True') c.finished = newCondition(JOB_FAILED, 'True', target.reason ?? '', target.message ?? '', now);
    }
    if (!c.finished) {
      const ads = job.spec?.activeDeadlineSeconds;
      if (exceedsBackoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        c.finished = newCondition(JOB_FAILURE_TARGET, 'True', REASON_BACKOFF_LIMIT_EXCEEDED, MESSAGE_BACKOFF_LIMIT_EXCEEDED, now);
      } else if (this.pastActiveDeadline(job)) {
        c.finished = newCondition(JOB_FAILURE_TARGET, 'True', REASON_DEADLINE_EXCEEDED, MESSAGE_DEADLINE_EXCEEDED, now);
      } else if (ads != null && !suspended(job)) {
        // Come back when the deadline passes.
        this.queue.addAfter(key, ads * 1000 - (now - virtualMs(st.startTime!)));
      }
    }
    if (isIndexedJob(job)) {
      const ix = succeededIndexes(job, pods, hasTrackingFinalizer);
      c.prevSucceededIndexes = ix.prev;
      c.succeededIndexes = ix.now;
      c.succeeded = totalIndexes(ix.now);
    }

    let manageOk = true;
    let suspendChanged = false;
    if (c.finished) {
      // Finishing: the active pods go (their finalizers stay until they are counted).
      const del = this.deleteActivePods(job, activePods);
      if (del.deleted !== active || !satisfied) c.finished = undefined;
      active -= del.deleted;
      c.terminating += del.deleted;
      c.ready -= del.deletedReady;
      manageOk = del.ok;
    } else {
      let manageCalled = false;
      if (satisfied && !job.metadata?.deletionTimestamp) {
        const r = this.manageJob(job, c);
        active = r.active;
        manageOk = r.ok;
        manageCalled = true;
      }
      const completions = job.spec?.completions;
      const complete = completions == null ? c.succeeded > 0 && active === 0 : c.succeeded >= completions && active === 0;
      if (complete) c.finished = newCondition(JOB_SUCCESS_CRITERIA_MET, 'True', REASON_COMPLETIONS_REACHED, MESSAGE_COMPLETIONS_REACHED, now);
      else if (manageCalled) suspendChanged = this.syncSuspendCondition(job, now);
    }

    const needsStatusUpdate = suspendChanged || active !== (st.active ?? 0) || c.ready !== st.ready || c.terminating !== st.terminating;
    st.active = active;
    st.ready = c.ready;
    st.terminating = c.terminating;
    return this.status.track(c, needsStatusUpdate) && manageOk;
  }

  /** The Suspended condition and its events; resuming restarts the activeDeadlineSeconds clock. */
  private syncSuspendCondition(job: WorkingJob, now: number): boolean {
    const st = job.status;
    const [status, reason, message, event] = suspended(job)
      ? ['True', 'JobSuspended', 'Job suspended', 'Suspended']
      : ['False', 'JobResumed', 'Job resumed', 'Resumed'];
    const r = ensureCondition(st.conditions ?? [], JOB_SUSPENDED, status, reason, message, now);
    st.conditions = r.list;
    if (!r.changed) return false;
    this.recorder.event(job as KubeObject, 'Normal', event, message);
    if (!suspended(job)) st.startTime = timestamp(now);
    return true;
  }

  private pastActiveDeadline(job: WorkingJob): boolean {
    const ads = job.spec?.activeDeadlineSeconds;
    const start = job.status.startTime;
    if (ads == null || !start || suspended(job)) return false;
    return this.now() - virtualMs(start) >= ads * 1000;
  }

  /** getPodsForJob: owned pods, and matching orphans adopted with the tracking finalizer. */
  private podsForJob(job: Job): { pods: Pod[]; error?: string } {
    return claimPods({
      owner: job as KubeObject,
      matches: compileLabelSelector(job.spec?.selector),
      owned: ownedPods(this.pods, job as KubeObject),
      orphans: orphanCandidates(this.pods, job.metadata!.namespace!, job.spec?.selector),
      podControl: this.podControl,
      finalizers: [JOB_TRACKING_FINALIZER],
    });
  }

  /** getValidPodsWithFilter: finished pods not yet counted (they still hold the finalizer, and a valid index). */
  private validPods(c: SyncContext, uncounted: ReadonlySet<string>, filter: (p: Pod) => boolean): Pod[] {
    const completions = c.job.spec?.completions ?? 0;
    return c.pods.filter((p) => {
      const uid = p.metadata!.uid!;
      if (!hasTrackingFinalizer(p) || uncounted.has(uid) || c.expectedRmFinalizers.has(uid)) return false;
      if (isIndexedJob(c.job)) {
        const ix = completionIndex(p);
        if (ix === UNKNOWN_INDEX || ix >= completions) return false;
      }
      return filter(p);
    });
  }

  /** manageJob: as many active pods as parallelism and the remaining completions allow. */
  private manageJob(job: WorkingJob, c: SyncContext): { active: number; ok: boolean } {
    let active = c.activePods.length;
    const parallelism = job.spec?.parallelism ?? 1;
    const key = c.key;
    if (suspended(job)) {
      const doomed = this.activePodsForRemoval(job, c.activePods, active);
      this.expectations.expectDeletions(key, doomed.length);
      const r = this.deleteJobPods(job, key, doomed);
      c.terminating += r.deleted;
      c.ready -= r.deletedReady;
      return { active: active - r.deleted, ok: r.ok };
    }
    const completions = job.spec?.completions;
    let wantActive: number;
    if (completions == null) wantActive = c.succeeded > 0 ? active : parallelism;
    else wantActive = Math.max(0, Math.min(completions - c.succeeded, parallelism));

    const doomed = this.activePodsForRemoval(job, c.activePods, Math.max(0, active - wantActive)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (doomed.length > 0) {
      // Deletion takes precedence: no creates in the same sync.
      this.expectations.expectDeletions(key, doomed.length);
      const r = this.deleteJobPods(job, key, doomed);
      c.terminating += r.deleted;
      c.ready -= r.deletedReady;
      return { active: active - r.deleted, ok: r.ok };
    }
    const terminating = onlyReplaceFailedPods(job) ? c.terminating : 0;
    let diff = wantActive - terminating - active;
    if (diff <= 0) return { active, ok: true };
    const wait = remainingBackoff(c.newBackoffRecord, this.now());
    if (wait > 0) {
      this.queue.addAfter(key, Math.max(wait, SYNC_JOB_BATCH_PERIOD_MS));
      // Upstream reports active 0 while it waits out the backoff.
      return { active: 0, ok: true };
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    const indexed = isIndexedJob(job);
    let indexes: number[] = [];
    if (indexed) {
      indexes = firstPendingIndexes(c.activePods, c.succeededIndexes, diff, completions ?? 0);
      diff = indexes.length;
    }
    this.expectations.expectCreations(key, diff);
    active += diff;
    let template: PodTemplateSpec = job.spec!.template;
    if (indexed) template = withCompletionIndexEnv(template);
    const finalizers = template.metadata?.finalizers ?? [];
    if (!finalizers.includes(JOB_TRACKING_FINALIZER)) template = { ...template, metadata: { ...template.metadata, finalizers: [...finalizers, JOB_TRACKING_FINALIZER] } };
    let ok = true;
    let pos = 0;
    for (const size of slowStartBatches(diff)) {
      let failed = false;
      for (let i = pos; i < pos + size; i++) {
        const ix = indexed ? indexes[i] : UNKNOWN_INDEX;
        const tpl = indexed ? templateForIndex(template, job.metadata!.name!, ix) : template;
        const r = this.podControl.create(job.metadata!.namespace!, tpl, job as KubeObject, indexed ? indexedGenerateName(job.metadata!.name!, ix) : undefined);
        if (!r.ok) {
          this.expectations.creationObserved(key);
          active--;
          failed = true;
          ok = false;
        }
      }
      pos += size;
      const skipped = diff - pos;
      if (failed && skipped > 0) {
        active -= skipped;
        this.expectations.lower(key, skipped, 0);
        break;
      }
    }
    return { active, ok };
  }

  /** activePodsForRemoval: duplicated or invalid indexes first, then the ActivePods order. */
  private activePodsForRemoval(job: Job, pods: readonly Pod[], rmAtLeast: number): Pod[] {
    let rm: Pod[] = [];
    let left: Pod[] = [...pods];
    if (isIndexedJob(job)) ({ rm, left } = duplicatedIndexPods(pods, job.spec?.completions ?? 0));
    if (rm.length < rmAtLeast) rm = [...rm, ...left.sort(compareActivePods).slice(0, rmAtLeast - rm.length)];
    return rm;
  }

  /** deleteJobPods: drop the finalizer (they will not be counted), then delete. */
  private deleteJobPods(job: Job, key: string, pods: readonly Pod[]): { deleted: number; deletedReady: number; ok: boolean } {
    let deleted = pods.length;
    let deletedReady = 0;
    let ok = true;
    const fail = (r: ApiResult) => {
      this.expectations.deletionObserved(key);
      if (!r.ok && r.status.code !== 404) {
        deleted--;
        ok = false;
      }
    };
    for (const pod of pods) {
      const patch = removeTrackingFinalizerPatch(pod);
      if (patch) {
        const r = this.podControl.patch(pod.metadata!.namespace!, pod.metadata!.name!, patch);
        if (!r.ok) {
          fail(r);
          continue;
        }
      }
      const r = this.podControl.delete(job.metadata!.namespace!, pod.metadata!.name!, job as KubeObject);
      if (!r.ok) fail(r);
      if (isPodReady(pod)) deletedReady++;
    }
    return { deleted, deletedReady, ok };
  }

  /** deleteActivePods: DELETE only; the finalizers stay so the pods are still counted. */
  private deleteActivePods(job: Job, pods: readonly Pod[]): { deleted: number; deletedReady: number; ok: boolean } {
    let deleted = pods.length;
    let deletedReady = 0;
    let ok = true;
    for (const pod of pods) {
      const r = this.podControl.delete(job.metadata!.namespace!, pod.metadata!.name!, job as KubeObject);
      if (!r.ok && r.status.code !== 404) {
        deleted--;
        ok = false;
      }
      if (isPodReady(pod)) deletedReady++;
    }
    return { deleted, deletedReady, ok };
  }

}

export const newJobController: ControllerFactory = (ctx) => new JobController(ctx);
