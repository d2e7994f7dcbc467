// PodTopologySpread, after upstream's pkg/scheduler/framework/plugins/podtopologyspread
// (plugin.go, common.go, filtering.go, scoring.go; v1.30 with MinDomains,
// NodeInclusionPolicy and MatchLabelKeys on). Filter enforces the pod's
// DoNotSchedule constraints: matchNum + selfMatch - globalMin <= maxSkew.
// Score prefers nodes whose domains hold fewer matching pods, for the
// ScheduleAnyway constraints or, when the pod has none, the defaults (the
// system defaults spread pods of a Service / ReplicaSet over hostnames and zones).
import type { Toleration, TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import { requiredNodeAffinity, type NodeMatcher } from '../../api/node-affinity';
import { doNotScheduleTaint, findMatchingUntoleratedTaint } from '../../api/taints';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { Node, Pod } from '../../api/types';
import type { FieldError } from '../../api/field-errors';
import { duplicate, forbidden, invalid, notSupported, required } from '../../api/field-errors';
import { validateLabelName } from '../../api/labels';
import { aggregateMessage, everything, labelSelectorAsSelector, makeSelector, nothing, selectorFromSet, type Requirement, type Selector } from '../../api/selector';
import type { PluginFactory } from '../framework/registry';
import { PluginArgsError } from '../framework/registry';
import { SKIP, SUCCESS, error, type Status } from '../framework/status';
import { PluginError } from '../framework/status';
import type { CycleState, FilterPlugin, Handle, MatchingPodCounts, NodeInfo, NodeScore, PodInfo, PreFilterPlugin, PreScorePlugin, ScorePlugin, Snapshot, StateData } from '../framework/types';
import { WalkedPodCounts } from '../matching-pods';
import { MAX_NODE_SCORE } from '../framework/types';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';

/** CycleState keys, as upstream names them. */
export const PTS_PRE_FILTER_STATE_KEY = 'PreFilter' + POD_TOPOLOGY_SPREAD;
export const PTS_PRE_SCORE_STATE_KEY = 'PreScore' + POD_TOPOLOGY_SPREAD;

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

/** Applied (DefaultingType System) to pods without constraints of their own. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = Object.freeze([
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
]);

/** config.PodTopologySpreadArgs with v1 defaults (defaultingType System). */
export interface PodTopologySpreadArgs {
  defaultConstraints: TopologySpreadConstraint[];
  defaultingType: 'System' | 'List';
}

/** Defaults and ValidatePodTopologySpreadArgs; throws PluginArgsError with upstream's aggregate message. */
export function podTopologySpreadArgs(args: Record<string, unknown> | undefined): PodTopologySpreadArgs {
  const defaultingType = (args?.defaultingType ?? 'System') as string;
  const constraints = (args?.defaultConstraints ?? []) as TopologySpreadConstraint[];
  const errs: FieldError[] = [];
  if (defaultingType !== 'System' && defaultingType !== 'List') errs.push(notSupported('defaultingType', defaultingType, ['List', 'System']));
  else if (defaultingType === 'System' && constraints.length > 0) errs.push(invalid('defaultingType', defaultingType, 'when .defaultConstraints are not empty'));
  constraints.forEach((c, i) => {
    const p = `defaultConstraints[${i}]`;
    if (!(c.maxSkew > 0)) errs.push(invalid(`${p}.maxSkew`, c.maxSkew, 'not in valid range (0, inf)'));
    if (!c.topologyKey) errs.push(required(`${p}.topologyKey`, 'can not be empty'));
    else errs.push(...validateLabelName(c.topologyKey, `${p}.topologyKey`));
    if (!c.whenUnsatisfiable) errs.push(required(`${p}.whenUnsatisfiable`, 'can not be empty'));
    else if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway')
      errs.push(notSupported(`${p}.whenUnsatisfiable`, c.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway']));
    if (c.labelSelector != null) errs.push(forbidden(`${p}.labelSelector`, 'constraint must not define a selector, as they deduced for each pod'));
    for (let j = 0; j < i; j++)
      if (constraints[j].topologyKey === c.topologyKey && constraints[j].whenUnsatisfiable === c.whenUnsatisfiable) {
        errs.push(duplicate(p, `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
        break;
      }
  });
  if (errs.length) throw new PluginArgsError(aggregateMessage(errs));
  return { defaultConstraints: constraints, defaultingType: defaultingType as 'System' | 'List' };
}

// ---- Constraints -------------------------------------------------------------

/** topologySpreadConstraint: the internal form, selector parsed, policies resolved. */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Selector;
  /** 1 when unset. */
  readonly minDomains: number;
  /** nodeAffinityPolicy Honor (the default). */
  readonly honorNodeAffinity: boolean;
  /** nodeTaintsPolicy Honor (default Ignore). */
  readonly honorTaints: boolean;
}

type Labels = Readonly<Record<string, string>> | undefined;

const labelValue = (labels: Labels, key: string): string | undefined => {
  const v = labels?.[key];
  return typeof v === 'string' ? v : undefined;
};

const parsedSelectors = new WeakMap<LabelSelector, Selector | Error>();

/** metav1.LabelSelectorAsSelector, cached per selector object; throws on an invalid one. */
function asSelector(ls: LabelSelector | undefined): Selector {
  if (ls == null) return nothing();
  let s = parsedSelectors.get(ls);
  if (!s) {
    try {
      s = labelSelectorAsSelector(ls);
    } catch (e) {
      s = e as Error;
    }
    parsedSelectors.set(ls, s);
  }
  if (s instanceof Error) throw s;
  return s;
}

/** filterTopologySpreadConstraints: the constraints for one action, with matchLabelKeys merged into the selector. */
function filterConstraints(list: readonly TopologySpreadConstraint[], podLabels: Labels, action: string): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of list) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = asSelector(c.labelSelector);
    if (c.matchLabelKeys?.length) {
      let set: Record<string, string> | undefined;
      for (const k of c.matchLabelKeys) {
        const v = labelValue(podLabels, k);
        if (v !== undefined) (set ??= {})[k] = v;
      }
      // mergeLabelSetWithSelector: a Nothing selector has no requirements to add.
      if (set) selector = selector === nothing() ? selectorFromSet(set) : makeSelector([...selectorFromSet(set).requirements, ...selector.requirements]);
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    });
  }
  return out;
}

function hasAllKeys(labels: Labels, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (labelValue(labels, c.topologyKey) === undefined) return false;
  return true;
}

// ---- Node inclusion (nodeaffinity.RequiredNodeAffinity, FindMatchingUntoleratedTaint) ----

/** The incoming pod's side of matchNodeInclusionPolicies. */
class Inclusion {
  private readonly affinity: NodeMatcher | null;
  private readonly tolerations: readonly Toleration[];
  constructor(pod: Pod) {
    this.affinity = requiredNodeAffinity(pod);
    this.tolerations = pod.spec?.tolerations ?? [];
  }
  /** True when node affinity leaves no node out (the pod has no required node affinity or nodeSelector). */
  get anyNode(): boolean {
    return this.affinity === null;
  }
  affinityOk(node: Node): boolean {
    return this.affinity === null || this.affinity(node);
  }
  taintsOk(node: Node): boolean {
    return !node.spec?.taints?.length || findMatchingUntoleratedTaint(node.spec.taints, this.tolerations, doNotScheduleTaint) === undefined;
  }
  matches(c: SpreadConstraint, node: Node): boolean {
    return (!c.honorNodeAffinity || this.affinityOk(node)) && (!c.honorTaints || this.taintsOk(node));
  }
}

// ---- Cycle state -----------------------------------------------------------------

const MAX_INT32 = 2147483647;

/** criticalPaths: the two domains with the fewest matching pods (only [0] is sure to be right after updates). */
export class CriticalPaths {
  v0 = '';
  n0 = MAX_INT32;
  v1 = '';
  n1 = MAX_INT32;

  update(v: string, num: number): void {
    const i = v === this.v0 ? 0 : v === this.v1 ? 1 : -1;
    if (i >= 0) {
      if (i === 0) this.n0 = num;
      else this.n1 = num;
      if (this.n0 > this.n1) [this.v0, this.n0, this.v1, this.n1] = [this.v1, this.n1, this.v0, this.n0];
    } else if (num < this.n0) {
      this.v1 = this.v0;
      this.n1 = this.n0;
      this.v0 = v;
      this.n0 = num;
    } else if (num < this.n1) {
      this.v1 = v;
      this.n1 = num;
    }
  }

  clone(): CriticalPaths {
    const c = new CriticalPaths();
    c.v0 = this.v0;
    c.n0 = this.n0;
    c.v1 = this.v1;
    c.n1 = this.n1;
    return c;
  }
}

/** Upstream's preFilterState; clone() copies the counts and paths (preemption's what-if). */
export class SpreadPreFilterState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    readonly criticalPaths: CriticalPaths[],
    /** Per constraint: topology value -> matching pods, for every eligible domain (0 included). */
    readonly tpValueToMatchNum: Array<Map<string, number>>,
    /** Per constraint: 1 when the incoming pod matches the selector itself. */
    readonly selfMatch: readonly number[],
    readonly inclusion: Inclusion,
  ) {}

  clone(): SpreadPreFilterState {
    return new SpreadPreFilterState(
      this.constraints,
      this.criticalPaths.map((p) => p.clone()),
      this.tpValueToMatchNum.map((m) => new Map(m)),
      this.selfMatch,
      this.inclusion,
    );
  }

  /** minMatchNum: the global minimum, 0 while fewer domains than minDomains are eligible. */
  minMatchNum(i: number): number {
    return this.tpValueToMatchNum[i].size < this.constraints[i].minDomains ? 0 : this.criticalPaths[i].n0;
  }
}

/** Upstream's preScoreState; read-only after PreScore, so clone() shares it. */
export class SpreadPreScoreState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    /** Names of nodes missing some topology key: scored 0. */
    readonly ignoredNodes: ReadonlySet<string>,
    /** Per constraint (hostname constraints: empty, counted in Score): topology value -> matching pods. */
    readonly topologyValueToPodCounts: ReadonlyArray<ReadonlyMap<string, number>>,
    readonly topologyNormalizingWeight: readonly number[],
    readonly counts: ReadonlyArray<MatchingPodCounts | undefined>,
  ) {}
  clone(): SpreadPreScoreState {
    return this;
  }
}

const notFound = (key: string): Status => error(`reading ${JSON.stringify(key)} from cycleState: not found`);
const CONSTRAINTS_NOT_MATCH: Status = Object.freeze({ code: 'Unschedulable', reasons: Object.freeze([ERR_REASON_CONSTRAINTS_NOT_MATCH]) });
const NODE_LABEL_NOT_MATCH: Status = Object.freeze({ code: 'UnschedulableAndUnresolvable', reasons: Object.freeze([ERR_REASON_NODE_LABEL_NOT_MATCH]) });

/** topologyNormalizingWeight: log(size + 2). */
export const topologyNormalizingWeight = (size: number): number => Math.log(size + 2);

/** scoreForCount: cnt * weight + maxSkew - 1, in float64. */
export const scoreForCount = (cnt: number, maxSkew: number, weight: number): number => cnt * weight + (maxSkew - 1);

// ---- The plugin --------------------------------------------------------------------

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = POD_TOPOLOGY_SPREAD;
  private readonly systemDefaulted: boolean;
  private readonly defaults: readonly TopologySpreadConstraint[];
  /** Every node of the cycle, as PreFilter got them (the snapshot's list, without building it again in PreScore). */
  private readonly cycleNodes = new WeakMap<CycleState, readonly NodeInfo[]>();

  constructor(
    args: PodTopologySpreadArgs,
    private readonly handle: Handle,
  ) {
    this.systemDefaulted = args.defaultingType === 'System';
    this.defaults = this.systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : args.defaultConstraints;
  }

  /** The pod's own constraints for the action, else the defaults (buildDefaultConstraints). */
  private constraintsFor(pod: Pod, action: string): SpreadConstraint[] {
    const own = pod.spec?.topologySpreadConstraints;
    const labels = pod.metadata?.labels;
    if (own && own.length > 0) return filterConstraints(own, labels, action);
    let any = false;
    for (const c of this.defaults) if (c.whenUnsatisfiable === action) any = true;
    if (!any) return [];
    // Upstream filters the defaults first; both are pure, and a pod no Service or ReplicaSet selects (the
    // common case) needs no constraint built.
    const selector = this.defaultSelector(pod);
    if (selector.empty) return [];
    return filterConstraints(this.defaults, labels, action).map((c) => ({ ...c, selector }));
  }

  /**
   * helper.DefaultSelector: the selectors of the Services that select the
   * pod, plus its controlling ReplicaSet's selector.
   */
  private defaultSelector(pod: Pod): Selector {
    const ns = pod.metadata?.namespace ?? '';
    const labels = pod.metadata?.labels;
    let set: Record<string, string> | undefined;
    for (const svc of this.handle.services?.(ns) ?? []) {
      const sel = svc.spec?.selector;
      if (sel == null) continue; // a nil selector selects nothing
      let ok = true;
      for (const k in sel) if (labelValue(labels, k) !== sel[k]) ok = false;
      if (ok) set = { ...set, ...sel };
    }
    let reqs: Requirement[] = set ? [...selectorFromSet(set).requirements] : [];
    const owner = pod.metadata?.ownerReferences?.find((r) => r.controller === true);
    if (owner && owner.apiVersion === 'apps/v1' && owner.kind === 'ReplicaSet') {
      const rs = this.handle.replicaSet?.(ns, owner.name);
      if (rs) {
        try {
          reqs = reqs.concat(asSelector(rs.spec?.selector).requirements);
        } catch {
          // an invalid selector adds nothing
        }
      }
    }
    return reqs.length ? makeSelector(reqs) : everything();
  }

  /** Each constraint's matching-pod counts: the cache's when the snapshot keeps them; undefined for a Nothing selector. */
  private countsFor(snapshot: Snapshot, ns: string, constraints: readonly SpreadConstraint[], nodes: readonly NodeInfo[]): Array<MatchingPodCounts | undefined> {
    return constraints.map((c) => {
      if (c.selector === nothing()) return undefined;
      return snapshot.matchingPods ? snapshot.matchingPods(ns, c.selector) : new WalkedPodCounts(ns, c.selector, nodes);
    });
  }

  // ---- PreFilter / Filter ----------------------------------------------------------

  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { status: Status } {
    this.cycleNodes.set(state, nodes);
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraintsFor(pod, 'DoNotSchedule');
    } catch (e) {
      return { status: error(`obtaining pod's hard topology spread constraints: ${(e as Error).message}`) };
    }
    if (constraints.length === 0) return { status: SKIP };

    const ns = pod.metadata?.namespace ?? '';
    const inclusion = new Inclusion(pod);
    const k = constraints.length;
    const counts = this.countsFor(this.handle.snapshot(), ns, constraints, nodes);
    const matchNum = constraints.map(() => new Map<string, number>());
    for (let n = 0; n < nodes.length; n++) {
      const ni = nodes[n];
      const node = ni.node;
      const labels = node.metadata?.labels;
      if (!hasAllKeys(labels, constraints)) continue;
      for (let i = 0; i < k; i++) {
        const c = constraints[i];
        if (!inclusion.matches(c, node)) continue;
        const v = labels![c.topologyKey];
        const m = matchNum[i];
        m.set(v, (m.get(v) ?? 0) + (counts[i]?.of(ni) ?? 0));
      }
    }
    const paths = matchNum.map((m) => {
      const p = new CriticalPaths();
      for (const [v, num] of m) p.update(v, num);
      return p;
    });
    const podLabels = pod.metadata?.labels;
    const selfMatch = constraints.map((c) => (c.selector.matches(podLabels) ? 1 : 0));
    state.write(PTS_PRE_FILTER_STATE_KEY, new SpreadPreFilterState(constraints, paths, matchNum, selfMatch, inclusion));
    return { status: SUCCESS };
  }

  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    const s = state.read<SpreadPreFilterState>(PTS_PRE_FILTER_STATE_KEY);
    if (!s) return notFound(PTS_PRE_FILTER_STATE_KEY);
    updateWithPod(s, podInfoToAdd.pod, podToSchedule, nodeInfo.node, 1);
    return SUCCESS;
  }

  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    const s = state.read<SpreadPreFilterState>(PTS_PRE_FILTER_STATE_KEY);
    if (!s) return notFound(PTS_PRE_FILTER_STATE_KEY);
    updateWithPod(s, podInfoToRemove.pod, podToSchedule, nodeInfo.node, -1);
    return SUCCESS;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<SpreadPreFilterState>(PTS_PRE_FILTER_STATE_KEY);
    if (!s) return notFound(PTS_PRE_FILTER_STATE_KEY);
    const labels = nodeInfo.node.metadata?.labels;
    const cs = s.constraints;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      const v = labelValue(labels, c.topologyKey);
      if (v === undefined) return NODE_LABEL_NOT_MATCH;
      const skew = (s.tpValueToMatchNum[i].get(v) ?? 0) + s.selfMatch[i] - s.minMatchNum(i);
      if (skew > c.maxSkew) return CONSTRAINTS_NOT_MATCH;
    }
    return SUCCESS;
  }

  // ---- PreScore / Score ------------------------------------------------------------

  preScore(state: CycleState, pod: Pod, filtered: readonly NodeInfo[]): Status {
    // Upstream lists the nodes first; the constraints come first here so that
    // the common case (nothing to spread) returns before touching the nodes.
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraintsFor(pod, 'ScheduleAnyway');
    } catch (e) {
      return error(`calculating preScoreState: obtaining pod's soft topology spread constraints: ${(e as Error).message}`);
    }
    if (constraints.length === 0) return SKIP;
    const all = this.cycleNodes.get(state) ?? this.handle.snapshot().list();
    if (all.length === 0) return SKIP;

    // Only non-default constraints require every topology key on a node,
    // so nodes without a zone still get hostname spreading.
    const requireAll = (pod.spec?.topologySpreadConstraints?.length ?? 0) > 0 || !this.systemDefaulted;
    const k = constraints.length;
    const ignored = new Set<string>();
    const tpCounts = constraints.map(() => new Map<string, number>());
    const topoSize = new Array<number>(k).fill(0);
    for (const ni of filtered) {
      const labels = ni.node.metadata?.labels;
      if (requireAll && !hasAllKeys(labels, constraints)) {
        ignored.add(ni.name);
        continue;
      }
      for (let i = 0; i < k; i++) {
        const c = constraints[i];
        if (c.topologyKey === LABEL_HOSTNAME) continue; // counted per node in Score
        const v = labelValue(labels, c.topologyKey) ?? '';
        if (!tpCounts[i].has(v)) {
          tpCounts[i].set(v, 0);
          topoSize[i]++;
        }
      }
    }
    const weights = constraints.map((c, i) => topologyNormalizingWeight(c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : topoSize[i]));

    const ns = pod.metadata?.namespace ?? '';
    const snapshot = this.handle.snapshot();
    const counts = this.countsFor(snapshot, ns, constraints, all);
    const inclusion = new Inclusion(pod);
    // A domain's sum over all nodes is what the walk adds up when no node is left out: no node
    // affinity to honour, taints ignored, and (when every key is required) no node lacking one.
    let everyNodeHasKeys = true;
    if (requireAll) for (const c of constraints) if (nodesWithout(snapshot, c.topologyKey, all) > 0) everyNodeHasKeys = false;
    const walk: number[] = [];
    for (let i = 0; i < k; i++) {
      const c = constraints[i];
      const m = tpCounts[i];
      const cnt = counts[i];
      if (c.topologyKey === LABEL_HOSTNAME || m.size === 0 || !cnt) continue; // hostname: counted per node in Score
      if (everyNodeHasKeys && (!c.honorNodeAffinity || inclusion.anyNode) && !c.honorTaints) {
        const sums = cnt.byDomain(c.topologyKey);
        for (const [v, cur] of m) m.set(v, cur + (sums.get(v) ?? 0));
      } else walk.push(i);
    }
    if (walk.length > 0) {
      for (const ni of all) {
        const node = ni.node;
        const labels = node.metadata?.labels;
        if (requireAll && !hasAllKeys(labels, constraints)) continue;
        for (const i of walk) {
          const c = constraints[i];
          if (!inclusion.matches(c, node)) continue;
          const m = tpCounts[i];
          const v = labelValue(labels, c.topologyKey) ?? '';
          const cur = m.get(v);
          if (cur === undefined) continue; // a domain with no candidate node
          m.set(v, cur + counts[i]!.of(ni));
        }
      }
    }
    state.write(PTS_PRE_SCORE_STATE_KEY, new SpreadPreScoreState(constraints, ignored, tpCounts, weights, counts));
    return SUCCESS;
  }

  /** The raw score: sum over constraints of cnt * log(domains + 2) + maxSkew - 1, rounded; fewer is better. */
  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<SpreadPreScoreState>(PTS_PRE_SCORE_STATE_KEY);
    if (!s) throw new PluginError(notFound(PTS_PRE_SCORE_STATE_KEY).reasons[0]);
    if (s.ignoredNodes.size > 0 && s.ignoredNodes.has(nodeInfo.name)) return 0;
    const labels = nodeInfo.node.metadata?.labels;
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const v = labelValue(labels, c.topologyKey);
      if (v === undefined) continue;
      const cnt = c.topologyKey === LABEL_HOSTNAME ? (s.counts[i]?.of(nodeInfo) ?? 0) : (s.topologyValueToPodCounts[i].get(v) ?? 0);
      score += scoreForCount(cnt, c.maxSkew, s.topologyNormalizingWeight[i]);
    }
    return Math.round(score);
  }

  /** 100 * (max + min - score) / max in integers; ignored nodes 0; all 100 when max is 0. */
  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    const s = state.read<SpreadPreScoreState>(PTS_PRE_SCORE_STATE_KEY);
    if (!s) return notFound(PTS_PRE_SCORE_STATE_KEY);
    const ignored = s.ignoredNodes;
    let min = Number.MAX_SAFE_INTEGER;
    let max = 0;
    for (const ns of scores) {
      if (ignored.size > 0 && ignored.has(ns.name)) {
        ns.score = -1;
        continue;
      }
      if (ns.score < min) min = ns.score;
      if (ns.score > max) max = ns.score;
    }
    for (const ns of scores) {
      if (ns.score === -1) ns.score = 0;
      else if (max === 0) ns.score = MAX_NODE_SCORE;
      else ns.score = Math.trunc((MAX_NODE_SCORE * (max + min - ns.score)) / max);
    }
    return SUCCESS;
  }
}

/** Nodes lacking the label key: the cache keeps the number; otherwise counted. */
function nodesWithout(snapshot: Snapshot, key: string, nodes: readonly NodeInfo[]): number {
  if (snapshot.nodesWithoutLabel) return snapshot.nodesWithoutLabel(key);
  let n = 0;
  for (const ni of nodes) if (labelValue(ni.node.metadata?.labels, key) === undefined) n++;
  return n;
}

/** updateWithPod: a pod of the preemptor's namespace added to (+1) or removed from (-1) a node. */
function updateWithPod(s: SpreadPreFilterState, p: Pod, preemptor: Pod, node: Node, delta: number): void {
  if ((p.metadata?.namespace ?? '') !== (preemptor.metadata?.namespace ?? '')) return;
  const labels = node.metadata?.labels;
  if (!hasAllKeys(labels, s.constraints)) return;
  const podLabels = p.metadata?.labels;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i];
    if (!c.selector.matches(podLabels)) continue;
    if (!s.inclusion.matches(c, node)) continue;
    const v = labels![c.topologyKey];
    const m = s.tpValueToMatchNum[i];
    const num = (m.get(v) ?? 0) + delta;
    m.set(v, num);
    s.criticalPaths[i].update(v, num);
  }
}

export const newPodTopologySpread: PluginFactory = (args, handle) => new PodTopologySpread(podTopologySpreadArgs(args), handle);
