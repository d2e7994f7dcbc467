// The window of recent wire messages the canvas animates.
import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../sim/kernel/trace';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { History } from '../../scenario/history';
import { createClusterStore, UI_CLUSTER_OPTIONS } from './cluster-store';
import { RECENT_LIMIT, recentWire } from './recent-wire';

const m = (seq: number, t: number): WireMessage => ({ seq, t, from: 'etcd-1', to: 'etcd-2', verb: 'raft heartbeat', resource: 'raft', key: 'term 1', ok: true });

describe('recentWire', () => {
  it('keeps the last 30 s and drops what is older', () => {
    const prev = [m(1, 1_000), m(2, 20_000)];
    // At 31,000 the window starts at 1,000 (kept); at 31,001 it has passed it.
    expect(recentWire(prev, [], 31_000)).toBe(prev);
    expect(recentWire(prev, [m(3, 31_001)], 31_001).map((x) => x.seq)).toEqual([2, 3]);
  });

  it('returns the same array when nothing entered or left, so the layer does not redraw', () => {
    const prev = [m(1, 5_000)];
    expect(recentWire(prev, [], 6_000)).toBe(prev);
    expect(recentWire(prev, [m(2, 6_000)], 6_000)).not.toBe(prev);
  });

  it('keeps at most 3,000 messages, the newest', () => {
    const fresh = Array.from({ length: 3_500 }, (_, i) => m(i + 1, 100));
    const out = recentWire([], fresh, 100);
    expect(out).toHaveLength(RECENT_LIMIT);
    expect(out[0].seq).toBe(501);
  });
});

describe('the store on the default cluster', () => {
  it('at 30 s holds the last 30 s of the trace, raft heartbeats at 29,900 and 30,000 among them', () => {
    const store = createClusterStore({ open: () => new History(DEFAULT_SCENARIO_YAML, UI_CLUSTER_OPTIONS), start: { startAt: 30_000, paused: true } });
    const recent = store.getState().recentWire;
    expect(recent[0].t).toBeGreaterThanOrEqual(0);
    expect(recent[recent.length - 1].t).toBe(30_000);
    // The leader (etcd-1) beats every 100 ms to both followers.
    const beats = recent.filter((x) => x.verb === 'raft heartbeat' && x.t >= 29_900).map((x) => `${x.t} ${x.to}`);
    expect(beats).toEqual(['29900 etcd-2', '29900 etcd-3', '30000 etcd-2', '30000 etcd-3']);
    // Seq numbers are consecutive: nothing in the window was lost.
    expect(recent.every((x, i) => i === 0 || x.seq === recent[i - 1].seq + 1)).toBe(true);
  });
});
