import { describe, expect, it } from 'vitest';
import { Kernel } from '../kernel/kernel';
import { DEFAULT_ETCD, EtcdCluster, EtcdUnavailableError } from './etcd-cluster';
import { CompactedError, MvccStore } from './mvcc';

const cluster = (members = 3, seed = 1) => {
  const kernel = new Kernel(seed);
  return { kernel, etcd: new EtcdCluster(kernel, { ...DEFAULT_ETCD, members }) };
};
const write = (etcd: EtcdCluster, key: string, value: unknown) => etcd.commit((s) => s.put(key, value));
const leaders = (etcd: EtcdCluster) => etcd.view().filter((m) => m.role === 'leader');

describe('MvccStore', () => {
  it('gives each write the next revision and tracks create/mod revisions and versions', () => {
    const s = new MvccStore<string>();
    expect(s.revision).toBe(1);
    s.put('/registry/pods/default/a', 'v1');
    s.put('/registry/pods/default/b', 'x');
    const ev = s.put('/registry/pods/default/a', 'v2');
    expect(ev.kv).toMatchObject({ createRevision: 2, modRevision: 4, version: 2, value: 'v2' });
    expect(ev.prev?.value).toBe('v1');
    expect([...s.range('/registry/pods/')].map((kv) => kv.key)).toEqual(['/registry/pods/default/a', '/registry/pods/default/b']);
  });

  it('replays history from a revision and refuses compacted revisions like etcd', () => {
    const s = new MvccStore<number>();
    for (let i = 0; i < 10; i++) s.put(`/registry/pods/default/p${i}`, i);
    expect(s.eventsFrom(9).map((e) => e.revision)).toEqual([9, 10, 11]);
    s.compact(6);
    expect(() => s.eventsFrom(6)).toThrow(CompactedError);
    expect(() => s.eventsFrom(5)).toThrow('mvcc: required revision has been compacted');
    expect(s.eventsFrom(7).map((e) => e.revision)).toEqual([7, 8, 9, 10, 11]);
  });

  it('restores a snapshot whose resources are interleaved, each key in its own bucket with the next revision', () => {
    const s = new MvccStore<string>();
    s.restore(
      ['/registry/pods/default/a', '/registry/pods/kube-system/b', '/registry/nodes/n1', '/registry/pods/default/c', '/registry/podsx/default/d', '/registry/pods', '/registry/pods/default/e'].map(
        (key) => [key, (rev: number) => `${key}@${rev}`] as [string, (rev: number) => string],
      ),
    );
    const keys = (bucket: string) => [...s.range(bucket)].map((kv) => kv.value);
    expect(keys('/registry/pods/')).toEqual(['/registry/pods/default/a@2', '/registry/pods/kube-system/b@3', '/registry/pods/default/c@5', '/registry/pods/default/e@8']);
    expect(keys('/registry/nodes/')).toEqual(['/registry/nodes/n1@4']);
    expect(keys('/registry/podsx/')).toEqual(['/registry/podsx/default/d@6']);
    expect(s.get('/registry/pods')?.value).toBe('/registry/pods@7');
    expect(s.sortedKeys('/registry/pods/')).toEqual(['/registry/pods/default/a', '/registry/pods/default/c', '/registry/pods/default/e', '/registry/pods/kube-system/b']);
    expect(s.size).toBe(7);
    expect([s.revision, s.compactedRevision]).toEqual([8, 8]);
  });

  it('records deletes as events with the previous value', () => {
    const s = new MvccStore<string>();
    s.put('/registry/nodes/n1', 'n');
    const ev = s.delete('/registry/nodes/n1')!;
    expect(ev).toMatchObject({ type: 'DELETE', revision: 3 });
    expect(ev.prev?.value).toBe('n');
    expect(s.get('/registry/nodes/n1')).toBeUndefined();
    expect(s.delete('/registry/nodes/n1')).toBeUndefined();
  });
});

describe('EtcdCluster (raft)', () => {
  it('starts with one leader and followers, and heartbeats every 100 ms', () => {
    const { kernel, etcd } = cluster(3);
    kernel.runUntil(1000);
    expect(leaders(etcd).map((m) => m.name)).toEqual(['etcd-1']);
    const beats = kernel.trace.messages().filter((m) => m.verb === 'raft heartbeat' && m.to === 'etcd-2');
    // t = 0, 100, ..., 1000
    expect(beats.length).toBe(11);
    expect(etcd.view().every((m) => m.term === 1)).toBe(true);
  });

  it('commits with a quorum of floor(n/2)+1 and fails without one', () => {
    const { kernel, etcd } = cluster(3);
    write(etcd, '/registry/pods/default/a', 1);
    etcd.stopMember('etcd-3');
    kernel.runUntil(500);
    expect(write(etcd, '/registry/pods/default/b', 2)).toBeDefined(); // 2 of 3 is a quorum
    etcd.stopMember('etcd-2');
    expect(() => write(etcd, '/registry/pods/default/c', 3)).toThrow(EtcdUnavailableError);
    expect(etcd.store.get('/registry/pods/default/c')).toBeUndefined();
  });

  it('elects a new leader in a higher term after the leader stops', () => {
    const { kernel, etcd } = cluster(3);
    kernel.runUntil(500);
    etcd.stopMember('etcd-1');
    expect(() => write(etcd, '/registry/x/y', 1)).toThrow('etcdserver: no leader');
    // Election timeout is randomized in [1000, 2000) ms; a vote round trip takes 2 ms.
    kernel.runUntil(500 + 2100);
    const l = leaders(etcd);
    expect(l).toHaveLength(1);
    expect(l[0].name).not.toBe('etcd-1');
    expect(l[0].term).toBeGreaterThan(1);
    expect(write(etcd, '/registry/x/y', 1)).toBeDefined();
  });

  it('a leader that loses its quorum steps down (CheckQuorum), and no one can lead', () => {
    const { kernel, etcd } = cluster(3);
    kernel.runUntil(200);
    etcd.stopMember('etcd-2');
    etcd.stopMember('etcd-3');
    kernel.runUntil(200 + 1200);
    expect(leaders(etcd)).toHaveLength(0);
    kernel.runUntil(10_000);
    expect(leaders(etcd)).toHaveLength(0);
    expect(etcd.view()[0].role).toBe('candidate');
  });

  it('a restarted member catches up on the entries it missed', () => {
    const { kernel, etcd } = cluster(3);
    etcd.stopMember('etcd-3');
    for (let i = 0; i < 25; i++) write(etcd, `/registry/pods/default/p${i}`, i);
    const lead = etcd.view().find((m) => m.role === 'leader')!;
    expect(etcd.view()[2].lastIndex).toBeLessThan(lead.lastIndex);
    etcd.startMember('etcd-3');
    kernel.runUntil(kernel.now + 250);
    const v = etcd.view();
    expect(v[2].lastIndex).toBe(v[0].lastIndex);
    expect(v[2].commitIndex).toBe(v[0].commitIndex);
    expect(kernel.trace.messages().some((m) => m.verb === 'raft append' && m.to === 'etcd-3')).toBe(true);
  });

  it('recovers quorum when stopped members return', () => {
    const { kernel, etcd } = cluster(5);
    for (const m of ['etcd-1', 'etcd-2', 'etcd-3']) etcd.stopMember(m);
    kernel.runUntil(5000);
    expect(leaders(etcd)).toHaveLength(0);
    etcd.startMember('etcd-1');
    kernel.runUntil(9000);
    expect(leaders(etcd)).toHaveLength(1);
    expect(write(etcd, '/registry/a/b', 1)).toBeDefined();
  });

  it('accepts 1 to 7 members only', () => {
    expect(() => cluster(0)).toThrow('1 to 7');
    expect(() => cluster(8)).toThrow('1 to 7');
    const { etcd } = cluster(1);
    expect(write(etcd, '/registry/a/b', 1)).toBeDefined();
  });

  it('elects the same leader at the same instant for the same seed', () => {
    const run = (seed: number) => {
      const { kernel, etcd } = cluster(5, seed);
      kernel.runUntil(100);
      etcd.stopMember('etcd-1');
      kernel.runUntil(5000);
      return JSON.stringify(etcd.view());
    };
    expect(run(7)).toBe(run(7));
  });
});
