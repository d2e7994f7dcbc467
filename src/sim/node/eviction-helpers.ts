// The eviction manager's pure helpers (pkg/kubelet/eviction/helpers.go):
// a pod's memory use against its requests (what statsFunc and
// podRequest give upstream), rankMemoryPressure's order, evictionMessage's
// text and IsCriticalPod (pkg/kubelet/types/pod_update.go).
import type { Pod } from 'kubernetes-types/core/v1';
import { podQOSClass } from '../api/qos';
import { formatQuantity, quantityFromMilli, tryParseQuantity } from '../api/quantity';
import { cachedPodRequests } from './kubelet-admission';

/** Reason of an evicted pod, its event and an admission rejection under pressure. */
export const EVICTED = 'Evicted';
/** The kubelet's default hard threshold: memory.available<100Mi. */
export const MEMORY_AVAILABLE_THRESHOLD = '100Mi';
/** scheduling.SystemCriticalPriority: a pod at or above it is critical. */
export const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;
const CRITICAL_CLASSES = new Set(['system-node-critical', 'system-cluster-critical']);

/** One container's working set as the kubelet's stats would show it; undefined when the simulation does not know it. */
export interface ContainerMemory {
  name: string;
  /** Working set in bytes (the behavior annotation's `memory`, once reached). */
  usage?: number;
  /** resources.requests.memory as written (undefined: none). */
  request?: string;
}

/** A pod's memory as rankMemoryPressure compares it. */
export interface PodMemory {
  /** exceedMemoryRequests: its use is above its requests. */
  exceedsRequests: boolean;
  /** memory(): use minus requests, in bytes (negative when below). */
  aboveRequests: number;
  containers: ContainerMemory[];
}

const bytesOf = (q: string | undefined): number => {
  const p = q === undefined ? undefined : tryParseQuantity(q);
  return p ? Math.ceil(p.milli / 1000) : 0;
};

/**
 * What a pod uses. A container with a known working set uses that. The
 * simulation has no cadvisor, so for the rest we assume: a BestEffort pod
 * uses more than its (zero) requests, any other container exactly its
 * request. Those assumptions put BestEffort pods before Burstable and
 * Guaranteed ones, as a real node under memory pressure usually does.
 */
export function podMemory(pod: Pod, containers: ContainerMemory[]): PodMemory {
  const request = cachedPodRequests(pod).memory;
  const bestEffort = podQOSClass(pod) === 'BestEffort';
  let usage = 0;
  let unknown = false;
  for (const c of containers) {
    if (c.usage !== undefined) usage += c.usage;
    else if (bestEffort) unknown = true;
    else usage += bytesOf(c.request);
  }
  return { exceedsRequests: (bestEffort && unknown) || usage > request, aboveRequests: usage - request, containers };
}

/** corev1helpers.PodPriority. */
const priorityOf = (pod: Pod): number => pod.spec?.priority ?? 0;

export interface EvictionCandidate {
  pod: Pod;
  memory: PodMemory;
}

/**
 * rankMemoryPressure: pods that use more than they request first, then
 * lower priority first, then the larger use above requests first. Upstream
 * sorts unstably; here ties keep the kubelet's order (the order it admitted
 * them), so the ranking is the same every run.
 */
export function rankMemoryPressure<T extends EvictionCandidate>(pods: T[]): T[] {
  return pods
    .map((c, i) => ({ c, i }))
    .sort((a, b) => {
      const x = a.c;
      const y = b.c;
      if (x.memory.exceedsRequests !== y.memory.exceedsRequests) return x.memory.exceedsRequests ? -1 : 1;
      const px = priorityOf(x.pod);
      const py = priorityOf(y.pod);
      if (px !== py) return px - py;
      if (x.memory.aboveRequests !== y.memory.aboveRequests) return y.memory.aboveRequests - x.memory.aboveRequests;
      return a.i - b.i;
    })
    .map(({ c }) => c);
}

/** resource.NewQuantity(bytes, BinarySI).String(): "300Mi", "45248Ki", "1000" for a byte count that is not a Ki multiple. */
export const binaryBytes = (bytes: number): string => formatQuantity(quantityFromMilli(bytes * 1000, 'BinarySI'));

/** A request as Quantity.String() prints it; "0" when there is none. */
const requestString = (q: string | undefined): string => {
  const p = q === undefined ? undefined : tryParseQuantity(q);
  return p ? formatQuantity(p) : '0';
};

/**
 * evictionMessage for memory: the node-low sentence, the threshold and what
 * was available, and each container whose working set is known to exceed
 * its request (a container whose use the simulation does not know is not
 * named, as upstream names none it has no stats for).
 */
export function memoryEvictionMessage(memory: PodMemory, availableBytes: number): string {
  let message = `The node was low on resource: memory. Threshold quantity: ${MEMORY_AVAILABLE_THRESHOLD}, available: ${binaryBytes(availableBytes)}. `;
  for (const c of memory.containers) {
    if (c.usage === undefined || c.usage <= bytesOf(c.request)) continue;
    message += `Container ${c.name} was using ${binaryBytes(c.usage)}, request is ${requestString(c.request)}, has larger consumption of memory. `;
  }
  return message;
}

/** IsCriticalPod: a static or mirror pod, or priority at or above system-critical. */
export function isCriticalPod(pod: Pod): boolean {
  const ann = pod.metadata?.annotations ?? {};
  const source = ann['kubernetes.io/config.source'];
  if ((source !== undefined && source !== 'api') || ann['kubernetes.io/config.mirror'] !== undefined) return true;
  // The priority admission plugin resolves the class to spec.priority; the class name covers a pod written without it.
  if (priorityOf(pod) >= SYSTEM_CRITICAL_PRIORITY) return true;
  return pod.spec?.priority === undefined && CRITICAL_CLASSES.has(pod.spec?.priorityClassName ?? '');
}
