// What the kubelet keeps per pod while it runs it: the pod as the
// apiserver last showed it, and per container the kubelet's side of things
// (which runtime instance is current, why it waits, what its probes say).
// A pod's lifecycle is this data, advanced by the pod workers; there is no
// actor per pod. The process facts (running, exited, exit code) live in the
// container runtime, which outlives a kubelet restart.
import type { Container, ContainerStatus, Pod } from 'kubernetes-types/core/v1';
import type { Timer } from '../kernel/kernel';
import { INIT_CONTAINER_DEFAULT, type ContainerBehavior, type PodBehavior } from './behavior';
import type { ContainerRuntime, RuntimeContainer } from './container-runtime';
import type { ProbeWorker } from './prober';
import type { ContainerView, PodFacts } from './pod-status';

export type ContainerKind = 'init' | 'sidecar' | 'regular';

export interface ContainerTrack {
  spec: Container;
  kind: ContainerKind;
  behavior?: ContainerBehavior;
  /** Runtime ids of the current instance and the one before it. */
  currentId?: string;
  previousId?: string;
  /** The last sync's reason for not running it (ErrImagePull, CrashLoopBackOff, ...). */
  waiting?: { reason: string; message?: string };
  probes: ProbeWorker[];
  /** Startup probe passed (or there is none). */
  started: boolean;
  /** Readiness probe passed (or there is none, once started). */
  ready: boolean;
  /** A failed liveness/startup probe got the current instance killed: restart it when it is gone. */
  killedByProbe?: boolean;
  /** An init container that must run again (the pod got a new sandbox). */
  rerun?: boolean;
}

/** What the pod worker is waiting for; at most one step is in flight per pod, as with upstream's one goroutine per pod. */
export type Busy = { kind: 'sandbox'; timer: Timer } | { kind: 'pull'; container: string; cancel: () => void };

export interface PodRecord {
  uid: string;
  /** namespace/name */
  key: string;
  /** The newest copy of the pod the kubelet has seen (informer or its own write's answer). */
  pod: Pod;
  behavior: PodBehavior;
  tracks: Map<string, ContainerTrack>;
  startTime?: number;
  rejected?: { reason: string; message: string };
  /** The eviction manager evicted it: Failed, reason Evicted, with this message and since when. */
  evicted?: { message: string; at: number };
  busy?: Busy;
  /** A sync was asked for while busy: run another pass when the step completes. */
  resyncWanted: boolean;
  /** Containers a pass already handled: a pass tries each container once. */
  pass?: Set<string>;
  /** When the current pass wants the pod synced again (a backoff's end, an error requeue); Infinity: never. */
  retryAt: number;
  resyncTimer?: Timer;
  /** Pull errors of this pod's images, shown during ImagePullBackOff (prevPullErrMsg); made when first needed. */
  pullErrors?: Map<string, string>;
  /** Deletion or a terminal phase: containers are being stopped. */
  terminating?: { since: number; graceMs: number };
  /** Every container has stopped and the pod will not run again here. */
  terminated: boolean;
  /** The pod is gone from the apiserver (deleted with grace 0, or by the kubelet after termination). */
  gone: boolean;
  /** The kubelet asked the apiserver to delete the pod (after its final status). */
  deleteSent: boolean;
  /** SandboxChanged already reported for this sandbox. */
  sandboxChangedFor?: string;
  /** The volume manager has every volume of the pod set up (pods without claims need nothing). */
  volumesReady: boolean;
}

export function kindOf(c: Container, init: boolean): ContainerKind {
  if (!init) return 'regular';
  return c.restartPolicy === 'Always' ? 'sidecar' : 'init';
}

export function newRecord(pod: Pod, behavior: PodBehavior): PodRecord {
  const tracks = new Map<string, ContainerTrack>();
  const add = (list: Container[] | undefined, init: boolean) => {
    for (const c of list ?? []) {
      const kind = kindOf(c, init);
      const own = behavior.containers.get(c.name);
      tracks.set(c.name, { spec: c, kind, behavior: own ?? (kind === 'init' ? INIT_CONTAINER_DEFAULT : undefined), probes: [], started: false, ready: false });
    }
  };
  add(pod.spec?.initContainers, true);
  add(pod.spec?.containers, false);
  return {
    uid: pod.metadata!.uid!,
    key: `${pod.metadata!.namespace}/${pod.metadata!.name}`,
    pod,
    behavior,
    tracks,
    resyncWanted: false,
    retryAt: Infinity,
    terminated: false,
    gone: false,
    deleteSent: false,
    volumesReady: !(pod.spec?.volumes ?? []).some((v) => !!v.persistentVolumeClaim),
  };
}

export function current(rt: ContainerRuntime, t: ContainerTrack): RuntimeContainer | undefined {
  return t.currentId ? rt.containers.get(t.currentId) : undefined;
}

/** The facts the status is generated from. */
export function podFacts(rec: PodRecord, rt: ContainerRuntime, hostIP: string, now: number): PodFacts {
  const sandbox = rt.sandbox(rec.uid);
  const view = (t: ContainerTrack): ContainerView => ({
    name: t.spec.name,
    specImage: t.spec.image ?? '',
    current: current(rt, t),
    previous: t.previousId ? rt.containers.get(t.previousId) : undefined,
    waiting: t.waiting,
    ready: t.ready,
    started: t.started,
    runToCompletion: t.kind === 'init',
  });
  const inits: ContainerView[] = [];
  const regular: ContainerView[] = [];
  for (const t of rec.tracks.values()) (t.kind === 'regular' ? regular : inits).push(view(t));
  const hostNetwork = rec.pod.spec?.hostNetwork === true;
  // A stopped sandbox keeps its address in the status: a finished pod still shows the IP it had.
  const podIP = hostNetwork ? hostIP : sandbox?.ip || rec.pod.status?.podIP;
  return {
    pod: rec.pod,
    initContainers: inits,
    containers: regular,
    sandboxReady: sandbox?.state === 'ready' && !rec.terminated,
    podIP: podIP || undefined,
    hostIP,
    startTime: rec.startTime,
    terminal: rec.terminated,
    now,
  };
}

/** How a container's id reads in its status (convertToAPIContainerStatuses). */
const CONTAINERD_PREFIX = 'containerd://';

/**
 * The runtime id the pod's status names for a container (containerd://<id>), if any. The last
 * status naming it counts, a regular container's before an init container's; a pod's own few
 * statuses are searched (150,000 pods adopt theirs at config-max's start: no map per pod).
 */
export function statusContainerId(status: Pod['status'], name: string): string | undefined {
  return idIn(status?.containerStatuses, name) ?? idIn(status?.initContainerStatuses, name);
}

function idIn(list: readonly ContainerStatus[] | undefined, name: string): string | undefined {
  for (let i = (list?.length ?? 0) - 1; i >= 0; i--) {
    const s = list![i];
    if (s.name === name && s.containerID?.startsWith(CONTAINERD_PREFIX)) return s.containerID.slice(CONTAINERD_PREFIX.length);
  }
  return undefined;
}

/** Numeric resourceVersion, for "which copy is newer". */
export const rvOf = (p: Pod | undefined): number => Number(p?.metadata?.resourceVersion ?? 0);
