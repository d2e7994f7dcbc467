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
