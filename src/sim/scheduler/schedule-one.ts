// One scheduling cycle for one pod, as upstream's schedulePod /
// findNodesThatFitPod / prioritizeNodes / selectHost. It is a generator: it
// yields each extension point as it enters it, so the scheduler can show
// (and a later stepping mode can pause at) the point it is in.
import type { Pod } from '../api/types';
import type { Framework, ScoreTable } from './framework/framework';
import { isSuccess, type Status } from './framework/status';
import { CycleState, type NodeInfo, type NodeToStatus, type PostFilterResult, type Snapshot } from './framework/types';
import { numFeasibleNodesToFind, type ExtensionPoint } from './profile';

export interface Diagnosis {
  /** Nodes rejected by Filter (or PreFilter for all), with the status. */
  nodeToStatus: NodeToStatus;
  /**
   * The status of every node PreFilter left out (upstream SetAbsentNodesStatus),
   * kept once instead of per node: a DaemonSet pod names one node of 5,000.
   */
  absent?: { status: Status; count: number };
  preFilterMsg?: string;
  postFilterMsg?: string;
  unschedulablePlugins: Set<string>;
}

export interface CycleResult {
  /** The chosen node, when there is one. */
  node?: string;
  numAllNodes: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  diagnosis: Diagnosis;
  /** PostFilter (preemption) outcome when the pod did not fit. */
  postFilter?: PostFilterResult;
  /** An internal error (status code Error). */
  error?: string;
  filterResult: Record<string, Record<string, string>>;
  scores?: ScoreTable;
}

export interface CycleContext {
  framework: Framework;
  snapshot: Snapshot;
  state: CycleState;
  /** Where the last cycle stopped in the node list (upstream nextStartNodeIndex). */
  nextStartNodeIndex: number;
  randomInt(n: number): number;
  /** Record per-node explanations for at most this many nodes. */
  explainNodes: number;
}

export function* scheduleOne(ctx: CycleContext, pod: Pod): Generator<ExtensionPoint, CycleResult, void> {
  const { framework: fw, snapshot, state } = ctx;
  const all = snapshot.list();
  const diagnosis: Diagnosis = { nodeToStatus: new Map(), unschedulablePlugins: new Set() };
  const result: CycleResult = { numAllNodes: all.length, evaluatedNodes: 0, feasibleNodes: 0, diagnosis, filterResult: {} };
  if (all.length === 0) {
    diagnosis.preFilterMsg = undefined;
    return result;
  }

  yield 'preFilter';
  const pre = fw.runPreFilter(state, pod, all);
  if (!isSuccess(pre.status)) {
    if (pre.status.code === 'Error') return { ...result, error: pre.status.reasons.join(', ') };
    // Every node is rejected with the PreFilter status.
    for (const n of all) diagnosis.nodeToStatus.set(n.name, pre.status);
    diagnosis.preFilterMsg = pre.status.reasons.join(', ');
    if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
    return yield* postFilter(ctx, pod, result);
  }
  let nodes: readonly NodeInfo[] = all;
  if (pre.result.nodeNames) {
    // Only the nodes PreFilter kept that exist, in the order PreFilter named them
    // (upstream ranges over a Go set; a fixed order keeps runs repeatable).
    const kept: NodeInfo[] = [];
    for (const name of pre.result.nodeNames) {
      const n = snapshot.get(name);
      if (n) kept.push(n);
    }
    nodes = kept;
    const ruledOut = { code: 'UnschedulableAndUnresolvable' as const, reasons: [`node(s) didn't satisfy plugin(s) [${pre.narrowedBy.join(' ')}]`] };
    diagnosis.absent = { status: ruledOut, count: all.length - kept.length };
  }

  yield 'filter';
  const feasible = findFeasible(ctx, pod, nodes, result);
  result.feasibleNodes = feasible.length;
  if (feasible.length === 0) return yield* postFilter(ctx, pod, result);

  if (feasible.length === 1) {
    // One feasible node: upstream skips scoring.
    result.node = feasible[0].name;
    return result;
  }

  yield 'preScore';
  const ps = fw.runPreScore(state, pod, feasible);
  if (!isSuccess(ps)) return { ...result, error: ps.reasons.join(', ') };

  yield 'score';
  const recordFor = feasible.length <= ctx.explainNodes;
  const { table, status } = fw.runScore(state, pod, feasible, recordFor || ctx.explainNodes > 0);
  if (!isSuccess(status)) return { ...result, error: status.reasons.join(', ') };
  yield 'normalizeScore';
  result.scores = table;
  result.node = selectHost(feasible, table, ctx.randomInt);
  return result;
}

function* postFilter(ctx: CycleContext, pod: Pod, result: CycleResult): Generator<ExtensionPoint, CycleResult, void> {
  yield 'postFilter';
  const { diagnosis } = result;
  const pf = ctx.framework.runPostFilter(ctx.state, pod, diagnosis.nodeToStatus);
  result.postFilter = pf.result;
  if (pf.status.reasons.length) diagnosis.postFilterMsg = pf.status.reasons.join(', ');
  return result;
}

/** Upstream findNodesThatPassFilters: start where the last cycle stopped; stop once enough feasible nodes are found. */
function findFeasible(ctx: CycleContext, pod: Pod, nodes: readonly NodeInfo[], result: CycleResult): NodeInfo[] {
  const n = nodes.length;
  const want = numFeasibleNodesToFind(ctx.framework.profile.percentageOfNodesToScore, n);
  const feasible: NodeInfo[] = [];
  const { diagnosis } = result;
  let processed = 0;
  // Nominated pods (after preemption) are rare: with none, Filter runs without looking them up per node.
  const nominated = ctx.framework.hasNominatedPods();
  for (let i = 0; i < n && feasible.length < want; i++) {
    const node = nodes[(ctx.nextStartNodeIndex + i) % n];
    const record = processed < ctx.explainNodes ? (result.filterResult[node.name] = {}) : undefined;
    processed++;
    const s: Status = nominated ? ctx.framework.runFilterWithNominatedPods(ctx.state, pod, node, record) : ctx.framework.runFilter(ctx.state, pod, node, record);
    if (s.code === 'Success') feasible.push(node);
    else {
      diagnosis.nodeToStatus.set(node.name, s);
      if (s.plugin) diagnosis.unschedulablePlugins.add(s.plugin);
    }
  }
  result.evaluatedNodes = processed;
  ctx.nextStartNodeIndex = (ctx.nextStartNodeIndex + processed) % n;
  return feasible;
}

/** Upstream selectHost: the highest total; ties broken by reservoir sampling with the seeded random. */
function selectHost(nodes: readonly NodeInfo[], table: ScoreTable, randomInt: (n: number) => number): string {
  let selected = nodes[0].name;
  let max = table.total[0];
  let count = 1;
  for (let i = 1; i < nodes.length; i++) {
    const name = nodes[i].name;
    const s = table.total[i];
    if (s > max) {
      max = s;
      selected = name;
      count = 1;
    } else if (s === max) {
      count++;
      if (randomInt(count) === 0) selected = name;
    }
  }
  return selected;
}

/** Upstream FitError.Error(): "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) ... preemption: ...". */
export function fitErrorMessage(r: CycleResult): string {
  let msg = `0/${r.numAllNodes} nodes are available:`;
  const d = r.diagnosis;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const counts = new Map<string, number>();
    for (const s of d.nodeToStatus.values()) for (const reason of s.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    if (d.absent?.count) for (const reason of d.absent.status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + d.absent.count);
    const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  // The preemption message ends in its own full stop (current upstream appends it with " %v").
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}

export { CycleState };
