// The Metrics API as metrics-server serves it (metrics.k8s.io/v1beta1,
// kubernetes-sigs/metrics-server pkg/api/node.go, pod.go and
// pkg/storage/storage.go GetNodeMetrics/GetPodMetrics): NodeMetrics and
// PodMetrics objects built on request from the storage, never stored in
// etcd. Quantities as resource.Quantity prints them: CPU in nanocores
// ("250m", "12345678n"), memory in bytes ("524288Ki").
import { formatQuantity } from '../api/quantity';
import { timestamp } from '../kernel/time';
import { formatDuration } from '../kernel/duration';
import type { ContainerUsage, Usage } from './metrics-storage';

export const METRICS_API_VERSION = 'metrics.k8s.io/v1beta1';

export interface ResourceUsage {
  cpu: string;
  memory: string;
}

export interface NodeMetrics {
  apiVersion: typeof METRICS_API_VERSION;
  kind: 'NodeMetrics';
  metadata: { name: string; creationTimestamp: string; labels?: Record<string, string> };
  timestamp: string;
  window: string;
  usage: ResourceUsage;
}

export interface PodMetrics {
  apiVersion: typeof METRICS_API_VERSION;
  kind: 'PodMetrics';
  metadata: { name: string; namespace: string; creationTimestamp: string; labels?: Record<string, string> };
  timestamp: string;
  window: string;
  containers: Array<{ name: string; usage: ResourceUsage }>;
}

/** uint64Quantity(cpu, DecimalSI, -9) and uint64Quantity(memory, BinarySI, 0), printed. */
export function usageQuantities(u: Pick<Usage, 'cpuNanoCores' | 'memoryBytes'>): ResourceUsage {
  return {
    cpu: formatQuantity({ milli: u.cpuNanoCores / 1e6, format: 'DecimalSI' }),
    memory: formatQuantity({ milli: u.memoryBytes * 1000, format: 'BinarySI' }),
  };
}

export function nodeMetricsObject(name: string, labels: Record<string, string> | undefined, u: Usage, now: number): NodeMetrics {
  return {
    apiVersion: METRICS_API_VERSION,
    kind: 'NodeMetrics',
    metadata: { name, creationTimestamp: timestamp(now), ...(labels ? { labels } : {}) },
    timestamp: timestamp(u.timestamp),
    window: formatDuration(u.window),
    usage: usageQuantities(u),
  };
}

/** A pod's metrics; its time is the earliest of its containers' (GetMetrics' earliestTimeInfo). */
export function podMetricsObject(namespace: string, name: string, labels: Record<string, string> | undefined, containers: ContainerUsage[], now: number): PodMetrics {
  let first: Usage | undefined;
  for (const c of containers) if (!first || c.usage.timestamp < first.timestamp) first = c.usage;
  return {
    apiVersion: METRICS_API_VERSION,
    kind: 'PodMetrics',
    metadata: { name, namespace, creationTimestamp: timestamp(now), ...(labels ? { labels } : {}) },
    timestamp: timestamp(first?.timestamp ?? now),
    window: formatDuration(first?.window ?? 0),
    containers: containers.map((c) => ({ name: c.name, usage: usageQuantities(c.usage) })),
  };
}
