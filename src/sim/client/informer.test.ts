// The informer's reflector as client-go runs it before v1.35 (WatchListClient
// off): a LIST, then a WATCH from the list's resourceVersion; after 410 Gone
// a relist that reports what was deleted meanwhile.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import { Informer } from './informer';

const lease = (name: string, holderIdentity = 'x'): KubeObject => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'default' }, spec: { holderIdentity } });

function setup(objects: KubeObject[] = []) {
  const cluster = createCluster({ ...emptyScenario(), objects });
  cluster.runUntil(1000);
  const seen: string[] = [];
  const client = cluster.apiserver.client('test-informer');
  const informer = new Informer(cluster.kernel, client, 'Lease', { namespace: 'default' }, {
    add: (o) => seen.push(`add ${o.metadata.name}`),
    update: (o) => seen.push(`update ${o.metadata.name}`),
    delete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  const mine = () =>
    cluster.kernel.trace
      .messages()
      .filter((m) => m.from === 'test-informer' || m.to === 'test-informer')
      .map((m) => `${m.from}>${m.to} ${m.verb}${m.detail ? ` ${m.detail}` : ''} ${m.resource}`);
  return { cluster, informer, seen, mine, kubectl: cluster.apiserver.client('kubectl') };
}

describe('Informer', () => {
  it('lists, then watches from the list: one response for the initial state, no ADDED per object', () => {
    const { cluster, informer, seen, mine, kubectl } = setup([lease('a'), lease('b')]);
    informer.start();
    expect(mine()).toEqual(['test-informer>kube-apiserver list leases', 'test-informer>kube-apiserver watch leases']);
    // The list reaches the store as a watch event would, one watchDelay later.
    expect(informer.size).toBe(0);
    cluster.runUntil(cluster.now + 1);
    expect(seen).toEqual(['add a', 'add b']);
    kubectl.create(lease('c'));
    cluster.runUntil(cluster.now + 1);
    expect(seen).toEqual(['add a', 'add b', 'add c']);
    expect(mine().slice(2)).toEqual(['kube-apiserver>test-informer watch ADDED leases']);
    expect([...informer.list()].map((o) => o.metadata.name)).toEqual(['a', 'b', 'c']);
  });

  it('hands a change made right after the list over only after the list itself', () => {
    const { cluster, informer, seen, kubectl } = setup([lease('a')]);
    // Another watch's delivery is already due at the next instant, before the list's own.
    kubectl.watch('Lease', { resourceVersion: String(cluster.revision) }, () => {});
    kubectl.create({ ...lease('other'), metadata: { name: 'other', namespace: 'kube-system' } });
    informer.start();
    kubectl.update({ ...(kubectl.get('Lease', 'default', 'a') as { object: KubeObject }).object, spec: { holderIdentity: 'y' } });
    cluster.runUntil(cluster.now + 1);
    expect(seen).toEqual(['add a', 'update a']);
    expect(informer.get('default/a')?.spec).toEqual({ holderIdentity: 'y' });
  });

  it('starts from a list its owner made: no second list, no handler calls for what it held', () => {
    const { cluster, informer, seen, mine, kubectl } = setup([lease('a')]);
    const listed = kubectl.list('Lease', { namespace: 'default' });
    if (!listed.ok) throw new Error('list failed');
    informer.start(listed);
    expect(informer.get('default/a')).toBeDefined();
    kubectl.delete('Lease', 'default', 'a');
    cluster.runUntil(cluster.now + 1);
    expect(seen).toEqual(['delete a']);
    expect(mine()).toEqual(['test-informer>kube-apiserver watch leases', 'kube-apiserver>test-informer watch DELETED leases']);
  });

  it('relists after 410 Gone and reports what was deleted while it was away', () => {
    const { cluster, informer, seen, mine, kubectl } = setup([lease('a'), lease('b')]);
    informer.start();
    cluster.runUntil(cluster.now + 1);
    informer.stop();
    kubectl.delete('Lease', 'default', 'a');
    kubectl.create(lease('c'));
    // Two compactions (every 5 minutes, to the revision of the one before) leave the informer's resourceVersion behind.
    cluster.runUntil(cluster.now + 11 * 60_000);
    seen.length = 0;
    const before = mine().length;
    informer.start();
    cluster.runUntil(cluster.now + 1);
    expect(mine().slice(before, before + 2)).toEqual(['test-informer>kube-apiserver watch leases', 'kube-apiserver>test-informer watch ERROR leases']);
    // The relist, one retry later: c added, b unchanged (same resourceVersion: no update), a deleted.
    cluster.runUntil(cluster.now + 1001);
    expect(seen).toEqual(['add c', 'delete a']);
    expect([...informer.list()].map((o) => o.metadata.name)).toEqual(['b', 'c']);
  });

  it('lists again on the next start when stopped before its list arrived', () => {
    const { cluster, informer, seen, mine } = setup([lease('a')]);
    informer.start();
    informer.stop();
    cluster.runUntil(cluster.now + 1);
    expect(seen).toEqual([]);
    informer.start();
    cluster.runUntil(cluster.now + 1);
    expect(seen).toEqual(['add a']);
    expect(mine().filter((m) => m.includes(' list '))).toHaveLength(2);
  });
});
