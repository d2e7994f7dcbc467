// Runs a profile's plugins at each extension point, as upstream's
// frameworkImpl does: in order, stopping a Filter at the first rejection,
// skipping plugins that said Skip in PreFilter/PreScore, normalizing and
// weighting scores. It is also the Handle plugins receive.
import type { Pod, ReplicaSet, Service } from '../../api/types';
import type { ExtensionPoint, Profile } from '../profile';
import type { PluginFactory } from './registry';
import { PluginError, SUCCESS, isSuccess, type Status } from './status';
import type {
  CycleState,
  FilterPlugin,
  Handle,
  NodeInfo,
  NodeScore,
  NodeToStatus,
  Plugin,
  PodInfo,
  PostBindPlugin,
  PostFilterPlugin,
  PostFilterResult,
  PreBindPlugin,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  ReservePlugin,
  ScorePlugin,
  Snapshot,
  PermitPlugin,
  VolumeListers,
} from './types';
import { MAX_NODE_SCORE } from './types';

export interface FrameworkDeps {
  snapshot(): Snapshot;
  randomInt(n: number): number;
  nominatedPodsForNode(nodeName: string): PodInfo[];
  nominatedPods(): PodInfo[];
  /** False when no pod is nominated anywhere: Filter can skip the per-node lookup. */
  hasNominatedPods?(): boolean;
  namespaceLabels(name: string): Record<string, string> | undefined;
  services(namespace: string): readonly Service[];
  replicaSet(namespace: string, name: string): ReplicaSet | undefined;
  volumeListers?(): VolumeListers | undefined;
}

/** Per node, per plugin: what each Score plugin returned, and after normalization times weight. */
export interface ScoreTable {
  raw: Map<string, Record<string, number>>;
  final: Map<string, Record<string, number>>;
  /** The weighted sum per node, in the order of the nodes scored. */
  total: number[];
}

export class ConfigError extends Error {}

const has = <K extends string>(p: Plugin, method: K): boolean => typeof (p as unknown as Record<string, unknown>)[method] === 'function';

export class Framework implements Handle {
  readonly preFilter: PreFilterPlugin[] = [];
  readonly filter: FilterPlugin[] = [];
  readonly postFilter: PostFilterPlugin[] = [];
  readonly preScore: PreScorePlugin[] = [];
  readonly score: Array<{ plugin: ScorePlugin; weight: number }> = [];
  readonly reserve: ReservePlugin[] = [];
  readonly permit: PermitPlugin[] = [];
  readonly preBind: PreBindPlugin[] = [];
  readonly postBind: PostBindPlugin[] = [];
  readonly names: string[];

  constructor(
    readonly profile: Profile,
    registry: ReadonlyMap<string, PluginFactory>,
    private readonly deps: FrameworkDeps,
  ) {
    this.names = profile.plugins;
    const off = (point: ExtensionPoint, name: string) => profile.disabled[point]?.includes(name) ?? false;
    for (const name of profile.plugins) {
      const factory = registry.get(name);
      if (!factory) throw new ConfigError(`plugin ${JSON.stringify(name)} does not exist (known: ${[...registry.keys()].join(', ')})`);
      const p = factory(profile.args[name], this);
      if (has(p, 'preFilter') && !off('preFilter', name)) this.preFilter.push(p as PreFilterPlugin);
      if (has(p, 'filter') && !off('filter', name)) this.filter.push(p as FilterPlugin);
      if (has(p, 'postFilter') && !off('postFilter', name)) this.postFilter.push(p as PostFilterPlugin);
      if (has(p, 'preScore') && !off('preScore', name)) this.preScore.push(p as PreScorePlugin);
      if (has(p, 'score') && !off('score', name)) this.score.push({ plugin: p as ScorePlugin, weight: profile.weights[name] ?? 1 });
      if (has(p, 'reserve') && !off('reserve', name)) this.reserve.push(p as ReservePlugin);
      if (has(p, 'permit') && !off('permit', name)) this.permit.push(p as PermitPlugin);
      if (has(p, 'preBind') && !off('preBind', name)) this.preBind.push(p as PreBindPlugin);
      if (has(p, 'postBind') && !off('postBind', name)) this.postBind.push(p as PostBindPlugin);
    }
  }

  // ---- Handle --------------------------------------------------------------

  snapshot(): Snapshot {
    return this.deps.snapshot();
  }

  randomInt(n: number): number {
    return this.deps.randomInt(n);
  }

  nominatedPodsForNode(nodeName: string): PodInfo[] {
    return this.deps.nominatedPodsForNode(nodeName);
  }

  nominatedPods(): PodInfo[] {
    return this.deps.nominatedPods();
  }

  hasNominatedPods(): boolean {
    return this.deps.hasNominatedPods ? this.deps.hasNominatedPods() : true;
  }

  namespaceLabels(name: string): Record<string, string> | undefined {
    return this.deps.namespaceLabels(name);
  }

  services(namespace: string): readonly Service[] {
    return this.deps.services(namespace);
  }

  replicaSet(namespace: string, name: string): ReplicaSet | undefined {
    return this.deps.replicaSet(namespace, name);
  }

  volumeListers(): VolumeListers | undefined {
    return this.deps.volumeListers?.();
  }

  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    return this.runFilter(state, pod, nodeInfo);
  }

  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilter) {
      if (!p.addPod || state.skipFilter.has(p.name)) continue;
      const s = p.addPod(state, podToSchedule, podInfoToAdd, nodeInfo);
      if (!isSuccess(s)) return { ...s, plugin: p.name };
    }
    return SUCCESS;
  }

  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilter) {
      if (!p.removePod || state.skipFilter.has(p.name)) continue;
      const s = p.removePod(state, podToSchedule, podInfoToRemove, nodeInfo);
      if (!isSuccess(s)) return { ...s, plugin: p.name };
    }
    return SUCCESS;
  }

  // ---- extension points ----------------------------------------------------

  /** PreFilter: every plugin; node sets intersect; the first rejection ends it. */
  runPreFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result: PreFilterResult; status: Status; narrowedBy: string[] } {
    let names: Set<string> | undefined;
    const narrowedBy: string[] = [];
    for (const p of this.preFilter) {
      const { result, status } = p.preFilter(state, pod, nodes);
      if (status.code === 'Skip') {
        state.skipFilter.add(p.name);
        continue;
      }
      if (!isSuccess(status)) return { result: {}, status: { ...status, plugin: p.name }, narrowedBy };
      if (result?.nodeNames) {
        narrowedBy.push(p.name);
        names = names ? new Set([...names].filter((n) => result.nodeNames!.has(n))) : new Set(result.nodeNames);
      }
    }
    state.filterPlugins = this.filter.filter((p) => !state.skipFilter.has(p.name));
    return { result: { nodeNames: names }, status: SUCCESS, narrowedBy };
  }

  /** Filter on one node: plugins in order until one rejects. `record` gets each plugin's verdict. */
  runFilter(state: CycleState, pod: Pod, nodeInfo: NodeInfo, record?: Record<string, string>): Status {
    const plugins = state.filterPlugins ?? this.filter.filter((p) => !state.skipFilter.has(p.name));
    for (let i = 0; i < plugins.length; i++) {
      const p = plugins[i];
      const s = p.filter(state, pod, nodeInfo);
      if (s.code !== 'Success') {
        if (record) record[p.name] = s.reasons.join(', ');
        return { ...s, plugin: p.name };
      }
      if (record) record[p.name] = 'passed';
    }
    return SUCCESS;
  }

  /**
   * Upstream's RunFilterPluginsWithNominatedPods: when pods of equal or
   * higher priority are nominated to this node, the pod must fit both with
   * them counted and without.
   */
  runFilterWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo, record?: Record<string, string>): Status {
    const all = this.deps.nominatedPodsForNode(nodeInfo.name);
    if (all.length === 0) return this.runFilter(state, pod, nodeInfo, record);
    const priority = pod.spec?.priority ?? 0;
    const nominated = all.filter((p) => (p.pod.spec?.priority ?? 0) >= priority && p.pod.metadata!.uid !== pod.metadata!.uid);
    if (nominated.length === 0) return this.runFilter(state, pod, nodeInfo, record);
    const s2 = state.clone();
    const n2 = withPods(nodeInfo, nominated);
    for (const p of nominated) {
      const s = this.runPreFilterExtensionAddPod(s2, pod, p, n2);
      if (!isSuccess(s)) return s;
    }
    const withNominated = this.runFilter(s2, pod, n2, record);
    if (!isSuccess(withNominated)) return withNominated;
    return this.runFilter(state, pod, nodeInfo, record);
  }

  runPostFilter(state: CycleState, pod: Pod, filtered: NodeToStatus): { result?: PostFilterResult; status: Status } {
    let last: { result?: PostFilterResult; status: Status } = { status: { code: 'Unschedulable', reasons: [] } };
    for (const p of this.postFilter) {
      const r = p.postFilter(state, pod, filtered);
      if (r.status.code === 'Success') return { ...r, status: { ...r.status, plugin: p.name } };
      last = { ...r, status: { ...r.status, plugin: p.name } };
      if (r.status.code !== 'Unschedulable') return last;
    }
    return last;
  }

  runPreScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    for (const p of this.preScore) {
      const s = p.preScore(state, pod, nodes);
      if (s.code === 'Skip') {
        state.skipScore.add(p.name);
        continue;
      }
      if (!isSuccess(s)) return { ...s, plugin: p.name };
    }
    return SUCCESS;
  }

  /**
   * Score, NormalizeScore and weights for every feasible node. The per-plugin
   * NodeScore lists are kept between cycles (a cycle of 500 nodes would
   * otherwise allocate 500 of them per plugin); only the totals are returned.
   */
  runScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], recordRaw: boolean): { table: ScoreTable; status: Status } {
    const n = nodes.length;
    const table: ScoreTable = { raw: new Map(), final: new Map(), total: new Array<number>(n).fill(0) };
    for (let p = 0; p < this.score.length; p++) {
      const { plugin, weight } = this.score[p];
      if (state.skipScore.size && state.skipScore.has(plugin.name)) continue;
      if (!plugin.normalizeScore && !recordRaw) {
        // Nothing reads the per-node list: add straight into the totals (no NodeScore writes, one pass).
        const status = this.scoreIntoTotals(state, pod, nodes, plugin, weight, table.total);
        if (status) return { table, status };
        continue;
      }
      const scores = this.scoreBuffer(p, n);
      try {
        for (let i = 0; i < n; i++) {
          const score = plugin.score(state, pod, nodes[i]);
          scores[i].name = nodes[i].name;
          scores[i].score = score;
          if (recordRaw) rec(table.raw, nodes[i].name)[plugin.name] = score;
        }
      } catch (e) {
        if (!(e instanceof PluginError)) throw e;
        return { table, status: { code: 'Error', reasons: [e.message], plugin: plugin.name } };
      }
      if (plugin.normalizeScore) {
        const s = plugin.normalizeScore(state, pod, scores);
        if (!isSuccess(s)) return { table, status: { ...s, plugin: plugin.name } };
      }
      for (let i = 0; i < n; i++) {
        const sc = scores[i].score;
        if (sc > MAX_NODE_SCORE || sc < 0 || sc !== sc)
          return { table, status: { code: 'Error', reasons: [`plugin ${plugin.name} returns an invalid score ${sc}, it should in the range of [0, 100] after normalizing`] } };
        const weighted = sc * weight;
        if (recordRaw) rec(table.final, nodes[i].name)[plugin.name] = weighted;
        table.total[i] += weighted;
      }
    }
    return { table, status: SUCCESS };
  }

  private scoreBuffers: NodeScore[][] = [];
  private rawScores: number[] = [];

  /**
   * Score for a plugin without NormalizeScore: the raw scores (through the
   * plugin's own loop when it has one), checked in node order, weighted into
   * `total`. Returns the failure status, if any, as the two-pass loop would.
   */
  private scoreIntoTotals(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], plugin: ScorePlugin, weight: number, total: number[]): Status | undefined {
    const n = nodes.length;
    const raw = this.rawScores;
    try {
      if (plugin.scoreNodes) plugin.scoreNodes(state, pod, nodes, raw);
      else for (let i = 0; i < n; i++) raw[i] = plugin.score(state, pod, nodes[i]);
    } catch (e) {
      if (!(e instanceof PluginError)) throw e;
      return { code: 'Error', reasons: [e.message], plugin: plugin.name };
    }
    for (let i = 0; i < n; i++) {
      const sc = raw[i];
      if (sc > MAX_NODE_SCORE || sc < 0 || sc !== sc)
        return { code: 'Error', reasons: [`plugin ${plugin.name} returns an invalid score ${sc}, it should in the range of [0, 100] after normalizing`] };
      total[i] += sc * weight;
    }
    return undefined;
  }

  private scoreBuffer(plugin: number, n: number): NodeScore[] {
    let b = this.scoreBuffers[plugin];
    if (!b || b.length !== n) this.scoreBuffers[plugin] = b = Array.from({ length: n }, () => ({ name: '', score: 0 }));
    return b;
  }

  runReserve(state: CycleState, pod: Pod, nodeName: string): Status {
    for (const p of this.reserve) {
      const s = p.reserve(state, pod, nodeName);
      if (!isSuccess(s)) return { ...s, plugin: p.name };
    }
    return SUCCESS;
  }

  runUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (let i = this.reserve.length - 1; i >= 0; i--) this.reserve[i].unreserve(state, pod, nodeName);
  }

  runPermit(state: CycleState, pod: Pod, nodeName: string): Status {
    for (const p of this.permit) {
      const { status } = p.permit(state, pod, nodeName);
      if (!isSuccess(status)) return { ...status, plugin: p.name };
    }
    return SUCCESS;
  }

  runPreBind(state: CycleState, pod: Pod, nodeName: string): Status {
    for (const p of this.preBind) {
      const s = p.preBind(state, pod, nodeName);
      if (!isSuccess(s)) return { ...s, plugin: p.name };
    }
    return SUCCESS;
  }

  runPostBind(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of this.postBind) p.postBind(state, pod, nodeName);
  }
}

function rec(m: Map<string, Record<string, number>>, k: string): Record<string, number> {
  let r = m.get(k);
  if (!r) m.set(k, (r = {}));
  return r;
}

/** A copy of a NodeInfo with extra pods counted, for the nominated-pods pass. */
function withPods(n: NodeInfo, extra: PodInfo[]): NodeInfo {
  const out: NodeInfo = { ...n, pods: [...n.pods, ...extra], requested: { ...n.requested, scalar: { ...n.requested.scalar } }, nonZeroRequested: { ...n.nonZeroRequested } };
  for (const p of extra) {
    out.requested.milliCPU += p.requests.milliCPU;
    out.requested.memory += p.requests.memory;
    out.requested.ephemeralStorage += p.requests.ephemeralStorage;
    for (const [k, v] of Object.entries(p.requests.scalar)) out.requested.scalar[k] = (out.requested.scalar[k] ?? 0) + v;
    out.nonZeroRequested.milliCPU += p.nonZeroRequests.milliCPU;
    out.nonZeroRequested.memory += p.nonZeroRequests.memory;
    if (p.pod.spec?.affinity?.podAffinity || p.pod.spec?.affinity?.podAntiAffinity) out.podsWithAffinity = [...out.podsWithAffinity, p];
  }
  return out;
}
