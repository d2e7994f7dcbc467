// NodeResourcesFit: Filter drops nodes without room for the pod's requests;
// Score ranks the rest by a scoring strategy (LeastAllocated by default).
// Upstream: pkg/scheduler/framework/plugins/noderesources (fit.go), and the
// args' defaults (apis/config/v1) and validation (validation_pluginargs.go).
// The Filter's arithmetic is in node-resources-fit-filter.ts, the scoring
// strategies (shared with BalancedAllocation) in resource-allocation.ts.
//
// Also home to the args decoding helpers other plugins' args use.
import type { Pod } from '../../api/types';
import type { FieldError } from '../../api/field-errors';
import { duplicate, forbidden, formatFieldError, invalid, notSupported, required } from '../../api/field-errors';
import { validateLabelName } from '../../api/labels';
import type { NodeBatch } from '../framework/node-batch';
import type { PluginArgs, PluginFactory } from '../framework/registry';
import { PluginArgsError } from '../framework/registry';
import { RESOURCE_CPU, RESOURCE_MEMORY } from '../framework/resources';
import type { Status } from '../framework/status';
import { SUCCESS, error } from '../framework/status';
import type { CycleState, FilterPlugin, NodeInfo, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/types';
import { LastCycle } from './last-cycle';
import { FitPreFilterState, computeFitPreFilterState, fitsRequest, fitsRequestNodes } from './node-resources-fit-filter';
import {
  MAX_CUSTOM_PRIORITY_SCORE,
  PodRequestsState,
  ResourceAllocationScorer,
  leastRequestedScore,
  leastResourceScorer,
  mostRequestedScore,
  mostResourceScorer,
  requestedToCapacityRatioScorer,
  weightedScoreNodes,
  type ResourceScorer,
  type ShareScore,
} from './resource-allocation';

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

export { MAX_CUSTOM_PRIORITY_SCORE };

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

const missingFilterState = () => error(`error reading "${FIT_PRE_FILTER_STATE_KEY}" from cycleState: not found`);

// ---------------------------------------------------------------------------
// The plugin

export type NodeResourcesFitPlugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & { readonly args: NodeResourcesFitArgs };

/** The strategy's formula; for the weighted-mean ones (Least/MostAllocated) also the per-resource share, for the batched loop. */
function scorerFor(s: ScoringStrategy): { scorer: ResourceScorer; share?: ShareScore } {
  const weights = s.resources.map((r) => r.weight);
  switch (s.type) {
    case 'LeastAllocated':
      return { scorer: leastResourceScorer(weights), share: leastRequestedScore };
    case 'MostAllocated':
      return { scorer: mostResourceScorer(weights), share: mostRequestedScore };
    case 'RequestedToCapacityRatio':
      return { scorer: requestedToCapacityRatioScorer(weights, s.requestedToCapacityRatio!.shape) };
  }
}

export const newNodeResourcesFit: PluginFactory = (rawArgs) => {
  const args = parseNodeResourcesFitArgs(rawArgs);
  const ignoredResources = new Set(args.ignoredResources);
  const ignoredGroups = new Set(args.ignoredResourceGroups);
  const allocation = new ResourceAllocationScorer(args.scoringStrategy.resources, false);
  const { scorer, share } = scorerFor(args.scoringStrategy);
  const weights = args.scoringStrategy.resources.map((r) => r.weight);
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
      const s = filterStateFor(state, pod);
      return s ? fitsRequest(s, nodeInfo) : missingFilterState();
    },

    filterNodes(state: CycleState, pod: Pod, batch: NodeBatch, out: (Status | undefined)[]) {
      const s = filterStateFor(state, pod);
      if (s) return fitsRequestNodes(s, batch, out);
      let rejected = 0;
      for (let k = 0; k < batch.count; k++)
        if (out[k] === undefined) {
          out[k] = missingFilterState();
          rejected++;
        }
      return rejected;
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

    scoreNodes(state: CycleState, pod: Pod, batch: NodeBatch, out: number[]) {
      const podReqs = podRequestsFor(state, pod);
      const { table, slots, count } = batch;
      const cols = share && allocation.columns(table);
      if (cols) return weightedScoreNodes(cols, weights, share, batch, podReqs, out);
      for (let k = 0; k < count; k++) {
        allocation.fillSlot(table, slots[k], podReqs);
        out[k] = scorer(allocation.requested, allocation.allocatable);
      }
    },
  };
  function filterStateFor(state: CycleState, pod: Pod): FitPreFilterState | undefined {
    let s = lastFilter.get(state, pod);
    if (!s) {
      s = state.read<FitPreFilterState>(FIT_PRE_FILTER_STATE_KEY);
      if (s) lastFilter.remember(state, pod, s);
    }
    return s;
  }
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
