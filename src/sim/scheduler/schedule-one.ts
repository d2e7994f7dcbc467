// One scheduling cycle for one pod, as upstream's schedulePod /
// findNodesThatFitPod / prioritizeNodes / selectHost. It is a generator: it
// yields each extension point as it enters it, so the scheduler can show
// (and a later stepping mode can pause at) the point it is in.
import type { Pod } from '../api/types';
import type { Framework, ScoreTable } from './framework/framework';
import { NodeBatch } from './framework/node-batch';
import { NodeTable } from './framework/node-table';
import { isSuccess, type Status } from './framework/status';
import { CycleState, type FilterPlugin, type NodeInfo, type NodeToStatus, type PostFilterResult, type Snapshot } from './framework/types';
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
  const { table, order } = snapshot.table ? snapshot.table() : { table: NodeTable.of(all), order: identity(all.length) };
  let nodes: readonly NodeInfo[] = all;
  let slots = order;
  if (pre.result.nodeNames) {
    // Only the nodes PreFilter kept that exist, in the order PreFilter named them
    // (upstream ranges over a Go set; a fixed order keeps runs repeatable).
    const kept: NodeInfo[] = [];
    for (const name of pre.result.nodeNames) {
      const n = snapshot.get(name);
      if (n) kept.push(n);
    }
    nodes = kept;
    slots = Int32Array.from(kept, (n) => table.slot(n.name)!);
    const ruledOut = { code: 'UnschedulableAndUnresolvable' as const, reasons: [`node(s) didn't satisfy plugin(s) [${pre.narrowedBy.join(' ')}]`] };
    diagnosis.absent = { status: ruledOut, count: all.length - kept.length };
  }

  yield 'filter';
  const scratch = scratchFor(fw, table);
  const feasible = findFeasible(ctx, pod, nodes, slots, result, scratch);
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
  const { table: scores, status } = fw.runScore(state, pod, scratch.feasible, recordFor || ctx.explainNodes > 0);
  if (!isSuccess(status)) return { ...result, error: status.reasons.join(', ') };
  yield 'normalizeScore';
  result.scores = scores;
  result.node = feasible[selectHost(scores.total, feasible.length, ctx.randomInt)].name;
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

/**
 * A framework's buffers for its cycles' node lists: cycles run one at a
 * time, to the end, so each cycle reuses them (nothing keeps them past it).
 */
interface Scratch {
  /** The nodes Filter examines next. */
  chunk: NodeBatch;
  /** The feasible nodes, for Score, and their NodeInfos, for PreScore. */
  feasible: NodeBatch;
  feasibleInfos: NodeInfo[];
  /** Per node of the chunk: its rejection, and which plugin gave it. */
  out: (Status | undefined)[];
  by: Int32Array;
}
const scratches = new WeakMap<Framework, Scratch>();

function scratchFor(fw: Framework, table: NodeTable): Scratch {
  let s = scratches.get(fw);
  if (!s) scratches.set(fw, (s = { chunk: new NodeBatch(table), feasible: new NodeBatch(table), feasibleInfos: [], out: [], by: new Int32Array(64) }));
  s.chunk.clear(table);
  s.feasible.clear(table);
  return s;
}

const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/**
 * Upstream findNodesThatPassFilters: start where the last cycle stopped;
 * stop once enough feasible nodes are found. The nodes go through Filter in
 * batches as large as the number still wanted, so no batch reaches past the
 * node where the walk one by one would stop. Fills scratch.feasible; the
 * list returned is scratch.feasibleInfos (this cycle's).
 */
function findFeasible(ctx: CycleContext, pod: Pod, nodes: readonly NodeInfo[], slots: Int32Array, result: CycleResult, scratch: Scratch): NodeInfo[] {
  const n = nodes.length;
  const want = numFeasibleNodesToFind(ctx.framework.profile.percentageOfNodesToScore, n);
  const fw = ctx.framework;
  const { table } = scratch.feasible;
  // Nominated pods (after preemption) are rare: with some, Filter runs node by node to count them where they are.
  if (fw.hasNominatedPods()) return findFeasibleWithNominated(ctx, pod, nodes, slots, want, result, scratch);
  // Written by index and truncated once: the list's length is set only when it changes (a slow operation).
  const feasible = scratch.feasibleInfos;
  let found = 0;
  const { diagnosis } = result;
  const { chunk, out } = scratch;
  const start = ctx.nextStartNodeIndex;
  const explain = ctx.explainNodes;
  let processed = 0;
  while (processed < n && found < want) {
    const size = Math.min(want - found, n - processed);
    chunk.resize(size);
    const at = chunk.slots;
    for (let k = 0, i = (start + processed) % n; k < size; k++, i = i + 1 === n ? 0 : i + 1) at[k] = slots[i];
    if (scratch.by.length < size) scratch.by = new Int32Array(Math.max(size, scratch.by.length * 2));
    const by = scratch.by;
    for (let k = 0; k < size; k++) {
      out[k] = undefined;
      by[k] = -1;
    }
    const plugins = fw.runFilterNodes(ctx.state, pod, chunk, out, by);
    const fb = scratch.feasible;
    let fc = fb.count;
    fb.resize(fc + size);
    const fs = fb.slots;
    for (let k = 0; k < size; k++) {
      const slot = at[k];
      const s = out[k];
      if (processed < explain) result.filterResult[table.names[slot]] = verdicts(plugins, s, by[k]);
      processed++;
      if (s === undefined) {
        feasible[found++] = table.infos[slot]!;
        fs[fc++] = slot;
      } else {
        const plugin = plugins[by[k]].name;
        diagnosis.nodeToStatus.set(table.names[slot], withPlugin(s, plugin));
        diagnosis.unschedulablePlugins.add(plugin);
      }
    }
    fb.count = fc;
  }
  result.evaluatedNodes = processed;
  ctx.nextStartNodeIndex = (start + processed) % n;
  if (feasible.length !== found) feasible.length = found;
  return feasible;
}

/** Frozen statuses (a plugin's shared rejections) with their plugin named, made once each. */
const named = new WeakMap<Status, Status>();
function withPlugin(s: Status, plugin: string): Status {
  if (!Object.isFrozen(s)) return { ...s, plugin };
  let n = named.get(s);
  if (n?.plugin !== plugin) named.set(s, (n = Object.freeze({ ...s, plugin })));
  return n;
}

/** What each plugin said of one node, as runFilter records it: "passed" up to the one that rejected it, then its reasons. */
function verdicts(plugins: readonly FilterPlugin[], s: Status | undefined, by: number): Record<string, string> {
  const record: Record<string, string> = {};
  const passed = s === undefined ? plugins.length : by;
  for (let j = 0; j < passed; j++) record[plugins[j].name] = 'passed';
  if (s !== undefined) record[plugins[by].name] = s.reasons.join(', ');
  return record;
}

/** findFeasible node by node, each node's Filter run with the pods nominated to it counted (upstream RunFilterPluginsWithNominatedPods). */
function findFeasibleWithNominated(ctx: CycleContext, pod: Pod, nodes: readonly NodeInfo[], slots: Int32Array, want: number, result: CycleResult, scratch: Scratch): NodeInfo[] {
  const n = nodes.length;
  const feasible: NodeInfo[] = [];
  const { diagnosis } = result;
  let processed = 0;
  for (let i = 0; i < n && feasible.length < want; i++) {
    const at = (ctx.nextStartNodeIndex + i) % n;
    const node = nodes[at];
    const record = processed < ctx.explainNodes ? (result.filterResult[node.name] = {}) : undefined;
    processed++;
    const s: Status = ctx.framework.runFilterWithNominatedPods(ctx.state, pod, node, record);
    if (s.code === 'Success') {
      feasible.push(node);
      scratch.feasible.push(slots[at]);
    } else {
      diagnosis.nodeToStatus.set(node.name, s);
      if (s.plugin) diagnosis.unschedulablePlugins.add(s.plugin);
    }
  }
  result.evaluatedNodes = processed;
  ctx.nextStartNodeIndex = (ctx.nextStartNodeIndex + processed) % n;
  return feasible;
}

/** Upstream selectHost: the index of the highest total; ties broken by reservoir sampling with the seeded random. */
function selectHost(total: readonly number[], n: number, randomInt: (n: number) => number): number {
  let selected = 0;
  let max = total[0];
  let count = 1;
  for (let i = 1; i < n; i++) {
    const s = total[i];
    if (s > max) {
      max = s;
      selected = i;
      count = 1;
    } else if (s === max) {
      count++;
      if (randomInt(count) === 0) selected = i;
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
