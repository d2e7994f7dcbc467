// The pod status the kubelet reports, as pure functions of what it knows:
// generateAPIPodStatus and convertToAPIContainerStatuses
// (pkg/kubelet/kubelet_pods.go), getPhase, the conditions of
// pkg/kubelet/status/generate.go, and the status manager's lastTransitionTime
// bookkeeping and mergePodStatus (pkg/kubelet/status/status_manager.go).
import type { ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import { timestamp } from '../kernel/time';
import type { RuntimeContainer } from './container-runtime';

/** timestamp(ms), remembered per second: statuses of thousands of pods name the same few instants. */
const stamps = new Map<number, string>();
export function stamp(ms: number): string {
  const sec = Math.floor(ms / 1000);
  let s = stamps.get(sec);
  if (s === undefined) {
    if (stamps.size > 4096) stamps.clear();
    stamps.set(sec, (s = timestamp(ms)));
  }
  return s;
}

/** Shared pieces of many statuses: objects in the store are never mutated, so pods may share them. */
const NO_STATE: ContainerState = Object.freeze({}) as ContainerState;
const runningStates = new Map<string, ContainerState>();
const ipLists = new Map<string, Array<{ ip: string }>>();

function runningState(startedAt: string): ContainerState {
  let s = runningStates.get(startedAt);
  if (!s) {
    if (runningStates.size > 4096) runningStates.clear();
    runningStates.set(startedAt, (s = { running: { startedAt } }));
  }
  return s;
}

/** Host IPs repeat across a node's pods: shared. A pod's own IP is kept from its last status (150,000 distinct ones would only churn a cache). */
function ipList(ip: string): Array<{ ip: string }> {
  let l = ipLists.get(ip);
  if (!l) {
    if (ipLists.size > 65_536) ipLists.clear();
    ipLists.set(ip, (l = [{ ip }]));
  }
  return l;
}

/** Conditions the kubelet owns (kubetypes.PodConditionsByKubelet); others (DisruptionTarget, ...) are kept as the server has them. */
const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

export const CONTAINER_CREATING = 'ContainerCreating';
export const POD_INITIALIZING = 'PodInitializing';

/** What the kubelet knows of one container of the spec. */
export interface ContainerView {
  name: string;
  /** The image the spec names (reported while no instance exists). */
  specImage: string;
  /** Its latest instance in the runtime, if it was ever created. */
  current?: RuntimeContainer;
  /** The instance before it, for lastState. */
  previous?: RuntimeContainer;
  /** Why it is waiting (ErrImagePull, ImagePullBackOff, CrashLoopBackOff, ...), from the last sync. */
  waiting?: { reason: string; message?: string };
  ready: boolean;
  started: boolean;
  /** An init container that runs to completion (not a sidecar): ready once it has exited with 0. */
  runToCompletion?: boolean;
}

export interface PodFacts {
  pod: Pod;
  initContainers: ContainerView[];
  containers: ContainerView[];
  /** The sandbox is up with its network (PodReadyToStartContainers). */
  sandboxReady: boolean;
  podIP?: string;
  hostIP?: string;
  startTime?: number;
  /** The pod will not run again (deleted and stopped, or done under its restart policy). */
  terminal: boolean;
  now: number;
}

function terminatedState(c: RuntimeContainer): ContainerState {
  return {
    terminated: {
      exitCode: c.exitCode ?? 0,
      reason: c.reason,
      startedAt: stamp(c.startedAt ?? c.createdAt),
      finishedAt: stamp(c.finishedAt ?? c.createdAt),
      containerID: `containerd://${c.id}`,
    },
  };
}

/** convertToAPIContainerStatuses for one container. */
export function containerStatus(v: ContainerView, defaultReason: string): ContainerStatus {
  const cur = v.current;
  if (!cur) {
    return {
      name: v.name,
      state: { waiting: v.waiting ?? { reason: defaultReason } },
      lastState: NO_STATE,
      ready: false,
      restartCount: 0,
      image: v.specImage,
      imageID: '',
      started: false,
    };
  }
  let state: ContainerState;
  let lastState: ContainerState = v.previous?.state === 'exited' ? terminatedState(v.previous) : NO_STATE;
  if (cur.state === 'running') state = runningState(stamp(cur.startedAt!));
  else if (cur.state === 'exited' && v.waiting) {
    // Waiting to be started again: the exited instance is the last state.
    state = { waiting: v.waiting };
    lastState = terminatedState(cur);
  } else if (cur.state === 'exited') state = terminatedState(cur);
  else state = { waiting: { reason: defaultReason } };
  // prober_manager.UpdatePodStatus: an init container is ready once it succeeded, and started while it runs.
  const done = cur.state === 'exited' && cur.exitCode === 0 && !v.waiting;
  return {
    name: v.name,
    state,
    lastState,
    ready: v.runToCompletion ? done : v.ready && cur.state === 'running',
    restartCount: cur.attempt,
    image: cur.image.repoTags[0] ?? cur.image.ref,
    imageID: cur.image.repoDigest,
    containerID: `containerd://${cur.id}`,
    started: v.runToCompletion ? cur.state === 'running' : v.started && cur.state === 'running',
  };
}

/** getPhase (kubelet_pods.go). */
export function podPhase(pod: Pod, inits: ContainerStatus[], regular: ContainerStatus[], terminal: boolean): NonNullable<PodStatus['phase']> {
  const spec = pod.spec!;
  let pendingInit = 0;
  let pendingSidecars = 0;
  let failedInit = 0;
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  const byName = (list: ContainerStatus[], name: string) => list.find((s) => s.name === name);
  for (const c of spec.initContainers ?? []) {
    const s = byName(inits, c.name);
    if (c.restartPolicy === 'Always') {
      if (!s) unknown++;
      else if (s.state?.running) {
        if (!s.started) pendingSidecars++;
        running++;
      } else if (s.state?.waiting && !s.lastState?.terminated) {
        pendingSidecars++;
        waiting++;
      }
      continue;
    }
    if (!s || s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  for (const c of spec.containers) {
    const s = byName(regular, c.name);
    if (!s) unknown++;
    else if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && spec.restartPolicy === 'Never') return 'Failed';
  const anyRegularStarted = regular.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
  if (pendingInit > 0 || (pendingSidecars > 0 && !anyRegularStarted) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (spec.restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** Go prints a []string as [a b]. */
const goList = (names: string[]) => `[${names.join(' ')}]`;

type Cond = Omit<PodCondition, 'lastTransitionTime' | 'lastProbeTime'>;

function containersReady(pod: Pod, inits: ContainerStatus[], regular: ContainerStatus[], phase: string): Cond {
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of pod.spec!.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    const s = inits.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  for (const c of pod.spec!.containers) {
    const s = regular.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${goList(unready)}`);
  if (msgs.length) return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: msgs.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

function podReady(pod: Pod, conditions: PodCondition[] | undefined, cr: Cond): Cond {
  if (cr.status !== 'True') return { type: 'Ready', status: cr.status, reason: cr.reason, message: cr.message };
  const unready: string[] = [];
  for (const g of pod.spec!.readinessGates ?? []) {
    const c = conditions?.find((x) => x.type === g.conditionType);
    if (!c) unready.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') unready.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (unready.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: unready.join(', ') };
  return { type: 'Ready', status: 'True' };
}

function initialized(pod: Pod, inits: ContainerStatus[], regular: ContainerStatus[], phase: string): Cond {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of pod.spec!.initContainers ?? []) {
    const s = inits.find((x) => x.name === c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    const done = c.restartPolicy === 'Always' ? s.started === true : s.ready;
    if (!done) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  if (regular.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated)) return { type: 'Initialized', status: 'True' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (msgs.length) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: msgs.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

/**
 * Conditions with the same content are shared between pods: the objects in
 * the store are immutable, and a node of 30 identical running pods then
 * holds one conditions list, not 30.
 */
const interned = new Map<string, PodCondition[]>();

function intern(list: PodCondition[], old: PodCondition[] | undefined): PodCondition[] {
  // Most statuses are worked out again unchanged: the list the pod has is the one to share.
  if (old && sameConditions(list, old)) return old;
  let key = '';
  for (const c of list) key += `${c.type}|${c.status}|${c.reason ?? ''}|${c.message ?? ''}|${c.lastTransitionTime ?? ''};`;
  const hit = interned.get(key);
  if (hit) return hit;
  if (interned.size > 10_000) interned.clear();
  interned.set(key, list);
  return list;
}

function sameConditions(a: readonly PodCondition[], b: readonly PodCondition[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.type !== y.type || x.status !== y.status || x.reason !== y.reason || x.message !== y.message || x.lastTransitionTime !== y.lastTransitionTime || x.lastProbeTime !== y.lastProbeTime) return false;
  }
  return true;
}

/** The status the kubelet wants the pod to have, merged onto what the server holds. */
export function generatePodStatus(f: PodFacts): PodStatus {
  const pod = f.pod;
  const old = pod.status ?? {};
  const defaultReason = (pod.spec?.initContainers?.length ?? 0) > 0 ? POD_INITIALIZING : CONTAINER_CREATING;
  let inits = f.initContainers.map((v) => containerStatus(v, defaultReason));
  let regular = f.containers.map((v) => containerStatus(v, defaultReason));
  if (f.terminal) {
    inits = inits.map(terminatedUnknown);
    regular = regular.map(terminatedUnknown);
  }
  let phase = podPhase(pod, inits, regular, f.terminal);
  // TerminatePod: a pod that is done is Succeeded or Failed, never left Pending or Running.
  if (f.terminal && (phase === 'Pending' || phase === 'Running')) phase = 'Failed';
  // A terminal phase on the server is final (generateAPIPodStatus refuses the illegal transition): an evicted pod stays Failed.
  if ((old.phase === 'Failed' || old.phase === 'Succeeded') && phase !== old.phase) phase = old.phase;
  const cr = containersReady(pod, inits, regular, phase);
  const generated: Cond[] = [
    { type: 'PodReadyToStartContainers', status: f.sandboxReady ? 'True' : 'False' },
    initialized(pod, inits, regular, phase),
    podReady(pod, old.conditions, cr),
    cr,
    { type: 'PodScheduled', status: 'True' },
  ];
  const oldConds = old.conditions ?? [];
  const conditions: PodCondition[] = oldConds.filter((c) => !KUBELET_CONDITIONS.has(c.type));
  for (const c of generated) conditions.push(withTransition(c, oldConds, f.now));
  const status: PodStatus = {
    phase,
    conditions: intern(conditions, old.conditions),
    ...(f.hostIP ? { hostIP: f.hostIP, hostIPs: ipList(f.hostIP) } : {}),
    ...(f.podIP ? { podIP: f.podIP, podIPs: old.podIPs?.length === 1 && old.podIPs[0].ip === f.podIP ? old.podIPs : f.podIP === f.hostIP ? ipList(f.podIP) : [{ ip: f.podIP }] } : {}),
    ...(f.startTime !== undefined ? { startTime: stamp(f.startTime) } : {}),
    ...(inits.length ? { initContainerStatuses: inits } : {}),
    containerStatuses: regular,
    qosClass: old.qosClass,
  };
  if (old.nominatedNodeName) status.nominatedNodeName = old.nominatedNodeName;
  return status;
}

/** TerminatePod: a container of a finished pod that never ran, or whose end is unknown, reports 137. */
function terminatedUnknown(s: ContainerStatus): ContainerStatus {
  if (s.state?.terminated) return s;
  return {
    ...s,
    state: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } },
    ready: false,
    started: false,
  };
}

/** updateLastTransitionTime: a condition keeps its old transition time while its status is unchanged. */
function withTransition(c: Cond, old: PodCondition[], now: number): PodCondition {
  const prev = old.find((o) => o.type === c.type);
  const lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : stamp(now);
  const out: PodCondition = { type: c.type, status: c.status, lastProbeTime: null as unknown as string, lastTransitionTime };
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

/** rejectPod: the status of a pod the kubelet refused to run. */
export function rejectedPodStatus(pod: Pod, reason: string, message: string): PodStatus {
  const old = pod.status ?? {};
  const kept = (old.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type));
  return {
    phase: 'Failed',
    reason,
    message: `Pod was rejected: ${message}`,
    ...(kept.length ? { conditions: kept } : {}),
    qosClass: old.qosClass,
  };
}

/**
 * The eviction manager's status function (evictPod): Failed, reason Evicted,
 * and the DisruptionTarget condition (TerminationByKubelet) from the instant
 * of the eviction, while the containers stop and after.
 */
export function evictedPodStatus(status: PodStatus, message: string, at: number): PodStatus {
  const conditions = (status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
  const prev = status.conditions?.find((c) => c.type === 'DisruptionTarget' && c.status === 'True');
  conditions.push({
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null as unknown as string,
    lastTransitionTime: prev?.lastTransitionTime ?? stamp(at),
    reason: 'TerminationByKubelet',
    message,
  });
  return { ...status, phase: 'Failed', reason: 'Evicted', message, conditions };
}
