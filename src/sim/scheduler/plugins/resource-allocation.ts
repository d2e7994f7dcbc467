// Upstream's resourceAllocationScorer (noderesources/resource_allocation.go)
// and the scoring strategies NodeResourcesFit and BalancedAllocation share
// (least_allocated.go, most_allocated.go, requested_to_capacity_ratio.go,
// helper/shape_score.go): what each resource counts as requested and
// allocatable on a node, and the integer formulas over them. Exact as Go's
// int64 arithmetic.
import type { Pod } from '../../api/types';
import type { NodeBatch } from '../framework/node-batch';
import type { NodeTable } from '../framework/node-table';
import { RESOURCE_CPU, RESOURCE_EPHEMERAL_STORAGE, RESOURCE_MEMORY, isScalarResourceName, podRequestsList, scalarValue } from '../framework/resources';
import type { NodeInfo, Resource, StateData } from '../framework/types';
import { MAX_NODE_SCORE } from '../framework/types';
import type { ResourceSpec, UtilizationShapePoint } from './node-resources-fit';

/** config.MaxCustomPriorityScore: shape scores are 0..10, scaled by MaxNodeScore / 10. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;

/** trunc(a*b/c) for integers, exact (Go's a*b/c on int64), also past 2^53. */
export function mulDiv(a: number, b: number, c: number): number {
  const p = a * b;
  if (Math.abs(p) <= Number.MAX_SAFE_INTEGER) return Math.trunc(p / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** Go's math.Round: half away from zero. */
export const roundHalfAway = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

// ---------------------------------------------------------------------------
// resourceAllocationScorer

const KIND_CPU = 0;
const KIND_MEMORY = 1;
const KIND_EPHEMERAL = 2;
const KIND_SCALAR = 3;
/** Neither native nor scalar (e.g. "pods"): never on the node's allocatable, so never scored. */
const KIND_OTHER = 4;

function kindOf(name: string): number {
  if (name === RESOURCE_CPU) return KIND_CPU;
  if (name === RESOURCE_MEMORY) return KIND_MEMORY;
  if (name === RESOURCE_EPHEMERAL_STORAGE) return KIND_EPHEMERAL;
  return isScalarResourceName(name) ? KIND_SCALAR : KIND_OTHER;
}

/**
 * Upstream's resourceAllocationScorer: the resources to score (in the order
 * the args list them) and whether cpu/memory use the node's plain requested
 * sum (BalancedAllocation) or its non-zero one (NodeResourcesFit).
 */
/**
 * The table's columns for each resource of a scorer: the node's allocatable,
 * and the requested sum the pod's request is added to; undefined for a
 * resource no node has on its allocatable (it is never scored).
 */
export interface ResourceColumns {
  alloc: (Float64Array | undefined)[];
  used: (Float64Array | undefined)[];
}

export class ResourceAllocationScorer {
  readonly names: string[];
  readonly weights: number[];
  private readonly kinds: Uint8Array;
  /** Per-call buffers: Score is synchronous, so one pair per plugin instance is enough. */
  readonly requested: number[];
  readonly allocatable: number[];

  constructor(
    resources: readonly ResourceSpec[],
    readonly useRequested: boolean,
  ) {
    this.names = resources.map((r) => r.name);
    this.weights = resources.map((r) => r.weight);
    this.kinds = Uint8Array.from(this.names, kindOf);
    this.requested = new Array<number>(this.names.length).fill(0);
    this.allocatable = new Array<number>(this.names.length).fill(0);
  }

  /**
   * calculatePodResourceRequestList: the pod's request of each resource, with
   * the 100m / 200Mi defaults for containers that omit cpu / memory unless useRequested.
   */
  podRequestList(pod: Pod): number[] {
    const list = podRequestsList(pod, { nonMissingCPU: !this.useRequested, nonMissingMemory: !this.useRequested });
    return this.names.map((n) => scalarValue(n, list.get(n) ?? 0));
  }

  /**
   * calculateResourceAllocatableRequest for every resource, into this.requested
   * and this.allocatable (both 0 where the node has none, or an extended
   * resource the pod does not request).
   */
  fill(nodeInfo: NodeInfo, podRequests: readonly number[]): void {
    const alloc = nodeInfo.allocatable;
    const used = nodeInfo.requested;
    const nonZero = this.useRequested ? used : nodeInfo.nonZeroRequested;
    for (let i = 0; i < this.requested.length; i++) {
      const podReq = podRequests[i];
      let a = 0;
      let r = 0;
      switch (this.kinds[i]) {
        case KIND_CPU:
          a = alloc.milliCPU;
          r = nonZero.milliCPU + podReq;
          break;
        case KIND_MEMORY:
          a = alloc.memory;
          r = nonZero.memory + podReq;
          break;
        case KIND_EPHEMERAL:
          a = alloc.ephemeralStorage;
          r = used.ephemeralStorage + podReq;
          break;
        case KIND_SCALAR:
          this.putScalar(i, alloc, used, podReq);
          continue;
      }
      this.put(i, a, r);
    }
  }

  /** Resource i's allocatable and requested with the pod, both 0 where the node has none. */
  private put(i: number, allocatable: number, requested: number): void {
    this.allocatable[i] = allocatable;
    this.requested[i] = allocatable === 0 ? 0 : requested;
  }

  /** An extended resource from a NodeInfo's sums: only one the pod requests counts. */
  private putScalar(i: number, alloc: Resource, used: Resource, podReq: number): void {
    const name = this.names[i];
    const a = podReq === 0 ? undefined : alloc.scalar[name];
    if (a === undefined) this.put(i, 0, 0);
    else this.put(i, a, (used.scalar[name] ?? 0) + podReq);
  }

  /**
   * The columns fill() reads, or undefined when a resource is a scalar one
   * (extended, hugepages): those are kept on the NodeInfo, not in the table.
   */
  columns(t: NodeTable): ResourceColumns | undefined {
    const alloc: (Float64Array | undefined)[] = [];
    const used: (Float64Array | undefined)[] = [];
    for (let i = 0; i < this.kinds.length; i++) {
      switch (this.kinds[i]) {
        case KIND_CPU:
          alloc.push(t.allocCpu);
          used.push(this.useRequested ? t.reqCpu : t.nzCpu);
          break;
        case KIND_MEMORY:
          alloc.push(t.allocMem);
          used.push(this.useRequested ? t.reqMem : t.nzMem);
          break;
        case KIND_EPHEMERAL:
          alloc.push(t.allocEph);
          used.push(t.reqEph);
          break;
        case KIND_SCALAR:
          return undefined;
        default:
          alloc.push(undefined);
          used.push(undefined);
      }
    }
    return { alloc, used };
  }

  /** fill() for the node in a table slot, from the table's columns (scalar resources from its NodeInfo). */
  fillSlot(t: NodeTable, slot: number, podRequests: readonly number[]): void {
    for (let i = 0; i < this.requested.length; i++) {
      const podReq = podRequests[i];
      let a = 0;
      let r = 0;
      switch (this.kinds[i]) {
        case KIND_CPU:
          a = t.allocCpu[slot];
          r = (this.useRequested ? t.reqCpu[slot] : t.nzCpu[slot]) + podReq;
          break;
        case KIND_MEMORY:
          a = t.allocMem[slot];
          r = (this.useRequested ? t.reqMem[slot] : t.nzMem[slot]) + podReq;
          break;
        case KIND_EPHEMERAL:
          a = t.allocEph[slot];
          r = t.reqEph[slot] + podReq;
          break;
        case KIND_SCALAR: {
          const info = t.infos[slot]!;
          this.putScalar(i, info.allocatable, info.requested, podReq);
          continue;
        }
      }
      this.put(i, a, r);
    }
  }
}

/** A strategy's formula over the filled requested/allocatable lists. */
export type ResourceScorer = (requested: readonly number[], allocatable: readonly number[]) => number;

/** leastRequestedScore: the unused share, 0..100; 0 when over capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return mulDiv(capacity - requested, MAX_NODE_SCORE, capacity);
}

/** mostRequestedScore: the used share, 0..100; requested is capped at capacity. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return mulDiv(Math.min(requested, capacity), MAX_NODE_SCORE, capacity);
}

/** A resource's share score (leastRequestedScore, mostRequestedScore). */
export type ShareScore = (requested: number, capacity: number) => number;

function weightedScorer(weights: readonly number[], per: ShareScore): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      nodeScore += per(requested[i], allocatable[i]) * weights[i];
      weightSum += weights[i];
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}

/**
 * weightedScorer for every node of a batch, straight from the table's
 * columns: per node, sum(per(requested + pod's request, allocatable) x weight)
 * over the resources the node has, divided (integer) by their weights.
 */
export function weightedScoreNodes(
  cols: ResourceColumns,
  weights: readonly number[],
  per: ShareScore,
  batch: NodeBatch,
  podRequests: readonly number[],
  out: number[],
): void {
  const { slots, count } = batch;
  const n = cols.alloc.length;
  if (n === 2 && cols.alloc[0] && cols.alloc[1]) return weightedScoreNodes2(cols, weights, per, batch, podRequests, out);
  for (let k = 0; k < count; k++) {
    const slot = slots[k];
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < n; i++) {
      const a = cols.alloc[i];
      if (a === undefined) continue;
      const capacity = a[slot];
      if (capacity === 0) continue;
      nodeScore += per(cols.used[i]![slot] + podRequests[i], capacity) * weights[i];
      weightSum += weights[i];
    }
    out[k] = weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  }
}

/** weightedScoreNodes for the usual two resources (cpu and memory), the loop over them unrolled. */
function weightedScoreNodes2(cols: ResourceColumns, weights: readonly number[], per: ShareScore, batch: NodeBatch, podRequests: readonly number[], out: number[]): void {
  const { slots, count } = batch;
  const a0 = cols.alloc[0]!;
  const a1 = cols.alloc[1]!;
  const u0 = cols.used[0]!;
  const u1 = cols.used[1]!;
  const [p0, p1] = podRequests;
  const [w0, w1] = weights;
  for (let k = 0; k < count; k++) {
    const slot = slots[k];
    let nodeScore = 0;
    let weightSum = 0;
    const c0 = a0[slot];
    if (c0 !== 0) {
      nodeScore += per(u0[slot] + p0, c0) * w0;
      weightSum += w0;
    }
    const c1 = a1[slot];
    if (c1 !== 0) {
      nodeScore += per(u1[slot] + p1, c1) * w1;
      weightSum += w1;
    }
    out[k] = weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  }
}

/** LeastAllocated: sum(leastRequestedScore x weight) / sum(weight), integer division. */
export const leastResourceScorer = (weights: readonly number[]): ResourceScorer => weightedScorer(weights, leastRequestedScore);
/** MostAllocated: sum(mostRequestedScore x weight) / sum(weight), integer division. */
export const mostResourceScorer = (weights: readonly number[]): ResourceScorer => weightedScorer(weights, mostRequestedScore);

/**
 * helper.BuildBrokenLinearFunction: the shape's first score below its first
 * point, its last score past its last point, linear (integer division) between.
 */
export function brokenLinearFunction(shape: readonly UtilizationShapePoint[]): (p: number) => number {
  const u = shape.map((s) => s.utilization);
  const sc = shape.map((s) => s.score);
  return (p) => {
    for (let i = 0; i < u.length; i++) {
      if (p <= u[i]) {
        if (i === 0) return sc[0];
        return sc[i - 1] + Math.trunc(((sc[i] - sc[i - 1]) * (p - u[i - 1])) / (u[i] - u[i - 1]));
      }
    }
    return sc[sc.length - 1];
  };
}

/**
 * RequestedToCapacityRatio: each resource's utilization (0..100, integer)
 * through the shape (scores scaled 0..10 -> 0..100); resources scoring 0 do
 * not count toward the weights; the weighted mean is rounded half away from zero.
 */
export function requestedToCapacityRatioScorer(weights: readonly number[], shape: readonly UtilizationShapePoint[]): ResourceScorer {
  const scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
  const raw = brokenLinearFunction(shape.map((p) => ({ utilization: p.utilization, score: p.score * scale })));
  const maxUtilization = 100;
  const perResource = (requested: number, capacity: number) =>
    capacity === 0 || requested > capacity ? raw(maxUtilization) : raw(mulDiv(requested, maxUtilization, capacity));
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const s = perResource(requested[i], allocatable[i]);
      if (s > 0) {
        nodeScore += s * weights[i];
        weightSum += weights[i];
      }
    }
    return weightSum === 0 ? 0 : roundHalfAway(nodeScore / weightSum);
  };
}

/** Per-resource pod requests for scoring, computed once at PreScore (shared shape with BalancedAllocation). */
export class PodRequestsState implements StateData {
  constructor(readonly podRequests: readonly number[]) {}
  clone(): StateData {
    return this;
  }
}

