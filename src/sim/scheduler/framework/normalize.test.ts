import { describe, expect, it } from 'vitest';
import { defaultNormalizeScore, defaultNormalizeScoreValues } from './normalize';
import type { NodeScore } from './types';

// Upstream: pkg/scheduler/framework/plugins/helper DefaultNormalizeScore (int64 arithmetic).
// Both forms (NodeScore list, bare values) must agree on every case.
function normalize(scores: number[], reverse: boolean, max = 100): number[] {
  const list: NodeScore[] = scores.map((score, i) => ({ name: `n${i}`, score }));
  defaultNormalizeScore(max, reverse, list);
  // The values form works on the first n of a longer buffer and leaves the rest alone.
  const values = [...scores, -7];
  defaultNormalizeScoreValues(max, reverse, values, scores.length);
  expect(values).toEqual([...list.map((s) => s.score), -7]);
  return list.map((s) => s.score);
}

describe('defaultNormalizeScore', () => {
  it('scales so the highest becomes maxPriority, truncating as integer division', () => {
    // max 3: 100*1/3 = 33.3 -> 33, 100*2/3 = 66.6 -> 66, 100*3/3 = 100
    expect(normalize([0, 1, 2, 3], false)).toEqual([0, 33, 66, 100]);
    // max 80: 100*30/80 = 37.5 -> 37
    expect(normalize([30, 80, 0], false)).toEqual([37, 100, 0]);
    // max 7: 100*1/7 = 14.28 -> 14, 100*6/7 = 85.7 -> 85
    expect(normalize([1, 6, 7], false)).toEqual([14, 85, 100]);
    // scores above 100 scale down: max 250 -> 100*125/250 = 50
    expect(normalize([125, 250], false)).toEqual([50, 100]);
  });

  it('reverse subtracts the scaled score from maxPriority', () => {
    // max 2: 100 - 0 = 100, 100 - 50 = 50, 100 - 100 = 0
    expect(normalize([0, 1, 2], true)).toEqual([100, 50, 0]);
    // max 3: 100 - trunc(100/3) = 100 - 33 = 67; 100 - 100 = 0
    expect(normalize([1, 3], true)).toEqual([67, 0]);
  });

  it('all zero: unchanged without reverse, all maxPriority with it', () => {
    expect(normalize([0, 0, 0], false)).toEqual([0, 0, 0]);
    expect(normalize([0, 0], true)).toEqual([100, 100]);
    expect(normalize([], true)).toEqual([]);
  });

  it('uses the given maxPriority', () => {
    // max 4 to priority 10: 10*1/4 = 2.5 -> 2, 10*3/4 = 7.5 -> 7
    expect(normalize([1, 3, 4], false, 10)).toEqual([2, 7, 10]);
    // reversed: 10-2 = 8, 10-7 = 3, 10-10 = 0
    expect(normalize([1, 3, 4], true, 10)).toEqual([8, 3, 0]);
  });

  it('ignores negative scores for the maximum and truncates them toward zero, as Go does', () => {
    // maxCount starts at 0: [-5, 0] leaves maxCount 0 -> unchanged
    expect(normalize([-5, 0], false)).toEqual([-5, 0]);
    // max 3: 100*-1/3 = -33.3 -> -33 (Go truncates toward zero, not -34)
    expect(normalize([-1, 3], false)).toEqual([-33, 100]);
  });
});
