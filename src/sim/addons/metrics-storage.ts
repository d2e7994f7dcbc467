// metrics-server's in-memory storage (kubernetes-sigs/metrics-server
// pkg/storage: storage.go, node.go, pod.go, types.go): the last two
// scrapes of every node and every pod's containers, and the usage computed
// from them. CPU is a rate: the difference of two cumulative counters over
// the time between them (resourceUsage), so a node or a container needs two
// points before it has a usage; memory is the last working set. A container
// that started between 10 s and one resolution (15 s) before its first
// point gets a synthetic earlier point at its start with zero CPU, so a
// fresh container is reported after one scrape (freshContainerMinMetricsResolution).
// Each scrape replaces the batch: what a scrape did not return is dropped.

/** One measurement (storage.MetricsPoint): times in virtual ms, CPU in core-nanoseconds, memory in bytes. */
export interface MetricsPoint {
  startTime: number;
  timestamp: number;
  cumulativeCpu: number;
  memory: number;
}

/** What one scrape round returned (storage.MetricsBatch): nodes by name, pods by namespace/name, then container name. */
export interface MetricsBatch {
  nodes: Map<string, MetricsPoint>;
  pods: Map<string, Map<string, MetricsPoint>>;
}

/** A usage as the Metrics API reports it: CPU in nanocores, memory in bytes, over `window` ms ending at `timestamp`. */
export interface Usage {
  cpuNanoCores: number;
  memoryBytes: number;
  timestamp: number;
  window: number;
}

export interface ContainerUsage {
  name: string;
  usage: Usage;
}

/** freshContainerMinMetricsResolution. */
export const FRESH_CONTAINER_MIN_MS = 10_000;

/** resourceUsage: the rate between two points, or why there is none. */
export function resourceUsage(last: MetricsPoint, prev: MetricsPoint): Usage | string {
  if (last.startTime < prev.startTime) return 'unexpected decrease in startTime of node/container';
  if (last.cumulativeCpu < prev.cumulativeCpu) return 'unexpected decrease in cumulative CPU usage value';
  const window = last.timestamp - prev.timestamp;
  // uint64(cpuUsage): the rate is truncated to whole nanocores.
  const cpuNanoCores = Math.floor((last.cumulativeCpu - prev.cumulativeCpu) / (window / 1000));
  return { cpuNanoCores, memoryBytes: last.memory, timestamp: last.timestamp, window };
}

class NodeStorage {
  private last = new Map<string, MetricsPoint>();
  private prev = new Map<string, MetricsPoint>();

  get(name: string): Usage | undefined {
    const last = this.last.get(name);
    const prev = this.prev.get(name);
    if (!last || !prev) return undefined;
    const u = resourceUsage(last, prev);
    return typeof u === 'string' ? undefined : u;
  }

  names(): IterableIterator<string> {
    return this.last.keys();
  }

  get readyCount(): number {
    return this.prev.size;
  }

  store(batch: MetricsBatch): void {
    const last = new Map<string, MetricsPoint>();
    const prev = new Map<string, MetricsPoint>();
    for (const [name, point] of batch.nodes) {
      last.set(name, point);
      const stored = this.last.get(name);
      if (!stored) continue;
      if (point.timestamp > stored.timestamp) prev.set(name, stored);
      else {
        const before = this.prev.get(name);
        if (before && before.timestamp < point.timestamp) prev.set(name, before);
      }
    }
    this.last = last;
    this.prev = prev;
  }
}

class PodStorage {
  private last = new Map<string, Map<string, MetricsPoint>>();
  private prev = new Map<string, Map<string, MetricsPoint>>();

  constructor(private readonly resolution: number) {}

  /** The pod's containers' usage; undefined unless every container has two points. */
  get(key: string): ContainerUsage[] | undefined {
    const last = this.last.get(key);
    const prev = this.prev.get(key);
    if (!last || !prev) return undefined;
    const out: ContainerUsage[] = [];
    for (const [name, point] of last) {
      const before = prev.get(name);
      if (!before) return undefined;
      const u = resourceUsage(point, before);
      if (typeof u === 'string') continue;
      out.push({ name, usage: u });
    }
    return out;
  }

  keys(): IterableIterator<string> {
    return this.last.keys();
  }

  store(batch: MetricsBatch): void {
    const lastPods = new Map<string, Map<string, MetricsPoint>>();
    const prevPods = new Map<string, Map<string, MetricsPoint>>();
    for (const [key, containers] of batch.pods) {
      const last = new Map<string, MetricsPoint>();
      const prev = new Map<string, MetricsPoint>();
      const storedPod = this.last.get(key);
      for (const [name, point] of containers) {
        last.set(name, point);
        const age = point.timestamp - point.startTime;
        if (point.startTime < point.timestamp && age < this.resolution && age >= FRESH_CONTAINER_MIN_MS) {
          prev.set(name, { ...point, timestamp: point.startTime, cumulativeCpu: 0 });
          continue;
        }
        const stored = storedPod?.get(name);
        // A container that restarted since (its start is not before the stored point) starts over.
        if (!stored || !(point.startTime < stored.timestamp)) continue;
        if (point.timestamp > stored.timestamp) prev.set(name, stored);
        else {
          const before = this.prev.get(key)?.get(name);
          if (before && before.timestamp < point.timestamp) prev.set(name, before);
        }
      }
      if (prev.size > 0) prevPods.set(key, prev);
      lastPods.set(key, last);
    }
    this.last = lastPods;
    this.prev = prevPods;
  }
}

/** storage.storage: nodes and pods. */
export class MetricsStorage {
  readonly nodes = new NodeStorage();
  readonly pods: PodStorage;

  constructor(resolution: number) {
    this.pods = new PodStorage(resolution);
  }

  store(batch: MetricsBatch): void {
    this.nodes.store(batch);
    this.pods.store(batch);
  }
}
