// The cache's kept matching-pod counts against counting the pods node by
// node (countPodsMatchSelector), through hand-made and random sequences of
// pod and node events.
import { describe, expect, it } from 'vitest';
import { everything, labelSelectorAsSelector, type Selector } from '../api/selector';
import type { Node, Pod } from '../api/types';
import { SchedulerCache } from './cache';
import { newPodInfo } from './framework/resources';
import { WalkedPodCounts } from './matching-pods';
import { makeNode, makePod } from './plugins/test-nodes';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';

const bound = (p: Pod, node: string): Pod => ({ ...p, spec: { ...p.spec!, nodeName: node } });
const withMeta = (p: Pod, meta: Partial<NonNullable<Pod['metadata']>>): Pod => ({ ...p, metadata: { ...p.metadata, ...meta } });
const zoned = (name: string, zone?: string): Node => makeNode({ name, labels: zone === undefined ? {} : { [ZONE]: zone } });
const sel = (matchLabels: Record<string, string>): Selector => labelSelectorAsSelector({ matchLabels });
const nonZero = (m: ReadonlyMap<string, number>) => Object.fromEntries([...m].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1)));

describe('matching pod counts kept by the cache', () => {
  it('counts by node and by zone, leaving out other namespaces and terminating pods', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(zoned('n1', 'a'));
    cache.addOrUpdateNode(zoned('n2', 'a'));
    cache.addOrUpdateNode(zoned('n3', 'b'));
    cache.addOrUpdateNode(zoned('n4'));
    const web = { app: 'web' };
    cache.addOrUpdatePod(makePod({ labels: web, nodeName: 'n1' }));
    cache.addOrUpdatePod(makePod({ labels: web, nodeName: 'n1' }));
    cache.addOrUpdatePod(makePod({ labels: web, nodeName: 'n3' }));
    cache.addOrUpdatePod(makePod({ labels: { app: 'db' }, nodeName: 'n2' }));
    cache.addOrUpdatePod(makePod({ labels: web, nodeName: 'n2', namespace: 'other' }));
    const gone = makePod({ labels: web, nodeName: 'n4' });
    cache.addOrUpdatePod(gone);
    const snap = cache.snapshot();
    const c = snap.matchingPods!('default', sel(web));
    const node = (n: string) => snap.get(n)!;
    // n1 2, n2 0 (db; web of another namespace), n3 1, n4 1.
    expect(['n1', 'n2', 'n3', 'n4'].map((n) => c.of(node(n)))).toEqual([2, 0, 1, 1]);
    expect(nonZero(c.byDomain(ZONE))).toEqual({ '': 1, a: 2, b: 1 });
    expect(snap.nodesWithoutLabel!(ZONE)).toBe(1);
    // The n4 pod starts terminating; a web pod lands in zone b; n1 moves to zone b.
    cache.addOrUpdatePod(withMeta(gone, { deletionTimestamp: '2026-01-01T00:00:00Z' }));
    cache.assume(newPodInfo(makePod({ labels: web })), 'n3');
    cache.addOrUpdateNode(zoned('n1', 'b'));
    expect(['n1', 'n2', 'n3', 'n4'].map((n) => c.of(node(n)))).toEqual([2, 0, 2, 0]);
    expect(nonZero(c.byDomain(ZONE))).toEqual({ b: 4 });
    // n4 gets a zone: no node lacks one any more.
    cache.addOrUpdateNode(zoned('n4', 'c'));
    expect(snap.nodesWithoutLabel!(ZONE)).toBe(0);
    // n3 leaves with its pods; they are not on any node the scheduler walks.
    cache.removeNode('n3');
    expect(nonZero(c.byDomain(ZONE))).toEqual({ b: 2 });
  });

  for (const seed of [1, 7, 42, 2026]) {
    it(`equals counting node by node through random pod and node events (seed ${seed})`, () => {
      let x = seed;
      const rnd = (n: number) => {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        return (x >>> 8) % n;
      };
      const pick = <T,>(xs: readonly T[]): T => xs[rnd(xs.length)];
      const names = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
      const zones = ['a', 'b', 'c', undefined];
      const apps = ['a', 'b', 'c'];
      const namespaces = ['default', 'other'];
      const labelsOf = () => (rnd(5) === 0 ? {} : { app: pick(apps), ...(rnd(2) ? { tier: pick(['x', 'y']) } : {}) });
      const selectors: Array<[string, Selector]> = [
        ['default', sel({ app: 'a' })],
        ['default', labelSelectorAsSelector({ matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] })],
        ['other', sel({ app: 'c', tier: 'x' })],
        ['default', everything()],
      ];
      const cache = new SchedulerCache();
      const live = new Set<string>();
      /** uid -> the pod's current version and whether it is only assumed. */
      const pods = new Map<string, { pod: Pod; assumed: boolean }>();
      for (const n of names.slice(0, 4)) {
        cache.addOrUpdateNode(zoned(n, pick(zones)));
        live.add(n);
      }
      // Two selectors are kept from the start, the others from half-way.
      for (const [ns, s] of selectors.slice(0, 2)) cache.snapshot().matchingPods!(ns, s).byDomain(ZONE);
      let seq = 0;
      for (let step = 0; step < 400; step++) {
        const uids = [...pods.keys()];
        const op = rnd(10);
        if (op <= 2 || uids.length === 0) {
          const p = makePod({ name: `p${seed}-${seq++}`, namespace: pick(namespaces), labels: labelsOf() });
          const node = pick(names);
          if (rnd(3) === 0) {
            cache.assume(newPodInfo(p), node);
            pods.set(p.metadata!.uid!, { pod: bound(p, node), assumed: true });
          } else {
            const b = bound(p, node);
            cache.addOrUpdatePod(b);
            pods.set(p.metadata!.uid!, { pod: b, assumed: false });
          }
        } else if (op === 3) {
          const uid = pick(uids);
          const cur = pods.get(uid)!;
          if (cur.assumed && rnd(2)) {
            cache.forget(cur.pod);
            pods.delete(uid);
          } else {
            cache.addOrUpdatePod(cur.pod);
            cur.assumed = false;
          }
        } else if (op === 4) {
          // Relabelled or terminating, the spec kept (a metadata or status update).
          const uid = pick(uids);
          const cur = pods.get(uid)!;
          if (cur.assumed) continue;
          cur.pod = rnd(4) === 0 ? withMeta(cur.pod, { deletionTimestamp: '2026-01-01T00:00:00Z' }) : withMeta(cur.pod, { labels: labelsOf() });
          cache.addOrUpdatePod(cur.pod);
        } else if (op === 5) {
          const uid = pick(uids);
          cache.removePod(pods.get(uid)!.pod);
          pods.delete(uid);
        } else if (op === 6) {
          // Moved to another node (a new bound version).
          const uid = pick(uids);
          const cur = pods.get(uid)!;
          if (cur.assumed) continue;
          cur.pod = bound(cur.pod, pick(names));
          cache.addOrUpdatePod(cur.pod);
        } else if (op === 7 || op === 8) {
          const n = pick(names);
          cache.addOrUpdateNode(zoned(n, pick(zones)));
          live.add(n);
        } else {
          const n = pick(names);
          cache.removeNode(n);
          live.delete(n);
        }
        if (step === 200) for (const [ns, s] of selectors.slice(2)) cache.snapshot().matchingPods!(ns, s);
        const snap = cache.snapshot();
        const list = snap.list();
        expect(list.map((n) => n.name).sort()).toEqual([...live].sort());
        for (const [ns, s] of step >= 200 ? selectors : selectors.slice(0, 2)) {
          const kept = snap.matchingPods!(ns, s);
          const walked = new WalkedPodCounts(ns, s, list);
          expect(list.map((ni) => kept.of(ni))).toEqual(list.map((ni) => walked.of(ni)));
          for (const key of [ZONE, HOST]) expect(nonZero(kept.byDomain(key))).toEqual(nonZero(walked.byDomain(key)));
        }
        for (const key of [ZONE, HOST]) expect(snap.nodesWithoutLabel!(key)).toBe(list.filter((ni) => ni.node.metadata?.labels?.[key] === undefined).length);
      }
    });
  }
});
