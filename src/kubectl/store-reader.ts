// kubectl's reads (GET and LIST), answered from the apiserver's storage
// without a request: looking at the cluster must not change it, and a wire
// message per `get` would change the trace and so the state hash, which a
// replay of the action log could not reproduce. The order is the
// apiserver's (etcd key order: namespace, then name); Event names carry a
// nanosecond timestamp upstream, so events of one object sort in the order
// they were created.
import type { KubeObject } from '../sim/api/types';
import type { Cluster } from '../sim/cluster';
import type { KeyValue } from '../sim/etcd/mvcc';
import type { KubectlResource } from './resources';

export class StoreReader {
  constructor(private readonly cluster: Cluster) {}

  /** Every object of a type, in one namespace or all of them. */
  list(r: KubectlResource, namespace?: string): KubeObject[] {
    const rows: Array<{ key: string; obj: KubeObject }> = [];
    for (const kv of this.cluster.etcd.store.range(`/registry/${r.plural}/`) as Iterable<KeyValue<KubeObject>>) {
      const obj = kv.value;
      if (r.info.namespaced && namespace !== undefined && obj.metadata.namespace !== namespace) continue;
      rows.push({ key: sortKey(r, obj, kv.createRevision), obj });
    }
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return rows.map((x) => x.obj);
  }

  get(r: KubectlResource, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = r.info.namespaced ? `/registry/${r.plural}/${namespace}/${name}` : `/registry/${r.plural}/${name}`;
    return this.cluster.etcd.store.get(key)?.value as KubeObject | undefined;
  }
}

function sortKey(r: KubectlResource, o: KubeObject, createRevision: number): string {
  const ns = o.metadata.namespace ?? '';
  let name = o.metadata.name ?? '';
  if (r.plural === 'events') {
    // <object>.<creation order>, standing in for upstream's <object>.<hex of UnixNano>.
    const dot = name.lastIndexOf('.');
    name = `${dot < 0 ? name : name.slice(0, dot)}.${String(createRevision).padStart(16, '0')}`;
  }
  return `${ns}/${name}`;
}
