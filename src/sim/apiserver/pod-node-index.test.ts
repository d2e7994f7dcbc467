import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { MvccStore } from '../etcd/mvcc';
import { Rng } from '../kernel/rng';
import { PodNodeIndex } from './pod-node-index';

const pod = (ns: string, name: string, nodeName?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: nodeName ? { nodeName } : {} });
const key = (ns: string, name: string) => `/registry/pods/${ns}/${name}`;
const names = (pods: KubeObject[]) => pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);

describe('PodNodeIndex', () => {
  it("gives a node's pods in key order, following binds, moves and deletes", () => {
    const store = new MvccStore<unknown>();
    const index = new PodNodeIndex();
    const put = (p: KubeObject) => index.apply(store.put(key(p.metadata.namespace!, p.metadata.name!), p));
    put(pod('default', 'web-2', 'n1'));
    put(pod('default', 'web-1', 'n1'));
    put(pod('apps', 'zeta', 'n1'));
    put(pod('default', 'pending'));
    expect(names(index.podsInKeyOrder('n1'))).toEqual(['apps/zeta', 'default/web-1', 'default/web-2']);
    expect(names(index.podsInKeyOrder(''))).toEqual(['default/pending']);
    // A status write keeps the order and hands out the new object.
    const written = { ...pod('default', 'web-1', 'n1'), status: { phase: 'Running' } };
    put(written);
    expect(index.podsInKeyOrder('n1')[1]).toBe(written);
    // Bound: it leaves the unscheduled pods for its node.
    put(pod('default', 'pending', 'n1'));
    expect(names(index.podsInKeyOrder(''))).toEqual([]);
    expect(names(index.podsInKeyOrder('n1'))).toEqual(['apps/zeta', 'default/pending', 'default/web-1', 'default/web-2']);
    index.apply(store.delete(key('apps', 'zeta'))!);
    expect(names(index.podsInKeyOrder('n1'))).toEqual(['default/pending', 'default/web-1', 'default/web-2']);
    expect(index.podsInKeyOrder('n2')).toEqual([]);
  });

  it('agrees with a sort of the whole store after a random run of writes and deletes', () => {
    const rng = new Rng('pod-node-index');
    const store = new MvccStore<unknown>();
    const index = new PodNodeIndex();
    const nodes = ['', 'n1', 'n2', 'n3'];
    for (let i = 0; i < 2000; i++) {
      const name = `p${rng.int(60)}`;
      const ns = rng.int(2) ? 'default' : 'kube-system';
      if (rng.int(5) === 0) {
        const ev = store.delete(key(ns, name));
        if (ev) index.apply(ev);
      } else index.apply(store.put(key(ns, name), pod(ns, name, nodes[rng.int(nodes.length)] || undefined)));
      if (i % 100 !== 0) continue;
      for (const n of nodes) {
        const expected = [...store.range('/registry/pods/')]
          .filter((kv) => ((kv.value as KubeObject).spec as { nodeName?: string }).nodeName === (n || undefined))
          .map((kv) => kv.key)
          .sort()
          .map((k) => k.slice('/registry/pods/'.length));
        expect(names(index.podsInKeyOrder(n))).toEqual(expected);
      }
    }
  });
});
