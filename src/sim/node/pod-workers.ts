// The kubelet's pod workers (pkg/kubelet/pod_workers.go) and the runtime
// manager's SyncPod (pkg/kubelet/kuberuntime/kuberuntime_manager.go,
// kuberuntime_container.go, pkg/kubelet/images/image_manager.go): admit a
// pod, wait for the pod network (NetworkNotReady) and its volumes, give it
// a sandbox, run its init containers one after another, then
// its containers; restart what exits as the restart policy says, with
// CrashLoopBackOff (10 s doubling to 300 s, reset after 10 minutes); pull
// images through the runtime's serial puller with ImagePullBackOff; act on
// probe results; and on deletion stop the containers within the grace
// period. Each pod is data (a PodRecord) advanced by events: a watch
// update, a pull or sandbox done, a container exit, a probe result, a
// backoff ending. Nothing ticks per pod.
import type { Node, Pod } from '../api/types';
import { defaultPullPolicy, parseImageRef } from '../api/image';
import { tryParseQuantity } from '../api/quantity';
import type { EventRecorder, EventType } from '../client/event-recorder';
import { formatDuration } from '../kernel/duration';
import type { Kernel } from '../kernel/kernel';
import { virtualMs } from '../kernel/time';
import { Backoff, BACKOFF_INITIAL_MS } from './backoff';
import { BEHAVIOR_ANNOTATION, outcomeAt, parseBehavior } from './behavior';
import type { ContainerRuntime, PullResult, RuntimeContainer } from './container-runtime';
import { normalizeImage, type RegistryImage } from './image-catalog';
import type { AdmitResult, AdmittedPods } from './kubelet-admission';
import { current, newRecord, statusContainerId, type ContainerTrack, type PodRecord } from './pod-record';
import { probeFailureOutput, ProbeWorker, type ProbeType } from './prober';

/** killContainer's minimumGracePeriodInSeconds. */
const MIN_GRACE_MS = 2_000;
/** The pod worker's requeue after a failed sync (backOffPeriod; upstream adds up to 50% jitter). */
const ERROR_REQUEUE_MS = BACKOFF_INITIAL_MS;

export interface PodWorkerDeps {
  kernel: Kernel;
  runtime: ContainerRuntime;
  recorder: EventRecorder;
  admitted: AdmittedPods;
  /** The eviction manager's admit handler, which runs before the predicate checks. */
  evictionAdmit(pod: Pod): AdmitResult;
  /** The pod's status may have changed. */
  statusChanged(rec: PodRecord): void;
  /** The Node as the kubelet knows it, for admission. */
  node(): Node | undefined;
  /** WaitForAttachAndMount: why the pod's volumes are not ready yet, or undefined (volume-manager.ts). */
  volumesError(pod: Pod): string | undefined;
  hostIP(): string;
}

type StartResult = 'started' | 'busy' | 'error';

/** "web-1_default(uid)", as format.Pod prints a pod. */
const formatPod = (pod: Pod) => `${pod.metadata!.name}_${pod.metadata!.namespace}(${pod.metadata!.uid})`;

/** applyDefaultImageTag: the name the image manager's events use ("nginx" is "nginx:latest"). */
function withDefaultTag(image: string): string {
  const r = parseImageRef(image);
  if (!r || r.digest || image.endsWith(`:${r.tag}`)) return image;
  return `${image}:${r.tag}`;
}

function memoryLimit(t: ContainerTrack): number | undefined {
  const l = t.spec.resources?.limits?.memory;
  const q = l === undefined ? undefined : tryParseQuantity(l);
  return q ? Math.ceil(q.milli / 1000) : undefined;
}

export class PodWorkers {
  /** Pods this kubelet runs, by uid, in the order it met them. */
  readonly records = new Map<string, PodRecord>();
  private readonly crashBackoff = new Backoff();
  private readonly imageBackoff = new Backoff();
  /** Pods the apiserver no longer has whose containers are being stopped. */
  private readonly orphans = new Set<string>();
  private active = true;

  constructor(private readonly d: PodWorkerDeps) {}

  /** The kubelet process ended: its pod workers with it (the runtime's containers stay). */
  stop(): void {
    this.active = false;
    for (const rec of this.records.values()) {
      if (rec.busy?.kind === 'pull') rec.busy.cancel();
      if (rec.busy?.kind === 'sandbox') this.d.kernel.cancel(rec.busy.timer);
      if (rec.resyncTimer) this.d.kernel.cancel(rec.resyncTimer);
      rec.busy = rec.resyncTimer = undefined;
      for (const t of rec.tracks.values()) this.stopProbes(t);
    }
  }

  private event(rec: PodRecord, type: EventType, reason: string, message: string): void {
    this.d.recorder.event({ ...rec.pod, kind: 'Pod', apiVersion: 'v1' }, type, reason, message);
  }

  // ---- pods arriving, changing and leaving ---------------------------------

  /**
   * HandlePodAdditions: a pod bound to this node. `adopt`: it was running
   * when the scenario began, so its containers started at t=0 from images
   * already on the node.
   */
  add(pod: Pod, adopt = false): PodRecord {
    const uid = pod.metadata!.uid!;
    const known = this.records.get(uid);
    if (known) {
      this.update(pod);
      return known;
    }
    // The container names only matter to a behavior annotation (most pods have none).
    const annotations = pod.metadata?.annotations;
    const names = annotations?.[BEHAVIOR_ANNOTATION] === undefined ? [] : [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
    const rec = newRecord(pod, parseBehavior(annotations, names));
    this.records.set(uid, rec);
    const phase = pod.status?.phase;
    const mine = this.d.runtime.sandbox(uid) !== undefined || this.d.runtime.podContainers(uid).length > 0;
    if ((phase === 'Succeeded' || phase === 'Failed') && !mine) {
      // Finished before this kubelet met it: nothing to run and nothing to report.
      rec.terminated = true;
      return rec;
    }
    if (rec.behavior.problems.length)
      this.event(rec, 'Warning', 'InvalidBehavior', `${BEHAVIOR_ANNOTATION} ignored where malformed (those containers run normally): ${rec.behavior.problems.join('; ')}`);
    if (!pod.metadata?.deletionTimestamp) {
      const node = this.d.node();
      let verdict = this.d.evictionAdmit(pod);
      if (verdict.admit && node) verdict = this.d.admitted.admit(pod, node);
      if (!verdict.admit) {
        rec.rejected = { reason: verdict.reason, message: verdict.message };
        rec.terminated = true;
        this.event(rec, 'Warning', verdict.reason, verdict.message);
        this.d.statusChanged(rec);
        return rec;
      }
    }
    this.d.admitted.add(pod);
    const serverStart = pod.status?.startTime;
    rec.startTime = adopt ? 0 : serverStart ? virtualMs(serverStart) : this.d.kernel.now;
    // A pod already running (the starting cluster, or a kubelet restart) has its volumes mounted.
    if (adopt || mine) rec.volumesReady = true;
    if (mine) this.attach(rec);
    else if (adopt) this.adoptRunning(rec);
    this.sync(rec);
    return rec;
  }

  /** A newer copy of a pod from the apiserver. */
  update(pod: Pod): void {
    const rec = this.records.get(pod.metadata!.uid!);
    if (!rec) return void this.add(pod);
    if (Number(pod.metadata?.resourceVersion ?? 0) < Number(rec.pod.metadata?.resourceVersion ?? 0)) return;
    const before = rec.pod;
    rec.pod = pod;
    if (rec.terminated && !rec.rejected) {
      // A finished pod that is now being deleted: report (and delete) it.
      this.d.statusChanged(rec);
      return;
    }
    // Deleted, or deleted again with a shorter grace period (terminate keeps the shorter one).
    if (pod.metadata?.deletionTimestamp) return this.terminate(rec);
    if (pod.spec !== before.spec) this.specChanged(rec);
    // Someone else changed the status (the node lifecycle controller marking it not ready, ...): put ours back.
    if (pod.status !== before.status) this.d.statusChanged(rec);
  }

  /** The pod is gone from the apiserver: stop what still runs, then forget it. */
  remove(pod: Pod): void {
    const rec = this.records.get(pod.metadata!.uid!);
    if (!rec) return;
    rec.gone = true;
    if (rec.terminated) return this.forget(rec);
    this.terminate(rec);
  }

  /** Runtime pods the apiserver no longer has (deleted while the kubelet was away): HandlePodCleanups kills them. */
  killOrphans(known: Set<string>): void {
    const uids = new Set<string>();
    for (const c of this.d.runtime.containers.values()) uids.add(c.podUid);
    for (const uid of this.d.runtime.sandboxes.keys()) uids.add(uid);
    for (const uid of uids) {
      if (known.has(uid) || this.records.has(uid)) continue;
      for (const c of this.d.runtime.podContainers(uid)) this.d.runtime.stop(c, MIN_GRACE_MS, undefined);
      if (!this.d.runtime.podContainers(uid).some((c) => c.state === 'running')) this.d.runtime.removePod(uid);
      else this.orphans.add(uid);
    }
  }

  private forget(rec: PodRecord): void {
    for (const t of rec.tracks.values()) this.stopProbes(t);
    if (rec.resyncTimer) this.d.kernel.cancel(rec.resyncTimer);
    rec.resyncTimer = undefined;
    this.d.admitted.remove(rec.uid);
    this.d.runtime.removePod(rec.uid);
    this.records.delete(rec.uid);
  }

  /** The kubelet deleted the pod after its final status: forget it once the runtime is clean. */
  deleted(rec: PodRecord): void {
    rec.gone = true;
    this.forget(rec);
  }

  // ---- the runtime's side --------------------------------------------------

  /** PLEG: a container's task exited. */
  containerExited(c: RuntimeContainer): void {
    if (!this.active) return;
    if (this.orphans.has(c.podUid)) {
      if (!this.d.runtime.podContainers(c.podUid).some((x) => x.state === 'running')) {
        this.orphans.delete(c.podUid);
        this.d.runtime.removePod(c.podUid);
      }
      return;
    }
    const rec = this.records.get(c.podUid);
    if (!rec) return;
    const t = rec.tracks.get(c.name);
    if (!t || t.currentId !== c.id) return;
    this.stopProbes(t);
    t.ready = false;
    t.started = false;
    this.d.statusChanged(rec);
    if (rec.terminating) return this.maybeFinishTermination(rec);
    this.sync(rec);
  }

  /** After a kubelet restart: pick up the runtime's containers of a pod it ran before. */
  private attach(rec: PodRecord): void {
    const byName = new Map<string, RuntimeContainer[]>();
    for (const c of this.d.runtime.podContainers(rec.uid)) {
      let l = byName.get(c.name);
      if (!l) byName.set(c.name, (l = []));
      l.push(c);
    }
    for (const t of rec.tracks.values()) {
      const list = byName.get(t.spec.name) ?? [];
      const cur = list[list.length - 1];
      t.currentId = cur?.id;
      t.previousId = list[list.length - 2]?.id;
      if (cur?.state === 'running') this.setUpProbes(rec, t, cur, false);
    }
  }

  /**
   * A pod of the starting cluster: sandbox and containers running since t=0,
   * init containers done. When the snapshot holds its status (it had been
   * running, see cluster/settled-workloads.ts), the runtime's sandbox and
   * containers are the ones that status names: same address, same ids.
   */
  private adoptRunning(rec: PodRecord): void {
    const rt = this.d.runtime;
    const status = rec.pod.status;
    rt.adoptSandbox(rec.uid, rec.pod.spec?.hostNetwork === true, status?.podIP);
    for (const t of rec.tracks.values()) {
      const ref = normalizeImage(t.spec.image ?? '');
      if (!ref) continue;
      rt.preload(ref);
      const image = rt.image(ref)!;
      const id = statusContainerId(status, t.spec.name);
      if (t.kind === 'init') {
        const c = rt.adopt(rec.uid, t.spec.name, image, undefined, undefined, id);
        Object.assign(c, { state: 'exited', finishedAt: 0, exitCode: 0, reason: 'Completed' });
        t.currentId = c.id;
        continue;
      }
      const c = rt.adopt(rec.uid, t.spec.name, image, t.behavior, memoryLimit(t), id);
      t.currentId = c.id;
      this.setUpProbes(rec, t, c, true);
    }
  }

  // ---- SyncPod -------------------------------------------------------------

  /** Run a sync pass now (or after the step in flight). */
  sync(rec: PodRecord): void {
    if (!this.active || rec.terminated || rec.rejected) return;
    if (rec.busy) {
      rec.resyncWanted = true;
      return;
    }
    if (rec.resyncTimer) this.d.kernel.cancel(rec.resyncTimer);
    rec.resyncTimer = undefined;
    if (rec.gone || rec.pod.metadata?.deletionTimestamp) return this.terminate(rec);
    if (rec.evicted) return;
    if (!this.networkReady(rec)) return;
    if (!rec.volumesReady && !this.volumesMounted(rec)) return;
    rec.pass = new Set();
    rec.retryAt = Infinity;
    this.continuePass(rec);
  }

  /**
   * SyncPod's network check, before the volumes: while the runtime's network
   * is not ready (a new machine on a cloud, before its Node's pod CIDR
   * reached it) only host-network pods may start; the others get
   * NetworkNotReady and are retried after the pod worker's error backoff.
   */
  private networkReady(rec: PodRecord): boolean {
    const err = this.d.runtime.networkNotReady();
    if (err === undefined || rec.pod.spec?.hostNetwork === true) return true;
    this.event(rec, 'Warning', 'NetworkNotReady', `network is not ready: container runtime network not ready: ${err}`);
    rec.resyncTimer = this.d.kernel.after(ERROR_REQUEUE_MS, 'kubelet.network', () => {
      rec.resyncTimer = undefined;
      this.sync(rec);
    });
    this.d.statusChanged(rec);
    return false;
  }

  /**
   * SyncPod's WaitForAttachAndMount, before the sandbox: while a claim is
   * missing or unbound the sync fails with FailedMount and is retried after
   * the pod worker's error backoff; the pod stays ContainerCreating.
   */
  private volumesMounted(rec: PodRecord): boolean {
    const err = this.d.volumesError(rec.pod);
    if (err === undefined) {
      rec.volumesReady = true;
      return true;
    }
    this.event(rec, 'Warning', 'FailedMount', `Unable to attach or mount volumes: ${err}`);
    rec.resyncTimer = this.d.kernel.after(ERROR_REQUEUE_MS, 'kubelet.volumes', () => {
      rec.resyncTimer = undefined;
      this.sync(rec);
    });
    this.d.statusChanged(rec);
    return false;
  }

  /** The pass failed to start a container: run again at `at` (a backoff's end, or the error requeue). */
  private noteRetry(rec: PodRecord, at: number): void {
    rec.retryAt = Math.min(rec.retryAt, at);
  }

  private continuePass(rec: PodRecord): void {
    const rt = this.d.runtime;
    const pass = rec.pass!;
    const sb = rt.sandbox(rec.uid);
    if (!sb || sb.state !== 'ready') {
      if (sb && rec.sandboxChangedFor !== sb.id) {
        rec.sandboxChangedFor = sb.id;
        // A Never pod whose containers already ran is not started again in a new sandbox.
        if (rec.pod.spec?.restartPolicy === 'Never' && rt.podContainers(rec.uid).length > 0) return this.finishByPolicy(rec);
        this.event(rec, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      }
      const timer = rt.runSandbox(rec.uid, rec.pod.spec?.hostNetwork === true, (s) => {
        rec.busy = undefined;
        // A new sandbox runs the init containers again from the first.
        if (s.attempt > 0) for (const t of rec.tracks.values()) if (t.kind === 'init') t.rerun = true;
        this.d.statusChanged(rec);
        this.resume(rec);
      });
      rec.busy = { kind: 'sandbox', timer };
      this.d.statusChanged(rec);
      return;
    }
    const restartPolicy = rec.pod.spec?.restartPolicy ?? 'Always';
    for (const t of rec.tracks.values()) {
      if (t.kind === 'regular') continue;
      const cur = current(rt, t);
      const name = t.spec.name;
      if (t.kind === 'sidecar') {
        if (cur?.state === 'running') {
          if (!t.started) return this.endPass(rec);
          continue;
        }
        if (pass.has(name)) return this.endPass(rec);
        pass.add(name);
        if (cur?.state === 'exited' && this.inCrashBackoff(rec, t, cur)) return this.endPass(rec);
        const r = this.startContainer(rec, t);
        if (r === 'busy') return;
        if (r === 'error' || !t.started) return this.endPass(rec);
        continue;
      }
      if (cur?.state === 'exited' && cur.exitCode === 0 && !t.rerun) continue;
      if (cur?.state === 'running' || pass.has(name)) return this.endPass(rec);
      pass.add(name);
      if (cur?.state === 'exited') {
        if (restartPolicy === 'Never') return this.finishByPolicy(rec);
        if (this.inCrashBackoff(rec, t, cur)) return this.endPass(rec);
      }
      const r = this.startContainer(rec, t);
      if (r === 'busy') return;
      return this.endPass(rec);
    }
    for (const t of rec.tracks.values()) {
      if (t.kind !== 'regular') continue;
      const name = t.spec.name;
      const cur = current(rt, t);
      if (cur?.state === 'running' || pass.has(name)) continue;
      pass.add(name);
      if (cur?.state === 'exited') {
        if (!shouldRestart(restartPolicy, cur.exitCode ?? 0)) {
          t.waiting = undefined;
          continue;
        }
        if (this.inCrashBackoff(rec, t, cur)) continue;
      }
      if (this.startContainer(rec, t) === 'busy') return;
    }
    this.endPass(rec);
  }

  /** The step in flight (sandbox, pull) is done: carry on with the pass, or start a new one. */
  private resume(rec: PodRecord): void {
    if (!this.active || rec.terminated || rec.rejected) return;
    if (rec.terminating || rec.gone || rec.pod.metadata?.deletionTimestamp) {
      rec.pass = undefined;
      return this.terminate(rec);
    }
    if (!rec.pass) return this.sync(rec);
    this.continuePass(rec);
  }

  private endPass(rec: PodRecord): void {
    rec.pass = undefined;
    this.d.statusChanged(rec);
    if (this.allDoneByPolicy(rec)) return this.finishByPolicy(rec);
    const at = rec.retryAt;
    rec.retryAt = Infinity;
    if (rec.resyncWanted) {
      rec.resyncWanted = false;
      return this.sync(rec);
    }
    if (at < Infinity) {
      rec.resyncTimer = this.d.kernel.at(at, 'kubelet.podResync', () => {
        rec.resyncTimer = undefined;
        this.sync(rec);
      });
    }
  }

  /** Every regular container has exited and none will start again (Never, or OnFailure with success). */
  private allDoneByPolicy(rec: PodRecord): boolean {
    const policy = rec.pod.spec?.restartPolicy ?? 'Always';
    if (policy === 'Always') return false;
    for (const t of rec.tracks.values()) {
      if (t.kind !== 'regular') continue;
      const cur = current(this.d.runtime, t);
      if (!cur || cur.state !== 'exited' || shouldRestart(policy, cur.exitCode ?? 0)) return false;
    }
    return true;
  }

  /** doBackOff: still within the backoff since the container last finished? Then CrashLoopBackOff. */
  private inCrashBackoff(rec: PodRecord, t: ContainerTrack, cur: RuntimeContainer): boolean {
    const now = this.d.kernel.now;
    const pod = rec.pod;
    const key = `${pod.metadata!.name}_${pod.metadata!.namespace}_${rec.uid}_${t.spec.name}`;
    const finished = cur.finishedAt ?? now;
    if (this.crashBackoff.inBackOffSince(key, finished, now)) {
      this.event(rec, 'Warning', 'BackOff', `Back-off restarting failed container ${t.spec.name} in pod ${formatPod(pod)}`);
      t.waiting = {
        reason: 'CrashLoopBackOff',
        message: `back-off ${formatDuration(this.crashBackoff.get(key))} restarting failed container=${t.spec.name} pod=${formatPod(pod)}`,
      };
      this.noteRetry(rec, this.crashBackoff.endSince(key, finished));
      return true;
    }
    this.crashBackoff.next(key, finished, now);
    return false;
  }

  /** startContainer's first step, EnsureImageExists, then create and start. */
  private startContainer(rec: PodRecord, t: ContainerTrack): StartResult {
    const now = this.d.kernel.now;
    const image = t.spec.image ?? '';
    const ref = normalizeImage(image);
    if (!ref) {
      const msg = `Failed to apply default image tag ${JSON.stringify(image)}: couldn't parse image name ${JSON.stringify(image)}: invalid reference format`;
      this.event(rec, 'Warning', 'InspectFailed', msg);
      t.waiting = { reason: 'InvalidImageName', message: msg };
      this.event(rec, 'Warning', 'Failed', 'Error: InvalidImageName');
      this.noteRetry(rec, now + ERROR_REQUEUE_MS);
      return 'error';
    }
    const policy = t.spec.imagePullPolicy ?? defaultPullPolicy(image);
    const present = this.d.runtime.image(ref);
    if (present && policy !== 'Always') {
      this.event(rec, 'Normal', 'Pulled', `Container image ${JSON.stringify(image)} already present on machine`);
      return this.run(rec, t, present);
    }
    if (!present && policy === 'Never') {
      const msg = `Container image ${JSON.stringify(image)} is not present with pull policy of Never`;
      this.event(rec, 'Warning', 'ErrImageNeverPull', msg);
      t.waiting = { reason: 'ErrImageNeverPull', message: msg };
      this.event(rec, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
      this.noteRetry(rec, now + ERROR_REQUEUE_MS);
      return 'error';
    }
    const tagged = withDefaultTag(image);
    const key = `${rec.uid}_${tagged}`;
    if (this.imageBackoff.inBackOffSinceUpdate(key, now)) {
      const prev = rec.pullErrors?.get(key);
      const msg = `Back-off pulling image ${JSON.stringify(tagged)}`;
      this.event(rec, 'Normal', 'BackOff', msg);
      t.waiting = { reason: 'ImagePullBackOff', message: prev ? `${msg}: ${prev}` : msg };
      this.event(rec, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      this.noteRetry(rec, now + ERROR_REQUEUE_MS);
      return 'error';
    }
    rec.pullErrors?.delete(key);
    this.event(rec, 'Normal', 'Pulling', `Pulling image ${JSON.stringify(tagged)}`);
    const cancel = this.d.runtime.pull(ref, (r) => this.pulled(rec, t, key, tagged, r));
    rec.busy = { kind: 'pull', container: t.spec.name, cancel };
    return 'busy';
  }

  private pulled(rec: PodRecord, t: ContainerTrack, key: string, tagged: string, r: PullResult): void {
    rec.busy = undefined;
    if (!this.active || !this.records.has(rec.uid)) return;
    const now = this.d.kernel.now;
    if (r.ok) {
      this.event(
        rec,
        'Normal',
        'Pulled',
        `Successfully pulled image ${JSON.stringify(tagged)} in ${formatDuration(r.pullMs)} (${formatDuration(r.totalMs)} including waiting). Image size: ${r.image.sizeBytes} bytes.`,
      );
      if (!rec.terminating && !rec.gone && !rec.pod.metadata?.deletionTimestamp) this.run(rec, t, r.image);
    } else {
      this.event(rec, 'Warning', 'Failed', `Failed to pull image ${JSON.stringify(tagged)}: ${r.error}`);
      this.imageBackoff.next(key, now, now);
      (rec.pullErrors ??= new Map()).set(key, `ErrImagePull: ${r.error}`);
      t.waiting = { reason: 'ErrImagePull', message: r.error };
      this.event(rec, 'Warning', 'Failed', 'Error: ErrImagePull');
      this.noteRetry(rec, now + ERROR_REQUEUE_MS);
    }
    this.resume(rec);
  }

  /** CreateContainer and StartContainer; restartCount is one more than the instance before. */
  private run(rec: PodRecord, t: ContainerTrack, image: RegistryImage): StartResult {
    const prev = current(this.d.runtime, t);
    const attempt = prev ? prev.attempt + 1 : 0;
    this.event(rec, 'Normal', 'Created', `Created container: ${t.spec.name}`);
    const c = this.d.runtime.start(rec.uid, t.spec.name, attempt, image, t.behavior, memoryLimit(t));
    this.event(rec, 'Normal', 'Started', `Started container ${t.spec.name}`);
    t.previousId = prev?.id;
    t.currentId = c.id;
    t.waiting = undefined;
    t.killedByProbe = false;
    t.rerun = false;
    this.setUpProbes(rec, t, c, false);
    this.d.statusChanged(rec);
    return 'started';
  }

  // ---- probes --------------------------------------------------------------

  /** Probe workers for a container instance; `settled`: it has been running for a while (the starting cluster). */
  private setUpProbes(rec: PodRecord, t: ContainerTrack, c: RuntimeContainer, settled: boolean): void {
    this.stopProbes(t);
    const spec = t.spec;
    const start = c.startedAt ?? this.d.kernel.now;
    const podIP = this.d.runtime.sandbox(rec.uid)?.ip || this.d.hostIP();
    const make = (type: ProbeType) => {
      const probe = type === 'startup' ? spec.startupProbe : type === 'readiness' ? spec.readinessProbe : spec.livenessProbe;
      if (!probe) return undefined;
      const w = new ProbeWorker(this.d.kernel, type, probe, start, t.behavior?.[type], probeFailureOutput(probe, podIP), {
        failed: (_type, message) => this.event(rec, 'Warning', 'Unhealthy', message),
        changed: (type, result) => this.probeChanged(rec, t, c, type, result),
      });
      t.probes.push(w);
      return w;
    };
    const startup = make('startup');
    const readiness = make('readiness');
    const liveness = make('liveness');
    const now = this.d.kernel.now;
    if (settled) {
      // Running since the scenario began: its probes have long answered what its behavior says now.
      const since = now - start;
      t.started = !startup || outcomeAt(t.behavior?.startup, since) === 'success';
      if (startup) startup.result = t.started ? 'success' : 'unknown';
      const ready = outcomeAt(t.behavior?.readiness, since) === 'success';
      if (readiness) readiness.result = ready ? 'success' : 'failure';
      t.ready = t.started && (!readiness || ready);
    } else {
      t.started = !startup;
      t.ready = t.started && !readiness;
    }
    if (startup && !t.started) startup.begin(start);
    if (t.started) {
      readiness?.begin(settled ? now : start);
      liveness?.begin(settled ? now : start);
    }
  }

  private stopProbes(t: ContainerTrack): void {
    for (const w of t.probes) w.stop();
    t.probes = [];
  }

  private probeChanged(rec: PodRecord, t: ContainerTrack, c: RuntimeContainer, type: ProbeType, result: 'success' | 'failure'): void {
    if (t.currentId !== c.id || c.state !== 'running' || rec.terminating) return;
    if (type === 'readiness') {
      t.ready = result === 'success';
      return this.d.statusChanged(rec);
    }
    if (type === 'startup' && result === 'success') {
      t.started = true;
      if (!t.spec.readinessProbe) t.ready = true;
      for (const w of t.probes) if (w.type !== 'startup') w.begin(this.d.kernel.now);
      this.d.statusChanged(rec);
      // A sidecar that has started lets the next init container go.
      if (t.kind === 'sidecar') this.sync(rec);
      return;
    }
    if (result === 'failure') this.killForProbe(rec, t, c, type);
  }

  /** computePodActions' kill of a container that failed its liveness or startup probe. */
  private killForProbe(rec: PodRecord, t: ContainerTrack, c: RuntimeContainer, type: ProbeType): void {
    const restart = t.kind === 'sidecar' || (rec.pod.spec?.restartPolicy ?? 'Always') !== 'Never';
    this.event(rec, 'Normal', 'Killing', `Container ${t.spec.name} failed ${type} probe, will ${restart ? '' : 'not '}be restarted`);
    t.killedByProbe = true;
    t.ready = false;
    this.stopProbes(t);
    const probe = type === 'liveness' ? t.spec.livenessProbe : t.spec.startupProbe;
    const grace = (probe?.terminationGracePeriodSeconds ?? rec.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
    this.d.runtime.stop(c, Math.max(MIN_GRACE_MS, grace), t.behavior?.stopAfter);
    this.d.statusChanged(rec);
  }

  /** A container's image changed in the spec (the one pod field that may change): restart it with the new one. */
  private specChanged(rec: PodRecord): void {
    const specs = [...(rec.pod.spec?.initContainers ?? []), ...(rec.pod.spec?.containers ?? [])];
    for (const spec of specs) {
      const t = rec.tracks.get(spec.name);
      if (!t) continue;
      const changed = t.spec.image !== spec.image;
      t.spec = spec;
      const c = current(this.d.runtime, t);
      if (!changed || !c || c.state !== 'running' || t.kind === 'init') continue;
      this.event(rec, 'Normal', 'Killing', `Container ${spec.name} definition changed, will be restarted`);
      this.stopProbes(t);
      t.ready = false;
      this.d.runtime.stop(c, Math.max(MIN_GRACE_MS, (rec.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000), t.behavior?.stopAfter);
    }
    this.d.statusChanged(rec);
  }

  // ---- the end of a pod ----------------------------------------------------

  /**
   * The eviction manager's killPodFunc: the pod is Failed (reason Evicted)
   * at once, and its containers are stopped with the eviction's grace
   * period. False when the kubelet is not running the pod.
   */
  evict(uid: string, message: string, graceSeconds: number): boolean {
    const rec = this.records.get(uid);
    if (!rec || rec.terminated || rec.rejected || rec.terminating || rec.gone) return false;
    rec.evicted = { message, at: this.d.kernel.now };
    this.terminate(rec, graceSeconds);
    return true;
  }

  /** Deleted (or gone, or evicted): stop every container within the grace period, then report the pod terminal. */
  terminate(rec: PodRecord, graceOverrideSeconds?: number): void {
    const pod = rec.pod;
    const grace = graceOverrideSeconds ?? pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    const graceMs = Math.max(MIN_GRACE_MS, grace * 1000);
    if (rec.terminated) return void this.d.statusChanged(rec);
    if (rec.terminating && rec.terminating.graceMs <= graceMs) return;
    const first = !rec.terminating;
    rec.terminating = { since: this.d.kernel.now, graceMs };
    if (rec.busy?.kind === 'pull') rec.busy.cancel();
    if (rec.busy?.kind === 'sandbox') this.d.kernel.cancel(rec.busy.timer);
    if (rec.resyncTimer) this.d.kernel.cancel(rec.resyncTimer);
    rec.busy = rec.resyncTimer = undefined;
    rec.pass = undefined;
    for (const t of rec.tracks.values()) {
      this.stopProbes(t);
      // Nothing will be started again: the last instance's end is what the status shows.
      t.waiting = undefined;
      const c = current(this.d.runtime, t);
      if (!c || c.state !== 'running') continue;
      if (first) this.event(rec, 'Normal', 'Killing', `Stopping container ${t.spec.name}`);
      this.d.runtime.stop(c, graceMs, t.behavior?.stopAfter);
    }
    this.d.statusChanged(rec);
    this.maybeFinishTermination(rec);
  }

  private maybeFinishTermination(rec: PodRecord): void {
    for (const t of rec.tracks.values()) if (current(this.d.runtime, t)?.state === 'running') return;
    rec.terminated = true;
    this.d.runtime.stopSandbox(rec.uid);
    this.d.admitted.remove(rec.uid);
    if (rec.gone) return this.forget(rec);
    this.d.statusChanged(rec);
  }

  /** The pod is done under its restart policy (Succeeded or Failed): stop its sidecars and its sandbox. */
  private finishByPolicy(rec: PodRecord): void {
    rec.pass = undefined;
    const graceMs = Math.max(MIN_GRACE_MS, (rec.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
    for (const t of rec.tracks.values()) {
      const c = current(this.d.runtime, t);
      if (c?.state !== 'running') continue;
      this.stopProbes(t);
      this.event(rec, 'Normal', 'Killing', `Stopping container ${t.spec.name}`);
      this.d.runtime.stop(c, graceMs, t.behavior?.stopAfter);
    }
    rec.terminating = { since: this.d.kernel.now, graceMs };
    this.maybeFinishTermination(rec);
  }
}

function shouldRestart(policy: string, exitCode: number): boolean {
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return exitCode !== 0;
  return false;
}
