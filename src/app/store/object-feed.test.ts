// The store's objects and worker views, kept by etcd's change log, must be
// exactly what a full list would give at every instant.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../sim/api/types';
import { CompactedError, type MvccEvent } from '../../sim/etcd/mvcc';
import { findScenario } from '../../scenario/gallery';
import { History } from '../../scenario/history';
import { createClusterStore, UI_CLUSTER_OPTIONS } from './cluster-store';
import { ObjectFeed, ObjectRowList, UNLISTED_KINDS } from './object-feed';
import { objectRows } from './object-rows';
import { workerViews } from './worker-views';

const open = (name: string) => createClusterStore({ open: () => new History(findScenario(name).entry.yaml, UI_CLUSTER_OPTIONS), start: { paused: true } });

describe('objects and worker views by changes', () => {
  it('equal a full rebuild through a scale-up, a drain, a node deletion and a scale-down', () => {
    const store = open('scale-50-nodes');
    const c = store.cluster!;
    const check = () => {
      const s = store.getState();
      const all = c.objects();
      const listed = all.filter((o) => !UNLISTED_KINDS.has(o.kind));
      expect(s.objects).toEqual(objectRows(listed, new Map()));
      expect(s.workers).toEqual(workerViews(all, []));
      // The counts kept with the rows are what counting the full list gives.
      const rows = objectRows(listed, new Map());
      const nodes = rows.filter((r) => r.kind === 'Node');
      const pods = rows.filter((r) => r.kind === 'Pod');
      expect(s.counts).toEqual({
        nodes: nodes.length,
        nodesReady: nodes.filter((r) => r.status.split(',')[0] === 'Ready').length,
        pods: pods.length,
        podsRunning: pods.filter((r) => r.status === 'Running').length,
        podsPending: pods.filter((r) => r.status === 'Pending' && r.detail === 'not scheduled').length,
        listed: rows.length,
        events: all.filter((o) => o.kind === 'Event').length,
      });
    };
    check();
    // The scale to 1,500 happens at 1 s; at 3 s the pods are being created, bound and started.
    for (const t of [1_500, 3_000, 8_000]) {
      c.runUntil(t);
      check();
    }
    c.act({ action: 'drain', node: 'node-07' });
    c.runUntil(12_000);
    check();
    // Powered off first: a running kubelet would register its Node again.
    c.act({ action: 'powerOff', node: 'node-08' });
    c.act({ action: 'delete', kind: 'Node', name: 'node-08' });
    c.act({ action: 'scale', kind: 'Deployment', name: 'web', replicas: 40 });
    c.runUntil(20_000);
    check();
    const s = store.getState();
    expect(s.workers.map((w) => w.name)).not.toContain('node-08');
    expect(s.workers.find((w) => w.name === 'node-07')?.cordoned).toBe(true);
  }, 30_000);

  it('a pod write rebuilds only its node view: the other 49 stay the same objects', () => {
    const store = open('scale-50-nodes');
    const c = store.cluster!;
    c.runUntil(30_000);
    const before = store.getState().workers;
    const pod = c.objects().find((o) => o.kind === 'Pod' && (o as { spec?: { nodeName?: string } }).spec?.nodeName === 'node-03')!;
    c.act({ action: 'delete', kind: 'Pod', name: pod.metadata.name!, namespace: 'default' });
    const after = store.getState().workers;
    expect(after).not.toBe(before);
    const changed = after.filter((w, i) => w !== before[i]).map((w) => w.name);
    expect(changed).toEqual(['node-03']);
  }, 30_000);
});

describe('ObjectFeed', () => {
  const obj = (kind: string, name: string, rv: string, namespace?: string) =>
    ({ apiVersion: 'v1', kind, metadata: { name, namespace, resourceVersion: rv } }) as KubeObject;
  const ev = (type: 'PUT' | 'DELETE', key: string, revision: number, value: KubeObject, prev?: KubeObject): MvccEvent => ({
    type,
    revision,
    kv: { key, value, createRevision: revision, modRevision: revision, version: 1 },
    prev: prev && { key, value: prev, createRevision: 1, modRevision: 1, version: 1 },
  });

  it('lists everything first, then reads the writes since; relists when that history was compacted', () => {
    let revision = 3;
    let compacted = 0;
    const log: MvccEvent[] = [];
    const all = [obj('Node', 'a', '2'), obj('Pod', 'p', '3', 'default')];
    const feed = new ObjectFeed({
      get revision() {
        return revision;
      },
      eventsFrom: (r) => {
        if (r <= compacted) throw new CompactedError(r, compacted);
        return log.filter((e) => e.revision >= r);
      },
      objects: () => all,
    });
    expect(feed.poll()).toEqual({ kind: 'reset', objects: all });
    expect(feed.poll()).toEqual({ kind: 'none' });
    const q = obj('Pod', 'q', '4', 'default');
    log.push(ev('PUT', '/registry/pods/default/q', 4, q));
    // Not an object kind Cluster.objects lists: skipped.
    log.push(ev('PUT', '/registry/masterleases/x', 5, obj('X', 'x', '5')));
    log.push(ev('DELETE', '/registry/pods/default/p', 6, all[1], all[1]));
    revision = 6;
    expect(feed.poll()).toEqual({ kind: 'changes', changes: [{ object: q, prev: null }, { object: null, prev: all[1] }] });
    revision = 9;
    compacted = 8;
    expect(feed.poll()).toEqual({ kind: 'reset', objects: all });
  });

  it('rows stay in the cluster order (kinds as listed, then namespace, then name) as objects come and go', () => {
    const rows = new ObjectRowList();
    rows.reset([obj('Node', 'n-2', '1'), obj('Pod', 'b', '1', 'default')]);
    const first = rows.current();
    rows.apply([
      { object: obj('Pod', 'a', '2', 'default'), prev: null },
      { object: obj('Node', 'n-1', '3'), prev: null },
      // kube-system sorts after default: "d" < "k".
      { object: obj('Pod', 'a', '4', 'kube-system'), prev: null },
      { object: obj('Pod', 'b', '5', 'default'), prev: obj('Pod', 'b', '1', 'default') },
    ]);
    expect(rows.current().map((r) => `${r.key}@${r.resourceVersion}`)).toEqual(['Node//n-1@3', 'Node//n-2@1', 'Pod/default/a@2', 'Pod/default/b@5', 'Pod/kube-system/a@4']);
    // The unchanged Node row is the same object; the list is a new array.
    expect(rows.current()[1]).toBe(first[0]);
    expect(rows.current()).not.toBe(first);
    rows.apply([{ object: null, prev: obj('Pod', 'a', '2', 'default') }]);
    expect(rows.current().map((r) => r.key)).toEqual(['Node//n-1', 'Node//n-2', 'Pod/default/b', 'Pod/kube-system/a']);
  });
});
