// The store's time controls (issue 7): speeds and "as fast as possible",
// stepping to kube-scheduler's next extension point, running to the next
// interesting event, stepping back, the timeline's markers, and rewinding
// and forking as the UI sees them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { History } from '../../scenario/history';
import type { Pod } from '../../sim/api/types';
import { createClusterStore, UI_CLUSTER_OPTIONS, type CreateClusterStoreInput } from './cluster-store';

const SCHEDULING = readFileSync(new URL('../../scenario/examples/scheduling.yaml', import.meta.url), 'utf8');

const storeOf = (yaml: string, start: CreateClusterStoreInput['start'] = { paused: true }, wallClock?: () => number) =>
  createClusterStore({ open: () => new History(yaml, UI_CLUSTER_OPTIONS), start, ...(wallClock ? { wallClock } : {}) });

const podPhase = (s: ReturnType<typeof storeOf>, name: string) => (s.cluster!.objects().find((o) => o.kind === 'Pod' && o.metadata.name === name) as Pod | undefined)?.status?.phase;

describe('time controls', () => {
  it('[ and ] walk the speeds from 0.1x to 100x and on to as fast as possible', () => {
    const s = storeOf(DEFAULT_SCENARIO_YAML);
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      s.getState().speedUp();
      seen.push(s.getState().fastest ? 'max' : String(s.getState().speed));
    }
    expect(seen).toEqual(['2', '5', '10', '25', '100', 'max', 'max', 'max', 'max', 'max']);
    s.getState().speedDown();
    expect(s.getState()).toMatchObject({ fastest: false, speed: 100 });
    for (let i = 0; i < 10; i++) s.getState().speedDown();
    expect(s.getState().speed).toBe(0.1);
  });

  it('as fast as possible runs as much as fits in a frame, far more than 100x', () => {
    // A fake wall clock that costs 1 ms per simulated second: a machine that could run 1000x.
    let sim = () => 0;
    const s = storeOf(DEFAULT_SCENARIO_YAML, { paused: false }, () => sim() / 1000);
    sim = () => s.cluster!.now;
    s.getState().setFastest();
    for (let i = 0; i < 5; i++) s.getState().advance(16);
    // 5 frames of 16 ms at 100x would be 8 s; each frame here runs 12 ms of "work": 12 s. About 60 s in all.
    expect(s.getState().now).toBeGreaterThanOrEqual(60_000);
    expect(s.getState().now).toBeLessThan(80_000);
    expect(s.getState().achievedSpeed).toBeGreaterThan(900);
    s.getState().setSpeed(1);
    expect(s.getState()).toMatchObject({ fastest: false, achievedSpeed: null });
  });

  it('steps kube-scheduler one extension point at a time, in the middle of one instant, and opens the pod', () => {
    const s = storeOf(SCHEDULING);
    const points: string[] = [];
    for (let i = 0; i < 14; i++) {
      s.getState().stepPoint();
      const c = s.getState().scheduler.cycle!;
      points.push(`${c.pod} ${c.point}`);
    }
    expect(points).toEqual([
      'default/huge preFilter',
      'default/huge filter',
      'default/huge postFilter',
      'default/web preFilter',
      'default/web filter',
      'default/web preScore',
      'default/web score',
      'default/web normalizeScore',
      'default/web reserve',
      'default/web permit',
      'default/web preBind',
      'default/web bind',
      'default/web postBind',
      // The next cycle is huge's again, sent back by a Node update (the kubelets' status, every 10 s).
      'default/huge preFilter',
    ]);
    const st = s.getState();
    expect(st.selection).toEqual({ type: 'object', key: 'Pod/default/huge' });
    expect(st.inspectorTab).toBe('scheduling');
    expect(st.stopReason).toBe('kube-scheduler: PreFilter for default/huge');
    expect(st.now).toBeGreaterThan(10_000);
    expect(st.now).toBeLessThan(11_000);
  });

  it('runs to the next interesting event and stops at that instant', () => {
    const s = storeOf(DEFAULT_SCENARIO_YAML);
    s.getState().runToInteresting();
    const st = s.getState();
    expect(st.playing).toBe(false);
    const m = /^Pod default\/(\S+) is Running on node-\d/.exec(st.stopReason ?? '');
    expect(m).not.toBeNull();
    const t = st.now;
    expect(podPhase(s, m![1])).toBe('Running');
    // One millisecond before, it was not Running yet.
    s.getState().seek(t - 1);
    expect(podPhase(s, m![1])).not.toBe('Running');
  });

  it('stops at a fault of the scenario timeline', () => {
    const yaml = SCHEDULING.replace('  seed: 3', '  seed: 3\n  timeline:\n  - {at: 40s, action: powerOff, node: node-b}');
    const s = storeOf(yaml, { startAt: 30_000, paused: true });
    s.getState().runToInteresting();
    expect(s.getState()).toMatchObject({ now: 40_000, stopReason: 'The scenario: powerOff node-b' });
  });

  it('steps back to the previous instant a message was sent, the cluster as it was then', () => {
    const s = storeOf(DEFAULT_SCENARIO_YAML, { startAt: 30_000, paused: true });
    const before = s.cluster!.trace().filter((m) => m.t < 30_000).pop()!.t;
    s.getState().stepBack();
    expect(s.getState().now).toBe(before);
    const fresh = new History(DEFAULT_SCENARIO_YAML, UI_CLUSTER_OPTIONS);
    fresh.runUntil(before);
    expect(s.cluster!.stateHash()).toBe(fresh.cluster.stateHash());
  });

  it('a rewind shows the same rows as a session started at that instant', () => {
    const s = storeOf(DEFAULT_SCENARIO_YAML, { startAt: 90_000, paused: true });
    s.getState().act({ action: 'powerOff', node: 'node-2' });
    s.getState().seek(200_000);
    for (const t of [15_000, 91_000, 150_000]) {
      s.getState().seek(t);
      const other = storeOf(DEFAULT_SCENARIO_YAML, { startAt: 90_000, paused: true });
      other.getState().act({ action: 'powerOff', node: 'node-2' });
      other.getState().seek(t);
      const rows = (x: typeof s) => x.getState().objects.map((r) => `${r.key} ${r.status}`);
      expect(rows(s)).toEqual(rows(other));
      expect(s.getState().now).toBe(t);
    }
  });
});

describe('forking with no action ahead', () => {
  it('acting after a rewind replaces the later history: seeking forward shows the new branch, not a stale checkpoint', () => {
    const s = createClusterStore({ open: () => new History(DEFAULT_SCENARIO_YAML, { ...UI_CLUSTER_OPTIONS, checkpointEvery: 60_000 }), start: { paused: true } });
    s.getState().seek(300_000);
    // Checkpoints every minute, as the app builds them while idle.
    while (s.getState().fillCheckpoints(60_000));
    s.getState().seek(30_000);
    s.getState().act({ action: 'powerOff', node: 'node-2' });
    const st = s.getState();
    expect(st.end).toBe(30_000);
    expect(st.markers.find((m) => m.kind === 'fork')).toMatchObject({ at: 30_000, label: 'History forked here: the later history was replaced' });
    expect(st.notices.at(-1)!.text).toBe(
      'You acted in the past, so history forked at 00:30.000: what happened after it, up to 05:00.000, is gone. The timeline marks the fork: from here on, this is a new branch.',
    );
    s.getState().seek(200_000);
    const fresh = new History(DEFAULT_SCENARIO_YAML, UI_CLUSTER_OPTIONS, [{ at: 30_000, action: 'powerOff', node: 'node-2' }]);
    fresh.runUntil(200_000);
    expect(s.cluster!.stateHash()).toBe(fresh.cluster.stateHash());
  });
});

describe('timeline markers in the store', () => {
  it('marks a failed scheduling, and a user action that is ahead after a rewind', () => {
    const s = storeOf(SCHEDULING);
    s.getState().seek(10_000);
    const failed = s.getState().markers.filter((m) => m.kind === 'scheduling-failed');
    // huge's FailedScheduling Event, recorded in the first second.
    expect(failed).toHaveLength(1);
    expect(failed[0].at).toBeLessThanOrEqual(999);
    s.getState().act({ action: 'cordon', node: 'node-a' });
    s.getState().seek(20_000);
    s.getState().seek(5_000);
    const user = s.getState().markers.find((m) => m.kind === 'user')!;
    expect(user).toMatchObject({ at: 10_000, ahead: true, label: 'Ahead (re-applies when played): cordon node-a' });
    expect(s.getState().timelineApplied).toBe(0);
    s.getState().seek(12_000);
    expect(s.getState().markers.find((m) => m.kind === 'user')).toMatchObject({ ahead: false });
  });

  it('acting in the past forks: the later action and what was seen after the fork go, a fork marker and a notice say so', () => {
    const s = storeOf(SCHEDULING);
    s.getState().seek(10_000);
    s.getState().act({ action: 'cordon', node: 'node-a' });
    s.getState().seek(30_000);
    // The cordon and the kubelets' status updates sent huge back for more tries, each a FailedScheduling.
    expect(s.getState().markers.filter((m) => m.kind === 'scheduling-failed' && m.at > 5_000).length).toBeGreaterThan(0);
    s.getState().seek(5_000);
    s.getState().act({ action: 'cordon', node: 'node-b' });
    const st = s.getState();
    expect(st.timeline.map((a) => a.action === 'cordon' && a.node)).toEqual(['node-b']);
    expect(st.markers.filter((m) => m.kind === 'scheduling-failed').every((m) => m.at <= 5_000)).toBe(true);
    expect(st.markers.find((m) => m.kind === 'fork')).toMatchObject({ at: 5_000, label: 'History forked here: dropped the later action (cordon node-a)' });
    expect(st.notices.at(-1)!.text).toBe(
      'You acted in the past, so history forked at 00:05.000: the later action was dropped (cordon at 00:10.000). The timeline marks the fork: from here on, this is a new branch.',
    );
  });
});
