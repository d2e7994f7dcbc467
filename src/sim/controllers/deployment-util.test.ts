import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from '../api/types';
import { timestamp } from '../kernel/time';
import { copyForSync } from './deployment-sync';
import {
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  deploymentTimedOut,
  getProportion,
  lastRevision,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  resolveFenceposts,
  setNewReplicaSetAnnotations,
} from './deployment-util';

function deployment(replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      progressDeadlineSeconds: 600,
      ...extra,
    },
  };
}

function rs(name: string, replicas: number, annotations: Record<string, string> = {}): ReplicaSet {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default', uid: name, annotations }, spec: { replicas, selector: { matchLabels: {} } } };
}

describe('maxSurge and maxUnavailable', () => {
  it('round surge up and unavailability down, resolved together', () => {
    // 25% of 10 = 2.5: surge 3, unavailable 2. 25% of 4 = 1 exactly.
    expect(resolveFenceposts('25%', '25%', 10)).toEqual([3, 2]);
    expect(resolveFenceposts('25%', '25%', 4)).toEqual([1, 1]);
    // 25% of 3 = 0.75: surge 1, unavailable 0 (one pod at a time, never fewer than 3 available).
    expect(resolveFenceposts('25%', '25%', 3)).toEqual([1, 0]);
    // Both resolving to 0 (1% of 2 = 0.02) would stall: unavailable becomes 1.
    expect(resolveFenceposts(0, '1%', 2)).toEqual([0, 1]);
    expect(resolveFenceposts(1, 0, 4)).toEqual([1, 0]);
  });

  it('are 0 for Recreate, and unavailability never exceeds replicas', () => {
    const recreate = { ...deployment(4), spec: { ...deployment(4).spec!, strategy: { type: 'Recreate' } } };
    expect([maxSurge(recreate), maxUnavailable(recreate)]).toEqual([0, 0]);
    expect(maxUnavailable(deployment(2, 0, 5))).toBe(2);
    expect(maxUnavailable(deployment(0))).toBe(0);
  });

  it('let the new ReplicaSet grow only within the surge', () => {
    const d = deployment(10);
    const newRS = rs('new', 0);
    // 10 old + 0 new, at most 13 in all: the new one may take 3.
    expect(newRSNewReplicas(d, [rs('old', 10), newRS], newRS)).toBe(3);
    // 8 old + 3 new = 11: 2 more.
    const grown = rs('new', 3);
    expect(newRSNewReplicas(d, [rs('old', 8), grown], grown)).toBe(5);
    // Never beyond the desired 10.
    const almost = rs('new', 9);
    expect(newRSNewReplicas(d, [rs('old', 0), almost], almost)).toBe(10);
  });
});

describe('proportional scaling (GetProportion)', () => {
  it("gives each ReplicaSet its share of max-replicas, rounded half away from zero", () => {
    // Scaled 10 -> 20 mid-rollout: 20 + ceil(25% of 20) = 25 allowed. A ReplicaSet of 8 annotated
    // max-replicas 13 takes round(8 * 25 / 13) - 8 = round(15.38) - 8 = 7; one of 5: round(9.62) - 5 = 5.
    const d = deployment(20);
    expect(getProportion(rs('old', 8, { [MAX_REPLICAS_ANNOTATION]: '13' }), d, 12, 0)).toBe(7);
    expect(getProportion(rs('new', 5, { [MAX_REPLICAS_ANNOTATION]: '13' }), d, 12, 7)).toBe(5);
    // Never more than what is left to add.
    expect(getProportion(rs('new', 5, { [MAX_REPLICAS_ANNOTATION]: '13' }), d, 12, 10)).toBe(2);
    // Scaling down to 0 takes each ReplicaSet's whole size.
    expect(getProportion(rs('old', 8), deployment(0), -13, 0)).toBe(-8);
  });
});

describe('revisions', () => {
  const withRev = (name: string, r: string) => rs(name, 0, { [REVISION_ANNOTATION]: r });

  it('finds the highest and the one before it', () => {
    const rss = [withRev('a', '3'), withRev('b', '7'), withRev('c', '5'), rs('d', 0)];
    expect(maxRevision(rss)).toBe(7);
    expect(lastRevision(rss)).toBe(5);
  });

  it('raises an adopted ReplicaSet to the new revision and keeps the old one in revision-history', () => {
    const d = deployment(3);
    const old = withRev('web-abc', '1');
    expect(setNewReplicaSetAnnotations(d, old, '3', true)).toBe(true);
    expect(old.metadata!.annotations).toMatchObject({ [REVISION_ANNOTATION]: '3', [REVISION_HISTORY_ANNOTATION]: '1' });
    old.metadata!.annotations![REVISION_ANNOTATION] = '3';
    setNewReplicaSetAnnotations(d, old, '5', true);
    expect(old.metadata!.annotations![REVISION_HISTORY_ANNOTATION]).toBe('1,3');
    // A lower revision changes nothing.
    expect(setNewReplicaSetAnnotations(d, old, '2', true)).toBe(false);
  });
});

describe('progress deadline', () => {
  it('times out strictly after lastUpdateTime + progressDeadlineSeconds', () => {
    const d = deployment(3);
    const status = { replicas: 3, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: timestamp(10_000) }] };
    expect(deploymentTimedOut(d, status, 610_000)).toBe(false);
    expect(deploymentTimedOut(d, status, 610_001)).toBe(true);
    // A completed rollout is not judged.
    const done = { ...status, conditions: [{ ...status.conditions[0], reason: 'NewReplicaSetAvailable' }] };
    expect(deploymentTimedOut(d, done, 9_999_999)).toBe(false);
  });
});

describe('copyForSync (the sync\'s DeepCopy)', () => {
  it('leaves the cached object as it was whatever the sync writes to its copy', () => {
    const cached: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', annotations: { a: '1' } },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } } } },
      status: { replicas: 3, conditions: [{ type: 'Available', status: 'True' }] },
    };
    const before = structuredClone(cached);
    const d = copyForSync(cached);
    expect(d).toEqual(cached);
    // What syncs do: annotations set and deleted, conditions replaced, counters set, the template swapped (rollback).
    d.metadata!.annotations!['deployment.kubernetes.io/revision'] = '2';
    delete d.metadata!.annotations!.a;
    d.status!.conditions = [];
    d.status!.collisionCount = 1;
    delete d.status!.replicas;
    d.spec!.replicas = 5;
    d.spec!.template = { metadata: { labels: { app: 'other' } } };
    expect(cached).toEqual(before);
    // A ReplicaSet without annotations gets its own map when the sync adds one.
    const rs: ReplicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1' }, spec: { selector: {}, minReadySeconds: 5 } };
    const copy = copyForSync(rs);
    (copy.metadata!.annotations ??= {}).x = 'y';
    delete copy.spec!.minReadySeconds;
    expect(rs).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1' }, spec: { selector: {}, minReadySeconds: 5 } });
  });
});
