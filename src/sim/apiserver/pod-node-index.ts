// The watch cache's index of pods by spec.nodeName (upstream's cacher keeps
// the same one), so a kubelet's list or watch of "pods on my node" reads
// its own pods instead of scanning 150,000. Each node's pods come out in
// key order, as etcd ranges them; the order is kept while no pod comes to
// or leaves the node (a status write changes neither).
import type { KubeObject } from '../api/types';
import type { MvccEvent } from '../etcd/mvcc';

const POD_PREFIX = '/registry/pods/';

interface NodePods {
  /** etcd key -> the pod as stored. */
  byKey: Map<string, KubeObject>;
  /** The keys sorted (etcd keys sort as namespace/name do), until a key comes or goes. */
  sorted?: string[];
}

export class PodNodeIndex {
  private byNode = new Map<string, NodePods>();

  /** The node's pods in key order (namespace, then name). */
  podsInKeyOrder(nodeName: string): KubeObject[] {
    const n = this.byNode.get(nodeName);
    if (!n) return [];
    const keys = (n.sorted ??= [...n.byKey.keys()].sort());
    const out: KubeObject[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = n.byKey.get(keys[i])!;
    return out;
  }

  add(key: string, pod: KubeObject): void {
    const node = nodeOf(pod);
    let n = this.byNode.get(node);
    if (!n) this.byNode.set(node, (n = { byKey: new Map() }));
    if (!n.byKey.has(key)) n.sorted = undefined;
    n.byKey.set(key, pod);
  }

  /** Keeps the index in step with one committed etcd event. */
  apply(ev: MvccEvent): void {
    const key = ev.kv.key;
    if (!key.startsWith(POD_PREFIX)) return;
    const before = ev.prev?.value as KubeObject | undefined;
    const after = ev.type === 'PUT' ? (ev.kv.value as KubeObject) : undefined;
    if (before && (!after || nodeOf(before) !== nodeOf(after))) this.remove(nodeOf(before), key);
    if (after) this.add(key, after);
  }

  private remove(node: string, key: string): void {
    const n = this.byNode.get(node);
    if (!n || !n.byKey.delete(key)) return;
    n.sorted = undefined;
    if (n.byKey.size === 0) this.byNode.delete(node);
  }
}

function nodeOf(pod: KubeObject): string {
  return (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
}
