import { describe, expect, it } from 'vitest';
import { HISTORY_ROUNDS, UsageHistory } from './metrics-history';

describe('the usage history behind the charts', () => {
  it('keeps 41 rounds (10 minutes of 15 s rounds and the one they start from), oldest first', () => {
    expect(HISTORY_ROUNDS).toBe(41);
    const h = new UsageHistory();
    for (let r = 1; r <= 100; r++) {
      h.beginRound(r * 15_000);
      h.record('Node//node-1', r, r * 1024);
      h.endRound();
    }
    const s = h.samples('Node//node-1');
    expect(s).toHaveLength(41);
    // Rounds 60..100: the newest 41.
    expect(s[0]).toEqual({ t: 60 * 15_000, cpuMilli: 60, memoryBytes: 60 * 1024 });
    expect(s[40]).toEqual({ t: 100 * 15_000, cpuMilli: 100, memoryBytes: 100 * 1024 });
  });

  it('a round without a value is a gap, and a series no round touched for 41 rounds is dropped', () => {
    const h = new UsageHistory(4);
    for (let r = 0; r < 3; r++) {
      h.beginRound(r);
      if (r !== 1) h.record('Pod/default/p', 10 + r, 1);
      h.record('Pod/default/q', 1, 1);
      h.endRound();
    }
    expect(h.samples('Pod/default/p').map((x) => x.t)).toEqual([0, 2]);
    for (let r = 3; r < 8; r++) {
      h.beginRound(r);
      h.record('Pod/default/q', 1, 1);
      h.endRound();
    }
    // p was last written in round 2; the ring of 4 holds rounds 4..7: p is gone, q is bounded to 4 points.
    expect(h.samples('Pod/default/p')).toEqual([]);
    expect(h.seriesCount).toBe(1);
    expect(h.samples('Pod/default/q')).toHaveLength(4);
  });
});
