import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../sim/api/types';
import type { TimelineEntry } from '../../sim/model';
import { actionMarkers, countUpTo, groupMarkers, ObservedMarkers, previousMarker, timelineSpan, timelineTicks, type TimelineMarker } from './timeline-markers';

const failed = (name: string, count: number, last = '2026-01-01T00:00:12Z'): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'huge' },
    reason: 'FailedScheduling',
    message: '0/3 nodes are available: 3 Insufficient cpu.',
    type: 'Warning',
    count,
    lastTimestamp: last,
  }) as unknown as KubeObject;

const marker = (at: number, kind: TimelineMarker['kind'] = 'eviction', id = `m${at}`): TimelineMarker => ({ id, kind, at, fault: false, ahead: false, label: id });

describe('timeline markers', () => {
  it('marks the branch actions, the ones ahead after a rewind, and the scenario timeline, by time', () => {
    const branch: TimelineEntry[] = [
      { at: 10_000, action: 'cordon', node: 'node-1' },
      { at: 50_000, action: 'powerOff', node: 'node-2' },
      { at: 90_000, action: 'scale', kind: 'Deployment', name: 'web', replicas: 5 },
    ];
    const scenario: TimelineEntry[] = [{ at: 30_000, action: 'stopComponent', component: 'etcd-2' }];
    const m = actionMarkers(branch, 1, scenario);
    expect(m.map((x) => [x.kind, x.at, x.ahead, x.fault])).toEqual([
      ['user', 10_000, false, false],
      ['scenario', 30_000, false, true],
      ['user', 50_000, true, true],
      ['user', 90_000, true, false],
    ]);
    expect(m[2].label).toBe('Ahead (re-applies when played): powerOff node-2');
    expect(m[1].label).toBe('Scenario: stopComponent etcd-2');
  });

  it('places an Event at the latest instant it can have happened: the end of its second, or the end of the poll', () => {
    const obs = new ObservedMarkers();
    // Recorded in second 12 (12,000..12,999 ms), seen by a poll covering 11 s .. 20 s: at most 12,999.
    obs.observe([{ object: failed('huge.1', 1), prev: null }], { from: 11_000, to: 20_000 });
    expect(obs.list().map((x) => [x.kind, x.at])).toEqual([['scheduling-failed', 12_999]]);
    // Its repeat, seen by a frame covering 12,300..12,316 ms: at most 12,316.
    obs.observe([{ object: failed('huge.1', 2), prev: failed('huge.1', 1) }], { from: 12_300, to: 12_316 });
    expect(obs.list().map((x) => x.at)).toEqual([12_316, 12_999]);
  });

  it('merges what a replay sees again, keeping the earlier estimate, and keeps the same list while nothing changes', () => {
    const obs = new ObservedMarkers();
    obs.observe([{ object: failed('huge.1', 1), prev: null }], { from: 11_000, to: 20_000 });
    const before = obs.list();
    // After a rewind the new cluster lists everything: the same event, a later bound.
    obs.reset([failed('huge.1', 1)], { from: 0, to: 40_000 });
    expect(obs.list()).toBe(before);
    // Seen more precisely (stepping): the marker moves earlier.
    obs.observe([{ object: failed('huge.1', 1), prev: null }], { from: 12_000, to: 12_001 });
    expect(obs.list().map((x) => x.at)).toEqual([12_001]);
  });

  it('forgets what was seen after a fork, and marks the fork with what it dropped', () => {
    const obs = new ObservedMarkers();
    obs.observe([{ object: failed('a.1', 1, '2026-01-01T00:00:05Z'), prev: null }], { from: 0, to: 60_000 });
    obs.observe([{ object: failed('b.1', 1, '2026-01-01T00:00:50Z'), prev: null }], { from: 0, to: 60_000 });
    obs.forget(30_000);
    obs.fork(30_000, [{ at: 45_000, action: 'powerOff', node: 'node-2' }]);
    expect(obs.list().map((x) => [x.kind, x.at])).toEqual([
      ['scheduling-failed', 5_999],
      ['fork', 30_000],
    ]);
    expect(obs.list()[1].label).toBe('History forked here: dropped the later action (powerOff node-2)');
  });

  it('a repeated Event in a full list marks its first and its latest occurrence', () => {
    const obs = new ObservedMarkers();
    const ev = { ...failed('huge.1', 3, '2026-01-01T00:00:20Z'), firstTimestamp: '2026-01-01T00:00:01Z' } as KubeObject;
    obs.reset([ev], { from: 0, to: 30_000 });
    // First in second 1 (at most 1,999), the third in second 20 (at most 20,999); the second is not known.
    expect(obs.list().map((x) => [x.id, x.at])).toEqual([
      ['event:default/huge.1#1', 1_999],
      ['event:default/huge.1#3', 20_999],
    ]);
  });

  it('lists nodes that are not Ready in a full list, ignoring other objects', () => {
    const obs = new ObservedMarkers();
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-2' },
      status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', lastTransitionTime: '2026-01-01T00:01:00Z' }] },
    } as unknown as KubeObject;
    obs.reset([node, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } } as KubeObject], { from: 0, to: 90_000 });
    // Ready left True in second 60: at most 60,999.
    expect(obs.list().map((x) => [x.kind, x.at])).toEqual([['node-not-ready', 60_999]]);
  });

  it('marks a leader-election Lease taken over by a new holder as a new leader', () => {
    const obs = new ObservedMarkers();
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kube-scheduler', namespace: 'kube-system' },
      spec: { holderIdentity: 'control-plane-2_b', leaseTransitions: 1, acquireTime: '2026-01-01T00:01:13.837000Z', renewTime: '2026-01-01T00:01:20.000000Z' },
    } as unknown as KubeObject;
    obs.reset([lease], { from: 0, to: 90_000 });
    // acquireTime is 73.837 s after the epoch; like every observed marker it sits at the latest instant
    // its second allows: 73,837 + 999.
    const [m] = obs.list();
    expect([m.kind, m.at]).toEqual(['leader-change', 74_836]);
  });

  it('groups markers closer than the gap into one mark showing the most telling kind', () => {
    // 1,000 ms over 100 px: 10 ms a pixel; 0 and 30 ms are 3 px apart (one mark), 100 ms is 10 px on.
    const groups = groupMarkers([marker(0, 'scheduling-failed'), marker(30, 'user'), marker(100)], 1_000, 100);
    expect(groups.map((g) => [g.x, g.kind, g.markers.length])).toEqual([
      [0, 'user', 2],
      [0.1, 'eviction', 1],
    ]);
  });

  it('counts the markers up to an instant and finds the one before it', () => {
    const list = [marker(10), marker(20), marker(20, 'eviction', 'm20b'), marker(40)];
    expect(countUpTo(list, 5)).toBe(0);
    expect(countUpTo(list, 20)).toBe(3);
    expect(countUpTo(list, 100)).toBe(4);
    expect(previousMarker(list, 40)?.id).toBe('m20b');
    expect(previousMarker(list, 10)).toBeUndefined();
  });
});

describe('timeline scale', () => {
  it('grows in round steps with a little room past the content, and ticks on round times', () => {
    expect(timelineSpan(0)).toBe(30_000);
    // 29 s needs 30.16 s with 4% room: the 1-minute span.
    expect(timelineSpan(29_000)).toBe(60_000);
    expect(timelineSpan(50 * 60_000)).toBe(3_600_000);
    expect(timelineSpan(3_600_000)).toBe(2 * 3_600_000);
    expect(timelineTicks(60_000)).toEqual([0, 15_000, 30_000, 45_000, 60_000]);
    expect(timelineTicks(3_600_000)).toEqual([0, 15, 30, 45, 60].map((m) => m * 60_000));
    expect(timelineTicks(5 * 60_000)).toEqual([0, 1, 2, 3, 4, 5].map((m) => m * 60_000));
  });
});
