// InterPodAffinity, after upstream's pkg/scheduler/framework/plugins/interpodaffinity
// (plugin.go, filtering.go, scoring.go; v1.30). Filter: the incoming pod's
// required affinity and anti-affinity, and existing pods' required
// anti-affinity against it, all counted per topology pair in PreFilter.
// Score: preferred terms of both sides (and existing pods' required
// affinity at hardPodAffinityWeight), summed per topology pair in PreScore.
import type { Node, Pod } from '../../api/types';
import { formatFieldError, invalid } from '../../api/field-errors';
import type { PluginFactory } from '../framework/registry';
import { PluginArgsError } from '../framework/registry';
import { SKIP, SUCCESS, error, unresolvable, type Status } from '../framework/status';
import { PluginError } from '../framework/status';
import type { CycleState, FilterPlugin, Handle, NodeInfo, NodeScore, PodInfo, PreFilterPlugin, PreScorePlugin, ScorePlugin, StateData } from '../framework/types';
import { MAX_NODE_SCORE } from '../framework/types';
import {
  IncomingTerm,
  IncomingWeightedTerm,
  TopologyCounts,
  labelValue,
  matchesAll,
  podTerms,
  termMatches,
  type WeightedAffinityTerm,
} from './inter-pod-affinity-terms';

export const INTER_POD_AFFINITY = 'InterPodAffinity';

/** CycleState keys, as upstream names them. */
export const IPA_PRE_FILTER_STATE_KEY = 'PreFilter' + INTER_POD_AFFINITY;
export const IPA_PRE_SCORE_STATE_KEY = 'PreScore' + INTER_POD_AFFINITY;

export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";

/** config.InterPodAffinityArgs with v1 defaults. */
export interface InterPodAffinityArgs {
  /** Weight of an existing pod's required affinity term the incoming pod matches, in scoring. 0..100, default 1. */
  hardPodAffinityWeight: number;
  /** Score only by the incoming pod's preferred terms when it has any; skip scoring otherwise. */
  ignorePreferredTermsOfExistingPods: boolean;
}

export function interPodAffinityArgs(args: Record<string, unknown> | undefined): InterPodAffinityArgs {
  const w = args?.hardPodAffinityWeight ?? 1;
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100)
    throw new PluginArgsError(formatFieldError(invalid('hardPodAffinityWeight', w, 'not in valid range [0, 100]')));
  return { hardPodAffinityWeight: w, ignorePreferredTermsOfExistingPods: args?.ignorePreferredTermsOfExistingPods === true };
}

type Labels = Readonly<Record<string, string>> | undefined;
type Lookup = ((ns: string) => Labels) | undefined;

const nodeLabels = (n: Node): Labels => n.metadata?.labels;

/** Upstream's preFilterState; clone() copies the counters (preemption's what-if), the terms are shared. */
export class InterPodAffinityPreFilterState implements StateData {
  constructor(
    /** Existing pods whose required anti-affinity terms match the incoming pod, per topology pair. */
    readonly existingAntiAffinityCounts: TopologyCounts,
    /** Existing pods matching all the incoming pod's required affinity terms, per topology pair of each term. */
    readonly affinityCounts: TopologyCounts,
    /** Existing pods matching the incoming pod's required anti-affinity terms, per topology pair. */
    readonly antiAffinityCounts: TopologyCounts,
    readonly pod: Pod,
    readonly requiredAffinity: readonly IncomingTerm[],
    readonly requiredAntiAffinity: readonly IncomingTerm[],
    /** The incoming pod matches all its own required affinity terms (the first-pod case). */
    readonly selfMatchesAffinity: boolean,
    /** The incoming pod's namespace labels (undefined: the namespace is not known). */
    readonly nsLabels: Labels,
  ) {}

  clone(): InterPodAffinityPreFilterState {
    return new InterPodAffinityPreFilterState(
      new TopologyCounts(this.existingAntiAffinityCounts),
      new TopologyCounts(this.affinityCounts),
      new TopologyCounts(this.antiAffinityCounts),
      this.pod,
      this.requiredAffinity,
      this.requiredAntiAffinity,
      this.selfMatchesAffinity,
      this.nsLabels,
    );
  }

  /** updateWithPod: a pod added (+1) to or removed (-1) from a node. */
  updateWithPod(p: Pod, node: Node, multiplier: number): void {
    const labels = nodeLabels(node);
    for (const t of podTerms(p).requiredAntiAffinity)
      if (termMatches(t, this.pod, this.nsLabels)) this.existingAntiAffinityCounts.update(labels, t.topologyKey, multiplier);
    if (matchesAll(this.requiredAffinity, p)) for (const t of this.requiredAffinity) this.affinityCounts.update(labels, t.topologyKey, multiplier);
    for (const t of this.requiredAntiAffinity) if (t.matches(p)) this.antiAffinityCounts.update(labels, t.topologyKey, multiplier);
  }
}

/** Upstream's preScoreState: topologyKey -> value -> summed weight. Read-only after PreScore, so clone() shares it. */
export class InterPodAffinityPreScoreState implements StateData {
  constructor(readonly topologyScore: Map<string, Map<string, number>>) {}
  clone(): InterPodAffinityPreScoreState {
    return this;
  }
}

const frozen = (code: Status['code'], reason: string): Status => Object.freeze({ code, reasons: Object.freeze([reason]) });
const AFFINITY_NOT_MATCH = frozen('UnschedulableAndUnresolvable', ERR_REASON_AFFINITY_RULES_NOT_MATCH);
const ANTI_AFFINITY_NOT_MATCH = frozen('Unschedulable', ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
const EXISTING_ANTI_AFFINITY_NOT_MATCH = frozen('Unschedulable', ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);

const notFound = (key: string): Status => error(`reading ${JSON.stringify(key)} from cycleState: not found`);

function addScore(m: Map<string, Map<string, number>>, labels: Labels, key: string, w: number): void {
  const v = labelValue(labels, key);
  if (v === undefined) return;
  let vs = m.get(key);
  if (!vs) m.set(key, (vs = new Map()));
  vs.set(v, (vs.get(v) ?? 0) + w);
}

function hasAnyLabel(labels: Labels): boolean {
  for (const k in labels) if (Object.prototype.hasOwnProperty.call(labels, k)) return true;
  return false;
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = INTER_POD_AFFINITY;
  private readonly lookup: Lookup;
  /**
   * Every node of the cycle as PreFilter got them (the snapshot's list, not
   * built again in PreScore), and whether any holds a pod with affinity.
   */
  private readonly cycleNodes = new WeakMap<CycleState, { nodes: readonly NodeInfo[]; anyAffinity: boolean }>();

  constructor(
    readonly args: InterPodAffinityArgs,
    private readonly handle: Handle,
  ) {
    this.lookup = handle.namespaceLabels ? (ns) => handle.namespaceLabels!(ns) : undefined;
  }

  // ---- PreFilter / Filter ----------------------------------------------------

  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { status: Status } {
    const terms = podTerms(pod);
    if (terms.error) return { status: unresolvable(`parsing pod: ${terms.error}`) };
    const hasOwn = terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0;
    // The nodes holding pods with required anti-affinity (HavePodsWithRequiredAntiAffinityList), found in the node list.
    let nsLabels: Labels;
    let nsRead = false;
    let existing: TopologyCounts | undefined;
    // The snapshot keeps both lists (HavePodsWithAffinityList, HavePodsWithRequiredAntiAffinityList).
    const snapshot = this.handle.snapshot();
    const anyAffinity = snapshot.havePodsWithAffinity().length > 0;
    for (const ni of snapshot.havePodsWithRequiredAntiAffinity()) {
      if (!nsRead) {
        nsLabels = this.lookup?.(pod.metadata?.namespace ?? '');
        nsRead = true;
      }
      const labels = nodeLabels(ni.node);
      for (const ep of ni.podsWithRequiredAntiAffinity)
        for (const t of podTerms(ep.pod).requiredAntiAffinity) if (termMatches(t, pod, nsLabels)) (existing ??= new TopologyCounts()).update(labels, t.topologyKey, 1);
    }
    this.cycleNodes.set(state, { nodes, anyAffinity });
    if (!hasOwn && (existing === undefined || existing.size === 0)) return { status: SKIP };
    if (!nsRead) nsLabels = this.lookup?.(pod.metadata?.namespace ?? '');
    existing ??= new TopologyCounts();

    const affinity = terms.requiredAffinity.map((t) => new IncomingTerm(t, this.lookup));
    const anti = terms.requiredAntiAffinity.map((t) => new IncomingTerm(t, this.lookup));
    const affinityCounts = new TopologyCounts();
    const antiCounts = new TopologyCounts();
    if (hasOwn) {
      for (const ni of nodes) {
        const labels = nodeLabels(ni.node);
        for (const ep of ni.pods) {
          if (affinity.length && matchesAll(affinity, ep.pod)) for (const t of affinity) affinityCounts.update(labels, t.topologyKey, 1);
          for (const t of anti) if (t.matches(ep.pod)) antiCounts.update(labels, t.topologyKey, 1);
        }
      }
    }
    const selfMatches = matchesAll(affinity, pod);
    state.write(IPA_PRE_FILTER_STATE_KEY, new InterPodAffinityPreFilterState(existing, affinityCounts, antiCounts, pod, affinity, anti, selfMatches, nsLabels));
    return { status: SUCCESS };
  }

  addPod(state: CycleState, _podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    const s = state.read<InterPodAffinityPreFilterState>(IPA_PRE_FILTER_STATE_KEY);
    if (!s) return notFound(IPA_PRE_FILTER_STATE_KEY);
    s.updateWithPod(podInfoToAdd.pod, nodeInfo.node, 1);
    return SUCCESS;
  }

  removePod(state: CycleState, _podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    const s = state.read<InterPodAffinityPreFilterState>(IPA_PRE_FILTER_STATE_KEY);
    if (!s) return notFound(IPA_PRE_FILTER_STATE_KEY);
    s.updateWithPod(podInfoToRemove.pod, nodeInfo.node, -1);
    return SUCCESS;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<InterPodAffinityPreFilterState>(IPA_PRE_FILTER_STATE_KEY);
    if (!s) return notFound(IPA_PRE_FILTER_STATE_KEY);
    const labels = nodeLabels(nodeInfo.node);
    if (!satisfyPodAffinity(s, labels)) return AFFINITY_NOT_MATCH;
    if (!satisfyPodAntiAffinity(s, labels)) return ANTI_AFFINITY_NOT_MATCH;
    if (s.existingAntiAffinityCounts.size > 0 && s.existingAntiAffinityCounts.anyPositiveOn(labels)) return EXISTING_ANTI_AFFINITY_NOT_MATCH;
    return SUCCESS;
  }

  // ---- PreScore / Score ------------------------------------------------------

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    if (nodes.length === 0) return SKIP;
    const a = pod.spec?.affinity;
    const hasConstraints =
      (a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0 ||
      (a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
    if (this.args.ignorePreferredTermsOfExistingPods && !hasConstraints) return SKIP;
    // Unless the pod has preferred terms, only pods with affinity can add to a
    // score (HavePodsWithAffinityList): find them before building anything.
    const cycle = this.cycleNodes.get(state);
    if (!hasConstraints && cycle && !cycle.anyAffinity) return SKIP;
    const all = cycle?.nodes ?? this.handle.snapshot().list();
    if (!hasConstraints && !cycle && !all.some((ni) => ni.podsWithAffinity.length > 0)) return SKIP;

    const terms = podTerms(pod);
    if (terms.error) return error(`failed to parse pod: ${terms.error}`);
    const affinity = terms.preferredAffinity.map((t) => new IncomingWeightedTerm(t, this.lookup));
    const anti = terms.preferredAntiAffinity.map((t) => new IncomingWeightedTerm(t, this.lookup));
    const nsLabels = this.lookup?.(pod.metadata?.namespace ?? '');
    const hard = this.args.hardPodAffinityWeight;
    const score = new Map<string, Map<string, number>>();

    for (const ni of all) {
      const pods = hasConstraints ? ni.pods : ni.podsWithAffinity;
      if (pods.length === 0) continue;
      const labels = nodeLabels(ni.node);
      if (!hasAnyLabel(labels)) continue;
      for (const ep of pods) {
        const p = ep.pod;
        // The incoming pod's preferred terms that the existing pod matches: +weight / -weight.
        for (const t of affinity) if (t.matches(p)) addScore(score, labels, t.topologyKey, t.weight);
        for (const t of anti) if (t.matches(p)) addScore(score, labels, t.topologyKey, -t.weight);
        const et = podTerms(p);
        // The existing pod's required affinity terms the incoming pod matches: +hardPodAffinityWeight.
        if (hard > 0) for (const t of et.requiredAffinity) if (termMatches(t, pod, nsLabels)) addScore(score, labels, t.topologyKey, hard);
        addWeighted(score, et.preferredAffinity, pod, nsLabels, labels, 1);
        addWeighted(score, et.preferredAntiAffinity, pod, nsLabels, labels, -1);
      }
    }
    if (score.size === 0) return SKIP;
    state.write(IPA_PRE_SCORE_STATE_KEY, new InterPodAffinityPreScoreState(score));
    return SUCCESS;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<InterPodAffinityPreScoreState>(IPA_PRE_SCORE_STATE_KEY);
    if (!s) throw new PluginError(notFound(IPA_PRE_SCORE_STATE_KEY).reasons[0]);
    const labels = nodeLabels(nodeInfo.node);
    let score = 0;
    for (const [key, values] of s.topologyScore) {
      const v = labelValue(labels, key);
      if (v !== undefined) score += values.get(v) ?? 0;
    }
    return score;
  }

  /** Min-max to 0..100, truncated: int64(100 * (score - min) / (max - min)) in float64. */
  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    const s = state.read<InterPodAffinityPreScoreState>(IPA_PRE_SCORE_STATE_KEY);
    if (!s) return notFound(IPA_PRE_SCORE_STATE_KEY);
    if (s.topologyScore.size === 0) return SUCCESS;
    let min = Infinity;
    let max = -Infinity;
    for (const ns of scores) {
      if (ns.score > max) max = ns.score;
      if (ns.score < min) min = ns.score;
    }
    const diff = max - min;
    for (const ns of scores) ns.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((ns.score - min) / diff)) : 0;
    return SUCCESS;
  }
}

function addWeighted(score: Map<string, Map<string, number>>, terms: readonly WeightedAffinityTerm[], pod: Pod, nsLabels: Labels, labels: Labels, sign: number): void {
  for (const t of terms) if (termMatches(t, pod, nsLabels)) addScore(score, labels, t.topologyKey, t.weight * sign);
}

/**
 * satisfyPodAffinity: every required term's topology label is on the node
 * and some matching pod is in that domain, or, when no pod anywhere matches
 * (the counts are empty), the pod matches its own terms: the first pod of a
 * group with affinity to itself.
 */
function satisfyPodAffinity(s: InterPodAffinityPreFilterState, labels: Labels): boolean {
  let podsExist = true;
  for (const t of s.requiredAffinity) {
    const v = labelValue(labels, t.topologyKey);
    if (v === undefined) return false;
    if (s.affinityCounts.get(t.topologyKey, v) <= 0) podsExist = false;
  }
  if (!podsExist) return s.affinityCounts.size === 0 && s.selfMatchesAffinity;
  return true;
}

function satisfyPodAntiAffinity(s: InterPodAffinityPreFilterState, labels: Labels): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  for (const t of s.requiredAntiAffinity) {
    const v = labelValue(labels, t.topologyKey);
    if (v !== undefined && s.antiAffinityCounts.get(t.topologyKey, v) > 0) return false;
  }
  return true;
}

export const newInterPodAffinity: PluginFactory = (args, handle) => new InterPodAffinity(interPodAffinityArgs(args), handle);
