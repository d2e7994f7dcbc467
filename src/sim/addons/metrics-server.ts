// metrics-server (kubernetes-sigs/metrics-server v0.7: pkg/server/server.go
// runScrape/tick, pkg/scraper/scraper.go, pkg/scraper/client/resource):
// every --metric-resolution (15 s) it lists the nodes, asks each node's
// kubelet for /metrics/resource, keeps the last two points of every node
// and container (metrics-storage.ts) and answers the Metrics API from them
// (metrics-api.ts) in memory, never in etcd. A usage needs two points, so
// nothing is reported until the second round (a container 10-15 s old
// excepted). The Cluster creates it when the scenario turns the addon on;
// the Deployment in kube-system (metrics-server-objects.ts) is its pod.
//
// It works only while its process runs: a running container of the
// metrics-server image on some node (the first found, in node order, when
// there are more). A new process starts with an empty memory; a node cut
// off from the network scrapes nothing. The API answers (through the
// apiserver's aggregator and the Service) only while that pod is Ready,
// which its readiness probe makes it 20 s after start, as upstream's
// initialDelaySeconds does (upstream's /readyz also waits for two scrapes).
//
// Where we simplify:
// - Rounds fall on the 15 s grid of the virtual clock (15 s, 30 s, ...),
//   not 15 s from the process's start, so a new process finds its first
//   round within 15 s; all nodes are scraped at the round's instant (no
//   random stagger of up to 4 s) and answer at once.
// - One wire message per node and round (`metrics-server -> kubelet/NODE
//   get metrics/resource`), as upstream sends one request per node: 67
//   messages a second at 1,000 nodes, against about 100 lease renewals a
//   second (each several hops) the same cluster makes anyway. The nodes
//   come from a list per round (`list nodes`, one message) instead of a
//   watch-fed informer.
// - The pod lister (scraper.collectNode drops pods it does not know or that
//   claim another node) and the kubelet's pod manager read the apiserver's
//   storage in place, as kubectl's reads do (src/kubectl/store-reader.ts):
//   upstream both are informer caches of the same objects, and a watch of
//   every pod for this would double the apiserver's fan-out.
// - Kinds the simulation lacks are not created (APIService
//   v1beta1.metrics.k8s.io, ServiceAccount, ClusterRoles and bindings): the
//   addon being on stands for the registered APIService.
//
// The samples are derived from the cluster's state and the clock, and each
// round's wire messages are counted in the trace the state hash covers, so
// they need no hashing of their own.
import type { Pod } from 'kubernetes-types/core/v1';
import type { Node } from '../api/types';
import type { ApiClient, ApiServer } from '../apiserver/apiserver';
import type { Machines } from '../cluster/machines';
import { DEFAULT_CAPACITY, nodeIp } from '../cluster/node-defaults';
import type { EtcdCluster } from '../etcd/etcd-cluster';
import type { Kernel, Timer } from '../kernel/kernel';
import type { NodeAgents } from '../node/node-agents';
import { NodeStatsProvider, type NodeStats } from '../node/usage';
import { tryParseQuantity } from '../api/quantity';
import { nodeMetricsObject, podMetricsObject, type NodeMetrics, type PodMetrics } from './metrics-api';
import { UsageHistory, type UsageSample } from './metrics-history';
import { METRICS_SERVER_REPOSITORY } from './metrics-server-objects';
import { MetricsStorage, type MetricsBatch, type MetricsPoint } from './metrics-storage';

/** --metric-resolution=15s in the release manifest. */
export const METRIC_RESOLUTION_MS = 15_000;
/** The wire name of the process. */
export const METRICS_SERVER_CLIENT = 'metrics-server';
const KUBELET_PORT = 10250;

export interface MetricsServerDeps {
  kernel: Kernel;
  apiserver: ApiServer;
  etcd: EtcdCluster;
  nodes: NodeAgents;
  machines: Machines;
}

/** The running metrics-server process: its container on a node. */
interface Process {
  node: string;
  containerId: string;
  podUid: string;
  /** namespace/name of its pod, once the kubelet has told (it knows the pod by uid). */
  podKey?: string;
}

/** What the UI says of metrics-server. */
export interface MetricsServerStatus {
  /** Its process runs somewhere (a running container of its image). */
  running: boolean;
  node?: string;
  /** The API answers (its pod is Ready and reachable). */
  serving: boolean;
  /** Scrape rounds since its process started. */
  rounds: number;
}

export class MetricsServer {
  private storage = new MetricsStorage(METRIC_RESOLUTION_MS);
  private readonly history = new UsageHistory();
  private readonly providers = new Map<string, NodeStatsProvider>();
  private readonly client: ApiClient;
  private process?: Process;
  /** The node lister: the nodes of the last successful list. */
  private nodeList: Node[] = [];
  private rounds = 0;
  private changes = 0;
  private timer?: Timer;

  constructor(private readonly d: MetricsServerDeps) {
    this.client = d.apiserver.client(METRICS_SERVER_CLIENT, { reachable: () => !this.cutOff() });
    this.timer = d.kernel.at(METRIC_RESOLUTION_MS, 'metrics-server.tick', () => this.tick());
  }

  /** Moves whenever what the charts or kubectl top would show may have changed: a round, or a new process. */
  get generation(): number {
    return this.changes;
  }

  status(): MetricsServerStatus {
    const p = this.findProcess();
    return { running: !!p, ...(p ? { node: p.node } : {}), serving: this.serving(), rounds: p && p.containerId === this.process?.containerId ? this.rounds : 0 };
  }

  /** The API answers: the process runs, its pod is Ready (an endpoint of its Service) and reachable. */
  serving(): boolean {
    const p = this.findProcess();
    if (!p || this.d.machines.get(p.node).partitioned) return false;
    const pod = this.podOf(p);
    return pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  }

  /** NodeMetrics for the listed nodes that have a usage, by name (nodeMetrics.List). */
  nodeMetrics(): NodeMetrics[] {
    const out: NodeMetrics[] = [];
    for (const n of [...this.nodeList].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1))) {
      const u = this.storage.nodes.get(nameOf(n));
      if (u) out.push(nodeMetricsObject(nameOf(n), n.metadata?.labels, u, this.d.kernel.now));
    }
    return out;
  }

  /** The node lister's answer for one node (nodeMetrics.Get reads it first). */
  listedNode(name: string): boolean {
    return this.nodeList.some((n) => nameOf(n) === name);
  }

  /** PodMetrics of the Running pods (in `namespace`, or all) that have a usage, by namespace and name (podMetrics.List). */
  podMetrics(namespace?: string): PodMetrics[] {
    const out: PodMetrics[] = [];
    const pods: Pod[] = [];
    for (const kv of this.d.etcd.store.range('/registry/pods/')) {
      const pod = kv.value as Pod;
      if (namespace === undefined || pod.metadata?.namespace === namespace) pods.push(pod);
    }
    pods.sort((a, b) => {
      const ka = `${a.metadata!.namespace}/${a.metadata!.name}`;
      const kb = `${b.metadata!.namespace}/${b.metadata!.name}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    for (const pod of pods) {
      const m = this.podMetricsOf(pod);
      if (m) out.push(m);
    }
    return out;
  }

  /** One pod's metrics; undefined when metrics-server has none (the API's NotFound). */
  podMetricsOf(pod: Pod): PodMetrics | undefined {
    if (pod.status?.phase !== 'Running') return undefined;
    const ns = pod.metadata!.namespace!;
    const name = pod.metadata!.name!;
    const containers = this.storage.pods.get(`${ns}/${name}`);
    if (!containers) return undefined;
    return podMetricsObject(ns, name, pod.metadata?.labels, containers, this.d.kernel.now);
  }

  /** The chart's points for a node or a pod by its UI key ("Node//node-1", "Pod/default/web-1"), oldest first. */
  samples(key: string): UsageSample[] {
    return this.history.samples(key);
  }

  // ---- the process ---------------------------------------------------------

  private tick(): void {
    this.timer = this.d.kernel.after(METRIC_RESOLUTION_MS, 'metrics-server.tick', () => this.tick());
    const p = this.findProcess();
    if (p?.containerId !== this.process?.containerId) this.restart(p);
    if (!p || this.cutOff()) return;
    this.scrape();
  }

  /** A new process (or none): metrics-server keeps everything in memory, so it starts empty. */
  private restart(p: Process | undefined): void {
    this.process = p;
    if (this.rounds === 0 && this.history.seriesCount === 0) return;
    this.storage = new MetricsStorage(METRIC_RESOLUTION_MS);
    this.history.clear();
    this.nodeList = [];
    this.rounds = 0;
    this.changes++;
  }

  private cutOff(): boolean {
    return this.process !== undefined && this.d.machines.get(this.process.node).partitioned;
  }

  /** The process: the container running metrics-server's image (the one known so far, else the first found). */
  private findProcess(): Process | undefined {
    const known = this.process;
    if (known && this.d.nodes.host(known.node)?.runtime.containers.get(known.containerId)?.state === 'running') return known;
    for (const node of this.d.nodes.names()) {
      const rt = this.d.nodes.host(node)!.runtime;
      if (!rt.up) continue;
      for (const c of rt.containers.values()) if (c.state === 'running' && isMetricsServerImage(c.image.ref)) return { node, containerId: c.id, podUid: c.podUid };
    }
    return undefined;
  }

  // ---- scraping ------------------------------------------------------------

  private scrape(): void {
    const listed = this.client.list('Node');
    if (listed.ok) this.nodeList = listed.items as Node[];
    const batch: MetricsBatch = { nodes: new Map(), pods: new Map() };
    for (const node of this.nodeList) {
      const stats = this.collect(node);
      if (stats) this.addToBatch(batch, stats);
    }
    this.storage.store(batch);
    this.rounds++;
    this.changes++;
    this.record();
  }

  /** GET https://NODE:10250/metrics/resource: the kubelet's stats, or nothing when it does not answer. */
  private collect(node: Node): NodeStats | undefined {
    const name = nameOf(node);
    const host = this.d.nodes.host(name);
    const m = this.d.machines.get(name);
    const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? nodeIp(0);
    const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? KUBELET_PORT;
    const url = `Get "https://${ip}:${port}/metrics/resource"`;
    const wire = (error?: string) =>
      this.d.kernel.trace.record({ from: METRICS_SERVER_CLIENT, to: `kubelet/${name}`, verb: 'get', resource: 'metrics/resource', key: name, ok: !error, ...(error ? { error } : {}) });
    // A dead or cut-off machine never answers: the request times out (--kubelet-request-timeout).
    if (!host || !m.powered || m.partitioned || host.kubelet.state === 'poweredOff') return void wire(`${url}: context deadline exceeded`);
    if (host.kubelet.state !== 'running') return void wire(`${url}: dial tcp ${ip}:${port}: connect: connection refused`);
    wire();
    let provider = this.providers.get(name);
    if (!provider) this.providers.set(name, (provider = new NodeStatsProvider()));
    let byUid: Map<string, string> | undefined;
    return provider.sample({
      nodeName: name,
      now: this.d.kernel.now,
      bootID: host.kubelet.nodeStatus.bootID,
      containers: host.runtime.containers.values(),
      // The kubelet's pod manager: only pods it runs, by uid (built when a new container needs it).
      pod: (uid) => {
        byUid ??= new Map(host.kubelet.pods().map((p) => [p.uid, p.key]));
        const key = byUid.get(uid);
        const pod = key ? (this.d.etcd.store.get(`/registry/pods/${key}`)?.value as Pod | undefined) : undefined;
        return pod?.metadata?.uid === uid ? pod : undefined;
      },
      memoryCapacityBytes: bytesOf((host.kubelet.nodeStatus.node?.status?.capacity as Record<string, string> | undefined)?.memory ?? DEFAULT_CAPACITY.memory),
      memoryFilled: m.memoryPressure,
    });
  }

  /** decodeBatch's checks and collectNode's: incomplete points are dropped, and pods the lister does not place on this node. */
  private addToBatch(batch: MetricsBatch, s: NodeStats): void {
    if (s.usageCoreNanoSeconds > 0 && s.workingSetBytes > 0 && !batch.nodes.has(s.nodeName))
      batch.nodes.set(s.nodeName, { startTime: s.startTime, timestamp: s.timestamp, cumulativeCpu: s.usageCoreNanoSeconds, memory: s.workingSetBytes });
    for (const p of s.pods) {
      const key = `${p.namespace}/${p.name}`;
      if (batch.pods.has(key)) continue;
      const known = this.d.etcd.store.get(`/registry/pods/${key}`)?.value as Pod | undefined;
      if (!known || known.spec?.nodeName !== s.nodeName) continue;
      const containers = new Map<string, MetricsPoint>();
      let complete = true;
      for (const c of p.containers) {
        if (c.usageCoreNanoSeconds === 0 || c.workingSetBytes === 0) complete = false;
        containers.set(c.name, { startTime: c.startTime, timestamp: s.timestamp, cumulativeCpu: c.usageCoreNanoSeconds, memory: c.workingSetBytes });
      }
      if (complete && containers.size > 0) batch.pods.set(key, containers);
    }
  }

  /** The charts' round: what the API would answer now, per node and per pod. */
  private record(): void {
    this.history.beginRound(this.d.kernel.now);
    for (const name of this.storage.nodes.names()) {
      const u = this.storage.nodes.get(name);
      if (u) this.history.record(`Node//${name}`, u.cpuNanoCores / 1e6, u.memoryBytes);
    }
    for (const key of this.storage.pods.keys()) {
      const cs = this.storage.pods.get(key);
      if (!cs || cs.length === 0) continue;
      let cpu = 0;
      let mem = 0;
      for (const c of cs) {
        cpu += c.usage.cpuNanoCores;
        mem += c.usage.memoryBytes;
      }
      this.history.record(`Pod/${key}`, cpu / 1e6, mem);
    }
    this.history.endRound();
  }

  /** The process's pod as stored; its key comes from its node's kubelet, which knows its pods by uid. */
  private podOf(p: Process): Pod | undefined {
    p.podKey ??= this.d.nodes.host(p.node)?.kubelet.pods().find((v) => v.uid === p.podUid)?.key;
    const pod = p.podKey ? (this.d.etcd.store.get(`/registry/pods/${p.podKey}`)?.value as Pod | undefined) : undefined;
    return pod?.metadata?.uid === p.podUid ? pod : undefined;
  }

  /** Stops the loop (tests). */
  stop(): void {
    this.d.kernel.cancel(this.timer);
  }
}

export function isMetricsServerImage(ref: string): boolean {
  return ref.startsWith(`${METRICS_SERVER_REPOSITORY}:`) || ref.startsWith(`${METRICS_SERVER_REPOSITORY}@`);
}

const nameOf = (n: Node): string => n.metadata?.name ?? '';

function bytesOf(q: string): number {
  const p = tryParseQuantity(q);
  return p ? Math.ceil(p.milli / 1000) : 0;
}

