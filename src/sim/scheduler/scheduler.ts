// kube-scheduler: watches unscheduled pods and nodes through the apiserver,
// keeps its cache and queue, runs one cycle at a time through the profile's
// plugins, and binds through pods/binding. Everything it learns comes from
// watches; everything it does is an apiserver request.
import type { Actor } from 'xstate';
import type { KubeObject, Node, Pod, ReplicaSet, Service } from '../api/types';
import type { ApiClient, ApiServer } from '../apiserver/apiserver';
import { EventRecorder, type EventType } from '../client/event-recorder';
import { Informer } from '../client/informer';
import { startActor } from '../kernel/actors';
import type { Kernel, Timer } from '../kernel/kernel';
import { timestamp } from '../kernel/time';
import { SchedulerCache } from './cache';
import { explanationAnnotations } from './explanations';
import { Framework } from './framework/framework';
import { newPodInfo } from './framework/resources';
import { isSuccess } from './framework/status';
import { CycleState, type PodInfo, type Snapshot } from './framework/types';
import { PLUGIN_REGISTRY } from './plugins';
import { preEnqueue } from './plugins/scheduling-gates';
import type { ExtensionPoint, Profile } from './profile';
import { SchedulingQueue, type QueuedPodInfo } from './queue';
import { fitErrorMessage, scheduleOne, type CycleResult } from './schedule-one';
import { schedulerMachine } from './scheduler-machine';

export interface SchedulerSettings {
  profile: Profile;
  /** Explain (annotate) at most this many nodes per cycle; 0 writes no explanation annotations. */
  explainNodes: number;
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
  readonly name = 'kube-scheduler';
  readonly actor: Actor<typeof schedulerMachine>;
  private readonly client: ApiClient;
  private cache!: SchedulerCache;
  private queue!: SchedulingQueue;
  private framework!: Framework;
  private informers: Informer[] = [];
  private namespaces?: Informer;
  private services?: Informer;
  private replicaSets?: Informer;
  /** The snapshot of the cycle in progress: plugins asking the handle for it get this one. */
  private cycleSnapshot?: Snapshot;
  private cycleTimer?: Timer;
  private flushTimer?: Timer;
  private nextStartNodeIndex = 0;
  /** pods nominated to a node by preemption, by node. */
  private nominated = new Map<string, Map<string, PodInfo>>();
  private readonly recorder: EventRecorder;
  /** The extension point the current cycle is in. */
  point: SchedulerPoint = 'idle';
  /** The pod being scheduled now, if any. */
  current?: string;
  lastCycle?: CycleRecord;
  cycles = 0;

  constructor(
    private readonly kernel: Kernel,
    apiserver: ApiServer,
    readonly settings: SchedulerSettings,
  ) {
    this.client = apiserver.client('kube-scheduler');
    this.recorder = new EventRecorder(kernel, this.client, { component: 'default-scheduler' });
    this.actor = startActor(kernel, schedulerMachine, { systemId: 'kube-scheduler', input: undefined });
    this.boot();
  }

  get running(): boolean {
    return this.actor.getSnapshot().value === 'running';
  }

  stop(): void {
    if (!this.running) return;
    this.actor.send({ type: 'component.stop' });
    // The process is gone: its cache, queue and watches with it.
    for (const i of this.informers) i.stop();
    for (const i of [this.namespaces, this.services, this.replicaSets]) i?.stop();
    this.kernel.cancel(this.cycleTimer);
    this.kernel.cancel(this.flushTimer);
    this.cycleTimer = this.flushTimer = undefined;
    this.point = 'idle';
    this.current = undefined;
  }

  start(): void {
    if (this.running) return;
    this.actor.send({ type: 'component.start' });
    this.boot();
  }

  /** The queues as they stand, for explanations. */
  pending() {
    return this.queue.pending();
  }

  /** How many pods wait in the queues (without listing them). */
  pendingCount(): number {
    return this.queue.size;
  }

  private boot(): void {
    this.cache = new SchedulerCache();
    this.queue = new SchedulingQueue(() => this.kernel.now);
    this.nominated.clear();
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
    });
    const k = this.kernel;
    // Listers PodTopologySpread's default constraints and InterPodAffinity's namespaceSelector read.
    this.namespaces = new Informer(k, this.client, 'Namespace', {}, {});
    this.services = new Informer(k, this.client, 'Service', {}, {});
    this.replicaSets = new Informer(k, this.client, 'ReplicaSet', {}, {});
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
      new Informer(k, this.client, 'Pod', { fieldSelector: 'spec.nodeName=' }, {
        add: (p) => this.pendingPod(p as Pod),
        update: (p) => this.pendingPod(p as Pod),
        delete: (p) => this.pendingPodGone(p as Pod),
      }),
    ];
    for (const i of [this.namespaces, this.services, this.replicaSets]) i.start();
    for (const i of this.informers) i.start();
    this.scheduleFlush();
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
    if (!this.running || this.cycleTimer || this.queue.activeCount === 0) return;
    this.cycleTimer = this.kernel.after(0, 'scheduler.cycle', () => {
      this.cycleTimer = undefined;
      this.scheduleNext();
      this.kick();
    });
  }

  private scheduleFlush(): void {
    this.flushTimer = this.kernel.after(FLUSH_INTERVAL, 'scheduler.flush', () => {
      this.queue.flush();
      this.kick();
      this.scheduleFlush();
    });
  }

  /** One scheduling cycle and, when a node is found, the binding cycle. */
  private scheduleNext(): void {
    const info = this.queue.pop();
    if (!info) return;
    const pod = info.pod;
    if (this.cache.isAssumed(pod)) return;
    this.current = key(pod);
    const podCycle = this.queue.schedulingCycle;
    const state = new CycleState();
    this.cycleSnapshot = this.cache.snapshot();
    const ctx = {
      framework: this.framework,
      snapshot: this.cycleSnapshot,
      state,
      nextStartNodeIndex: this.nextStartNodeIndex,
      randomInt: (n: number) => this.kernel.rng.int(n),
      explainNodes: this.settings.explainNodes,
    };
    const run = scheduleOne(ctx, pod);
    let step = run.next();
    while (!step.done) {
      this.point = step.value;
      step = run.next();
    }
    this.nextStartNodeIndex = ctx.nextStartNodeIndex;
    const result = step.value;
    this.cycles++;
    if (result.node) this.bindingCycle(info, state, result, podCycle);
    else this.failed(info, result, podCycle);
    this.point = 'idle';
    this.current = undefined;
    this.cycleSnapshot = undefined;
  }

  private bindingCycle(info: QueuedPodInfo, state: CycleState, result: CycleResult, podCycle: number): void {
    const pod = info.pod;
    const node = result.node!;
    const fw = this.framework;
    this.cache.assume(newPodInfo(pod), node);
    this.point = 'reserve';
    let s = fw.runReserve(state, pod, node);
    if (isSuccess(s)) {
      this.point = 'permit';
      s = fw.runPermit(state, pod, node);
    }
    if (isSuccess(s)) {
      this.point = 'preBind';
      s = fw.runPreBind(state, pod, node);
    }
    if (!isSuccess(s)) {
      fw.runUnreserve(state, pod, node);
      this.cache.forget(pod);
      return this.failed(info, { ...result, node: undefined, error: s.reasons.join(', ') }, podCycle);
    }
    this.point = 'bind';
    const annotations = this.settings.explainNodes > 0 ? (explanationAnnotations(result, this.settings.explainNodes) as Record<string, string>) : undefined;
    const bound = this.client.bind(pod.metadata!.namespace!, pod.metadata!.name!, node, annotations);
    if (!bound.ok) {
      fw.runUnreserve(state, pod, node);
      this.cache.forget(pod);
      return this.failed(info, { ...result, node: undefined, error: `binding rejected: ${bound.status.message}` }, podCycle);
    }
    this.point = 'postBind';
    fw.runPostBind(state, pod, node);
    this.lastCycle = { pod: key(pod), at: this.kernel.now, node, evaluatedNodes: result.evaluatedNodes, feasibleNodes: result.feasibleNodes };
    this.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${key(pod)} to ${node}`);
  }

  /** Upstream's FailureHandler: back to the queue, the reason on the pod, a FailedScheduling event; preemption's plan carried out. */
  private failed(info: QueuedPodInfo, result: CycleResult, podCycle: number): void {
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
