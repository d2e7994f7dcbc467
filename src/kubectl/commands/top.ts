// kubectl top node|pod, after staging/src/k8s.io/kubectl/pkg/cmd/top
// (top_node.go, top_pod.go) and pkg/metricsutil (metrics_printer.go,
// metrics_sorter.go) of kubectl v1.34: the Metrics API (metrics.k8s.io,
// served by metrics-server, src/sim/addons/metrics-server.ts) read in
// place like every other kubectl read here. CPU is printed as the
// quantity's MilliValue (rounded up) with "m", memory as Value() / 2^20
// with "Mi"; a node's percentages are of its allocatable (--show-capacity:
// capacity), truncated. v1.34 headers the percentages CPU(%) and MEMORY(%)
// (CPU% and MEMORY% before it). Errors in kubectl's words: no addon is no
// APIService ("Metrics API not available"), a metrics-server that is not
// Ready answers 503, an empty answer is "metrics not available yet".
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../sim/api/types';
import { tryParseQuantity } from '../../sim/api/quantity';
import type { Selector } from '../../sim/api/selector';
import type { NodeMetrics, PodMetrics, ResourceUsage } from '../../sim/addons/metrics-api';
import type { MetricsServer } from '../../sim/addons/metrics-server';
import { formatDuration } from '../../sim/kernel/duration';
import { virtualMs } from '../../sim/kernel/time';
import { findResource } from '../resources';
import { errorLine, KubectlError, notFound, usageError } from '../result';
import { GET_TABLE, tabbed } from '../tabwriter';
import { ALL_NAMESPACES_FLAG, SELECTOR_FLAG, type Command, type CommandContext } from './command';
import { selectorFlag } from './targets';

/** metricsCreationDelay: a pod younger than this may simply not have metrics yet. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;
const UNKNOWN = '<unknown>';

const NO_HEADERS = { name: 'no-headers', type: 'bool', default: 'false', usage: 'If present, print output without headers' } as const;
const SORT_BY = {
  name: 'sort-by',
  type: 'string',
  usage: "If non-empty, sort nodes list using specified field. The field can be either 'cpu' or 'memory'.",
  values: ['cpu', 'memory'],
} as const;

/** A usage as kubectl reads it: exact CPU in millicores (nano precision) and memory in bytes. */
interface Amount {
  cpuMilli: number;
  memoryBytes: number;
}

const amountOf = (u: ResourceUsage): Amount => ({ cpuMilli: tryParseQuantity(u.cpu)?.milli ?? 0, memoryBytes: (tryParseQuantity(u.memory)?.milli ?? 0) / 1000 });
/** MilliValue(): rounded up (the sums of nanocores carry float noise far below a nanocore). */
const milliValue = (milli: number): number => Math.ceil(milli - 1e-9);
/** Value() of a memory quantity: whole bytes, rounded up. */
const byteValue = (bytes: number): number => Math.ceil(bytes - 1e-9);

const cpuCell = (a: Amount) => `${milliValue(a.cpuMilli)}m`;
const memoryCell = (a: Amount) => `${Math.floor(byteValue(a.memoryBytes) / (1024 * 1024))}Mi`;
/** int64(float64(usage.MilliValue()) / float64(available.MilliValue()) * 100); 0 when nothing is available. */
function percent(usedMilli: number, available: string | undefined): string {
  const a = milliValue(tryParseQuantity(available ?? '0')?.milli ?? 0);
  return `${a === 0 ? 0 : Math.trunc((milliValue(usedMilli) / a) * 100)}%`;
}

/** The Metrics API: the APIService is there when the addon is, and answers only through a Ready metrics-server. */
function metricsApi(ctx: CommandContext, resource: 'nodes' | 'pods', name: string | undefined): MetricsServer {
  ctx.inv.requireServer();
  const m = ctx.cluster.metrics;
  if (!m) throw errorLine('Metrics API not available');
  if (!m.serving()) throw new KubectlError(`Error from server (ServiceUnavailable): the server is currently unable to handle the request (get ${resource}.metrics.k8s.io${name ? ` ${name}` : ''})`);
  return m;
}

function sortBy(ctx: CommandContext): string {
  const s = ctx.flags.str('sort-by');
  if (s && s !== 'cpu' && s !== 'memory') throw errorLine('--sort-by accepts only cpu or memory');
  return s;
}

/** The sorters: by CPU (MilliValue) or memory (Value) descending, else by name; stable, so ties keep the name order. */
function sorted<T>(items: T[], by: string, amount: (t: T) => Amount): T[] {
  if (by === 'cpu') return [...items].sort((a, b) => milliValue(amount(b).cpuMilli) - milliValue(amount(a).cpuMilli));
  if (by === 'memory') return [...items].sort((a, b) => byteValue(amount(b).memoryBytes) - byteValue(amount(a).memoryBytes));
  return items;
}

function oneArg(ctx: CommandContext): string | undefined {
  if (ctx.args.length > 1) throw usageError(ctx.path, ctx.path === 'top node' ? 'node [NAME | -l label]' : 'pod [NAME | -l label]');
  return ctx.args[0];
}

function topNode(ctx: CommandContext): void {
  const name = oneArg(ctx);
  const by = sortBy(ctx);
  const selector = selectorFlag(ctx);
  if (name && selector) throw errorLine('only one of NAME or --selector can be provided');
  const m = metricsApi(ctx, 'nodes', name);
  let metrics: NodeMetrics[];
  if (name) {
    // nodeMetrics.Get: the node lister first, then the storage.
    if (!m.listedNode(name)) throw new KubectlError(`Error from server (NotFound): node ${JSON.stringify(name)} not found`);
    metrics = m.nodeMetrics().filter((x) => x.metadata.name === name);
    if (metrics.length === 0) throw new KubectlError(notFound('nodes.metrics.k8s.io', name));
  } else metrics = m.nodeMetrics().filter((x) => matches(selector, x.metadata.labels));
  if (metrics.length === 0) throw errorLine('metrics not available yet');

  const nodeRes = findResource('nodes')!;
  let nodes: KubeObject[];
  if (name) {
    const n = ctx.reader.get(nodeRes, undefined, name);
    if (!n) throw new KubectlError(notFound('nodes', name));
    nodes = [n];
  } else nodes = ctx.reader.list(nodeRes).filter((n) => matches(selector, n.metadata.labels));
  const field = ctx.flags.bool('show-capacity') ? 'capacity' : 'allocatable';
  const available = new Map(nodes.map((n) => [n.metadata.name!, ((n.status as Record<string, unknown> | undefined)?.[field] ?? {}) as Record<string, string>]));

  ctx.inv.print(
    tabbed(GET_TABLE, (w) => {
      if (!ctx.flags.bool('no-headers')) w.write('NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n');
      for (const x of sorted(metrics, by, (x) => amountOf(x.usage))) {
        const a = amountOf(x.usage);
        const avail = available.get(x.metadata.name);
        const pct = (used: number, res: 'cpu' | 'memory') => (avail ? `${percent(used, avail[res])}\t` : '');
        w.write(`${x.metadata.name}\t${cpuCell(a)}\t${pct(a.cpuMilli, 'cpu')}${memoryCell(a)}\t${pct(a.memoryBytes * 1000, 'memory')}\n`);
        available.delete(x.metadata.name);
      }
      // Nodes whose metrics metrics-server could not get (its kubelet did not answer).
      for (const n of available.keys()) w.write(`${n}\t${UNKNOWN}\t${UNKNOWN}\t${UNKNOWN}\t${UNKNOWN}\t\n`);
    }),
  );
}

function topPod(ctx: CommandContext): void {
  const name = oneArg(ctx);
  const by = sortBy(ctx);
  const selector = selectorFlag(ctx);
  if (name && selector) throw errorLine('only one of NAME or selector can be provided');
  const all = ctx.flags.bool('all-namespaces');
  const ns = ctx.namespace;
  const m = metricsApi(ctx, 'pods', name);
  const podRes = findResource('pods')!;
  let metrics: PodMetrics[];
  if (name) {
    // podMetrics.Get: the pod lister's NotFound, or no metrics for it.
    const pod = ctx.reader.get(podRes, ns, name) as Pod | undefined;
    if (!pod) throw new KubectlError(`Error from server (NotFound): pod ${JSON.stringify(name)} not found`);
    const one = m.podMetricsOf(pod);
    if (!one) throw new KubectlError(notFound('podmetrics.metrics.k8s.io', `${ns}/${name}`));
    metrics = [one];
  } else metrics = m.podMetrics(all ? undefined : ns).filter((x) => matches(selector, x.metadata.labels));

  if (metrics.length === 0) {
    // verifyEmptyMetrics: pods of the namespace (not -A's: upstream lists o.Namespace) that are old enough should have had metrics.
    const pods = name ? [ctx.reader.get(podRes, ns, name)!] : ctx.reader.list(podRes, ns).filter((p) => matches(selector, p.metadata.labels));
    if (pods.length > 0) {
      for (const p of pods) {
        const age = ctx.cluster.now - virtualMs(p.metadata.creationTimestamp!);
        if (age > METRICS_CREATION_DELAY_MS) throw errorLine(`Metrics not available for pod ${p.metadata.namespace}/${p.metadata.name}, age: ${formatDuration(age)}`);
      }
      throw errorLine('metrics not available yet');
    }
    ctx.inv.warn(all ? 'No resources found' : `No resources found in ${ns} namespace.`);
    return;
  }

  const containers = ctx.flags.bool('containers');
  // getPodMetrics: the containers' usage added up.
  const sum = (x: PodMetrics): Amount => {
    const total = { cpuMilli: 0, memoryBytes: 0 };
    for (const c of x.containers) {
      const a = amountOf(c.usage);
      total.cpuMilli += a.cpuMilli;
      total.memoryBytes += a.memoryBytes;
    }
    return total;
  };
  const rows = [...metrics].sort((a, b) => (all && a.metadata.namespace !== b.metadata.namespace ? (a.metadata.namespace < b.metadata.namespace ? -1 : 1) : a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  ctx.inv.print(
    tabbed(GET_TABLE, (w) => {
      if (!ctx.flags.bool('no-headers')) w.write(`${all ? 'NAMESPACE\t' : ''}${containers ? 'POD\t' : ''}NAME\tCPU(cores)\tMEMORY(bytes)\t\n`);
      const nsCell = (x: PodMetrics) => (all ? `${x.metadata.namespace}\t` : '');
      for (const x of sorted(rows, by, sum)) {
        if (!containers) {
          const u = sum(x);
          w.write(`${nsCell(x)}${x.metadata.name}\t${cpuCell(u)}\t${memoryCell(u)}\t\n`);
          continue;
        }
        const cs = sorted([...x.containers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), by, (c) => amountOf(c.usage));
        for (const c of cs) w.write(`${nsCell(x)}${x.metadata.name}\t${c.name}\t${cpuCell(amountOf(c.usage))}\t${memoryCell(amountOf(c.usage))}\t\n`);
      }
    }),
  );
}

const matches = (s: Selector | undefined, labels: Record<string, string> | undefined): boolean => !s || s.matches(labels);

export const topCommand: Command = {
  name: 'top',
  group: 'Cluster Management Commands',
  short: 'Display resource (CPU/memory) usage',
  usage: 'kubectl top [flags] [options]',
  flags: [],
  subcommands: [
    {
      name: 'node',
      aliases: ['nodes', 'no'],
      short: 'Display resource (CPU/memory) usage of nodes',
      usage: 'kubectl top node [NAME | -l label] [options]',
      examples: ['# Show metrics for all nodes\n  kubectl top node', '# Show metrics for a given node\n  kubectl top node NODE_NAME'],
      flags: [NO_HEADERS, SELECTOR_FLAG, SORT_BY, { name: 'show-capacity', type: 'bool', default: 'false', usage: 'Print node resources based on Capacity instead of Allocatable(default) of the nodes.' }],
      run: topNode,
      completeArgs: { names: 'nodes' },
    },
    {
      name: 'pod',
      aliases: ['pods', 'po'],
      short: 'Display resource (CPU/memory) usage of pods',
      usage: 'kubectl top pod [NAME | -l label] [options]',
      examples: [
        '# Show metrics for all pods in the default namespace\n  kubectl top pod',
        '# Show metrics for all pods in the given namespace\n  kubectl top pod --namespace=NAMESPACE',
        '# Show metrics for a given pod and its containers\n  kubectl top pod POD_NAME --containers',
      ],
      flags: [ALL_NAMESPACES_FLAG, { name: 'containers', type: 'bool', default: 'false', usage: 'If present, print usage of containers within a pod.' }, { ...NO_HEADERS, usage: 'If present, print output without headers.' }, SELECTOR_FLAG, SORT_BY],
      run: topPod,
      completeArgs: { names: 'pods' },
    },
  ],
};
