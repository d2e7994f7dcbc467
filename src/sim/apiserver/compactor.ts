// kube-apiserver's etcd compactor (staging/src/k8s.io/apiserver/pkg/storage/etcd3/compact.go).
// Every --etcd-compaction-interval each apiserver runs one compare-and-swap
// on etcd's compact_rev_key: the one whose local "compact time" equals the
// key's version wins, bumps it and compacts to the revision it saw one
// interval earlier; the others lose the swap, adopt the key's version and
// try again next interval. So several apiservers compact once per interval
// between them, never twice to the same revision, and a crashed one's turn
// is taken by the next.
import { EtcdUnavailableError, type EtcdCluster } from '../etcd/etcd-cluster';
import type { Kernel } from '../kernel/kernel';

/**
 * compact_rev_key, shared by every apiserver of the cluster. Kept beside
 * etcd's store rather than in it: a key there would take a revision of its
 * own and shift every object's resourceVersion.
 */
export class CompactRevKey {
  /** The key's version: how many swaps have succeeded. */
  version = 0;
  /** Its value: the last revision compacted to. */
  revision = 0;
}

/** One apiserver process's compactor: its local compact time and the revision it will compact to. */
export class Compactor {
  private compactTime = 0;
  private rev = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly etcd: EtcdCluster,
    private readonly key: CompactRevKey,
    /** Who compacts, for the trace. */
    private readonly name: string,
  ) {}

  /** A new process starts from nothing (compact time 0), as a restarted apiserver does. */
  reset(): void {
    this.compactTime = 0;
    this.rev = 0;
  }

  /** One pass of runCompactLoop: the swap, and the compaction if it won. */
  tick(): void {
    const current = this.etcd.store.revision;
    if (this.key.version !== this.compactTime) {
      // Lost the swap: another apiserver compacted this interval (or this one is new).
      this.compactTime = this.key.version;
      this.rev = current;
      return;
    }
    const target = this.rev;
    try {
      // The swap (and the compaction it allows) is a write: without an etcd quorum it fails and nothing changes.
      this.etcd.commit((s) => {
        if (target > 0) s.compact(target);
        return undefined;
      });
    } catch (e) {
      if (e instanceof EtcdUnavailableError) return;
      throw e;
    }
    this.key.version++;
    this.compactTime = this.key.version;
    this.rev = current;
    // The first swap only records a revision: "we don't compact on bootstrap".
    if (target === 0) return;
    this.key.revision = target;
    this.kernel.trace.record({ from: this.name, to: this.etcd.endpoint(), verb: 'compact', resource: 'etcd', key: `revision ${target}`, ok: true });
  }
}
