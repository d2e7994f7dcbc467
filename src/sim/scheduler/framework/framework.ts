// Runs a profile's plugins at each extension point, as upstream's
// frameworkImpl does: in order, stopping a Filter at the first rejection,
// skipping plugins that said Skip in PreFilter/PreScore, normalizing and
// weighting scores. It is also the Handle plugins receive.
import type { Pod, ReplicaSet, Service } from '../../api/types';
import type { ExtensionPoint, Profile } from '../profile';
import type { NodeBatch } from './node-batch';
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
  raw: ReadonlyMap<string, Record<string, number>>;
  final: ReadonlyMap<string, Record<string, number>>;
  /** The weighted sum per node, in the order of the nodes scored (a buffer the framework reuses: read it before the next cycle). */
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
   * Filter over a batch of nodes, plugin by plugin, each on the nodes no
   * plugin before it rejected (through its filterNodes loop when it has
   * one): the verdicts runFilter gives node by node. out[k] is node k's
   * rejection (undefined: it passed every plugin) and by[k] the index, in
   * the returned list, of the plugin that rejected it. Both must hold
   * batch.count entries, out[k] undefined and by[k] -1.
   */
  runFilterNodes(state: CycleState, pod: Pod, batch: NodeBatch, out: (Status | undefined)[], by: Int32Array): readonly FilterPlugin[] {
    const plugins = state.filterPlugins ?? this.filter.filter((p) => !state.skipFilter.has(p.name));
    const n = batch.count;
    let left = n;
    for (let j = 0; j < plugins.length && left > 0; j++) {
      const p = plugins[j];
      let rejected = 0;
      if (p.filterNodes) rejected = p.filterNodes(state, pod, batch, out);
      else
        for (let k = 0; k < n; k++) {
          if (out[k] !== undefined) continue;
          const s = p.filter(state, pod, batch.info(k));
          if (s.code !== 'Success') {
            out[k] = s;
            rejected++;
          }
        }
      if (rejected === 0) continue;
      left -= rejected;
      for (let k = 0; k < n; k++) if (out[k] !== undefined && by[k] < 0) by[k] = j;
    }
    return plugins;
  }

  /**
   * Score, NormalizeScore and weights for every node of the batch (the
   * feasible ones), each plugin over all of them in one loop (its
   * scoreNodes when it has one). The per-node tables are written only when
   * `recordRaw` (explanations); the totals always.
   */
  runScore(state: CycleState, pod: Pod, batch: NodeBatch, recordRaw: boolean): { table: ScoreTable; status: Status } {
    const n = batch.count;
    const names = batch.table.names;
    const slots = batch.slots;
    const total = this.totals;
    for (let k = 0; k < n; k++) total[k] = 0;
    if (total.length !== n) total.length = n;
    // The per-node tables only for explanations (nothing reads them otherwise).
    const rawByNode = recordRaw ? new Map<string, Record<string, number>>() : undefined;
    const finalByNode = recordRaw ? new Map<string, Record<string, number>>() : undefined;
    const table: ScoreTable = { raw: rawByNode ?? NO_SCORES, final: finalByNode ?? NO_SCORES, total };
    const raw = this.rawScores;
    for (let p = 0; p < this.score.length; p++) {
      const { plugin, weight } = this.score[p];
      if (state.skipScore.size && state.skipScore.has(plugin.name)) continue;
      try {
        if (plugin.scoreNodes) plugin.scoreNodes(state, pod, batch, raw);
        else for (let k = 0; k < n; k++) raw[k] = plugin.score(state, pod, batch.info(k));
      } catch (e) {
        if (!(e instanceof PluginError)) throw e;
        return { table, status: { code: 'Error', reasons: [e.message], plugin: plugin.name } };
      }
      if (rawByNode) for (let k = 0; k < n; k++) rec(rawByNode, names[slots[k]])[plugin.name] = raw[k];
      if (plugin.normalizeScoreValues) {
        const s = plugin.normalizeScoreValues(state, pod, raw, n);
        if (!isSuccess(s)) return { table, status: { ...s, plugin: plugin.name } };
      } else if (plugin.normalizeScore) {
        const scores = this.scoreBuffer(p, n);
        for (let k = 0; k < n; k++) {
          scores[k].name = names[slots[k]];
          scores[k].score = raw[k];
        }
        const s = plugin.normalizeScore(state, pod, scores);
        if (!isSuccess(s)) return { table, status: { ...s, plugin: plugin.name } };
        for (let k = 0; k < n; k++) raw[k] = scores[k].score;
      }
      for (let k = 0; k < n; k++) {
        const sc = raw[k];
        if (sc > MAX_NODE_SCORE || sc < 0 || sc !== sc)
          return { table, status: { code: 'Error', reasons: [`plugin ${plugin.name} returns an invalid score ${sc}, it should in the range of [0, 100] after normalizing`] } };
        const weighted = sc * weight;
        if (finalByNode) rec(finalByNode, names[slots[k]])[plugin.name] = weighted;
        total[k] += weighted;
      }
    }
    return { table, status: SUCCESS };
  }

  /** Per plugin, the NodeScore list NormalizeScore works on, kept between cycles. */
  private scoreBuffers: NodeScore[][] = [];
  private rawScores: number[] = [];
  private totals: number[] = [];

  private scoreBuffer(plugin: number, n: number): NodeScore[] {
    const b = (this.scoreBuffers[plugin] ??= []);
    while (b.length < n) b.push({ name: '', score: 0 });
    if (b.length !== n) b.length = n;
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

const NO_SCORES: ReadonlyMap<string, Record<string, number>> = new Map();

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
