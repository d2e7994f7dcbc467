// NodeResourcesFit: Filter drops nodes without room for the pod's requests;
// Score ranks the rest by a scoring strategy (LeastAllocated by default).
// Upstream: pkg/scheduler/framework/plugins/noderesources (fit.go,
// resource_allocation.go, least_allocated.go, most_allocated.go,
// requested_to_capacity_ratio.go), helper/shape_score.go, and the args'
// defaults (apis/config/v1) and validation (validation_pluginargs.go).
//
// Also home to the scorer machinery BalancedAllocation shares with it
// (upstream's resourceAllocationScorer) and the args decoding helpers.
import type { Pod } from '../../api/types';
import type { FieldError } from '../../api/field-errors';
import { duplicate, forbidden, formatFieldError, invalid, notSupported, required } from '../../api/field-errors';
import { validateLabelName } from '../../api/labels';
import type { PluginArgs, PluginFactory } from '../framework/registry';
import { PluginArgsError } from '../framework/registry';
import {
  RESOURCE_CPU,
  RESOURCE_EPHEMERAL_STORAGE,
  RESOURCE_MEMORY,
  isExtendedResourceName,
  isScalarResourceName,
  podRequests,
  podRequestsList,
  scalarValue,
} from '../framework/resources';
import type { Status } from '../framework/status';
import { SUCCESS, error } from '../framework/status';
import type { CycleState, FilterPlugin, NodeInfo, PreFilterPlugin, PreScorePlugin, Resource, ScorePlugin, StateData } from '../framework/types';
import { MAX_NODE_SCORE } from '../framework/types';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

/** CycleState key of the pod's requests, written at PreFilter and read by Filter (upstream's preFilterStateKey). */
export const FIT_PRE_FILTER_STATE_KEY = 'PreFilter' + NODE_RESOURCES_FIT;
/** CycleState key of the pod's per-resource scoring requests, written at PreScore (upstream's preScoreStateKey). */
export const FIT_PRE_SCORE_STATE_KEY = 'PreScore' + NODE_RESOURCES_FIT;

// ---------------------------------------------------------------------------
// Args

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
export const SCORING_STRATEGY_TYPES: readonly ScoringStrategyType[] = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];

export interface ResourceSpec {
  name: string;
  weight: number;
}

/** A point of the RequestedToCapacityRatio shape: utilization 0..100 (%), score 0..10. */
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

export interface ScoringStrategy {
  type: ScoringStrategyType;
  resources: ResourceSpec[];
  requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
}

/** NodeResourcesFitArgs after defaulting and validation. */
export interface NodeResourcesFitArgs {
  ignoredResources: string[];
  ignoredResourceGroups: string[];
  scoringStrategy: ScoringStrategy;
}

/** config.MaxCustomPriorityScore: shape scores are 0..10, scaled by MaxNodeScore / 10. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;

/** v1's defaultResourceSpec: cpu and memory, weight 1 each. */
export const defaultResourceSpecs = (): ResourceSpec[] => [
  { name: RESOURCE_CPU, weight: 1 },
  { name: RESOURCE_MEMORY, weight: 1 },
];

/** Throws the errors as one PluginArgsError, printed as upstream's aggregate: "[a, b]" when several. */
export function throwArgsErrors(plugin: string, errs: FieldError[]): never {
  const parts = errs.map(formatFieldError);
  throw new PluginArgsError(`${plugin} args: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Decoding help for plugin args: type errors and unknown fields, as strict decoding refuses them. */
export class ArgsDecoder {
  readonly errors: FieldError[] = [];

  /** The object at `path` (undefined if absent), reporting fields other than `known` (apiVersion/kind are allowed). */
  object(v: unknown, path: string, known: readonly string[]): Record<string, unknown> | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isPlainObject(v)) {
      this.errors.push(invalid(path || '<args>', v, 'must be an object'));
      return undefined;
    }
    for (const k of Object.keys(v)) {
      if (known.includes(k) || (!path && (k === 'apiVersion' || k === 'kind'))) continue;
      this.errors.push(invalid(path ? `${path}.${k}` : k, v[k], `unknown field "${k}"`));
    }
    return v;
  }

  array(v: unknown, path: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.errors.push(invalid(path, v, 'must be a list'));
      return [];
    }
    return v;
  }

  strings(v: unknown, path: string): string[] {
    const out: string[] = [];
    this.array(v, path).forEach((s, i) => {
      if (typeof s === 'string') out.push(s);
      else this.errors.push(invalid(`${path}[${i}]`, s, 'must be a string'));
    });
    return out;
  }

  string(v: unknown, path: string): string {
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') {
      this.errors.push(invalid(path, v, 'must be a string'));
      return '';
    }
    return v;
  }

  /** An integer (0 when absent), as the int32/int64 fields decode. */
  integer(v: unknown, path: string): number {
    if (v === undefined || v === null) return 0;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      this.errors.push(invalid(path, v, 'must be an integer'));
      return 0;
    }
    return v;
  }

  /** []ResourceSpec with v1 defaulting: an empty list is cpu:1, memory:1; a weight of 0 (or none) is 1. */
  resources(v: unknown, path: string): ResourceSpec[] {
    const list = this.array(v, path);
    if (list.length === 0) return defaultResourceSpecs();
    return list.map((r, i) => {
      const p = `${path}[${i}]`;
      const o = this.object(r, p, ['name', 'weight']) ?? {};
      const weight = this.integer(o.weight, `${p}.weight`);
      return { name: this.string(o.name, `${p}.name`), weight: weight === 0 ? 1 : weight };
    });
  }
}

function validateShape(shape: UtilizationShapePoint[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (shape.length === 0) return [required(path, 'at least one point must be specified')];
  for (let i = 1; i < shape.length; i++) {
    if (shape[i - 1].utilization >= shape[i].utilization) {
      errs.push(invalid(`${path}[${i}].utilization`, shape[i].utilization, 'values must be sorted in increasing order'));
      break;
    }
  }
  shape.forEach((p, i) => {
    if (p.utilization < 0 || p.utilization > 100) errs.push(invalid(`${path}[${i}].utilization`, p.utilization, 'not in valid range [0, 100]'));
    if (p.score < 0 || p.score > MAX_CUSTOM_PRIORITY_SCORE)
      errs.push(invalid(`${path}[${i}].score`, p.score, `not in valid range [0, ${MAX_CUSTOM_PRIORITY_SCORE}]`));
  });
  return errs;
}

/**
 * Decodes, defaults (apis/config/v1 SetDefaults_NodeResourcesFitArgs) and
 * validates (ValidateNodeResourcesFitArgs) NodeResourcesFit's args; throws
 * PluginArgsError naming the field, with upstream's wording.
 */
export function parseNodeResourcesFitArgs(args: PluginArgs): NodeResourcesFitArgs {
  const d = new ArgsDecoder();
  const root = d.object(args, '', ['ignoredResources', 'ignoredResourceGroups', 'scoringStrategy']) ?? {};
  const ignoredResources = d.strings(root.ignoredResources, 'ignoredResources');
  const ignoredResourceGroups = d.strings(root.ignoredResourceGroups, 'ignoredResourceGroups');

  let scoringStrategy: ScoringStrategy;
  const ss = d.object(root.scoringStrategy, 'scoringStrategy', ['type', 'resources', 'requestedToCapacityRatio']);
  if (!ss) {
    scoringStrategy = { type: 'LeastAllocated', resources: defaultResourceSpecs() };
  } else {
    scoringStrategy = {
      type: d.string(ss.type, 'scoringStrategy.type') as ScoringStrategyType,
      resources: d.resources(ss.resources, 'scoringStrategy.resources'),
    };
    const rtcr = d.object(ss.requestedToCapacityRatio, 'scoringStrategy.requestedToCapacityRatio', ['shape']);
    if (rtcr) {
      const shapePath = 'scoringStrategy.requestedToCapacityRatio.shape';
      scoringStrategy.requestedToCapacityRatio = {
        shape: d.array(rtcr.shape, shapePath).map((pt, i) => {
          const o = d.object(pt, `${shapePath}[${i}]`, ['utilization', 'score']) ?? {};
          return {
            utilization: d.integer(o.utilization, `${shapePath}[${i}].utilization`),
            score: d.integer(o.score, `${shapePath}[${i}].score`),
          };
        }),
      };
    }
  }
  if (d.errors.length) throwArgsErrors(NODE_RESOURCES_FIT, d.errors);

  const errs: FieldError[] = [];
  ignoredResources.forEach((r, i) => errs.push(...validateLabelName(r, `ignoredResources[${i}]`)));
  ignoredResourceGroups.forEach((g, i) => {
    const p = `ignoredResourceGroups[${i}]`;
    if (g.includes('/')) errs.push(invalid(p, g, "resource group name can't contain '/'"));
    errs.push(...validateLabelName(g, p));
  });
  const s = scoringStrategy;
  if (!SCORING_STRATEGY_TYPES.includes(s.type)) errs.push(notSupported('scoringStrategy.type', s.type, [...SCORING_STRATEGY_TYPES]));
  s.resources.forEach((r, i) => {
    if (r.weight <= 0 || r.weight > 100)
      errs.push(invalid(`scoringStrategy.resources[${i}].weight`, r.weight, `resource weight of ${r.name} not in valid range (0, 100]`));
  });
  if (s.type === 'RequestedToCapacityRatio') {
    if (!s.requestedToCapacityRatio)
      errs.push(required('scoringStrategy.requestedToCapacityRatio', 'must be specified when type is RequestedToCapacityRatio'));
    else errs.push(...validateShape(s.requestedToCapacityRatio.shape, 'scoringStrategy.requestedToCapacityRatio.shape'));
  } else if (s.requestedToCapacityRatio) {
    errs.push(forbidden('scoringStrategy.requestedToCapacityRatio', 'must be nil when type is not RequestedToCapacityRatio'));
  }
  if (errs.length) throwArgsErrors(NODE_RESOURCES_FIT, errs);
  return { ignoredResources, ignoredResourceGroups, scoringStrategy };
}

/** ValidateNodeResourcesBalancedAllocationArgs' checks on a defaulted resource list: unique names, weight 1. */
export function validateBalancedAllocationResources(resources: ResourceSpec[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  resources.forEach((r, i) => {
    if (seen.has(r.name)) errs.push(duplicate(`resources[${i}].name`, r.name));
    else seen.add(r.name);
    if (r.weight !== 1) errs.push(invalid(`resources[${i}].weight`, r.weight, 'must be 1'));
  });
  return errs;
}

// ---------------------------------------------------------------------------
// Integer arithmetic as Go's int64 does it

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
    const req = this.requested;
    const cap = this.allocatable;
    for (let i = 0; i < req.length; i++) {
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
        case KIND_SCALAR: {
          if (podReq === 0) break;
          const name = this.names[i];
          const s = alloc.scalar[name];
          if (s !== undefined) {
            a = s;
            r = (used.scalar[name] ?? 0) + podReq;
          }
          break;
        }
      }
      if (a === 0) {
        cap[i] = 0;
        req[i] = 0;
      } else {
        cap[i] = a;
        req[i] = r;
      }
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

function weightedScorer(weights: readonly number[], per: (r: number, c: number) => number): ResourceScorer {
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

/**
 * The value a plugin derived for the cycle it last saw, so Score, called once
 * per node, skips the CycleState lookup. Keyed by the CycleState and pod
 * objects: a clone (preemption's what-if) or another pod misses and reads the state.
 */
export class LastCycle<T> {
  private state: CycleState | undefined;
  private pod: Pod | undefined;
  private value: T | undefined;

  get(state: CycleState, pod: Pod): T | undefined {
    return state === this.state && pod === this.pod ? this.value : undefined;
  }

  remember(state: CycleState, pod: Pod, value: T): void {
    this.state = state;
    this.pod = pod;
    this.value = value;
  }
}

/** Per-resource pod requests for scoring, computed once at PreScore (shared shape with BalancedAllocation). */
export class PodRequestsState implements StateData {
  constructor(readonly podRequests: readonly number[]) {}
  clone(): StateData {
    return this;
  }
}

// ---------------------------------------------------------------------------
// Filter

/** The pod's request, and the scalar resources Filter must check (non-zero, not ignored), computed at PreFilter. */
export class FitPreFilterState implements StateData {
  constructor(
    readonly request: Resource,
    /** True when the pod requests nothing at all: only the pod count is checked. */
    readonly requestsNothing: boolean,
    readonly scalarNames: readonly string[],
    readonly scalarValues: readonly number[],
    readonly scalarReasons: readonly string[],
  ) {}
  clone(): StateData {
    return this;
  }
}

/** Builds FitPreFilterState as PreFilter does (exported for preemption what-ifs and tests). */
export function computeFitPreFilterState(pod: Pod, ignoredResources: ReadonlySet<string>, ignoredGroups: ReadonlySet<string>): FitPreFilterState {
  const request = podRequests(pod);
  const names: string[] = [];
  const values: number[] = [];
  const reasons: string[] = [];
  let scalarCount = 0;
  for (const name in request.scalar) {
    scalarCount++;
    const q = request.scalar[name];
    if (q === 0) continue;
    if (isExtendedResourceName(name)) {
      const group = ignoredGroups.size > 0 ? name.split('/')[0] : '';
      if (ignoredResources.has(name) || ignoredGroups.has(group)) continue;
    }
    names.push(name);
    values.push(q);
    reasons.push(`Insufficient ${name}`);
  }
  const nothing = request.milliCPU === 0 && request.memory === 0 && request.ephemeralStorage === 0 && scalarCount === 0;
  return new FitPreFilterState(request, nothing, names, values, reasons);
}

const REASON_PODS = 'Too many pods';
const REASON_CPU = 'Insufficient cpu';
const REASON_MEMORY = 'Insufficient memory';
const REASON_EPHEMERAL = 'Insufficient ephemeral-storage';
const BIT_PODS = 1;
const BIT_CPU = 2;
const BIT_MEMORY = 4;
const BIT_EPHEMERAL = 8;
const BIT_UNRESOLVABLE = 16;

/** Statuses for the common failures (no scalar resource short), shared: a full cluster fails most nodes every cycle. */
const statusCache = new Map<number, Status>();
function builtinStatus(mask: number): Status {
  let s = statusCache.get(mask);
  if (!s) {
    const reasons: string[] = [];
    if (mask & BIT_PODS) reasons.push(REASON_PODS);
    if (mask & BIT_CPU) reasons.push(REASON_CPU);
    if (mask & BIT_MEMORY) reasons.push(REASON_MEMORY);
    if (mask & BIT_EPHEMERAL) reasons.push(REASON_EPHEMERAL);
    s = { code: mask & BIT_UNRESOLVABLE ? 'UnschedulableAndUnresolvable' : 'Unschedulable', reasons: Object.freeze(reasons) };
    statusCache.set(mask, s);
  }
  return s;
}

/**
 * fitsRequest: the pod count, then cpu, memory, ephemeral-storage and each
 * scalar resource the pod requests, against allocatable minus requested.
 * Unresolvable (preemption cannot help) when a request exceeds the node's whole allocatable.
 */
export function fitsRequest(s: FitPreFilterState, nodeInfo: NodeInfo): Status {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  const req = s.request;
  let mask = 0;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) mask |= BIT_PODS;
  if (s.requestsNothing) return mask ? builtinStatus(mask) : SUCCESS;

  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    mask |= BIT_CPU;
    if (req.milliCPU > alloc.milliCPU) mask |= BIT_UNRESOLVABLE;
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    mask |= BIT_MEMORY;
    if (req.memory > alloc.memory) mask |= BIT_UNRESOLVABLE;
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    mask |= BIT_EPHEMERAL;
    if (req.ephemeralStorage > alloc.ephemeralStorage) mask |= BIT_UNRESOLVABLE;
  }
  let scalarReasons: string[] | undefined;
  const names = s.scalarNames;
  for (let i = 0; i < names.length; i++) {
    const a = alloc.scalar[names[i]] ?? 0;
    const q = s.scalarValues[i];
    if (q > a - (used.scalar[names[i]] ?? 0)) {
      (scalarReasons ??= []).push(s.scalarReasons[i]);
      if (q > a) mask |= BIT_UNRESOLVABLE;
    }
  }
  if (!scalarReasons) return mask ? builtinStatus(mask) : SUCCESS;
  const base = builtinStatus(mask);
  return { code: mask & BIT_UNRESOLVABLE ? 'UnschedulableAndUnresolvable' : 'Unschedulable', reasons: [...base.reasons, ...scalarReasons] };
}

// ---------------------------------------------------------------------------
// The plugin

export type NodeResourcesFitPlugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & { readonly args: NodeResourcesFitArgs };

function scorerFor(s: ScoringStrategy): ResourceScorer {
  const weights = s.resources.map((r) => r.weight);
  switch (s.type) {
    case 'LeastAllocated':
      return leastResourceScorer(weights);
    case 'MostAllocated':
      return mostResourceScorer(weights);
    case 'RequestedToCapacityRatio':
      return requestedToCapacityRatioScorer(weights, s.requestedToCapacityRatio!.shape);
  }
}

export const newNodeResourcesFit: PluginFactory = (rawArgs) => {
  const args = parseNodeResourcesFitArgs(rawArgs);
  const ignoredResources = new Set(args.ignoredResources);
  const ignoredGroups = new Set(args.ignoredResourceGroups);
  const allocation = new ResourceAllocationScorer(args.scoringStrategy.resources, false);
  const scorer = scorerFor(args.scoringStrategy);
  const last = new LastCycle<readonly number[]>();
  const lastFilter = new LastCycle<FitPreFilterState>();

  const plugin: NodeResourcesFitPlugin = {
    name: NODE_RESOURCES_FIT,
    args,

    // Upstream also refuses pods with sidecars when SidecarContainers is off; it is GA (always on) since v1.33.
    preFilter(state: CycleState, pod: Pod) {
      const s = computeFitPreFilterState(pod, ignoredResources, ignoredGroups);
      state.write(FIT_PRE_FILTER_STATE_KEY, s);
      lastFilter.remember(state, pod, s);
      return { status: SUCCESS };
    },

    filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      let s = lastFilter.get(state, pod);
      if (!s) {
        s = state.read<FitPreFilterState>(FIT_PRE_FILTER_STATE_KEY);
        if (!s) return error(`error reading "${FIT_PRE_FILTER_STATE_KEY}" from cycleState: not found`);
        lastFilter.remember(state, pod, s);
      }
      return fitsRequest(s, nodeInfo);
    },

    preScore(state: CycleState, pod: Pod): Status {
      const s = new PodRequestsState(allocation.podRequestList(pod));
      state.write(FIT_PRE_SCORE_STATE_KEY, s);
      last.remember(state, pod, s.podRequests);
      return SUCCESS;
    },

    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo) {
      allocation.fill(nodeInfo, podRequestsFor(state, pod));
      return scorer(allocation.requested, allocation.allocatable);
    },

    scoreNodes(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], out: number[]) {
      const podReqs = podRequestsFor(state, pod);
      for (let i = 0; i < nodes.length; i++) {
        allocation.fill(nodes[i], podReqs);
        out[i] = scorer(allocation.requested, allocation.allocatable);
      }
    },
  };
  function podRequestsFor(state: CycleState, pod: Pod): readonly number[] {
    let podReqs = last.get(state, pod);
    if (!podReqs) {
      podReqs = state.read<PodRequestsState>(FIT_PRE_SCORE_STATE_KEY)?.podRequests ?? allocation.podRequestList(pod);
      last.remember(state, pod, podReqs);
    }
    return podReqs;
  }
  return plugin;
};
