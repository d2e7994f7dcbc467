import { describe, expect, it } from 'vitest';
import type { Action } from '../sim/model';
import { DEFAULT_SCENARIO_YAML } from './gallery/default-scenario';
import { History } from './history';
import { openSession } from './session';

const MIN = 60_000;

/** A user's afternoon: faults and changes at uneven instants, played in uneven chunks, with steps. */
const SCRIPT: Array<{ at: number; action: Action }> = [
  { at: 12_345, action: { action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 5 } },
  { at: 61_000, action: { action: 'powerOff', node: 'node-2' } },
  { at: 61_000, action: { action: 'cordon', node: 'node-3' } },
  { at: 200_500, action: { action: 'stopComponent', component: 'etcd-1' } },
  { at: 230_000, action: { action: 'startComponent', component: 'etcd-1' } },
  { at: 420_017, action: { action: 'powerOn', node: 'node-2' } },
  { at: 500_000, action: { action: 'uncordon', node: 'node-3' } },
];
const END = 12 * MIN;

/** Plays SCRIPT live and records the state hash first seen at each probe instant. */
function playLive(probes: number[]) {
  const h = new History(DEFAULT_SCENARIO_YAML, { checkpointEvery: 2 * MIN });
  const seen = new Map<number, string>();
  const events = [...SCRIPT.map((s) => ({ at: s.at, act: s.action as Action | null })), ...probes.map((p) => ({ at: p, act: null }))].sort(
    (a, b) => a.at - b.at || (a.act ? 1 : -1),
  );
  for (const e of events) {
    // Uneven chunks: part of the way, a step, then the rest.
    h.runUntil(Math.max(h.now, e.at - 777));
    if (h.nextEventTime() !== undefined && h.nextEventTime()! < e.at) h.stepInstant();
    h.runUntil(e.at);
    if (e.act) h.act(e.act);
    else seen.set(e.at, h.cluster.stateHash());
  }
  h.runUntil(END);
  return { h, seen };
}

const probes = Array.from({ length: 40 }, (_, i) => 1_000 + i * 17_713).filter((t) => t < END);

describe('History: rewinding', { timeout: 60_000 }, () => {
  it('shows exactly the state first seen at each instant, in any order, with and without checkpoints', () => {
    const { h, seen } = playLive(probes);
    // A fixed shuffle (no Math.random in tests either): every 7th probe, wrapping.
    const order = probes.map((_, i) => probes[(i * 7) % probes.length]);
    for (const t of order.slice(0, 10)) {
      h.seek(t);
      expect(h.now).toBe(t);
      expect(h.cluster.stateHash(), `at ${t} ms`).toBe(seen.get(t));
    }
    while (h.fill(30_000));
    expect(h.checkpointInstants().length).toBeGreaterThanOrEqual(5);
    const rebuilds = h.rebuilds;
    for (const t of order.slice(10)) {
      h.seek(t);
      expect(h.cluster.stateHash(), `at ${t} ms`).toBe(seen.get(t));
    }
    // Past the first 2 minutes every rewind started from a checkpoint, not from the scenario.
    const early = order.slice(10).filter((t) => t < 2 * MIN).length;
    expect(h.rebuilds - rebuilds).toBeLessThanOrEqual(early);
  });

  it('re-applies the later actions when played forward again after a rewind', () => {
    const { h } = playLive([]);
    const endHash = h.cluster.stateHash();
    h.seek(30_000);
    expect(h.pending.map((a) => a.action)).toEqual(SCRIPT.slice(1).map((s) => s.action.action));
    h.seek(END);
    expect(h.pending).toHaveLength(0);
    expect(h.cluster.stateHash()).toBe(endHash);
  });

  it('agrees with a share-link replay of the same session', () => {
    const { h } = playLive([]);
    expect(openSession(h.session()).stateHash()).toBe(h.cluster.stateHash());
  });

  it('tells the store when the live cluster is replaced', () => {
    const { h } = playLive([]);
    const replaced: number[] = [];
    h.onReplace((c) => replaced.push(c.now));
    h.seek(END + 1_000); // forward: same cluster
    h.seek(100_000); // back: another one
    expect(replaced).toEqual([100_000]);
  });
});

describe('History: acting in the past forks', { timeout: 60_000 }, () => {
  it('drops the later actions, and never replays them', () => {
    const { h } = playLive([]);
    h.seek(100_000);
    const { dropped, outcomes } = h.act({ action: 'drain', node: 'node-1' });
    expect(outcomes[0]).toMatchObject({ ok: true, message: 'node/node-1 cordoned' });
    expect(dropped.map((a) => a.at)).toEqual([200_500, 230_000, 420_017, 500_000]);
    expect(h.actions.map((a) => a.action)).toEqual(['scale', 'powerOff', 'cordon', 'drain']);
    h.seek(END);
    const node1 = h.cluster.objects().find((o) => o.kind === 'Node' && o.metadata.name === 'node-1') as { spec?: { unschedulable?: boolean } };
    expect(node1.spec?.unschedulable).toBe(true);
    // node-2 was never powered on again on this branch.
    expect(h.cluster.machine('node-2').powered).toBe(false);
    // No checkpoint from the old future survives.
    expect(h.checkpointInstants().every((t) => t <= 100_000 || t >= END - 1)).toBe(true);
  });

  it('settles the instant before acting, so two actions at one instant replay the same with a step between', () => {
    const h = new History(DEFAULT_SCENARIO_YAML);
    h.runUntil(20_000);
    h.act({ action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 4 });
    h.stepInstant();
    h.act({ action: 'cordon', node: 'node-1' });
    h.runUntil(60_000);
    expect(openSession(h.session()).stateHash()).toBe(h.cluster.stateHash());
  });
});

describe('History: stepping', () => {
  it('runs what is due at the current instant, then moves on to the next', () => {
    const h = new History(DEFAULT_SCENARIO_YAML);
    const seen: number[] = [];
    for (let i = 0; i < 12 && h.now === 0; i++) h.stepInstant();
    seen.push(h.now);
    h.stepInstant();
    expect(seen[0]).toBeGreaterThan(0);
    expect(h.now).toBeGreaterThan(seen[0]);
    expect(h.cluster.nextEventTime()).toBeGreaterThan(h.now);
  });
});

describe('History: checkpoints of a growing cluster', { timeout: 120_000 }, () => {
  it('keeps fewer of them as the cluster grows, by the most objects it has held', () => {
    const h = new History(DEFAULT_SCENARIO_YAML, { checkpointEvery: MIN });
    const small = h.cluster.etcd.store.size;
    h.runUntil(1_000);
    // 2,500 pods (most stay Pending: 3 nodes of 110) make the cluster about 30 times its starting size.
    h.act({ action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 2_500 });
    h.runUntil(12 * MIN);
    while (h.fill(60_000));
    const big = h.cluster.etcd.store.size;
    expect(big).toBeGreaterThan(2_500);
    // At the starting size all twelve one-minute slots would be kept (20,000 / small > 12).
    expect(Math.floor(20_000 / small)).toBeGreaterThan(12);
    expect(h.checkpointInstants().length).toBeLessThanOrEqual(Math.floor(20_000 / big));
    expect(h.checkpointInstants().length).toBeGreaterThan(0);
  });
});
