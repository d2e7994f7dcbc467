// NodeAffinity: Filter requires the pod's nodeSelector and required node
// affinity (and the profile's addedAffinity) to match the node; PreFilter
// narrows the cycle to the nodes named by metadata.name match fields; Score
// sums the weights of the matching preferred terms, normalized so the best
// node scores 100. Upstream: plugins/nodeaffinity/node_affinity.go.
import type { NodeAffinity as NodeAffinitySpec } from 'kubernetes-types/core/v1';
import type { Pod } from '../../api/types';
import {
  compileNodeSelector,
  nodeSelectorErrors,
  OBJECT_NAME_FIELD,
  preferredSchedulingTerms,
  preferredSchedulingTermsErrors,
  requiredNodeAffinity,
  type NodeMatcher,
  type PreferredTerms,
} from '../../api/node-affinity';
import { aggregateMessage } from '../../api/selector';
import { defaultNormalizeScore, defaultNormalizeScoreValues } from '../framework/normalize';
import { PluginArgsError, type PluginFactory } from '../framework/registry';
import { SKIP, SUCCESS, unresolvable } from '../framework/status';
import type { CycleState, FilterPlugin, NodeInfo, NodeScore, PreFilterPlugin, PreScorePlugin, ScorePlugin, StateData } from '../framework/types';
import { MAX_NODE_SCORE } from '../framework/types';

export const NODE_AFFINITY = 'NodeAffinity';
export const NODE_AFFINITY_PRE_FILTER_STATE_KEY = 'PreFilter' + NODE_AFFINITY;
export const NODE_AFFINITY_PRE_SCORE_STATE_KEY = 'PreScore' + NODE_AFFINITY;

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

class Required implements StateData {
  constructor(readonly match: NodeMatcher | null) {}
  clone(): StateData {
    return this;
  }
}

class Preferred implements StateData {
  constructor(readonly terms: PreferredTerms | null) {}
  clone(): StateData {
    return this;
  }
}

const podPreferred = (pod: Pod): PreferredTerms | null => {
  const terms = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return terms ? preferredSchedulingTerms(terms) : null;
};

/**
 * PreFilter's node narrowing: each term's metadata.name In values,
 * intersected within a term and united over terms. undefined when some term
 * does not name nodes (terms are ORed, so any node may match it).
 */
export function nodeNamesFromTerms(pod: Pod): Set<string> | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return undefined;
  let names: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key !== OBJECT_NAME_FIELD || r.operator !== 'In') continue;
      const s = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
    }
    if (!termNames) return undefined;
    names = names ? new Set([...names, ...termNames]) : termNames;
  }
  return names;
}

interface NodeAffinityArgs {
  addedAffinity?: NodeAffinitySpec;
}

function parseArgs(raw: Record<string, unknown> | undefined): NodeAffinityArgs {
  if (!raw) return {};
  for (const k of Object.keys(raw))
    if (k !== 'addedAffinity' && k !== 'apiVersion' && k !== 'kind') throw new PluginArgsError(`${NODE_AFFINITY} args: ${k}: unknown field "${k}"`);
  const added = raw.addedAffinity;
  if (added === undefined || added === null) return {};
  if (typeof added !== 'object' || Array.isArray(added)) throw new PluginArgsError(`${NODE_AFFINITY} args: addedAffinity: must be an object`);
  // ValidateNodeAffinityArgs: terms that do not parse are rejected here, not matched as nothing.
  const affinity = added as NodeAffinitySpec;
  const req = affinity.requiredDuringSchedulingIgnoredDuringExecution;
  const prefs = affinity.preferredDuringSchedulingIgnoredDuringExecution;
  const errs = [
    ...(req ? nodeSelectorErrors(req, 'addedAffinity.requiredDuringSchedulingIgnoredDuringExecution') : []),
    ...(prefs?.length ? preferredSchedulingTermsErrors(prefs, 'addedAffinity.preferredDuringSchedulingIgnoredDuringExecution') : []),
  ];
  if (errs.length) throw new PluginArgsError(`${NODE_AFFINITY} args: ${aggregateMessage(errs)}`);
  return { addedAffinity: affinity };
}

export const newNodeAffinity: PluginFactory = (rawArgs) => {
  const args = parseArgs(rawArgs);
  const req = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const addedNodeSelector = req ? compileNodeSelector(req) : null;
  const prefs = args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  const addedPreferred = prefs?.length ? preferredSchedulingTerms(prefs) : null;

  const plugin: PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin = {
    name: NODE_AFFINITY,
    preFilter(state: CycleState, pod: Pod) {
      const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (!required && !addedNodeSelector && !pod.spec?.nodeSelector) return { status: SKIP };
      state.write(NODE_AFFINITY_PRE_FILTER_STATE_KEY, new Required(requiredNodeAffinity(pod)));
      const names = required ? nodeNamesFromTerms(pod) : undefined;
      if (names && names.size === 0) return { status: unresolvable(ERR_REASON_CONFLICT) };
      return names ? { result: { nodeNames: names }, status: SUCCESS } : { status: SUCCESS };
    },
    filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo) {
      if (addedNodeSelector && !addedNodeSelector(nodeInfo.node)) return unresolvable(ERR_REASON_ENFORCED);
      const s = state.read<Required>(NODE_AFFINITY_PRE_FILTER_STATE_KEY);
      const match = s ? s.match : requiredNodeAffinity(pod);
      return match === null || match(nodeInfo.node) ? SUCCESS : unresolvable(ERR_REASON_POD);
    },
    preScore(state: CycleState, pod: Pod) {
      const preferred = podPreferred(pod);
      if (!preferred && !addedPreferred) return SKIP;
      state.write(NODE_AFFINITY_PRE_SCORE_STATE_KEY, new Preferred(preferred));
      return SUCCESS;
    },
    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo) {
      let count = addedPreferred ? addedPreferred.score(nodeInfo.node) : 0;
      const s = state.read<Preferred>(NODE_AFFINITY_PRE_SCORE_STATE_KEY);
      const preferred = s ? s.terms : podPreferred(pod);
      if (preferred) count += preferred.score(nodeInfo.node);
      return count;
    },
    normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]) {
      defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
      return SUCCESS;
    },
    normalizeScoreValues(_state: CycleState, _pod: Pod, scores: number[], n: number) {
      defaultNormalizeScoreValues(MAX_NODE_SCORE, false, scores, n);
      return SUCCESS;
    },
  };
  return plugin;
};
