// One kube-apiserver process (cmd/kube-apiserver) on a control-plane
// machine: its lifecycle statechart, its watch cache with the watches
// connected to it, its compactor and its BOOKMARK ticks. Every replica
// serves the same etcd; the request pipeline is shared (apiserver.ts),
// and which replica a request reaches is the load balancer's business
// (load-balancer.ts).
import type { Actor } from 'xstate';
import type { EtcdCluster } from '../etcd/etcd-cluster';
import { startActor } from '../kernel/actors';
import type { Kernel, Timer } from '../kernel/kernel';
import type { MvccEvent } from '../etcd/mvcc';
import { apiserverMachine } from './apiserver-machine';
import { Compactor, type CompactRevKey } from './compactor';
import { WatchHub } from './watch-hub';

export interface ReplicaSpec {
  /** "kube-apiserver" (one replica) or "kube-apiserver-2": its systemId and its name in the trace. */
  name: string;
  /** The control-plane machine it runs on. */
  host: string;
  /** --advertise-address:--secure-port, where the load balancer reaches it. */
  address: string;
}

export interface ReplicaTimings {
  watchDelay: number;
  compactionInterval: number;
  bookmarkInterval: number;
}

export class ApiServerReplica {
  readonly name: string;
  readonly host: string;
  readonly address: string;
  readonly actor: Actor<typeof apiserverMachine>;
  readonly hub: WatchHub;
  /** Counts the process's starts: a connection made to an earlier run is gone. */
  epoch = 0;
  private readonly compactor: Compactor;
  private compactionTimer?: Timer;

  constructor(
    private readonly kernel: Kernel,
    private readonly etcd: EtcdCluster,
    private readonly timings: ReplicaTimings,
    spec: ReplicaSpec,
    compactKey: CompactRevKey,
  ) {
    this.name = spec.name;
    this.host = spec.host;
    this.address = spec.address;
    this.actor = startActor(kernel, apiserverMachine, { systemId: spec.name, input: undefined });
    this.hub = new WatchHub(kernel, timings.watchDelay, spec.name);
    this.compactor = new Compactor(kernel, etcd, compactKey, spec.name);
    this.scheduleCompaction();
    this.scheduleBookmarks();
  }

  get running(): boolean {
    return this.actor.getSnapshot().value === 'running';
  }

  /** The process ends: every watch connected to it closes at once, and its clients find out. */
  stop(): void {
    if (!this.running) return;
    this.actor.send({ type: 'component.stop' });
    this.kernel.cancel(this.compactionTimer);
    this.compactionTimer = undefined;
    this.hub.closeAll();
  }

  start(): void {
    if (this.running) return;
    this.actor.send({ type: 'component.start' });
    this.epoch++;
    this.compactor.reset();
    this.scheduleCompaction();
  }

  /** A committed change reaches this replica's watch cache. */
  dispatch(ev: MvccEvent): void {
    this.hub.dispatch(ev);
  }

  private scheduleCompaction(): void {
    // The compactor's first pass is one interval after the process starts.
    this.compactionTimer = this.kernel.after(this.timings.compactionInterval, 'apiserver.compact', () => {
      this.compactionTimer = undefined;
      if (!this.running) return;
      this.compactor.tick();
      this.scheduleCompaction();
    });
  }

  private scheduleBookmarks(): void {
    this.kernel.after(this.timings.bookmarkInterval, 'apiserver.bookmark', () => {
      if (this.running) this.hub.bookmark(String(this.etcd.store.revision));
      this.scheduleBookmarks();
    });
  }
}
