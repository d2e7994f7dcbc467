// One StatefulSet's reconcile, after upstream
// pkg/controller/statefulset/stateful_set_control.go (v1.30,
// defaultStatefulSetControl.UpdateStatefulSet; MaxUnavailableStatefulSet
// off). With podManagementPolicy OrderedReady (monotonic) the replicas are
// walked in ordinal order and the walk stops at the first pod that is not
// Running and Ready (and available): web-1 is created only once web-0 is;
// scale-down deletes the highest ordinal first and waits for it to go.
// Parallel creates and deletes without waiting. Then RollingUpdate deletes
// the highest-ordinal pod not at the update revision, down to the
// partition, one at a time, waiting for each replacement to be healthy;
// OnDelete leaves it to the user. The status (replicas, ready, available,
// current and updated counts, the two revisions) is written when it changed.
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import { ControllerHistory, applyRevision, equalRevision, newRevision, nextRevision } from './statefulset-history';
import { StatefulPodControl, StatefulSetError } from './statefulset-pod-control';
import {
  allowsBurst,
  endOrdinal,
  isCreated,
  isFailed,
  isHealthy,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  identityMatches,
  newVersionedStatefulSetPod,
  ordinalOf,
  podInOrdinalRange,
  podRevision,
  startOrdinal,
  storageMatches,
} from './statefulset-utils';

/** MaxBatchSize: in-flight creates of a Parallel set in one slow-start batch. */
const MAX_BATCH_SIZE = 500;

export interface ControlDeps {
  client: ApiClient;
  podControl: StatefulPodControl;
  history: ControllerHistory;
  now(): number;
}

/** The counts of a status, as the controller computes them. */
interface Counts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
}

interface Computed extends Counts {
  observedGeneration?: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

type Step = (i: number) => boolean;

/** runForAll: in order with an early exit (monotonic), or in slow-start batches 1, 2, 4, ... stopping after a batch that failed (burst). */
function runForAll(n: number, fn: Step, monotonic: boolean): boolean {
  if (monotonic) {
    for (let i = 0; i < n; i++) if (fn(i)) return true;
    return false;
  }
  let done = 0;
  for (let batch = Math.min(n, 1); batch > 0; batch = Math.min(2 * batch, n - done, MAX_BATCH_SIZE)) {
    let failed: unknown;
    for (let j = 0; j < batch; j++) {
      try {
        fn(done + j);
      } catch (e) {
        failed ??= e;
      }
    }
    if (failed) throw failed;
    done += batch;
  }
  return false;
}

/** computeReplicaStatus over lists of pods (planned pods, not created yet, count nowhere). */
function countPods(counts: Counts, pods: readonly Pod[], minReadySeconds: number, current: string, update: string, now: number): void {
  for (const pod of pods) {
    if (isCreated(pod)) counts.replicas++;
    if (isRunningAndReady(pod)) {
      counts.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, now)) counts.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      if (podRevision(pod) === current) counts.currentReplicas++;
      if (podRevision(pod) === update) counts.updatedReplicas++;
    }
  }
}

function recount(s: Computed, minReadySeconds: number, now: number, ...lists: readonly Pod[][]): void {
  s.replicas = s.readyReplicas = s.availableReplicas = s.currentReplicas = s.updatedReplicas = 0;
  for (const l of lists) countPods(s, l, minReadySeconds, s.currentRevision, s.updateRevision, now);
}

/** The status as the API prints it: zero counts with omitempty left out. */
function toStatus(s: Computed): StatefulSetStatus {
  return {
    ...(s.observedGeneration !== undefined ? { observedGeneration: s.observedGeneration } : {}),
    replicas: s.replicas,
    ...(s.readyReplicas ? { readyReplicas: s.readyReplicas } : {}),
    ...(s.currentReplicas ? { currentReplicas: s.currentReplicas } : {}),
    ...(s.updatedReplicas ? { updatedReplicas: s.updatedReplicas } : {}),
    currentRevision: s.currentRevision,
    updateRevision: s.updateRevision,
    collisionCount: s.collisionCount,
    availableReplicas: s.availableReplicas,
  };
}

/** inconsistentStatus: the computed status differs from the stored one in what the controller tracks. */
function inconsistentStatus(set: StatefulSet, s: Computed): boolean {
  const st = set.status;
  return (
    (s.observedGeneration ?? 0) > (st?.observedGeneration ?? 0) ||
    s.replicas !== (st?.replicas ?? 0) ||
    s.currentReplicas !== (st?.currentReplicas ?? 0) ||
    s.readyReplicas !== (st?.readyReplicas ?? 0) ||
    s.updatedReplicas !== (st?.updatedReplicas ?? 0) ||
    s.currentRevision !== (st?.currentRevision ?? '') ||
    s.availableReplicas !== (st?.availableReplicas ?? 0) ||
    s.updateRevision !== (st?.updateRevision ?? '')
  );
}

/** completeRollingUpdate: every replica updated and ready, so the update revision becomes the current one. */
function completeRollingUpdate(set: StatefulSet, s: Computed): void {
  const want = set.spec?.replicas ?? 1;
  if (set.spec?.updateStrategy?.type === 'RollingUpdate' && s.updatedReplicas === want && s.readyReplicas === want && s.replicas === want) {
    s.currentReplicas = s.updatedReplicas;
    s.currentRevision = s.updateRevision;
  }
}

/**
 * The revision name a set's existing pods agree on, when it has no history
 * yet (a cluster loaded or imported with its pods but without its
 * ControllerRevisions). Upstream would compute that very name again for an
 * unchanged template; kubeviz's hash is not Go's, so it takes the pods' word
 * rather than roll every pod to a name of its own.
 */
function adoptedRevisionName(set: StatefulSet, pods: readonly Pod[]): string | undefined {
  const names = new Set(pods.map(podRevision).filter((r) => r));
  if (names.size !== 1) return undefined;
  const [name] = names;
  return name.startsWith(`${set.metadata!.name}-`) && name.length > set.metadata!.name!.length + 1 ? name : undefined;
}

export class StatefulSetControl {
  constructor(private readonly d: ControlDeps) {}

  /**
   * UpdateStatefulSet. `revisions` are the set's ControllerRevisions. Returns
   * the status written (or that would be) and the first error, if any: the
   * sync retries with backoff on an error.
   */
  update(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[]): { status?: StatefulSetStatus; error?: string } {
    let current: ControllerRevision | undefined;
    let update: ControllerRevision | undefined;
    let error: string | undefined;
    let status: StatefulSetStatus | undefined;
    try {
      const r = this.revisionsOf(set, revisions, pods);
      current = r.current;
      update = r.update;
      const computed: Computed = {
        observedGeneration: set.metadata?.generation,
        currentRevision: current.metadata!.name!,
        updateRevision: update.metadata!.name!,
        collisionCount: r.collisionCount,
        replicas: 0,
        readyReplicas: 0,
        availableReplicas: 0,
        currentReplicas: 0,
        updatedReplicas: 0,
      };
      try {
        this.reconcile(set, current, update, pods, computed);
      } catch (e) {
        if (!(e instanceof StatefulSetError)) throw e;
        error = e.message;
      }
      // The status is written even when a step failed.
      const statusError = this.writeStatus(set, computed);
      error ??= statusError;
      status = toStatus(computed);
    } catch (e) {
      if (!(e instanceof StatefulSetError)) throw e;
      error = e.message;
    }
    const truncated = this.truncateHistory(set, pods, revisions, current, update);
    return { status, error: error ?? truncated };
  }

  /** getStatefulSetRevisions: the current revision (status.currentRevision) and the update revision, created or renumbered as needed. */
  private revisionsOf(set: StatefulSet, revisions: ControllerRevision[], pods: Pod[]): { current: ControllerRevision; update: ControllerRevision; collisionCount: number } {
    const collision = { count: set.status?.collisionCount ?? 0 };
    let update = newRevision(set, nextRevision(revisions), collision.count);
    const equal = revisions.filter((r) => equalRevision(r, update));
    const last = revisions[revisions.length - 1];
    if (equal.length && equalRevision(last, equal[equal.length - 1])) update = last;
    else if (equal.length) {
      // A rollback to an earlier template: that revision becomes the newest again.
      const r = this.d.history.renumber(equal[equal.length - 1], update.revision);
      if (!r.ok) throw new StatefulSetError(r.status.message);
      update = r.revision;
    } else {
      const r = this.d.history.create(set, update, collision, revisions.length === 0 ? adoptedRevisionName(set, pods) : undefined);
      if (!r.ok) throw new StatefulSetError(r.status.message);
      update = r.revision;
    }
    const current = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount: collision.count };
  }

  /** updateStatefulSet: create, fix and delete pods toward the spec; `s` ends as the status to write. */
  private reconcile(set: StatefulSet, currentRev: ControllerRevision, updateRev: ControllerRevision, pods: Pod[], s: Computed): void {
    const pc = this.d.podControl;
    const now = this.d.now();
    const minReady = set.spec?.minReadySeconds ?? 0;
    const currentSet = applyRevision(set, currentRev);
    const updateSet = applyRevision(set, updateRev);
    recount(s, minReady, now, pods);
    const start = startOrdinal(set);
    const replicas: Pod[] = new Array(Math.max(0, endOrdinal(set) - start + 1));
    const condemned: Pod[] = [];
    for (const pod of pods) {
      if (podInOrdinalRange(pod, set)) replicas[ordinalOf(pod) - start] = pod;
      else if (ordinalOf(pod) >= 0) condemned.push(pod);
    }
    // Missing ordinals get a pod planned at the right revision.
    for (let i = 0; i < replicas.length; i++)
      if (!replicas[i]) replicas[i] = newVersionedStatefulSetPod(currentSet, updateSet, s.currentRevision, s.updateRevision, start + i);
    condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
    let firstUnhealthy: Pod | undefined;
    for (const p of replicas) if (!isHealthy(p)) firstUnhealthy ??= p;
    for (let i = condemned.length - 1; i >= 0; i--) if (!isHealthy(condemned[i])) firstUnhealthy ??= condemned[i];
    // Being deleted: only the status.
    if (set.metadata?.deletionTimestamp) return;
    const monotonic = !allowsBurst(set);
    const finish = () => recount(s, minReady, now, replicas, condemned);
    try {
      const processReplica: Step = (i) => {
        let pod = replicas[i];
        // A finished pod (Failed, or Succeeded after a node's shutdown) is deleted; the next sync makes it again.
        if (isFailed(pod) || isSucceeded(pod)) {
          if (!pod.metadata?.deletionTimestamp) pc.deleteStatefulPod(set, pod);
          return true;
        }
        if (!isCreated(pod)) {
          if (pc.podClaimIsStale(set, pod)) return true;
          pc.createStatefulPod(set, pod);
          if (monotonic) return true;
        }
        // createMissingPersistentVolumeClaims: a pending pod's claims (deleted meanwhile, say) are made again.
        if (isPending(pod)) {
          const err = pc.createPersistentVolumeClaims(set, pod);
          if (err) throw new StatefulSetError(err);
          pc.updatePodClaimForRetentionPolicy(set, pod);
        }
        if (isTerminating(pod) && monotonic) return true;
        if (!isRunningAndReady(pod) && monotonic) return true;
        if (!isRunningAndAvailable(pod, minReady, now) && monotonic) return true;
        if (!isCreated(pod)) return false;
        if (identityMatches(set, pod) && storageMatches(set, pod) && pc.claimsMatchRetentionPolicy(updateSet, pod)) return false;
        pod = structuredClone(pod);
        pc.updateStatefulPod(updateSet, pod);
        return false;
      };
      if (runForAll(replicas.length, processReplica, monotonic)) return finish();
      // Claims of condemned pods get the owners the retention policy gives scaled-down pods.
      const fixClaims: Step = (i) => {
        if (!pc.claimsMatchRetentionPolicy(updateSet, condemned[i])) pc.updatePodClaimForRetentionPolicy(updateSet, condemned[i]);
        return false;
      };
      if (runForAll(condemned.length, fixClaims, monotonic)) return finish();
      // processCondemned: highest ordinal first, each waited for; nothing unhealthy is deleted before it is the first unhealthy one.
      const processCondemned: Step = (i) => {
        const c = condemned[i];
        if (isTerminating(c)) return monotonic;
        if (!isRunningAndReady(c) && monotonic && c !== firstUnhealthy) return true;
        if (!isRunningAndAvailable(c, minReady, now) && monotonic && c !== firstUnhealthy) return true;
        pc.deleteStatefulPod(set, c);
        return true;
      };
      if (runForAll(condemned.length, processCondemned, monotonic)) return finish();
    } catch (e) {
      finish();
      throw e;
    }
    finish();
    if (set.spec?.updateStrategy?.type === 'OnDelete') return;
    // RollingUpdate: the highest ordinal not at the update revision goes first, down to the partition.
    const updateMin = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let target = replicas.length - 1; target >= updateMin; target--) {
      const pod = replicas[target];
      if (podRevision(pod) !== s.updateRevision && !isTerminating(pod)) {
        s.currentReplicas--;
        pc.deleteStatefulPod(set, pod);
        return;
      }
      if (!isHealthy(pod)) return;
    }
  }

  /** updateStatefulSetStatus: completes a finished rolling update, writes when the status differs (retrying a conflict once). */
  private writeStatus(set: StatefulSet, s: Computed): string | undefined {
    completeRollingUpdate(set, s);
    if (!inconsistentStatus(set, s)) return undefined;
    let cur = set;
    for (let attempt = 0; attempt < 2; attempt++) {
      const r = this.d.client.updateStatus({ ...cur, status: toStatus(s) } as KubeObject);
      if (r.ok) return undefined;
      if (r.status.reason !== 'Conflict') return r.status.message;
      const fresh = this.d.client.get('StatefulSet', set.metadata?.namespace, set.metadata!.name!);
      if (!fresh.ok) return fresh.status.message;
      cur = fresh.object as StatefulSet;
    }
    return 'failed to update status: conflict';
  }

  /** truncateHistory: revisions nothing uses (not current, update, nor any pod's) deleted, oldest first, beyond revisionHistoryLimit. */
  private truncateHistory(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], current?: ControllerRevision, update?: ControllerRevision): string | undefined {
    const live = new Set<string>();
    if (current) live.add(current.metadata!.name!);
    if (update) live.add(update.metadata!.name!);
    for (const p of pods) live.add(podRevision(p));
    const history = revisions.filter((r) => !live.has(r.metadata!.name!));
    const limit = set.spec?.revisionHistoryLimit ?? 10;
    for (const r of history.slice(0, Math.max(0, history.length - limit))) {
      const err = this.d.history.delete(r);
      if (err) return err.message;
    }
    return undefined;
  }
}
