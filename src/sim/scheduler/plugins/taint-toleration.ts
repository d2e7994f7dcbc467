// TaintToleration: Filter keeps pods off nodes with NoSchedule / NoExecute
// taints they do not tolerate; Score counts the PreferNoSchedule taints a
// pod does not tolerate, and NormalizeScore reverses the count so the node
// with fewest scores 100. Upstream: plugins/tainttoleration.
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import type { Pod } from '../../api/types';
import { doNotScheduleTaint, findMatchingUntoleratedTaint, tolerationsTolerateTaint } from '../../api/taints';
import { defaultNormalizeScore, defaultNormalizeScoreValues } from '../framework/normalize';
import type { PluginFactory } from '../framework/registry';
import type { NodeBatch } from '../framework/node-batch';
import { SUCCESS, unresolvable, type Status } from '../framework/status';
import type { CycleState, FilterPlugin, NodeInfo, NodeScore, PreScorePlugin, ScorePlugin, StateData } from '../framework/types';
import { MAX_NODE_SCORE } from '../framework/types';
import { LastCycle } from './last-cycle';

export const TAINT_TOLERATION = 'TaintToleration';
export const TAINT_PRE_SCORE_STATE_KEY = 'PreScore' + TAINT_TOLERATION;

/** The Filter reason, naming the first untolerated taint as upstream does. */
export const untoleratedTaintReason = (t: Taint): string => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;

/**
 * The Filter's rejection for a taint, made once per taint object (a node's
 * taints keep their objects across its status writes): a tainted zone
 * rejects hundreds of nodes a cycle, each would otherwise build its message.
 */
const rejections = new WeakMap<Taint, Status>();
function rejection(taint: Taint): Status {
  let s = rejections.get(taint);
  if (!s) rejections.set(taint, (s = Object.freeze(unresolvable(untoleratedTaintReason(taint)))));
  return s;
}

class PreferNoScheduleTolerations implements StateData {
  constructor(readonly tolerations: readonly Toleration[]) {}
  clone(): StateData {
    return this;
  }
}

/** Tolerations with effect PreferNoSchedule or no effect (which means every effect). */
export const tolerationsPreferNoSchedule = (tolerations: readonly Toleration[] | undefined): Toleration[] =>
  (tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');

export function countIntolerableTaintsPreferNoSchedule(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[]): number {
  let n = 0;
  for (const taint of taints ?? []) if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint)) n++;
  return n;
}

export const newTaintToleration: PluginFactory = () => {
  const last = new LastCycle<readonly Toleration[]>();
  const plugin: FilterPlugin & PreScorePlugin & ScorePlugin = {
    name: TAINT_TOLERATION,
    filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo) {
      const taint = findMatchingUntoleratedTaint(nodeInfo.node.spec?.taints, pod.spec?.tolerations, doNotScheduleTaint);
      return taint ? rejection(taint) : SUCCESS;
    },
    filterNodes(_state: CycleState, pod: Pod, batch: NodeBatch, out: (Status | undefined)[]) {
      const { table, slots, count } = batch;
      const tolerations = pod.spec?.tolerations;
      let rejected = 0;
      for (let k = 0; k < count; k++) {
        const taints = table.taints[slots[k]];
        if (taints === undefined || out[k] !== undefined) continue;
        const taint = findMatchingUntoleratedTaint(taints, tolerations, doNotScheduleTaint);
        if (taint) {
          out[k] = rejection(taint);
          rejected++;
        }
      }
      return rejected;
    },
    preScore(state: CycleState, pod: Pod) {
      const s = new PreferNoScheduleTolerations(tolerationsPreferNoSchedule(pod.spec?.tolerations));
      state.write(TAINT_PRE_SCORE_STATE_KEY, s);
      last.remember(state, pod, s.tolerations);
      return SUCCESS;
    },
    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo) {
      const taints = nodeInfo.node.spec?.taints;
      if (!taints) return 0;
      return countIntolerableTaintsPreferNoSchedule(taints, tolerationsFor(state, pod));
    },
    scoreNodes(state: CycleState, pod: Pod, batch: NodeBatch, out: number[]) {
      const { table, slots, count } = batch;
      let tolerations: readonly Toleration[] | undefined;
      for (let k = 0; k < count; k++) {
        const taints = table.taints[slots[k]];
        out[k] = taints === undefined ? 0 : countIntolerableTaintsPreferNoSchedule(taints, (tolerations ??= tolerationsFor(state, pod)));
      }
    },
    normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]) {
      defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
      return SUCCESS;
    },
    normalizeScoreValues(_state: CycleState, _pod: Pod, scores: number[], n: number) {
      defaultNormalizeScoreValues(MAX_NODE_SCORE, true, scores, n);
      return SUCCESS;
    },
  };
  function tolerationsFor(state: CycleState, pod: Pod): readonly Toleration[] {
    let tolerations = last.get(state, pod);
    if (!tolerations) {
      tolerations = state.read<PreferNoScheduleTolerations>(TAINT_PRE_SCORE_STATE_KEY)?.tolerations ?? tolerationsPreferNoSchedule(pod.spec?.tolerations);
      last.remember(state, pod, tolerations);
    }
    return tolerations;
  }
  return plugin;
};
