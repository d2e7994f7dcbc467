// The kubelet's resource stats (pkg/kubelet/stats, served as the Summary
// API /stats/summary and as /metrics/resource by
// pkg/kubelet/metrics/collectors/resource_metrics.go): for each running
// container its start time, its cumulative CPU (usageCoreNanoSeconds, the
// cgroup's cpuacct counter) and its memory working set; for the node the
// same for the whole machine. There are no processes, so what a container
// uses is a function of its pod and of virtual time:
//
// - CPU: the behavior's `cpu` when it says (steady); else 40 % of the
//   container's CPU request (5m without one) on a slow wave of +-25 % whose
//   period (2 to 5 minutes) and phase come from a hash of
//   namespace/pod/container. Never the kernel's rng: drawing from it would
//   move every other random choice of a scenario. Either is capped at the
//   CPU limit, as CFS throttling caps it (the wave's peak is kept under it).
// - Memory: the behavior's `memory` once reached (its `memoryAfter`); else
//   the memory request, which is what the eviction manager assumes a
//   container without a behavior uses (eviction-helpers.ts podMemory), or
//   16Mi without a request; never above the memory limit.
// - The node: its pods' use plus a fixed system overhead (kubelet,
//   containerd, the OS: 100m and 512Mi). A filled machine (the fillMemory
//   fault) has its working set at capacity minus the 45248Ki that
//   memory.available then shows. A powered-off machine answers nothing.
//
// Cumulative counters are exact integrals of those rates, in integer
// core-nanoseconds as the cgroup counts them. The node's counter runs from
// its boot (t=0 for the machine the provider first meets, the first sample
// after a reboot for a new boot id) and keeps what containers used after
// the runtime forgot them, so it never goes down within a boot.
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { tryParseQuantity } from '../api/quantity';
import { hashString } from '../kernel/rng';
import { parseBehavior, type ContainerBehavior } from './behavior';
import type { RuntimeContainer } from './container-runtime';
import { FILLED_MEMORY_AVAILABLE_BYTES } from './eviction-manager';

const Mi = 1024 * 1024;

/** The node's own use: kubelet, containerd and the operating system. */
export const SYSTEM_OVERHEAD = { cpuMilli: 100, memoryBytes: 512 * Mi } as const;
/** A container without a behavior uses this share of its CPU request... */
export const DEFAULT_CPU_SHARE_OF_REQUEST = 0.4;
/** ...or this much without a request. */
export const DEFAULT_CPU_MILLI = 5;
/** The wave around the default CPU: +-25 %. */
export const DEFAULT_CPU_WAVE = 0.25;
/** Working set of a container without a behavior's memory and without a memory request. */
export const DEFAULT_WORKING_SET_BYTES = 16 * Mi;

/** What one container uses over time. */
export interface UsageProfile {
  /** Mean CPU in millicores. */
  cpuMilli: number;
  /** Relative amplitude of the wave around it (0: steady). */
  wave: number;
  /** The wave's period and phase (radians), when there is a wave. */
  periodMs: number;
  phase: number;
  /** Working set in bytes until `memoryAfterMs` from the container's start... */
  memoryBytes: number;
  /** ...and from then on (the behavior's `memory`), when it grows. */
  grownBytes?: number;
  memoryAfterMs: number;
}

/** One running container in the stats. */
export interface ContainerStats {
  name: string;
  /** Virtual ms the container started at. */
  startTime: number;
  /** Cumulative CPU since it started (core-nanoseconds). */
  usageCoreNanoSeconds: number;
  workingSetBytes: number;
}

export interface PodStats {
  namespace: string;
  name: string;
  uid: string;
  containers: ContainerStats[];
}

/** One answer of the node's stats endpoint, taken at `timestamp`. */
export interface NodeStats {
  nodeName: string;
  timestamp: number;
  /** The boot the counter counts from (virtual ms). */
  startTime: number;
  usageCoreNanoSeconds: number;
  workingSetBytes: number;
  pods: PodStats[];
}

const quantityMilli = (q: unknown): number | undefined => {
  if (typeof q !== 'string' && typeof q !== 'number') return undefined;
  return tryParseQuantity(q)?.milli;
};

/** The profile of container `c` of `pod`, with the pod's behavior for it (if any). */
export function usageProfile(pod: Pod, c: Container, behavior: ContainerBehavior | undefined): UsageProfile {
  const requests = c.resources?.requests as Record<string, unknown> | undefined;
  const limits = c.resources?.limits as Record<string, unknown> | undefined;
  const cpuRequest = quantityMilli(requests?.cpu) ?? quantityMilli(limits?.cpu);
  const cpuLimit = quantityMilli(limits?.cpu);
  const memRequest = quantityMilli(requests?.memory) ?? quantityMilli(limits?.memory);
  const memLimit = quantityMilli(limits?.memory);
  const h = hashString(`${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}/${c.name}`);

  let cpuMilli: number;
  let wave = 0;
  if (behavior?.cpuMilli !== undefined) cpuMilli = cpuLimit === undefined ? behavior.cpuMilli : Math.min(behavior.cpuMilli, cpuLimit);
  else {
    wave = DEFAULT_CPU_WAVE;
    cpuMilli = cpuRequest ? cpuRequest * DEFAULT_CPU_SHARE_OF_REQUEST : DEFAULT_CPU_MILLI;
    // The wave's peak stays under the limit: a throttled container is flat at its limit.
    if (cpuLimit !== undefined) cpuMilli = Math.min(cpuMilli, cpuLimit / (1 + wave));
  }
  const bytes = (milli: number | undefined) => (milli === undefined ? undefined : Math.ceil(milli / 1000));
  const cap = bytes(memLimit) ?? Infinity;
  const memoryBytes = Math.min(bytes(memRequest) || DEFAULT_WORKING_SET_BYTES, cap);
  return {
    cpuMilli,
    wave,
    periodMs: (120 + (h % 181)) * 1000,
    phase: (((h >>> 8) % 1000) / 1000) * 2 * Math.PI,
    memoryBytes,
    grownBytes: behavior?.memoryBytes,
    memoryAfterMs: behavior?.memoryAfter ?? 0,
  };
}

/** CPU in millicores at virtual ms `t`. */
export function cpuMilliAt(p: UsageProfile, t: number): number {
  if (p.wave === 0) return p.cpuMilli;
  return p.cpuMilli * (1 + p.wave * Math.sin((2 * Math.PI * t) / p.periodMs + p.phase));
}

/** CPU used from `from` to `to` (virtual ms), in core-nanoseconds: the integral of cpuMilliAt. */
export function cpuIntegral(p: UsageProfile, from: number, to: number): number {
  if (to <= from) return 0;
  let milliMs = p.cpuMilli * (to - from);
  if (p.wave !== 0) {
    const w = (2 * Math.PI) / p.periodMs;
    milliMs -= ((p.cpuMilli * p.wave) / w) * (Math.cos(w * to + p.phase) - Math.cos(w * from + p.phase));
  }
  // millicore-ms = 1e-3 core x 1e6 ns.
  return milliMs * 1000;
}

/** Working set in bytes of a container started at `startedAt`, at `t`. */
export function workingSetAt(p: UsageProfile, startedAt: number, t: number): number {
  return p.grownBytes !== undefined && t >= startedAt + p.memoryAfterMs ? p.grownBytes : p.memoryBytes;
}

/** What the stats provider needs of the node at the instant of a sample. */
export interface NodeStatsSource {
  nodeName: string;
  now: number;
  /** The machine's boot (the kubelet's bootID): a new one starts the node's counter again. */
  bootID: string;
  /** The runtime's containers, running and exited (containerd's records). */
  containers: Iterable<RuntimeContainer>;
  /** The pod of a runtime container, as the kubelet knows it; undefined when it does not. */
  pod(uid: string): Pod | undefined;
  /** The machine's memory capacity in bytes. */
  memoryCapacityBytes: number;
  /** The fillMemory fault holds the machine full. */
  memoryFilled: boolean;
}

interface Tracked {
  c: RuntimeContainer;
  profile: UsageProfile;
  namespace: string;
  podName: string;
}

/**
 * One node's stats provider: it remembers the containers it has seen, so
 * that the node's counter keeps what they used after the runtime garbage
 * collects them.
 */
export class NodeStatsProvider {
  private bootID?: string;
  private bootAt = 0;
  private lastAt = 0;
  /** CPU of containers the runtime has forgotten, this boot (core-ns). */
  private retired = 0;
  private readonly known = new Map<string, Tracked>();
  /** Exited containers of an earlier boot: not this boot's. */
  private readonly before = new Set<string>();

  sample(src: NodeStatsSource): NodeStats {
    const now = src.now;
    const present = [...src.containers];
    if (src.bootID !== this.bootID) {
      // The first boot seen is the machine's since the simulation began; a later one started about now.
      this.bootAt = this.bootID === undefined ? 0 : now;
      this.bootID = src.bootID;
      this.retired = 0;
      this.known.clear();
      this.before.clear();
      for (const c of present) if (c.state === 'exited') this.before.add(c.id);
    }
    const ids = new Set<string>();
    for (const c of present) {
      if (c.startedAt === undefined || this.before.has(c.id)) continue;
      ids.add(c.id);
      if (!this.known.has(c.id)) {
        const t = this.track(c, src);
        if (t) this.known.set(c.id, t);
      }
    }
    // Gone from the runtime: its use stays in the node's counter (the reference still holds its finish time).
    for (const [id, t] of this.known) {
      if (ids.has(id)) continue;
      this.retired += cpuIntegral(t.profile, t.c.startedAt!, t.c.finishedAt ?? this.lastAt);
      this.known.delete(id);
    }
    this.lastAt = now;

    let nodeCpu = this.retired + cpuIntegral(overheadProfile, this.bootAt, now);
    let nodeMemory = SYSTEM_OVERHEAD.memoryBytes;
    const pods = new Map<string, PodStats>();
    for (const [, t] of this.known) {
      const c = t.c;
      const end = c.state === 'running' ? now : (c.finishedAt ?? now);
      const used = cpuIntegral(t.profile, c.startedAt!, end);
      nodeCpu += used;
      if (c.state !== 'running') continue;
      const ws = workingSetAt(t.profile, c.startedAt!, now);
      nodeMemory += ws;
      let p = pods.get(c.podUid);
      if (!p) pods.set(c.podUid, (p = { namespace: t.namespace, name: t.podName, uid: c.podUid, containers: [] }));
      p.containers.push({ name: c.name, startTime: c.startedAt!, usageCoreNanoSeconds: Math.floor(used), workingSetBytes: ws });
    }
    if (src.memoryFilled) nodeMemory = Math.max(nodeMemory, src.memoryCapacityBytes - FILLED_MEMORY_AVAILABLE_BYTES);
    return {
      nodeName: src.nodeName,
      timestamp: now,
      startTime: this.bootAt,
      usageCoreNanoSeconds: Math.floor(nodeCpu),
      workingSetBytes: nodeMemory,
      pods: [...pods.values()],
    };
  }

  private track(c: RuntimeContainer, src: NodeStatsSource): Tracked | undefined {
    const pod = src.pod(c.podUid);
    const spec = [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? [])].find((s) => s.name === c.name);
    if (!pod || !spec) return undefined;
    const behavior = parseBehavior(pod.metadata?.annotations, [spec.name]).containers.get(spec.name);
    return { c, profile: usageProfile(pod, spec, behavior), namespace: pod.metadata?.namespace ?? '', podName: pod.metadata?.name ?? '' };
  }
}

const overheadProfile: UsageProfile = { cpuMilli: SYSTEM_OVERHEAD.cpuMilli, wave: 0, periodMs: 1, phase: 0, memoryBytes: 0, memoryAfterMs: 0 };
