// pluginhelper.DefaultNormalizeScore: scale scores so the highest becomes
// maxPriority (integer division, as int64 in Go); `reverse` turns "more is
// worse" counts (untolerated PreferNoSchedule taints) into scores.
import type { NodeScore } from './types';

export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): void {
  let maxCount = 0;
  for (const s of scores) if (s.score > maxCount) maxCount = s.score;
  if (maxCount === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    let score = Math.trunc((maxPriority * s.score) / maxCount);
    if (reverse) score = maxPriority - score;
    s.score = score;
  }
}

/**
 * defaultNormalizeScore over the first n of a list of bare scores (the
 * framework's per-cycle buffer: no node names to carry).
 */
export function defaultNormalizeScoreValues(maxPriority: number, reverse: boolean, scores: number[], n: number): void {
  let maxCount = 0;
  for (let i = 0; i < n; i++) if (scores[i] > maxCount) maxCount = scores[i];
  if (maxCount === 0) {
    if (reverse) for (let i = 0; i < n; i++) scores[i] = maxPriority;
    return;
  }
  for (let i = 0; i < n; i++) {
    let score = Math.trunc((maxPriority * scores[i]) / maxCount);
    if (reverse) score = maxPriority - score;
    scores[i] = score;
  }
}
