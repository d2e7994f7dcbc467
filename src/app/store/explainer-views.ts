// The scheduling explainer (issue 7) as plain data: for one pod, the
// scheduler's queues, each of its cycles, and for the cycle shown every
// extension point as a step, the Filter table (node x plugin: passed or
// upstream's reason), the Score table (raw score, normalized score, weight,
// weighted score, total, rank, winner and ties), the examined-node sample
// (upstream numFeasibleNodesToFind), the binding, and for a pending pod the
// answer to "why is it pending?" (the FitError summary and the per-node
// reasons).
//
// A cycle's facts come from, best first: the cycle kube-scheduler is walking
// now (Scheduler.cycle: shown only up to the point it has reached), the
// finished cycles it keeps (Scheduler.cycleLog), and the explanation
// annotations on the pod (kubeviz.dev/filter-result, score-result,
// finalscore-result, selected-node: the last cycle, as
// kube-scheduler-simulator writes them). Older attempts still show as the
// pod's FailedScheduling and Scheduled Events. With several kube-scheduler
// replicas (a highly available control plane) the one explained is the one
// holding the Lease (explainedScheduler), and the view says which. Pure
// functions: the panel calls them when the revision or the scheduler's point
// moved.
import type { Pod } from '../../sim/api/types';
import type { Cluster } from '../../sim/cluster';
import { FILTER_RESULT, FINALSCORE_RESULT, SCORE_RESULT, SELECTED_NODE } from '../../sim/scheduler/explanations';
import { numFeasibleNodesToFind, type ExtensionPoint } from '../../sim/scheduler/profile';
import { DEFAULT_QUEUE, type QueueName } from '../../sim/scheduler/queue';
import { fitErrorMessage } from '../../sim/scheduler/schedule-one';
import type { CycleLogEntry, LiveCycle, Scheduler, SchedulerPoint } from '../../sim/scheduler/scheduler';
import { formatClock } from '../format-clock';
import { eventRows, eventsAbout, storedEvents, type EventRow } from './events-view';

/** The extension points a cycle can step through, in upstream's order. */
export const CYCLE_POINTS = ['preFilter', 'filter', 'postFilter', 'preScore', 'score', 'normalizeScore', 'reserve', 'permit', 'preBind', 'bind', 'postBind'] as const;
export type StepPoint = (typeof CYCLE_POINTS)[number];

export const POINT_LABEL: Record<StepPoint, string> = {
  preFilter: 'PreFilter',
  filter: 'Filter',
  postFilter: 'PostFilter',
  preScore: 'PreScore',
  score: 'Score',
  normalizeScore: 'NormalizeScore',
  reserve: 'Reserve',
  permit: 'Permit',
  preBind: 'PreBind',
  bind: 'Bind',
  postBind: 'PostBind',
};

const BINDING_POINTS: ReadonlySet<string> = new Set(['reserve', 'permit', 'preBind', 'bind', 'postBind']);

/** One cycle's facts, wherever they came from. */
export interface CycleFacts {
  id: string;
  source: 'live' | 'log' | 'annotations';
  at?: number;
  attempt?: number;
  /** The points it went through (a live cycle: so far, then the binding points still to come are not listed). */
  points: readonly SchedulerPoint[];
  /** A live cycle's point now. */
  current?: SchedulerPoint;
  node?: string;
  message?: string;
  numAllNodes?: number;
  evaluatedNodes?: number;
  feasibleNodes?: number;
  startIndex?: number;
  filterResult: Record<string, Record<string, string>>;
  raw?: Record<string, Record<string, number>>;
  final?: Record<string, Record<string, number>>;
  skippedScore: readonly string[];
  skippedFilter: readonly string[];
  postFilterMessage?: string;
  outcome: 'in-progress' | 'bound' | 'failed';
}

/** A queued pod as the scheduler holds it. */
export interface QueueEntry {
  queue: QueueName;
  /** "namespace/name". */
  pod: string;
  attempts: number;
  /** backoffQ: when it becomes active again (virtual ms). */
  backoffUntil?: number;
  /** Unschedulable: since when, and when the 5-minute flush moves it back at the latest. */
  unschedulableSince?: number;
  flushAt?: number;
  /** The plugins that rejected it last time. */
  plugins: string[];
}

export interface ExplainerInput {
  /** "namespace/name". */
  podKey: string;
  pod: Pod | null;
  now: number;
  schedulerRunning: boolean;
  /** Which kube-scheduler is explained, whether it holds the Lease, and how many replicas there are (absent: one, leading). */
  scheduler?: { name: string; leading: boolean; replicas: number };
  /** The cycle the scheduler is walking now (for any pod). */
  live?: LiveCycle;
  point: SchedulerPoint;
  log: readonly CycleLogEntry[];
  queue: readonly QueueEntry[];
  /** Enabled plugins per extension point. */
  plugins: Partial<Record<StepPoint, readonly string[]>>;
  weights: Readonly<Record<string, number>>;
  percentageOfNodesToScore: number;
  /** Events about this pod, oldest first. */
  events: readonly EventRow[];
  /** Which cycle to show (an id from the view's `cycles`); the newest when absent or unknown. */
  cycleId?: string;
}

export type StepState = 'done' | 'current' | 'upcoming' | 'not-run';

export interface StepView {
  point: StepPoint;
  label: string;
  state: StepState;
  plugins: readonly string[];
  /** One line: what the point did. */
  note: string;
  /** More, for a tooltip: which plugins were skipped. */
  detail?: string;
}

export interface SampleView {
  numAllNodes: number;
  examined: number;
  feasible: number;
  /** Feasible nodes the Filter walk stops at (numFeasibleNodesToFind). */
  toFind: number;
  rule: string;
  startIndex?: number;
}

export interface FilterCell {
  plugin: string;
  verdict: 'passed' | 'failed' | 'not-run' | 'skipped';
  reason?: string;
}

export interface FilterRow {
  node: string;
  feasible: boolean;
  cells: FilterCell[];
  /** The first rejection: plugin and upstream's reason. */
  plugin?: string;
  reason?: string;
}

export interface FilterView {
  plugins: string[];
  rows: FilterRow[];
}

export interface ScoreCell {
  plugin: string;
  raw: number;
  normalized: number;
  weight: number;
  weighted: number;
}

export interface ScoreRow {
  node: string;
  /** By the plugin order of ScoreView.plugins; null where a plugin did not score (skipped). */
  cells: Array<ScoreCell | null>;
  total: number;
  /** 1 for the best total; tied nodes share a rank. */
  rank: number;
  winner: boolean;
  tied: boolean;
}

export interface ScoreView {
  plugins: Array<{ name: string; weight: number; skipped: boolean }>;
  rows: ScoreRow[];
  /** NormalizeScore has run: normalized, weighted, totals and the winner are known. */
  final: boolean;
  winner?: string;
  /** Nodes sharing the best total when more than one (selectHost picks one at random, reservoir sampling). */
  tie: string[];
}

export interface CycleView {
  id: string;
  source: CycleFacts['source'];
  live: boolean;
  at?: number;
  attempt?: number;
  outcome: CycleFacts['outcome'];
  current?: StepPoint;
  steps: StepView[];
  sample?: SampleView;
  filter: FilterView | null;
  score: ScoreView | null;
  /** The node chosen, once the scheduling part has chosen it. */
  chosen?: string;
  bind?: { node: string; state: 'upcoming' | 'sent' | 'done' };
  message?: string;
  /** What the canvas marks on each node card. */
  marks: Record<string, NodeMark>;
}

/** A node card's mark: "feasible", "chosen", or "infeasible: <reason>". */
export type NodeMark = 'feasible' | 'chosen' | `infeasible: ${string}`;

export interface CycleSummary {
  id: string;
  source: CycleFacts['source'];
  at?: number;
  attempt?: number;
  outcome: CycleFacts['outcome'];
  node?: string;
  message?: string;
}

export interface PendingWhy {
  /** Upstream's FitError summary: "0/3 nodes are available: ...". */
  summary: string;
  perNode: Array<{ node: string; plugin: string; reason: string }>;
  /** When the next attempt comes, as far as the queue says. */
  next?: string;
}

export interface QueueRow extends QueueEntry {
  /** The pod the explainer is about. */
  self: boolean;
}

export interface QueuesView {
  counts: Record<QueueName, number>;
  /** At most QUEUE_ROWS rows per queue, this pod always among them. */
  rows: Record<QueueName, QueueRow[]>;
}

export type PodSchedulingStatus = 'scheduling' | 'bound' | 'pending' | 'gated' | 'gone' | 'preassigned' | 'other-scheduler';

export interface ExplainerView {
  podKey: string;
  status: PodSchedulingStatus;
  headline: string;
  /** Which replica is explained, when there are several or the one explained does not lead: "Explained from kube-scheduler-2's cycle log: ...". */
  replica?: { name: string; leading: boolean; note: string };
  node?: string;
  pending?: PendingWhy;
  queues: QueuesView;
  cycles: CycleSummary[];
  /** Attempts the pod's Events record (count, first and last time), for cycles no longer kept in full. */
  attempts: Array<{ reason: string; message: string; count: number; first: number; last: number }>;
  cycle: CycleView | null;
}

export const QUEUE_ROWS = 20;

/** Builds the view for one pod. */
export function explainPod(input: ExplainerInput): ExplainerView {
  const { podKey, pod } = input;
  const facts = cycleFacts(input);
  const chosen = facts.find((f) => f.id === input.cycleId) ?? facts[0];
  const cycle = chosen ? cycleView(chosen, input) : null;
  const status = podStatus(input, facts);
  const queues = queuesView(input.queue, podKey);
  const attempts = input.events
    .filter((e) => e.reason === 'FailedScheduling' || e.reason === 'Scheduled')
    .map((e) => ({ reason: e.reason, message: e.message, count: e.count, first: e.first, last: e.last }));
  const pending = status === 'pending' || status === 'gated' ? pendingWhy(input, facts, status) : undefined;
  const replica = replicaNote(input);
  return {
    podKey,
    status,
    headline: headline(status, input, facts),
    ...(replica ? { replica } : {}),
    ...(pod?.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
    ...(pending ? { pending } : {}),
    queues,
    cycles: facts.map((f) => ({ id: f.id, source: f.source, at: f.at, attempt: f.attempt, outcome: f.outcome, node: f.node, message: f.message })),
    attempts,
    cycle,
  };
}

/** This pod's cycles, newest first: the live one, the scheduler's log, else the annotations. */
export function cycleFacts(input: ExplainerInput): CycleFacts[] {
  const { pod, live, podKey } = input;
  const uid = pod?.metadata?.uid;
  const mine = (p: { pod: string; uid: string }) => (uid ? p.uid === uid : p.pod === podKey);
  const out: CycleFacts[] = [];
  if (live && mine(live)) out.push(liveFacts(live, input.point));
  for (let i = input.log.length - 1; i >= 0; i--) {
    const e = input.log[i];
    if (mine(e)) out.push(logFacts(e));
  }
  if (out.length === 0 && pod) {
    const a = annotationFacts(pod);
    if (a) out.push(a);
  }
  return out;
}

function liveFacts(live: LiveCycle, point: SchedulerPoint): CycleFacts {
  const r = live.result;
  const table = r.scores;
  const raw = table ? Object.fromEntries(table.raw) : undefined;
  const final = table ? Object.fromEntries(table.final) : undefined;
  const failed = !r.node;
  return {
    id: `cycle:${live.seq}`,
    source: 'live',
    at: live.startedAt,
    attempt: live.attempt,
    points: live.points,
    current: point,
    ...(r.node ? { node: r.node } : {}),
    // The failure handler has not run yet: the message it will write.
    ...(failed && live.points.includes('postFilter') ? { message: r.error ?? fitErrorMessage(r) } : {}),
    numAllNodes: r.numAllNodes,
    evaluatedNodes: r.evaluatedNodes,
    feasibleNodes: r.feasibleNodes,
    startIndex: live.startIndex,
    filterResult: r.filterResult,
    ...(raw ? { raw, final } : {}),
    skippedScore: live.skippedScore,
    skippedFilter: live.skippedFilter,
    ...(r.diagnosis.postFilterMsg ? { postFilterMessage: r.diagnosis.postFilterMsg } : {}),
    outcome: 'in-progress',
  };
}

function logFacts(e: CycleLogEntry): CycleFacts {
  const preemption = e.message ? /preemption: .*$/.exec(e.message)?.[0] : undefined;
  return {
    id: `cycle:${e.seq}`,
    source: 'log',
    at: e.at,
    attempt: e.attempt,
    points: e.points,
    ...(e.node ? { node: e.node } : {}),
    ...(e.message !== undefined ? { message: e.message } : {}),
    numAllNodes: e.numAllNodes,
    evaluatedNodes: e.evaluatedNodes,
    feasibleNodes: e.feasibleNodes,
    startIndex: e.startIndex,
    filterResult: e.filterResult,
    ...(e.scores ? { raw: e.scores.raw, final: e.scores.final } : {}),
    skippedScore: e.skippedScore,
    skippedFilter: e.skippedFilter,
    ...(preemption ? { postFilterMessage: preemption } : {}),
    outcome: e.node ? 'bound' : 'failed',
  };
}

/** The last cycle from the pod's own annotations (when the scheduler's log no longer has it). */
export function annotationFacts(pod: Pod): CycleFacts | null {
  const a = pod.metadata?.annotations ?? {};
  if (!a[FILTER_RESULT]) return null;
  const filterResult = parseJson<Record<string, Record<string, string>>>(a[FILTER_RESULT]) ?? {};
  const raw = parseJson<Record<string, Record<string, number>>>(a[SCORE_RESULT]);
  const final = parseJson<Record<string, Record<string, number>>>(a[FINALSCORE_RESULT]);
  const node = a[SELECTED_NODE] || undefined;
  const hasScores = raw && Object.keys(raw).length > 0;
  const nodes = Object.keys(filterResult);
  const feasible = nodes.filter((n) => Object.values(filterResult[n]).every((v) => v === 'passed')).length;
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const points: SchedulerPoint[] = ['preFilter', 'filter'];
  if (node) points.push(...(hasScores ? (['preScore', 'score', 'normalizeScore'] as const) : []), 'reserve', 'permit', 'preBind', 'bind', 'postBind');
  else points.push('postFilter');
  return {
    id: 'annotations',
    source: 'annotations',
    points,
    ...(node ? { node } : {}),
    ...(!node && scheduled?.status === 'False' && scheduled.message ? { message: scheduled.message } : {}),
    evaluatedNodes: nodes.length,
    feasibleNodes: feasible,
    filterResult,
    ...(hasScores ? { raw, final: final ?? {} } : {}),
    skippedScore: [],
    skippedFilter: [],
    outcome: node ? 'bound' : 'failed',
  };
}

/** The view of one cycle; a live one shows only what the points reached so far have computed. */
export function cycleView(f: CycleFacts, input: Pick<ExplainerInput, 'plugins' | 'weights' | 'percentageOfNodesToScore'>): CycleView {
  const live = f.source === 'live';
  const at = (p: SchedulerPoint) => f.points.indexOf(p);
  const cur = live && f.current && f.current !== 'idle' && f.current !== 'binding' ? at(f.current) : f.points.length - 1;
  const reached = (p: SchedulerPoint) => at(p) >= 0 && at(p) <= cur;
  const filterShown = reached('filter');
  const scoreShown = reached('score');
  const normalized = reached('normalizeScore');
  // The scheduling part has chosen once it is over: past NormalizeScore, or at Filter when only one node was feasible.
  const schedulingOver = f.points.some((p) => BINDING_POINTS.has(p)) || !live;
  const chosen = f.node && (normalized || (filterShown && !f.points.includes('score') && (schedulingOver || f.feasibleNodes === 1))) ? f.node : undefined;
  const filter = filterShown ? filterView(f, input.plugins.filter ?? []) : null;
  const score = scoreShown && f.raw ? scoreView(f, input.weights, normalized) : null;
  const steps = CYCLE_POINTS.map((p) => stepView(p, f, cur, input, filter, score));
  const bindAt = at('bind');
  const bind = f.node && chosen ? { node: f.node, state: bindAt < 0 || bindAt > cur ? ('upcoming' as const) : bindAt === cur && live ? ('sent' as const) : ('done' as const) } : undefined;
  const marks: Record<string, NodeMark> = {};
  if (filter)
    for (const r of filter.rows) marks[r.node] = r.feasible ? 'feasible' : `infeasible: ${r.reason ?? 'rejected'}`;
  if (chosen) marks[chosen] = 'chosen';
  const current = live && f.current && (CYCLE_POINTS as readonly string[]).includes(f.current) ? (f.current as StepPoint) : undefined;
  return {
    id: f.id,
    source: f.source,
    live,
    at: f.at,
    attempt: f.attempt,
    outcome: f.outcome,
    ...(current ? { current } : {}),
    steps,
    ...(filterShown ? { sample: sampleView(f, input.percentageOfNodesToScore) } : {}),
    filter,
    score,
    ...(chosen ? { chosen } : {}),
    ...(bind ? { bind } : {}),
    ...(f.message && (!live || reached('postFilter')) ? { message: f.message } : {}),
    marks,
  };
}

function stepView(p: StepPoint, f: CycleFacts, cur: number, input: Pick<ExplainerInput, 'plugins'>, filter: FilterView | null, score: ScoreView | null): StepView {
  const i = f.points.indexOf(p);
  const live = f.source === 'live';
  let state: StepState;
  if (i >= 0) state = i < cur ? 'done' : i === cur ? (live ? 'current' : 'done') : 'upcoming';
  // The binding points a live cycle with a node has still to reach.
  else if (live && f.node && BINDING_POINTS.has(p)) state = 'upcoming';
  else state = 'not-run';
  // The plugins that run at the point: those PreFilter or PreScore skipped do not.
  const notRun = p === 'filter' ? f.skippedFilter : p === 'score' || p === 'normalizeScore' ? f.skippedScore : [];
  const plugins = (input.plugins[p] ?? []).filter((n) => !notRun.includes(n));
  const skipped = p === 'preFilter' ? f.skippedFilter : p === 'preScore' ? f.skippedScore : [];
  const detail = state !== 'upcoming' && state !== 'not-run' && skipped.length ? `Skipped: ${skipped.join(', ')}` : undefined;
  return { point: p, label: POINT_LABEL[p], state, plugins, note: state === 'upcoming' ? '' : stepNote(p, f, state, filter, score), ...(detail ? { detail } : {}) };
}

function stepNote(p: StepPoint, f: CycleFacts, state: StepState, filter: FilterView | null, score: ScoreView | null): string {
  const feasible = f.feasibleNodes ?? 0;
  if (state === 'not-run') {
    if (p === 'postFilter') return f.node ? 'not needed: the pod fits' : '';
    if ((p === 'preScore' || p === 'score' || p === 'normalizeScore') && f.node && feasible === 1) return 'skipped: only one feasible node';
    if (BINDING_POINTS.has(p) && !f.node) return 'not reached: no node';
    return '';
  }
  switch (p) {
    case 'preFilter':
      return f.skippedFilter.length ? `${f.skippedFilter.length} plugins have nothing to check: their Filter is skipped` : 'pre-computed what Filter needs';
    case 'filter': {
      const examined = f.evaluatedNodes ?? filter?.rows.length ?? 0;
      return `${feasible} of ${examined} examined node${examined === 1 ? '' : 's'} feasible`;
    }
    case 'postFilter':
      return f.postFilterMessage ?? 'DefaultPreemption looked for victims';
    case 'preScore':
      return f.skippedScore.length ? `${f.skippedScore.length} plugins have nothing to score: their Score is skipped` : 'pre-computed what Score needs';
    case 'score':
      return score ? `${score.rows.length} nodes × ${score.plugins.filter((x) => !x.skipped).length} plugins` : 'scored the feasible nodes';
    case 'normalizeScore':
      if (!score?.winner) return 'normalized to 0..100, times the weights';
      return score.tie.length > 1 ? `tie at ${score.rows[0].total} between ${score.tie.join(', ')}: ${score.winner} drawn at random` : `${score.winner} wins with ${score.rows.find((r) => r.winner)?.total}`;
    case 'reserve':
      return `assumed on ${f.node} in the scheduler's cache`;
    case 'permit':
      return 'allowed';
    case 'preBind':
      return 'nothing to prepare (no volumes to bind)';
    case 'bind':
      return `pods/binding → kube-apiserver: ${f.node}`;
    case 'postBind':
      return 'Scheduled event recorded';
  }
}

/** Nodes x Filter plugins: "passed", upstream's reason, or not run (Filter stops at the first rejection). */
export function filterView(f: CycleFacts, enabled: readonly string[]): FilterView {
  const seen = new Set<string>();
  for (const verdicts of Object.values(f.filterResult)) for (const p of Object.keys(verdicts)) seen.add(p);
  // The plugins that ran, in the profile's order (those PreFilter skipped are named in its step);
  // any the profile does not list (it changed since) at the end.
  const plugins = [...enabled.filter((p) => seen.has(p)), ...[...seen].filter((p) => !enabled.includes(p))];
  const rows = Object.entries(f.filterResult).map(([node, verdicts]) => {
    let plugin: string | undefined;
    let reason: string | undefined;
    const cells = plugins.map((p): FilterCell => {
      if (f.skippedFilter.includes(p)) return { plugin: p, verdict: 'skipped' };
      const v = verdicts[p];
      if (v === undefined) return { plugin: p, verdict: 'not-run' };
      if (v === 'passed') return { plugin: p, verdict: 'passed' };
      plugin ??= p;
      reason ??= v;
      return { plugin: p, verdict: 'failed', reason: v };
    });
    return { node, feasible: plugin === undefined, cells, ...(plugin ? { plugin, reason } : {}) };
  });
  return { plugins, rows };
}

/** Per node and Score plugin: raw, normalized (weighted / weight), weight and weighted; totals ranked. */
export function scoreView(f: CycleFacts, weights: Readonly<Record<string, number>>, final: boolean): ScoreView {
  const raw = f.raw ?? {};
  const weighted = f.final ?? {};
  const seen: string[] = [];
  for (const plugins of Object.values(raw)) for (const p of Object.keys(plugins)) if (!seen.includes(p)) seen.push(p);
  const plugins = [...seen.map((name) => ({ name, weight: weights[name] ?? 1, skipped: false })), ...f.skippedScore.filter((p) => !seen.includes(p)).map((name) => ({ name, weight: weights[name] ?? 1, skipped: true }))];
  const rows: ScoreRow[] = Object.keys(raw).map((node) => {
    let total = 0;
    const cells = plugins.map((p) => {
      if (p.skipped) return null;
      const r = raw[node]?.[p.name];
      if (r === undefined) return null;
      const w = weighted[node]?.[p.name] ?? 0;
      total += w;
      return { plugin: p.name, raw: r, normalized: p.weight ? w / p.weight : 0, weight: p.weight, weighted: w };
    });
    return { node, cells, total, rank: 0, winner: false, tied: false };
  });
  const best = rows.reduce((m, r) => Math.max(m, r.total), -Infinity);
  const totals = [...new Set(rows.map((r) => r.total))].sort((a, b) => b - a);
  for (const r of rows) r.rank = totals.indexOf(r.total) + 1;
  const tie = rows.filter((r) => r.total === best).map((r) => r.node);
  if (final) {
    for (const r of rows) {
      r.winner = r.node === f.node;
      r.tied = tie.length > 1 && r.total === best;
    }
  }
  rows.sort((a, b) => (final ? b.total - a.total : 0) || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  return { plugins, rows, final, ...(final && f.node ? { winner: f.node } : {}), tie: final && tie.length > 1 ? tie : [] };
}

/** The examined-node sample, as upstream's numFeasibleNodesToFind decides it. */
export function sampleView(f: CycleFacts, percentageOfNodesToScore: number): SampleView | undefined {
  const n = f.numAllNodes;
  if (n === undefined) return undefined;
  const toFind = numFeasibleNodesToFind(percentageOfNodesToScore, n);
  let rule: string;
  if (n < 100) rule = `every node: fewer than 100 nodes (${n})`;
  else {
    const pct = percentageOfNodesToScore || Math.max(5, 50 - Math.trunc(n / 125));
    const how = percentageOfNodesToScore ? `percentageOfNodesToScore ${pct}%` : `adaptive 50 - ${n}/125 = ${pct}%`;
    rule = `${how} of ${n} nodes, at least 100: stop at ${toFind} feasible`;
  }
  return { numAllNodes: n, examined: f.evaluatedNodes ?? 0, feasible: f.feasibleNodes ?? 0, toFind, rule, ...(f.startIndex !== undefined ? { startIndex: f.startIndex } : {}) };
}

function podStatus(input: ExplainerInput, facts: readonly CycleFacts[]): PodSchedulingStatus {
  const { pod } = input;
  if (!pod) return 'gone';
  if (facts[0]?.source === 'live') return 'scheduling';
  if (pod.spec?.nodeName) return facts.length > 0 || input.events.some((e) => e.reason === 'Scheduled') ? 'bound' : 'preassigned';
  if ((pod.spec?.schedulerName ?? 'default-scheduler') !== 'default-scheduler') return 'other-scheduler';
  if (pod.spec?.schedulingGates?.length) return 'gated';
  return 'pending';
}

function headline(status: PodSchedulingStatus, input: ExplainerInput, facts: readonly CycleFacts[]): string {
  const pod = input.podKey;
  switch (status) {
    case 'gone':
      return `${pod} is not stored any more.`;
    case 'scheduling': {
      const p = facts[0].current;
      const label = p && (CYCLE_POINTS as readonly string[]).includes(p) ? POINT_LABEL[p as StepPoint] : 'its cycle';
      return `kube-scheduler is scheduling ${pod}: ${label}.`;
    }
    case 'bound':
      return `Bound to ${input.pod?.spec?.nodeName}${facts[0]?.attempt ? ` on attempt ${facts[0].attempt}` : ''}.`;
    case 'preassigned':
      return `Placed on ${input.pod?.spec?.nodeName} by its spec.nodeName: kube-scheduler never scheduled it.`;
    case 'other-scheduler':
      return `Its schedulerName is ${input.pod?.spec?.schedulerName}: the default scheduler leaves it alone.`;
    case 'gated':
      return `Pending: scheduling gates hold it out of the queue (${(input.pod?.spec?.schedulingGates ?? []).map((g) => g.name).join(', ')}).`;
    case 'pending':
      if (!input.schedulerRunning) return 'Pending, and kube-scheduler is not running.';
      return standby(input) ? 'Pending, and no kube-scheduler holds the Lease: nothing schedules it until one takes it.' : 'Pending: not bound to a node yet.';
  }
}

/** "Why is it pending?": the FitError summary and each node's first rejection, and when it is tried again. */
function pendingWhy(input: ExplainerInput, facts: readonly CycleFacts[], status: PodSchedulingStatus): PendingWhy {
  const cond = input.pod?.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const lastFailure = [...input.events].reverse().find((e) => e.reason === 'FailedScheduling');
  const latest = facts.find((f) => f.outcome === 'failed') ?? facts[0];
  const summary =
    cond?.message ||
    lastFailure?.message ||
    latest?.message ||
    (status === 'gated' ? 'It waits until its scheduling gates are removed (PreEnqueue: SchedulingGates).' : 'No cycle has run for it yet: it waits in activeQ.');
  const perNode: PendingWhy['perNode'] = [];
  if (latest && latest.outcome !== 'bound')
    for (const [node, verdicts] of Object.entries(latest.filterResult)) {
      const failed = Object.entries(verdicts).find(([, v]) => v !== 'passed');
      perNode.push(failed ? { node, plugin: failed[0], reason: failed[1] } : { node, plugin: '', reason: 'passed Filter (no node was chosen: see the message)' });
    }
  const entry = input.queue.find((q) => q.pod === input.podKey);
  let next: string | undefined;
  if (!input.schedulerRunning) next = 'kube-scheduler is stopped: nothing will try until it starts again.';
  else if (standby(input))
    next = `${input.scheduler!.name} is a standby and no replica leads: it waits until one takes the Lease kube-system/kube-scheduler (once the candidates have seen it unrenewed for 15 s).`;
  else if (entry?.queue === 'activeQ') next = 'In activeQ: it is tried in the next cycle its priority allows.';
  else if (entry?.queue === 'backoffQ' && entry.backoffUntil !== undefined)
    next = `In backoffQ after ${entry.attempts} attempt${entry.attempts === 1 ? '' : 's'} (1 s doubling to 10 s): active again at ${formatClock(entry.backoffUntil)}.`;
  else if (entry?.queue === 'unschedulable')
    next = `Unschedulable: back in the queue when a change may help (a node added or updated, a pod deleted, ...) or at ${formatClock(entry.flushAt ?? 0)} at the latest (5 minutes).`;
  else if (entry?.queue === 'gated') next = 'Gated: PreEnqueue keeps it out of activeQ.';
  return { summary, perNode, ...(next ? { next } : {}) };
}

function queuesView(queue: readonly QueueEntry[], podKey: string): QueuesView {
  const counts: Record<QueueName, number> = { activeQ: 0, backoffQ: 0, unschedulable: 0, gated: 0 };
  const rows: Record<QueueName, QueueRow[]> = { activeQ: [], backoffQ: [], unschedulable: [], gated: [] };
  for (const q of queue) {
    counts[q.queue]++;
    const self = q.pod === podKey;
    if (rows[q.queue].length < QUEUE_ROWS || self) rows[q.queue].push({ ...q, self });
  }
  return { counts, rows };
}

/** The explained scheduler runs but does not hold the Lease: it queues pods and schedules none. */
function standby(input: ExplainerInput): boolean {
  return input.scheduler !== undefined && !input.scheduler.leading;
}

/** Which replica the view explains (shown with several, or when the one explained is a standby). */
function replicaNote(input: ExplainerInput): ExplainerView['replica'] | undefined {
  const s = input.scheduler;
  // One scheduler that leads, or is stopped (the headline says so): nothing to add.
  if (!s || (s.replicas <= 1 && (s.leading || !input.schedulerRunning))) return undefined;
  if (s.leading) return { name: s.name, leading: true, note: `Explained from ${s.name}'s cycle log: of ${s.replicas} kube-scheduler replicas, it holds the Lease kube-system/kube-scheduler and schedules.` };
  if (!input.schedulerRunning) return { name: s.name, leading: false, note: `No kube-scheduler runs: ${s.name}'s last cycles are shown.` };
  return {
    name: s.name,
    leading: false,
    note: `No kube-scheduler holds the Lease kube-system/kube-scheduler now: explained from ${s.name}, a standby (its queue fills, it schedules nothing until it takes the Lease).`,
  };
}

/**
 * The scheduler the explainer reads: the one holding the Lease; between two
 * leaders (the holder stopped without giving the Lease up) a running
 * standby, whose queue holds the pending pods too; else the first.
 */
export function explainedScheduler(cluster: Cluster): Scheduler {
  const all = cluster.schedulers;
  return all.find((s) => s.leading) ?? all.find((s) => s.running) ?? cluster.scheduler;
}

/** The queues as the scheduler holds them now (capped: a 50,000-pod queue is not listed whole). */
export function queueEntries(cluster: Cluster, limit = 2_000): QueueEntry[] {
  const sch = explainedScheduler(cluster);
  if (!sch.running || sch.pendingCount() > limit) return [];
  return sch.pending().map(({ queue, info }) => {
    const key = `${info.pod.metadata?.namespace}/${info.pod.metadata?.name}`;
    return {
      queue,
      pod: key,
      attempts: info.attempts,
      ...(queue === 'backoffQ' ? { backoffUntil: sch.backoffExpiry(info) } : {}),
      ...(queue === 'unschedulable' && info.unschedulableSince !== undefined ? { unschedulableSince: info.unschedulableSince, flushAt: info.unschedulableSince + DEFAULT_QUEUE.maxInUnschedulable } : {}),
      plugins: [...info.unschedulablePlugins].sort(),
    };
  });
}

/** Everything explainPod needs, read from the live cluster. */
export function explainerInput(cluster: Cluster, podKey: string, cycleId?: string): ExplainerInput {
  const [namespace, name] = splitKey(podKey);
  const kv = cluster.etcd.store.get(`/registry/pods/${namespace}/${name}`);
  const pod = (kv?.value as Pod | undefined) ?? null;
  const sch = explainedScheduler(cluster);
  const plugins: Partial<Record<StepPoint, string[]>> = {};
  for (const p of CYCLE_POINTS) plugins[p] = sch.running ? sch.pluginsAt(p as ExtensionPoint) : [];
  // Only this pod's Events become rows (a big cluster stores tens of thousands).
  const about = storedEvents(cluster).filter((e) => e.involvedObject?.kind === 'Pod' && e.involvedObject.name === name && (e.involvedObject.namespace ?? '') === namespace);
  const events = pod ? eventsAbout(eventRows(about), { kind: 'Pod', namespace, name, uid: pod.metadata?.uid }) : [];
  return {
    podKey,
    pod,
    now: cluster.now,
    schedulerRunning: sch.running,
    scheduler: { name: sch.name, leading: sch.leading, replicas: cluster.schedulers.length },
    ...(sch.cycle ? { live: sch.cycle } : {}),
    point: sch.point,
    log: sch.cycleLog,
    queue: queueEntries(cluster),
    plugins,
    weights: sch.settings.profile.weights,
    percentageOfNodesToScore: sch.settings.profile.percentageOfNodesToScore,
    events,
    ...(cycleId ? { cycleId } : {}),
  };
}

function splitKey(podKey: string): [string, string] {
  const i = podKey.indexOf('/');
  return i < 0 ? ['default', podKey] : [podKey.slice(0, i), podKey.slice(i + 1)];
}

function parseJson<T>(s: string | undefined): T | undefined {
  if (!s) return undefined;
  try {
    return JSON.parse(s) as T;
  } catch {
    return undefined;
  }
}
