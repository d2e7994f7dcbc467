// NodeResourcesBalancedAllocation: favours nodes whose resources would be
// used in even shares after placing the pod. Upstream:
// pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go.
//
// score = int64((1 - std) * 100), std the population standard deviation of
// the requested/allocatable fractions (each capped at 1), in float64; with
// two resources it is |f1 - f2| / 2. It uses the node's plain requested sums
// (useRequested), not the non-zero ones, and the pod's requests without the
// 100m / 200Mi defaults, so a pod requesting none of the resources (best
// effort) is skipped at PreScore (upstream #129138).
import type { Pod } from '../../api/types';
import type { PluginFactory } from '../framework/registry';
import type { Status } from '../framework/status';
import { SKIP, SUCCESS } from '../framework/status';
import type { NodeBatch } from '../framework/node-batch';
import type { CycleState, NodeInfo, PreScorePlugin, ScorePlugin } from '../framework/types';
import { MAX_NODE_SCORE } from '../framework/types';
import { LastCycle } from './last-cycle';
import type { ResourceSpec } from './node-resources-fit';
import { ArgsDecoder, throwArgsErrors, validateBalancedAllocationResources } from './node-resources-fit';
import { PodRequestsState, ResourceAllocationScorer, type ResourceColumns } from './resource-allocation';

export const NODE_RESOURCES_BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

/** CycleState key of the pod's per-resource requests, written at PreScore (upstream's balancedAllocationPreScoreStateKey). */
export const BALANCED_ALLOCATION_PRE_SCORE_STATE_KEY = 'PreScore' + NODE_RESOURCES_BALANCED_ALLOCATION;

/** NodeResourcesBalancedAllocationArgs after defaulting (cpu and memory; weight 0 -> 1) and validation. */
export interface NodeResourcesBalancedAllocationArgs {
  resources: ResourceSpec[];
}

export function parseBalancedAllocationArgs(args: Record<string, unknown> | undefined): NodeResourcesBalancedAllocationArgs {
  const d = new ArgsDecoder();
  const root = d.object(args, '', ['resources']) ?? {};
  const resources = d.resources(root.resources, 'resources');
  if (d.errors.length) throwArgsErrors(NODE_RESOURCES_BALANCED_ALLOCATION, d.errors);
  const errs = validateBalancedAllocationResources(resources);
  if (errs.length) throwArgsErrors(NODE_RESOURCES_BALANCED_ALLOCATION, errs);
  return { resources };
}

/** True when the pod requests none of the scored resources. */
export function isBestEffortRequestList(podRequests: readonly number[]): boolean {
  for (let i = 0; i < podRequests.length; i++) if (podRequests[i] !== 0) return false;
  return true;
}

/**
 * balancedResourceScorer over filled lists (entries with allocatable 0 are
 * left out). `fractions` is scratch space at least as long as the lists.
 */
export function balancedResourceScore(requested: readonly number[], allocatable: readonly number[], fractions: Float64Array): number {
  let n = 0;
  let totalFraction = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    let fraction = requested[i] / allocatable[i];
    if (fraction > 1) fraction = 1;
    totalFraction += fraction;
    fractions[n++] = fraction;
  }
  return fractionsScore(fractions, n, totalFraction);
}

/** balancedResourceScore for every node of a batch, straight from the table's columns. */
export function balancedScoreNodes(cols: ResourceColumns, batch: NodeBatch, podRequests: readonly number[], fractions: Float64Array, out: number[]): void {
  const { slots, count } = batch;
  const resources = cols.alloc.length;
  if (resources === 2 && cols.alloc[0] && cols.alloc[1]) return balancedScoreNodes2(cols, batch, podRequests, fractions, out);
  for (let k = 0; k < count; k++) {
    const slot = slots[k];
    let n = 0;
    let totalFraction = 0;
    for (let i = 0; i < resources; i++) {
      const a = cols.alloc[i];
      if (a === undefined) continue;
      const capacity = a[slot];
      if (capacity === 0) continue;
      let fraction = (cols.used[i]![slot] + podRequests[i]) / capacity;
      if (fraction > 1) fraction = 1;
      totalFraction += fraction;
      fractions[n++] = fraction;
    }
    out[k] = fractionsScore(fractions, n, totalFraction);
  }
}

/** balancedScoreNodes for the usual two resources (cpu and memory), the loop over them unrolled. */
function balancedScoreNodes2(cols: ResourceColumns, batch: NodeBatch, podRequests: readonly number[], fractions: Float64Array, out: number[]): void {
  const { slots, count } = batch;
  const a0 = cols.alloc[0]!;
  const a1 = cols.alloc[1]!;
  const u0 = cols.used[0]!;
  const u1 = cols.used[1]!;
  const [p0, p1] = podRequests;
  for (let k = 0; k < count; k++) {
    const slot = slots[k];
    let n = 0;
    let totalFraction = 0;
    const c0 = a0[slot];
    if (c0 !== 0) {
      let fraction = (u0[slot] + p0) / c0;
      if (fraction > 1) fraction = 1;
      totalFraction += fraction;
      fractions[n++] = fraction;
    }
    const c1 = a1[slot];
    if (c1 !== 0) {
      let fraction = (u1[slot] + p1) / c1;
      if (fraction > 1) fraction = 1;
      totalFraction += fraction;
      fractions[n++] = fraction;
    }
    out[k] = fractionsScore(fractions, n, totalFraction);
  }
}

/** int64((1 - std) * 100) over the first n fractions. */
function fractionsScore(fractions: Float64Array, n: number, totalFraction: number): number {
  let std = 0;
  if (n === 2) {
    std = Math.abs((fractions[0] - fractions[1]) / 2);
  } else if (n > 2) {
    const mean = totalFraction / n;
    let sum = 0;
    for (let i = 0; i < n; i++) sum = sum + (fractions[i] - mean) * (fractions[i] - mean);
    std = Math.sqrt(sum / n);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export type NodeResourcesBalancedAllocationPlugin = PreScorePlugin & ScorePlugin & { readonly args: NodeResourcesBalancedAllocationArgs };

export const newNodeResourcesBalancedAllocation: PluginFactory = (rawArgs) => {
  const args = parseBalancedAllocationArgs(rawArgs);
  const allocation = new ResourceAllocationScorer(args.resources, true);
  const fractions = new Float64Array(args.resources.length);
  const last = new LastCycle<readonly number[]>();

  const plugin: NodeResourcesBalancedAllocationPlugin = {
    name: NODE_RESOURCES_BALANCED_ALLOCATION,
    args,

    preScore(state: CycleState, pod: Pod): Status {
      const podRequests = allocation.podRequestList(pod);
      if (isBestEffortRequestList(podRequests)) return SKIP;
      state.write(BALANCED_ALLOCATION_PRE_SCORE_STATE_KEY, new PodRequestsState(podRequests));
      last.remember(state, pod, podRequests);
      return SUCCESS;
    },

    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo) {
      const podRequests = podRequestsFor(state, pod);
      // Without PreScore (upstream's fallback), a best-effort pod scores 0.
      if (isBestEffortRequestList(podRequests)) return 0;
      allocation.fill(nodeInfo, podRequests);
      return balancedResourceScore(allocation.requested, allocation.allocatable, fractions);
    },

    scoreNodes(state: CycleState, pod: Pod, batch: NodeBatch, out: number[]) {
      const podRequests = podRequestsFor(state, pod);
      const { table, slots, count } = batch;
      if (isBestEffortRequestList(podRequests)) {
        for (let k = 0; k < count; k++) out[k] = 0;
        return;
      }
      const cols = allocation.columns(table);
      if (cols) return balancedScoreNodes(cols, batch, podRequests, fractions, out);
      for (let k = 0; k < count; k++) {
        allocation.fillSlot(table, slots[k], podRequests);
        out[k] = balancedResourceScore(allocation.requested, allocation.allocatable, fractions);
      }
    },
  };
  function podRequestsFor(state: CycleState, pod: Pod): readonly number[] {
    let podRequests = last.get(state, pod);
    if (!podRequests) {
      podRequests = state.read<PodRequestsState>(BALANCED_ALLOCATION_PRE_SCORE_STATE_KEY)?.podRequests ?? allocation.podRequestList(pod);
      last.remember(state, pod, podRequests);
    }
    return podRequests;
  }
  return plugin;
};
