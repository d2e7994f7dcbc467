import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { timestamp } from '../kernel/time';
import {
  POD_DELETION_COST,
  getPodsToDelete,
  isPodAvailable,
  logarithmicRankDiff,
  ranksByRelatedPodsOnSameNode,
  slowStartBatch,
  sortPodsForDeletion,
} from './controller-utils';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from './controller-utils-expectations';
import { canonicalJson, computeHash, fnv32a, safeEncodeString, utf8 } from './controller-utils-hash';

interface PodOpts {
  node?: string;
  phase?: string;
  /** When it became Ready (virtual ms); absent: not Ready. */
  readyAt?: number;
  createdAt?: number;
  restarts?: number;
  uid?: string;
  cost?: number;
}

const S = 1000;

function pod(name: string, o: PodOpts = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: o.uid ?? `uid-${name}`,
      creationTimestamp: timestamp(o.createdAt ?? 0),
      ...(o.cost !== undefined ? { annotations: { [POD_DELETION_COST]: String(o.cost) } } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.readyAt !== undefined ? 'True' : 'False', lastTransitionTime: timestamp(o.readyAt ?? 0) }],
      containerStatuses: [{ name: 'c', image: 'nginx', imageID: '', ready: o.readyAt !== undefined, restartCount: o.restarts ?? 0 }],
    },
  } as Pod;
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata!.name);

describe('the order a ReplicaSet deletes pods in (ActivePodsWithRanks)', () => {
  const now = 1000 * S;

  it('unassigned, then Pending, Unknown, not Ready, co-located, shorter Ready, more restarts, newer', () => {
    const pods = [
      // Ages on the logarithmic scale (floor(log2(age in ns))), at now = 1000 s:
      //   ready 1 s ago: 1e9 ns -> 29; ready 1000 s ago: 1e12 ns -> 39;
      //   created 500 s ago: 5e11 ns -> 38; created 1000 s ago: 1e12 ns -> 39.
      pod('j-oldest', { node: 'n2', readyAt: 0, createdAt: 0 }),
      pod('i-newer', { node: 'n2', readyAt: 0, createdAt: 500 * S }),
      pod('h-restarts', { node: 'n2', readyAt: 0, restarts: 5 }),
      pod('g-ready-1s', { node: 'n2', readyAt: 999 * S }),
      pod('f-crowded', { node: 'n1', readyAt: 0 }),
      pod('d-not-ready', { node: 'n2' }),
      pod('c-unknown', { node: 'n2', phase: 'Unknown' }),
      pod('b-pending', { node: 'n2', phase: 'Pending' }),
      pod('a-unassigned', { phase: 'Pending' }),
    ];
    // n1 holds 3 related pods, n2 one (the rank counts related active pods on the pod's node).
    const ranks = pods.map((p) => (p.spec!.nodeName === 'n1' ? 3 : 1));
    expect(names(sortPodsForDeletion(pods, ranks, now))).toEqual([
      'a-unassigned',
      'b-pending',
      'c-unknown',
      'd-not-ready',
      'f-crowded',
      'g-ready-1s',
      'h-restarts',
      'i-newer',
      'j-oldest',
    ]);
  });

  it('compares Ready times in log2 buckets: within one bucket the uid decides, not the exact age', () => {
    // Ready 800 s and 900 s ago: 8e11 ns and 9e11 ns, both floor(log2) = 39, so uid order ("a" < "b").
    const younger = pod('younger', { node: 'n1', readyAt: 200 * S, uid: 'b' });
    const older = pod('older', { node: 'n1', readyAt: 100 * S, uid: 'a' });
    expect(logarithmicRankDiff(200 * S, 100 * S, now)).toBe(0);
    expect(names(sortPodsForDeletion([younger, older], [1, 1], now))).toEqual(['older', 'younger']);
    // Ready 10 s ago (1e10 ns -> 33) against 900 s ago (39): the younger goes first whatever the uid.
    const fresh = pod('fresh', { node: 'n1', readyAt: 990 * S, uid: 'z' });
    expect(names(sortPodsForDeletion([older, fresh], [1, 1], now))).toEqual(['fresh', 'older']);
  });

  it('a lower pod-deletion-cost goes first, before co-location counts', () => {
    const cheap = pod('cheap', { node: 'n2', readyAt: 0, cost: -5 });
    const crowded = pod('crowded', { node: 'n1', readyAt: 0 });
    expect(names(sortPodsForDeletion([crowded, cheap], [4, 1], now))).toEqual(['cheap', 'crowded']);
  });

  it('ranks by related active pods on the same node, and picks the first `diff`', () => {
    const related = [pod('x1', { node: 'n1' }), pod('x2', { node: 'n1' }), pod('x3', { node: 'n1' }), pod('y1', { node: 'n2' })];
    // A terminating pod is not active and does not crowd its node.
    related.push({ ...pod('gone', { node: 'n2' }), metadata: { ...pod('gone').metadata, deletionTimestamp: timestamp(0) } });
    const mine = [pod('y1', { node: 'n2', readyAt: 0 }), pod('x1', { node: 'n1', readyAt: 0 })];
    expect(ranksByRelatedPodsOnSameNode(mine, related)).toEqual([1, 3]);
    expect(names(getPodsToDelete(mine, related, 1, now))).toEqual(['x1']);
    // Deleting all of them needs no ranking.
    expect(names(getPodsToDelete(mine, related, 2, now))).toEqual(['y1', 'x1']);
  });
});

describe('pod availability', () => {
  it('is Ready for strictly longer than minReadySeconds', () => {
    const p = pod('p', { readyAt: 10 * S });
    expect(isPodAvailable(p, 0, 10 * S)).toBe(true);
    expect(isPodAvailable(p, 5, 15 * S)).toBe(false); // 10 s + 5 s is not before 15 s
    expect(isPodAvailable(p, 5, 15 * S + 1)).toBe(true);
    expect(isPodAvailable(pod('q'), 0, 99 * S)).toBe(false);
  });
});

describe('slowStartBatch', () => {
  it('calls in batches 1, 2, 4, ... and never more than asked', () => {
    let calls = 0;
    const all = slowStartBatch(600, 1, () => void calls++);
    expect([calls, all.successes, all.error]).toEqual([600, 600, undefined]);
    // Batches end after calls 1, 3, 7, 15, 31, 63, 127, 255, 511 (then 89 more): a failure at call 300
    // is in the 256-call batch 256..511, which finishes: 511 calls, 510 successes.
    calls = 0;
    const fail = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403, message: 'no' } as const;
    const r = slowStartBatch(600, 1, () => (++calls === 300 ? fail : undefined));
    expect([calls, r.successes]).toEqual([511, 510]);
  });

  it('finishes the failing batch and skips the rest', () => {
    let calls = 0;
    const refused = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'quota' } as const;
    // Call 4 fails: batches 1 (ok), 2 (ok), 4 (calls 4..7, one fails) -> 7 calls, 1 + 2 + 3 = 6 successes.
    const r = slowStartBatch(10, 1, () => (++calls === 4 ? { ...refused, metadata: {} } : undefined));
    expect(calls).toBe(7);
    expect(r.successes).toBe(6);
    expect(r.error?.message).toBe('quota');
  });
});

describe('ControllerExpectations', () => {
  it('holds a sync back until every expected create is observed', () => {
    let now = 0;
    const e = new ControllerExpectations(() => now);
    expect(e.satisfied('default/web')).toBe(true);
    e.expectCreations('default/web', 2);
    expect(e.satisfied('default/web')).toBe(false);
    e.creationObserved('default/web');
    expect(e.satisfied('default/web')).toBe(false);
    e.creationObserved('default/web');
    expect(e.satisfied('default/web')).toBe(true);
    e.expectCreations('default/web', 1);
    now = EXPECTATIONS_TIMEOUT_MS;
    expect(e.satisfied('default/web')).toBe(false);
    now = EXPECTATIONS_TIMEOUT_MS + 1; // expired: more than 5 minutes
    expect(e.satisfied('default/web')).toBe(true);
  });

  it('counts each expected deletion once, and only the pods it named', () => {
    const e = new ControllerExpectations(() => 0);
    e.expectDeletions('default/web', ['default/a', 'default/b']);
    e.deletionObserved('default/web', 'default/a');
    e.deletionObserved('default/web', 'default/a'); // the graceful delete, then the final one
    e.deletionObserved('default/web', 'default/zzz');
    expect(e.get('default/web')).toEqual({ add: 0, del: 1 });
    expect(e.satisfied('default/web')).toBe(false);
    e.deletionObserved('default/web', 'default/b');
    expect(e.satisfied('default/web')).toBe(true);
  });
});

describe('pod-template-hash', () => {
  it('is FNV-32a rendered in the safe alphabet', () => {
    // Published FNV-1a 32-bit test vectors.
    expect(fnv32a(utf8(''))).toBe(0x811c9dc5);
    expect(fnv32a(utf8('a'))).toBe(0xe40c292c);
    expect(fnv32a(utf8('foobar'))).toBe(0xbf9cf968);
    // '2166136261' byte by byte: '2'=50 -> 50%27=23 -> '6', '1'=49 -> 22 -> '5', '6'=54 -> 0 -> 'b', '3'=51 -> 24 -> '7'.
    expect(safeEncodeString('2166136261')).toBe('65bb57b6b5');
  });

  it('depends on the template, not on key order, and changes with the collision count', () => {
    const a = { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const b = { spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { tier: 'fe', app: 'web' } } };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(computeHash(a)).toBe(computeHash(b));
    expect(computeHash(a)).toMatch(/^[4-9bcdf]{1,10}$/);
    expect(computeHash(a, 1)).not.toBe(computeHash(a));
    expect(computeHash(a, 1)).not.toBe(computeHash(a, 2));
    expect(computeHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } })).not.toBe(computeHash(a));
  });
});
