import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../api/types';
import { Rng } from '../kernel/rng';
import { timestamp } from '../kernel/time';
import { controllerRefOf, isPodActive, isPodAvailable, isPodReady } from './controller-utils';
import { labelsKey, OwnedPodTally } from './controller-utils-owned-pods';

interface PodSpec {
  owner?: string;
  phase?: string;
  /** Ready=True since this virtual ms (null: Ready=True without a time; undefined: not Ready). */
  readySince?: number | null | 'garbage';
  deleting?: boolean;
  labels?: Record<string, string>;
  rv: number;
}

function pod(name: string, s: PodSpec): KubeObject {
  const ready =
    s.readySince === undefined
      ? [{ type: 'Ready', status: 'False' }]
      : [{ type: 'Ready', status: 'True', ...(s.readySince === null ? {} : { lastTransitionTime: s.readySince === 'garbage' ? 'not a time' : timestamp(s.readySince) }) }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      resourceVersion: String(s.rv),
      ...(s.labels ? { labels: s.labels } : {}),
      ...(s.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: s.owner, uid: `uid-${s.owner}`, controller: true }] } : {}),
      ...(s.deleting ? { deletionTimestamp: timestamp(0) } : {}),
    },
    spec: { containers: [] },
    status: { phase: s.phase ?? 'Running', conditions: ready },
  };
}

/** What the tally should say of `uid`, recomputed from the pods as the ReplicaSet sync used to. */
function recount(pods: Iterable<KubeObject>, uid: string, minReadySeconds: number, now: number) {
  const mine = [...pods].map((o) => o as Pod).filter((p) => controllerRefOf(p)?.uid === uid && isPodActive(p));
  const sets = new Map<string, number>();
  for (const p of mine) sets.set(labelsKey(p.metadata?.labels), (sets.get(labelsKey(p.metadata?.labels)) ?? 0) + 1);
  return {
    active: mine.length,
    ready: mine.filter(isPodReady).length,
    available: mine.filter((p) => isPodReady(p) && isPodAvailable(p, minReadySeconds, now)).length,
    sets: [...sets].sort(),
  };
}

function told(t: OwnedPodTally, uid: string, minReadySeconds: number, now: number) {
  const c = t.of(uid);
  return {
    active: c?.active ?? 0,
    ready: c?.ready ?? 0,
    available: t.available(uid, minReadySeconds, now),
    sets: [...(c?.labelSets ?? new Map<string, { count: number }>())].map(([k, s]) => [k, s.count] as [string, number]).sort(),
  };
}

describe('OwnedPodTally', () => {
  it('counts active, Ready and available pods per controller, by hand', () => {
    const t = new OwnedPodTally();
    const web = { app: 'web' };
    t.add(pod('a', { owner: 'rs1', readySince: 1000, labels: web, rv: 1 }));
    t.add(pod('b', { owner: 'rs1', readySince: 5000, labels: { app: 'web' }, rv: 2 }));
    t.add(pod('c', { owner: 'rs1', labels: { app: 'web', extra: 'x' }, rv: 3 })); // not Ready
    t.add(pod('d', { owner: 'rs1', phase: 'Succeeded', readySince: 1000, labels: web, rv: 4 })); // finished: not active
    t.add(pod('e', { owner: 'rs1', deleting: true, readySince: 1000, labels: web, rv: 5 })); // being deleted: not active
    t.add(pod('f', { owner: 'rs1', readySince: null, labels: web, rv: 6 })); // Ready without a time
    t.add(pod('g', { owner: 'rs2', readySince: 2000, rv: 7 }));
    t.add(pod('h', { readySince: 2000, labels: web, rv: 8 })); // an orphan: nobody's
    const rs1 = t.of('uid-rs1')!;
    expect([rs1.active, rs1.ready]).toEqual([4, 3]);
    // Equal labels in different objects are one set.
    expect([...rs1.labelSets.values()].map((s) => [s.labels, s.count])).toEqual([
      [{ app: 'web' }, 3],
      [{ app: 'web', extra: 'x' }, 1],
    ]);
    // minReadySeconds 0: every Ready pod; 2 s: Ready strictly before now - 2 s, and never the one without a time.
    expect(t.available('uid-rs1', 0, 0)).toBe(3);
    expect(t.available('uid-rs1', 2, 3000)).toBe(0);
    expect(t.available('uid-rs1', 2, 3001)).toBe(1);
    expect(t.available('uid-rs1', 2, 7001)).toBe(2);
    expect(t.of('uid-rs2')?.active).toBe(1);
    // b goes unready, then a is deleted.
    t.update(pod('b', { owner: 'rs1', labels: { app: 'web' }, rv: 9 }), pod('b', { owner: 'rs1', readySince: 5000, labels: { app: 'web' }, rv: 2 }));
    t.delete(pod('a', { owner: 'rs1', readySince: 1000, labels: web, rv: 1 }));
    expect([t.of('uid-rs1')!.active, t.of('uid-rs1')!.ready, t.available('uid-rs1', 2, 100_000)]).toEqual([3, 1, 0]);
    // The last active pod of rs2 finishes: nothing left to tell.
    t.update(pod('g', { owner: 'rs2', phase: 'Failed', rv: 10 }), pod('g', { owner: 'rs2', readySince: 2000, rv: 7 }));
    expect(t.of('uid-rs2')).toBeUndefined();
    expect(t.available('uid-rs2', 0, 0)).toBe(0);
  });

  for (const seed of [1, 2, 3, 42, 2024]) {
    it(`equals the recount after a random sequence of pod events (seed ${seed})`, () => {
      const rng = new Rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];
      const owners = [undefined, 'rs1', 'rs2', 'rs3'];
      const labelSets: (Record<string, string> | undefined)[] = [undefined, { app: 'web' }, { app: 'web', tier: 'fe' }, { app: 'api' }];
      const phases = ['Pending', 'Running', 'Running', 'Running', 'Succeeded', 'Failed', 'Unknown'];
      const readies: PodSpec['readySince'][] = [undefined, undefined, null, 'garbage', 0, 1000, 2000, 3000, 4000];
      const store = new Map<string, KubeObject>();
      const t = new OwnedPodTally();
      let rv = 0;
      const random = (): PodSpec => ({
        owner: pick(owners),
        phase: pick(phases),
        readySince: pick(readies),
        deleting: rng.int(8) === 0,
        // A fresh copy half of the time: equal labels need not be the same object.
        labels: ((l) => (l && rng.int(2) ? { ...l } : l))(pick(labelSets)),
        rv: ++rv,
      });
      for (let step = 0; step < 2000; step++) {
        const name = `p${rng.int(60)}`;
        const old = store.get(name);
        const op = rng.int(10);
        if (!old) {
          const p = pod(name, random());
          store.set(name, p);
          t.add(p);
        } else if (op === 0) {
          store.delete(name);
          t.delete(old);
        } else {
          // Most updates change one thing, as a status write does; some change everything.
          const cur = op < 4 ? pod(name, random()) : updateOne(old, rng, ++rv, pick(readies));
          store.set(name, cur);
          t.update(cur, old);
        }
        if (step % 50 === 0 || step === 1999) {
          for (const o of ['rs1', 'rs2', 'rs3']) {
            for (const [minReady, now] of [
              [0, 0],
              [1, 1000],
              [1, 2001],
              [3, 4000],
              [2, 10_000],
            ]) {
              expect(told(t, `uid-${o}`, minReady, now)).toEqual(recount(store.values(), `uid-${o}`, minReady, now));
            }
          }
        }
      }
    });
  }
});

/** A new version of the pod with one field changed: its Ready condition, its phase or its deletion. */
function updateOne(old: KubeObject, rng: Rng, rv: number, readySince: PodSpec['readySince']): KubeObject {
  const p = structuredClone(old) as Pod;
  const status = p.status!;
  // The labels object carried over, as the apiserver does for a status write.
  const metadata = { ...p.metadata, resourceVersion: String(rv), labels: old.metadata.labels };
  const which = rng.int(3);
  if (which === 0) return { ...p, metadata, status: { ...status, conditions: (pod('x', { readySince, rv }) as Pod).status!.conditions } } as KubeObject;
  if (which === 1) return { ...p, metadata, status: { ...status, phase: ['Pending', 'Running', 'Failed'][rng.int(3)] } } as KubeObject;
  return { ...p, metadata: { ...metadata, deletionTimestamp: timestamp(0) } } as KubeObject;
}
