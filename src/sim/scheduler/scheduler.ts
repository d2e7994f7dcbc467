// kube-scheduler: watches unscheduled pods and nodes through the apiserver,
// keeps its cache and queue, runs one cycle at a time through the profile's
// plugins, and binds through pods/binding. Everything it learns comes from
// watches; everything it does is an apiserver request.
//
// A cycle is walked one extension point per kernel event, all at the same
// instant (zero delay), so a stepping UI can pause between PreFilter and
// Filter or between Reserve and Bind. The scheduling part (PreFilter ..
// NormalizeScore) is computed in the cycle's first event against the
// cycle's snapshot, as upstream runs it in one go; the events after it only
// move `point` through the points it visited. The binding part does its
// work in its own events: Reserve (assume), Permit, PreBind, Bind (the
// pods/binding request and the Scheduled event), PostBind. No other cycle
// starts until one has finished, as upstream's scheduleOne loop.
//
// Leader election (--leader-elect, on by default; cmd/kube-scheduler/app/server.go):
// the process starts its informers, then campaigns for the Lease
// kube-system/kube-scheduler, and schedules only while it leads. A standby
// keeps its cache and queue warm, as upstream's does (DelayCacheUntilActive
// is off by default). It gives the Lease up when stopped (ReleaseOnCancel),
// and when it cannot renew it the process exits and starts again as a new
// candidate, as the kubelet restarts it.
import type { Actor } from 'xstate';
import type { KubeObject, Node, PersistentVolume, PersistentVolumeClaim, Pod, ReplicaSet, Service, StorageClass } from '../api/types';
import type { ApiClient, ApiServer } from '../apiserver/apiserver';
import { EventRecorder, type EventType } from '../client/event-recorder';
import { Informer } from '../client/informer';
import { LeaderElector } from '../client/leader-election';
import { startActor } from '../kernel/actors';
import type { Kernel, Timer } from '../kernel/kernel';
import { timestamp } from '../kernel/time';
import { SchedulerCache } from './cache';
import { explanationAnnotations } from './explanations';
import { Framework } from './framework/framework';
import { newPodInfo } from './framework/resources';
import { isSuccess, type Status } from './framework/status';
import { CycleState, type PodInfo, type Snapshot, type VolumeListers } from './framework/types';
import { PLUGIN_REGISTRY } from './plugins';
import { preEnqueue } from './plugins/scheduling-gates';
import { BIND_POLL_MS } from './plugins/volume-binding';
import type { ExtensionPoint, Profile } from './profile';
import { SchedulingQueue, type QueuedPodInfo } from './queue';
import { fitErrorMessage, scheduleOne, type CycleResult } from './schedule-one';
import { schedulerMachine } from './scheduler-machine';

export interface SchedulerSettings {
  profile: Profile;
  /** Explain (annotate) at most this many nodes per cycle; 0 writes no explanation annotations. */
  explainNodes: number;
  /** The process's name (its client, trace and statechart): "kube-scheduler", or "kube-scheduler-2" in an HA control plane. */
  name?: string;
  /** The control-plane machine it runs on: its leader-election identity is "<host>_<uuid>". */
  host?: string;
}

export type SchedulerPoint = ExtensionPoint | 'idle' | 'binding';

/** What the scheduler last did, for the UI: the pod, the outcome and the message. */
export interface CycleRecord {
  pod: string;
  at: number;
  node?: string;
  message?: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

/** The cycle being walked, for a stepping UI: the pod, the points it visits and what the scheduling part found. */
export interface LiveCycle {
  /** "namespace/name". */
  pod: string;
  uid: string;
  /** Which cycle of the scheduler (Scheduler.cycles when it started). */
  seq: number;
  startedAt: number;
  /** The pod's scheduling attempts, this one included. */
  attempt: number;
  /** The points this cycle visits, in order; binding points are added as they are reached. */
  points: SchedulerPoint[];
  /** Where the node walk started (upstream nextStartNodeIndex), for the examined-node sample. */
  startIndex: number;
  result: CycleResult;
  /** Score plugins that said Skip at PreScore; Filter plugins that said Skip at PreFilter (only when explaining). */
  skippedScore: readonly string[];
  skippedFilter: readonly string[];
}

/** A finished cycle as the scheduler keeps it for explanations (explainNodes > 0 only). */
export interface CycleLogEntry {
  pod: string;
  uid: string;
  seq: number;
  at: number;
  attempt: number;
  points: SchedulerPoint[];
  node?: string;
  /** The failure message (FitError or the binding error). */
  message?: string;
  numAllNodes: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  startIndex: number;
  filterResult: Record<string, Record<string, string>>;
  /** Raw and weighted scores, node -> plugin -> value (as the annotations). */
  scores?: { raw: Record<string, Record<string, number>>; final: Record<string, Record<string, number>> };
  skippedScore: readonly string[];
  skippedFilter: readonly string[];
}

/** How many finished cycles the scheduler keeps for explanations. */
export const CYCLE_LOG_LIMIT = 256;

/** The walked cycle's own state: what its next event does. */
interface CycleRun {
  live: LiveCycle;
  info: QueuedPodInfo;
  state: CycleState;
  podCycle: number;
  next: 'point' | 'reserve' | 'permit' | 'preBind' | 'bind' | 'postBind' | 'end';
  /** How many of the scheduling part's points have been shown. */
  shown: number;
}

const NO_NAMES: readonly string[] = [];

const FLUSH_INTERVAL = 1000;

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a![k] === b?.[k]);
}
const NONE: PodInfo[] = [];
const key = (p: Pod | KubeObject) => `${p.metadata?.namespace}/${p.metadata?.name}`;

export class Scheduler {
  readonly name: string;
  readonly host: string;
  readonly actor: Actor<typeof schedulerMachine>;
  private readonly client: ApiClient;
  private elector?: LeaderElector;
  private cache!: SchedulerCache;
  private queue!: SchedulingQueue;
  private framework!: Framework;
  private informers: Informer[] = [];
  private namespaces?: Informer;
  private services?: Informer;
  private replicaSets?: Informer;
  /** The volume plugins' listers (PVCs, PVs, StorageClasses) and the pods waiting to be scheduled. */
  private claims?: Informer;
  private volumes?: Informer;
  private storageClasses?: Informer;
  private unscheduled?: Informer;
  /** Binding cycles waiting in PreBind (VolumeBinding waits for the PV controller): their next poll. */
  private readonly preBindWaits = new Set<Timer>();
  /** The snapshot of the cycle in progress: plugins asking the handle for it get this one. */
  private cycleSnapshot?: Snapshot;
  private cycleTimer?: Timer;
  /** The next extension point of the cycle being walked. */
  private pointTimer?: Timer;
  private flushTimer?: Timer;
  private nextStartNodeIndex = 0;
  /** pods nominated to a node by preemption, by node. */
  private nominated = new Map<string, Map<string, PodInfo>>();
  private readonly recorder: EventRecorder;
  /** The extension point the current cycle is in. */
  point: SchedulerPoint = 'idle';
  /** The pod being scheduled now, if any. */
  current?: string;
  /** The cycle being walked, until its last point has run. */
  cycle?: LiveCycle;
  private run?: CycleRun;
  lastCycle?: CycleRecord;
  /** Finished cycles, oldest first, at most CYCLE_LOG_LIMIT (none when explainNodes is 0). */
  readonly cycleLog: CycleLogEntry[] = [];
  cycles = 0;

  constructor(
    private readonly kernel: Kernel,
    apiserver: ApiServer,
    readonly settings: SchedulerSettings,
  ) {
    this.name = settings.name ?? 'kube-scheduler';
    this.host = settings.host ?? 'control-plane';
    this.client = apiserver.client(this.name);
    this.recorder = new EventRecorder(kernel, this.client, { component: 'default-scheduler' });
    this.actor = startActor(kernel, schedulerMachine, { systemId: this.name, input: undefined });
    this.boot();
  }

  get running(): boolean {
    return this.actor.getSnapshot().value === 'running';
  }

  /** Holds the Lease and schedules (a running standby does neither). */
  get leading(): boolean {
    return this.running && this.elector?.leading === true;
  }

  /** This process's leader-election identity. */
  get identity(): string {
    return this.elector?.identity ?? '';
  }

  /** Stops the process: gracefully (it gives its Lease up), or `abrupt` (its machine lost power). */
  stop(opts: { abrupt?: boolean } = {}): void {
    if (!this.running) return;
    this.elector?.stop(opts);
    this.actor.send({ type: 'component.stop' });
    // The process is gone: its cache, queue and watches with it.
    for (const i of this.informers) i.stop();
    for (const i of [this.namespaces, this.services, this.replicaSets, this.claims, this.volumes, this.storageClasses]) i?.stop();
    for (const t of this.preBindWaits) this.kernel.cancel(t);
    this.preBindWaits.clear();
    this.kernel.cancel(this.cycleTimer);
    this.kernel.cancel(this.pointTimer);
    this.kernel.cancel(this.flushTimer);
    this.cycleTimer = this.pointTimer = this.flushTimer = undefined;
    this.endCycle();
  }

  start(): void {
    if (this.running) return;
    this.actor.send({ type: 'component.start' });
    this.boot();
  }

  /** Leadership lost while running: upstream exits and the kubelet starts it again, a new candidate. */
  private restart(): void {
    this.stop({ abrupt: true });
    this.start();
  }

  /** The queues as they stand, for explanations. */
  pending() {
    return this.queue.pending();
  }

  /** How many pods wait in the queues (without listing them). */
  pendingCount(): number {
    return this.queue.size;
  }

  /** When a backing-off pod becomes active again (the queue's backoff: 1 s doubling to 10 s). */
  backoffExpiry(info: QueuedPodInfo): number {
    return this.queue.backoffExpiry(info);
  }

  /** The enabled plugins at one extension point, in the order they run. */
  pluginsAt(point: ExtensionPoint): string[] {
    const fw = this.framework;
    const names = (list: ReadonlyArray<{ name: string }>) => list.map((p) => p.name);
    switch (point) {
      case 'preFilter':
        return names(fw.preFilter);
      case 'filter':
        return names(fw.filter);
      case 'postFilter':
        return names(fw.postFilter);
      case 'preScore':
        return names(fw.preScore);
      case 'score':
      case 'normalizeScore':
        return fw.score.filter((s) => point === 'score' || s.plugin.normalizeScore).map((s) => s.plugin.name);
      case 'reserve':
        return names(fw.reserve);
      case 'permit':
        return names(fw.permit);
      case 'preBind':
        return names(fw.preBind);
      case 'postBind':
        return names(fw.postBind);
      case 'bind':
        return ['DefaultBinder'];
      default:
        return [];
    }
  }

  private boot(): void {
    this.cache = new SchedulerCache();
    this.queue = new SchedulingQueue(() => this.kernel.now);
    this.nominated.clear();
    const listers = this.volumeListers();
    this.framework = new Framework(this.settings.profile, PLUGIN_REGISTRY, {
      snapshot: () => this.cycleSnapshot ?? this.cache.snapshot(),
      randomInt: (n) => this.kernel.rng.int(n),
      nominatedPodsForNode: (node) => {
        const m = this.nominated.get(node);
        return m ? [...m.values()] : NONE;
      },
      nominatedPods: () => [...this.nominated.values()].flatMap((m) => [...m.values()]),
      hasNominatedPods: () => this.nominated.size > 0,
      namespaceLabels: (name) => this.namespaces?.get(name)?.metadata.labels,
      services: (ns) => [...(this.services?.list() ?? [])].filter((s) => s.metadata.namespace === ns) as Service[],
      replicaSet: (ns, name) => this.replicaSets?.get(`${ns}/${name}`) as ReplicaSet | undefined,
      volumeListers: () => listers,
    });
    const k = this.kernel;
    // Listers PodTopologySpread's default constraints and InterPodAffinity's namespaceSelector read.
    this.namespaces = new Informer(k, this.client, 'Namespace', {}, {});
    this.services = new Informer(k, this.client, 'Service', {}, {});
    this.replicaSets = new Informer(k, this.client, 'ReplicaSet', {}, {});
    // VolumeBinding's and VolumeZone's cluster events: a claim, volume or class added or changed may make a pod schedulable.
    const volumeEvents = { add: () => this.volumesChanged(), update: () => this.volumesChanged() };
    this.claims = new Informer(k, this.client, 'PersistentVolumeClaim', {}, volumeEvents);
    this.volumes = new Informer(k, this.client, 'PersistentVolume', {}, volumeEvents);
    this.storageClasses = new Informer(k, this.client, 'StorageClass', {}, volumeEvents);
    this.informers = [
      new Informer(k, this.client, 'Node', {}, {
        add: (n) => this.nodeChanged(n as Node),
        update: (n) => this.nodeChanged(n as Node),
        delete: (n) => this.cache.removeNode(n.metadata.name!),
      }),
      new Informer(k, this.client, 'Pod', { fieldSelector: 'spec.nodeName!=' }, {
        add: (p) => this.assignedPodAdded(p as Pod),
        update: (p, old) => {
          this.cache.addOrUpdatePod(p as Pod);
          // As upstream's queueing hints: a bound pod's status writes help no one; its labels
          // (affinity, spread) or its spec (resources scaled down) may.
          if (p.spec !== old.spec || !sameLabels(p.metadata.labels, old.metadata.labels)) {
            this.queue.moveAllToActiveOrBackoff();
            this.kick();
          }
        },
        delete: (p) => {
          this.cache.removePod(p as Pod);
          this.queue.moveAllToActiveOrBackoff();
          this.kick();
        },
      }),
      (this.unscheduled = new Informer(k, this.client, 'Pod', { fieldSelector: 'spec.nodeName=' }, {
        add: (p) => this.pendingPod(p as Pod),
        update: (p) => this.pendingPod(p as Pod),
        delete: (p) => this.pendingPodGone(p as Pod),
      })),
    ];
    for (const i of [this.namespaces, this.services, this.replicaSets, this.claims, this.volumes, this.storageClasses]) i.start();
    for (const i of this.informers) i.start();
    this.scheduleFlush();
    // A new process, a new identity; the first try is at once.
    this.elector = new LeaderElector(k, this.client, {
      lease: 'kube-scheduler',
      identity: `${this.host}_${k.ids.uid()}`,
      recorder: this.recorder,
      releaseOnCancel: true,
      onStartedLeading: () => this.kick(),
      onStoppedLeading: () => this.restart(),
    });
    this.elector.start();
  }

  private volumeListers(): VolumeListers {
    return {
      claim: (ns, name) => this.claims?.get(`${ns}/${name}`) as PersistentVolumeClaim | undefined,
      volume: (name) => this.volumes?.get(name) as PersistentVolume | undefined,
      volumes: () => ([...(this.volumes?.list() ?? [])] as PersistentVolume[]).sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1)),
      storageClass: (name) => this.storageClasses?.get(name) as StorageClass | undefined,
      pendingPod: (ns, name) => this.unscheduled?.get(`${ns}/${name}`) as Pod | undefined,
      update: (obj) => {
        const r = this.client.update(obj as KubeObject);
        return r.ok ? { ok: true, object: r.object } : { ok: false, message: r.status.message };
      },
    };
  }

  private volumesChanged(): void {
    this.queue.moveAllToActiveOrBackoff();
    this.kick();
  }

  private nodeChanged(node: Node): void {
    this.cache.addOrUpdateNode(node);
    this.queue.moveAllToActiveOrBackoff();
    this.kick();
  }

  private assignedPodAdded(pod: Pod): void {
    this.cache.addOrUpdatePod(pod);
    this.unnominate(pod);
    // A new pod can satisfy someone's pod affinity: those pods get another try.
    if (this.queue.pending().some((q) => q.queue === 'unschedulable' && q.info.pod.spec?.affinity?.podAffinity)) this.queue.moveAllToActiveOrBackoff();
    this.kick();
  }

  private responsible(pod: Pod): boolean {
    const phase = pod.status?.phase;
    return (pod.spec?.schedulerName ?? 'default-scheduler') === this.settings.profile.schedulerName && !pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
  }

  private pendingPod(pod: Pod): void {
    if (!this.responsible(pod)) return this.pendingPodGone(pod);
    this.trackNomination(pod);
    this.queue.add(pod, !isSuccess(preEnqueue(pod)));
    this.kick();
  }

  private pendingPodGone(pod: Pod): void {
    this.queue.delete(pod);
    this.unnominate(pod);
  }

  private trackNomination(pod: Pod): void {
    this.unnominate(pod);
    const node = pod.status?.nominatedNodeName;
    if (!node) return;
    let m = this.nominated.get(node);
    if (!m) this.nominated.set(node, (m = new Map()));
    m.set(pod.metadata!.uid!, newPodInfo(pod));
  }

  private unnominate(pod: Pod): void {
    for (const [node, m] of this.nominated) {
      m.delete(pod.metadata!.uid!);
      if (m.size === 0) this.nominated.delete(node);
    }
  }

  private kick(): void {
    if (!this.leading || this.cycleTimer || this.run || this.queue.activeCount === 0) return;
    this.cycleTimer = this.kernel.after(0, 'scheduler.cycle', this.startCycle);
  }

  private readonly startCycle = () => {
    this.cycleTimer = undefined;
    this.scheduleNext();
    if (!this.run) this.kick();
  };

  /** The walked cycle's next step, as its own event at this instant (one bound function: no allocation per step). */
  private then(): void {
    this.pointTimer = this.kernel.after(0, 'scheduler.point', this.proceed);
  }

  /** The cycle is over (done, failed, waiting in PreBind, or the process stopped): the next one may start. */
  private endCycle(): void {
    this.point = 'idle';
    this.current = undefined;
    this.cycle = undefined;
    this.run = undefined;
    this.cycleSnapshot = undefined;
  }

  /** Keeps a finished cycle for explanations. */
  private log(live: LiveCycle, node: string | undefined, message: string | undefined): void {
    if (this.settings.explainNodes <= 0) return;
    const r = live.result;
    const limit = this.settings.explainNodes;
    let scores: CycleLogEntry['scores'];
    if (r.scores) {
      scores = { raw: {}, final: {} };
      let n = 0;
      for (const [name, plugins] of r.scores.raw) {
        if (n++ >= limit) break;
        scores.raw[name] = plugins;
        scores.final[name] = r.scores.final.get(name) ?? {};
      }
    }
    this.cycleLog.push({
      pod: live.pod,
      uid: live.uid,
      seq: live.seq,
      at: this.kernel.now,
      attempt: live.attempt,
      points: [...live.points],
      ...(node ? { node } : {}),
      ...(message !== undefined ? { message } : {}),
      numAllNodes: r.numAllNodes,
      evaluatedNodes: r.evaluatedNodes,
      feasibleNodes: r.feasibleNodes,
      startIndex: live.startIndex,
      filterResult: r.filterResult,
      ...(scores ? { scores } : {}),
      skippedScore: live.skippedScore,
      skippedFilter: live.skippedFilter,
    });
    if (this.cycleLog.length > CYCLE_LOG_LIMIT) this.cycleLog.splice(0, this.cycleLog.length - CYCLE_LOG_LIMIT);
  }

  private scheduleFlush(): void {
    this.flushTimer = this.kernel.after(FLUSH_INTERVAL, 'scheduler.flush', () => {
      this.queue.flush();
      this.kick();
      this.scheduleFlush();
    });
  }

  /**
   * One scheduling cycle: computed now against the cycle's snapshot, then
   * walked point by point (one event each, `proceed`); then the binding
   * cycle, or the failure handler in the event of the last point.
   */
  private scheduleNext(): void {
    const info = this.queue.pop();
    if (!info) return;
    const pod = info.pod;
    if (this.cache.isAssumed(pod)) return;
    this.current = key(pod);
    const podCycle = this.queue.schedulingCycle;
    const state = new CycleState();
    this.cycleSnapshot = this.cache.snapshot();
    const startIndex = this.nextStartNodeIndex;
    const ctx = {
      framework: this.framework,
      snapshot: this.cycleSnapshot,
      state,
      nextStartNodeIndex: startIndex,
      randomInt: (n: number) => this.kernel.rng.int(n),
      explainNodes: this.settings.explainNodes,
    };
    const gen = scheduleOne(ctx, pod);
    const points: SchedulerPoint[] = [];
    let step = gen.next();
    while (!step.done) {
      points.push(step.value);
      this.point = step.value;
      step = gen.next();
    }
    this.nextStartNodeIndex = ctx.nextStartNodeIndex;
    this.cycles++;
    const live: LiveCycle = {
      pod: key(pod),
      uid: pod.metadata!.uid!,
      seq: this.cycles,
      startedAt: this.kernel.now,
      attempt: info.attempts,
      points,
      startIndex,
      result: step.value,
      // Explanations only: a cycle of the 50,000-pod benchmark need not copy them.
      skippedScore: this.settings.explainNodes > 0 ? [...state.skipScore] : NO_NAMES,
      skippedFilter: this.settings.explainNodes > 0 ? [...state.skipFilter] : NO_NAMES,
    };
    this.cycle = live;
    this.run = { live, info, state, podCycle, next: 'point', shown: 0 };
    this.proceed();
  }

  /**
   * The walked cycle's next step. The scheduling part's points only move
   * `point` (their work is done); in the last one the failure handler runs,
   * or the binding cycle goes on: Reserve, Permit, PreBind, Bind, PostBind,
   * each in its own event, and the end of the cycle in one more.
   */
  private readonly proceed = () => {
    this.pointTimer = undefined;
    const r = this.run;
    if (!r) return;
    const { live, info, state } = r;
    const pod = info.pod;
    const node = live.result.node!;
    const fw = this.framework;
    switch (r.next) {
      case 'point': {
        if (r.shown < live.points.length) this.point = live.points[r.shown++];
        if (r.shown < live.points.length) return this.then();
        if (!live.result.node) {
          this.log(live, undefined, this.failed(info, live.result, r.podCycle));
          r.next = 'end';
        } else r.next = 'reserve';
        return this.then();
      }
      case 'reserve': {
        this.enter(live, 'reserve');
        this.cache.assume(newPodInfo(pod), node);
        const s = fw.runReserve(state, pod, node);
        r.next = 'permit';
        return isSuccess(s) ? this.then() : this.bindingFailed(r, s);
      }
      case 'permit': {
        this.enter(live, 'permit');
        const s = fw.runPermit(state, pod, node);
        r.next = 'preBind';
        return isSuccess(s) ? this.then() : this.bindingFailed(r, s);
      }
      case 'preBind': {
        this.enter(live, 'preBind');
        const s = fw.runPreBind(state, pod, node);
        if (s.code === 'Wait') {
          this.waitInPreBind(r);
          r.next = 'end';
          return this.then();
        }
        r.next = 'bind';
        return isSuccess(s) ? this.then() : this.bindingFailed(r, s);
      }
      case 'bind':
        this.enter(live, 'bind');
        r.next = this.bind(r) ? 'postBind' : 'end';
        return this.then();
      case 'postBind':
        this.enter(live, 'postBind');
        this.postBind(r);
        r.next = 'end';
        return this.then();
      case 'end':
        this.endCycle();
        return this.kick();
    }
  };

  private enter(live: LiveCycle, point: SchedulerPoint): void {
    this.point = point;
    live.points.push(point);
  }

  /**
   * A PreBind plugin waits (VolumeBinding, for the PV controller to bind the
   * pod's claims): ask it again every second, as upstream's binding
   * goroutine polls, while the scheduler goes on with other pods. The pod
   * stays assumed on its node meanwhile; once PreBind is done, Bind and
   * PostBind run in that poll's event.
   */
  private waitInPreBind(r: CycleRun): void {
    const pod = r.info.pod;
    const node = r.live.result.node!;
    const timer = this.kernel.after(BIND_POLL_MS, 'scheduler.prebind', () => {
      this.preBindWaits.delete(timer);
      // Deleted (or no longer ours) while it waited: nothing to bind and nothing to report.
      if (!this.unscheduled?.get(key(pod))) {
        this.framework.runUnreserve(r.state, pod, node);
        this.cache.forget(pod);
        return;
      }
      // Another pod's cycle may be walking: its point is shown again afterwards.
      const point = this.point;
      this.point = 'preBind';
      const s = this.framework.runPreBind(r.state, pod, node);
      if (s.code === 'Wait') {
        this.point = point;
        return this.waitInPreBind(r);
      }
      if (!isSuccess(s)) this.bindingFailed(r, s, true);
      else {
        r.live.points.push('bind');
        if (this.bind(r)) {
          r.live.points.push('postBind');
          this.postBind(r);
        }
      }
      this.point = point;
      this.kick();
    });
    this.preBindWaits.add(timer);
  }

  /** Reserve, Permit or PreBind said no: undo them, and the failure handler. `waited`: after a PreBind wait, outside any walked cycle. */
  private bindingFailed(r: CycleRun, s: Status, waited = false): void {
    const { live, info, state } = r;
    const pod = info.pod;
    const node = live.result.node!;
    this.framework.runUnreserve(state, pod, node);
    this.cache.forget(pod);
    const reasons = s.reasons.join(', ');
    // An internal error names the plugin and its extension point, as upstream wraps it.
    const point = this.point === 'preBind' ? 'PreBind' : this.point === 'reserve' ? 'Reserve' : this.point === 'permit' ? 'Permit' : '';
    const error = s.code === 'Error' && s.plugin && point ? `running ${point} plugin ${JSON.stringify(s.plugin)}: ${reasons}` : reasons;
    this.log(live, undefined, this.failed(info, { ...live.result, node: undefined, error }, r.podCycle));
    if (waited) return;
    r.next = 'end';
    this.then();
  }

  /** pods/binding; on success the Scheduled event, which upstream records before PostBind. False when it was refused. */
  private bind(r: CycleRun): boolean {
    const { live, info, state } = r;
    const pod = info.pod;
    const result = live.result;
    const node = result.node!;
    const annotations = this.settings.explainNodes > 0 ? (explanationAnnotations(result, this.settings.explainNodes) as Record<string, string>) : undefined;
    const bound = this.client.bind(pod.metadata!.namespace!, pod.metadata!.name!, node, annotations);
    if (!bound.ok) {
      this.framework.runUnreserve(state, pod, node);
      this.cache.forget(pod);
      this.log(live, undefined, this.failed(info, { ...result, node: undefined, error: `binding rejected: ${bound.status.message}` }, r.podCycle));
      return false;
    }
    this.lastCycle = { pod: key(pod), at: this.kernel.now, node, evaluatedNodes: result.evaluatedNodes, feasibleNodes: result.feasibleNodes };
    this.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${key(pod)} to ${node}`);
    return true;
  }

  private postBind(r: CycleRun): void {
    this.framework.runPostBind(r.state, r.info.pod, r.live.result.node!);
    this.log(r.live, r.live.result.node, undefined);
  }

  /** Upstream's FailureHandler: back to the queue, the reason on the pod, a FailedScheduling event; preemption's plan carried out. */
  private failed(info: QueuedPodInfo, result: CycleResult, podCycle: number): string {
    const pod = info.pod;
    const message = result.error ?? fitErrorMessage(result);
    for (const p of result.diagnosis.unschedulablePlugins) info.unschedulablePlugins.add(p);
    const plan = result.postFilter;
    for (const victim of plan?.victims ?? []) this.preempt(victim, pod, plan!.nominatedNodeName!);
    for (const other of plan?.clearNomination ?? [])
      this.client.patch('Pod', other.metadata!.namespace, other.metadata!.name!, { status: { nominatedNodeName: null } }, { subresource: 'status' });
    this.queue.addUnschedulable(info, podCycle, result.error !== undefined);
    if (this.settings.explainNodes > 0)
      this.client.patch('Pod', pod.metadata!.namespace, pod.metadata!.name!, { metadata: { annotations: explanationAnnotations(result, this.settings.explainNodes) } });
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      reason: result.error ? 'SchedulerError' : 'Unschedulable',
      message,
      lastProbeTime: null,
      lastTransitionTime: timestamp(this.kernel.now),
    };
    const cur = this.client.get('Pod', pod.metadata!.namespace, pod.metadata!.name!);
    if (cur.ok) {
      const st = (cur.object.status ?? {}) as Pod['status'] & object;
      const prev = st.conditions?.find((c) => c.type === 'PodScheduled');
      const keep = prev && prev.status === 'False' && prev.reason === condition.reason && prev.message === message;
      // A plan with an empty node name clears the pod's nomination (no node can help any more).
      const nominatedNodeName = plan?.nominatedNodeName !== undefined ? plan.nominatedNodeName : st.nominatedNodeName;
      if (!keep || (nominatedNodeName || undefined) !== (st.nominatedNodeName || undefined)) {
        const { nominatedNodeName: _old, ...rest } = st;
        void _old;
        this.client.updateStatus({
          ...cur.object,
          status: {
            ...rest,
            ...(nominatedNodeName ? { nominatedNodeName } : {}),
            conditions: [...(st.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), keep ? prev! : condition],
          },
        });
      }
    }
    this.lastCycle = { pod: key(pod), at: this.kernel.now, message, evaluatedNodes: result.evaluatedNodes, feasibleNodes: result.feasibleNodes };
    this.event(pod, 'Warning', 'FailedScheduling', message);
    return message;
  }

  /**
   * Evicts a preemption victim as upstream does: mark it DisruptionTarget
   * (so later cycles wait for it to terminate instead of preempting again),
   * then delete it with its grace period, and say so in an event.
   */
  private preempt(victim: Pod, preemptor: Pod, node: string): void {
    const m = victim.metadata!;
    const cur = this.client.get('Pod', m.namespace, m.name!);
    if (cur.ok) {
      const st = (cur.object.status ?? {}) as NonNullable<Pod['status']>;
      const target = {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'PreemptionByScheduler',
        message: `${this.settings.profile.schedulerName}: preempting to accommodate a higher priority pod`,
        lastTransitionTime: timestamp(this.kernel.now),
      };
      this.client.updateStatus({ ...cur.object, status: { ...st, conditions: [...(st.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), target] } });
    }
    this.client.delete('Pod', m.namespace, m.name!);
    this.event(victim, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata!.uid} on node ${node}`);
  }

  private event(obj: Pod | KubeObject, type: EventType, reason: string, message: string): void {
    this.recorder.event(obj as KubeObject, type, reason, message);
  }
}
