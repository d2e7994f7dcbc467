// What the usage charts of a Node's or a Pod's inspector show (issue 10
// part 4b): the usage metrics-server reported after each scrape round over
// the last 10 minutes (src/sim/addons/metrics-server.ts, metrics-history.ts),
// the current value in kubectl top's units (CPU in m, memory in Mi), and the
// reference a person compares it with: a node's allocatable, a pod's
// requests and limits. Pure functions of the cluster at one instant; the
// panel recomputes them when metrics-server's generation moves (a new
// round), never per frame.
import { scaleLinear } from 'd3-scale';
import { area as d3area, line as d3line } from 'd3-shape';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { tryParseQuantity } from '../../sim/api/quantity';
import { HISTORY_ROUNDS, type UsageSample } from '../../sim/addons/metrics-history';
import { METRIC_RESOLUTION_MS, type MetricsServer } from '../../sim/addons/metrics-server';
import type { Cluster } from '../../sim/cluster';
import { parseObjectKey } from './inspector-views';

/** The charts span this much simulated time, ending at the newest round. */
export const USAGE_WINDOW_MS = (HISTORY_ROUNDS - 1) * METRIC_RESOLUTION_MS;

export type Resource = 'cpu' | 'memory';

/** A line across the chart at a value the usage is measured against. */
export interface Reference {
  label: 'request' | 'limit' | 'allocatable';
  value: number;
  text: string;
}

/** One scrape round's value at virtual instant t (CPU in millicores, memory in bytes). */
export interface UsagePoint {
  t: number;
  value: number;
}

export interface UsageSeries {
  resource: Resource;
  /** Oldest first: t in virtual ms, value in millicores (cpu) or bytes (memory). */
  points: UsagePoint[];
  current: number;
  /** The current value as kubectl top prints it ("250m", "64Mi"). */
  currentText: string;
  references: Reference[];
  /** The chart's time axis: [end - USAGE_WINDOW_MS, end]. */
  end: number;
}

export type UsageView =
  /** The scenario has no metrics-server addon. */
  | { state: 'no-addon' }
  /** metrics-server has no usage of this object yet (or no longer), and why. */
  | { state: 'waiting'; text: string }
  | { state: 'charts'; cpu: UsageSeries; memory: UsageSeries };

/** kubectl top's CPU: MilliValue (rounded up) with "m". */
export const cpuText = (milli: number): string => `${Math.ceil(milli - 1e-9)}m`;
/** kubectl top's memory: whole Mi (rounded down) with "Mi". */
export const memoryText = (bytes: number): string => `${Math.floor(Math.ceil(bytes - 1e-9) / (1024 * 1024))}Mi`;
export const valueText = (r: Resource, v: number): string => (r === 'cpu' ? cpuText(v) : memoryText(v));

/** millicores for cpu, bytes for memory; undefined when absent or not a quantity. */
function amount(r: Resource, q: unknown): number | undefined {
  if (typeof q !== 'string' && typeof q !== 'number') return undefined;
  const p = tryParseQuantity(q);
  if (!p) return undefined;
  return r === 'cpu' ? p.milli : p.milli / 1000;
}

const ref = (label: Reference['label'], r: Resource, value: number | undefined): Reference[] => (value === undefined ? [] : [{ label, value, text: `${label} ${valueText(r, value)}` }]);

/** A pod's containers' requests (or limits) added up; a limit only when every container has one. */
function podTotal(pod: Pod, r: Resource, field: 'requests' | 'limits'): number | undefined {
  let total = 0;
  let any = false;
  for (const c of pod.spec?.containers ?? []) {
    const v = amount(r, (c.resources?.[field] as Record<string, unknown> | undefined)?.[r]);
    if (v === undefined) {
      if (field === 'limits') return undefined;
      continue;
    }
    total += v;
    any = true;
  }
  return any ? total : undefined;
}

function references(obj: Node | Pod, kind: string, r: Resource): Reference[] {
  if (kind === 'Node') return ref('allocatable', r, amount(r, ((obj as Node).status?.allocatable as Record<string, unknown> | undefined)?.[r]));
  const pod = obj as Pod;
  return [...ref('request', r, podTotal(pod, r, 'requests')), ...ref('limit', r, podTotal(pod, r, 'limits'))];
}

function series(samples: UsageSample[], obj: Node | Pod, kind: string, r: Resource): UsageSeries {
  const points = samples.map((s) => ({ t: s.t, value: r === 'cpu' ? s.cpuMilli : s.memoryBytes }));
  const current = points[points.length - 1].value;
  return { resource: r, points, current, currentText: valueText(r, current), references: references(obj, kind, r), end: points[points.length - 1].t };
}

/** Why there is no chart of an object metrics-server has no samples of. */
function waitingText(m: MetricsServer, kind: string): string {
  const st = m.status();
  if (!st.running) return 'metrics-server is not running: no samples (its pod is not Running yet, or its node is down).';
  const what = kind === 'Node' ? 'this node' : 'this pod';
  if (st.rounds < 2) return `metrics-server started; ${what} has a usage after two scrapes 15 s apart.`;
  return kind === 'Node' ? 'metrics-server could not scrape this node (its kubelet does not answer).' : 'metrics-server has no usage of this pod: it is not running, or started less than two scrapes ago.';
}

/** The usage view of the object with this inspector key ("Node//node-1", "Pod/default/web-1"); null for other kinds. */
export function usageView(cluster: Cluster, key: string): UsageView | null {
  const { kind, namespace, name } = parseObjectKey(key);
  if (kind !== 'Node' && kind !== 'Pod') return null;
  const m = cluster.metrics;
  if (!m) return { state: 'no-addon' };
  const stored = cluster.etcd.store.get(kind === 'Node' ? `/registry/nodes/${name}` : `/registry/pods/${namespace}/${name}`)?.value as Node | Pod | undefined;
  const samples = m.samples(key);
  if (!stored || samples.length === 0) return { state: 'waiting', text: waitingText(m, kind) };
  return { state: 'charts', cpu: series(samples, stored, kind, 'cpu'), memory: series(samples, stored, kind, 'memory') };
}

/** The chart's geometry: an SVG path of the points and the y of each reference line drawn. */
export interface SparklineGeometry {
  line: string;
  area: string;
  /** Reference lines inside the chart's scale (one far above the usage is left to the caption). */
  references: Array<Reference & { y: number }>;
  /** The newest point, for its dot. */
  last: { x: number; y: number };
  /** The value at the top of the chart. */
  max: number;
}

/** A reference more than this many times the highest usage would flatten the line: it is named, not drawn. */
export const REFERENCE_SCALE_LIMIT = 3;

export function sparkline(s: UsageSeries, width: number, height: number, pad = 2): SparklineGeometry {
  const peak = Math.max(...s.points.map((p) => p.value), 0);
  const drawn = s.references.filter((r) => r.value <= Math.max(peak, 1e-9) * REFERENCE_SCALE_LIMIT);
  const max = Math.max(peak, ...drawn.map((r) => r.value)) * 1.15 || 1;
  const x = scaleLinear([s.end - USAGE_WINDOW_MS, s.end], [pad, width - pad]);
  const y = scaleLinear([0, max], [height - pad, pad]);
  const bottom = round(height - pad);
  const px = (p: UsagePoint) => round(x(p.t));
  const py = (p: UsagePoint) => round(y(p.value));
  const line = d3line<UsagePoint>(px, py).digits(1)(s.points) ?? '';
  const area = s.points.length > 0 ? (d3area<UsagePoint>(px, bottom, py).digits(1)(s.points) ?? '') : '';
  const last = s.points[s.points.length - 1];
  return {
    line,
    area,
    references: drawn.map((r) => ({ ...r, y: round(y(r.value)) })),
    last: last ? { x: px(last), y: py(last) } : { x: round(width - pad), y: bottom },
    max,
  };
}

const round = (v: number) => Math.round(v * 10) / 10;
