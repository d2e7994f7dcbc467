// The watch cache's index of pods by spec.nodeName (upstream's cacher keeps
// the same one), so a kubelet's list or watch of "pods on my node" reads
// its own pods instead of scanning 150,000.
import type { KubeObject } from '../api/types';
import type { MvccEvent } from '../etcd/mvcc';

const POD_PREFIX = '/registry/pods/';

export class PodNodeIndex {
  private byNode = new Map<string, Map<string, KubeObject>>();

  pods(nodeName: string): Iterable<KubeObject> {
    return this.byNode.get(nodeName)?.values() ?? [];
  }

  add(key: string, pod: KubeObject): void {
    const node = nodeOf(pod);
    let m = this.byNode.get(node);
    if (!m) this.byNode.set(node, (m = new Map()));
    m.set(key, pod);
  }

  /** Keeps the index in step with one committed etcd event. */
  apply(ev: MvccEvent): void {
    const key = ev.kv.key;
    if (!key.startsWith(POD_PREFIX)) return;
    const before = ev.prev?.value as KubeObject | undefined;
    if (before) {
      const m = this.byNode.get(nodeOf(before));
      m?.delete(key);
      if (m && m.size === 0) this.byNode.delete(nodeOf(before));
    }
    if (ev.type === 'PUT') this.add(key, ev.kv.value as KubeObject);
  }
}

function nodeOf(pod: KubeObject): string {
  return (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
}
