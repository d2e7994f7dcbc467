// The pod annotations that explain a cycle, as kube-scheduler-simulator
// writes them: filter verdicts, raw scores, final (normalized x weight)
// scores and the selected node.
import type { CycleResult } from './schedule-one';

export const FILTER_RESULT = 'kubeviz.dev/filter-result';
export const SCORE_RESULT = 'kubeviz.dev/score-result';
export const FINALSCORE_RESULT = 'kubeviz.dev/finalscore-result';
export const SELECTED_NODE = 'kubeviz.dev/selected-node';

/** The four annotations (selected-node null when there is none: a merge patch removes it). */
export function explanationAnnotations(r: CycleResult, limit: number): Record<string, string | null> {
  const score: Record<string, Record<string, number>> = {};
  const final: Record<string, Record<string, number>> = {};
  let n = 0;
  if (r.scores)
    for (const [node, plugins] of r.scores.raw) {
      if (n++ >= limit) break;
      score[node] = plugins;
      final[node] = r.scores.final.get(node) ?? {};
    }
  return {
    [FILTER_RESULT]: JSON.stringify(r.filterResult),
    [SCORE_RESULT]: JSON.stringify(score),
    [FINALSCORE_RESULT]: JSON.stringify(final),
    [SELECTED_NODE]: r.node ?? null,
  };
}
