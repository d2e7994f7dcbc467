// kube-controller-manager's node-ipam-controller, after upstream
// pkg/controller/nodeipam/node_ipam_controller.go with its RangeAllocator
// (ipam/range_allocator.go, node-ipam-range-allocator.ts): it runs only
// with --allocate-node-cidrs (node-ipam-config.ts; on in kubeviz for a
// cluster on the simulated cloud, off otherwise, as upstream's default).
// Every Node event puts the Node on a work queue; the workers start once the
// Node cache has synced (100 ms after the process), first marking the
// CIDRs the Nodes already have, then giving each Node without one the next
// free /24, so a Node added later has its podCIDR right after its creation
// reaches the controller. A deleted Node's CIDR is released at once.
//
// Off, it asks for nothing and schedules nothing: the flags are looked up
// on each Node event because the process is built before the cloud is
// (node-ipam-config.ts), so a cluster without a cloud is unchanged.
import type { Node } from 'kubernetes-types/core/v1';
import type { Timer } from '../kernel/kernel';
import type { Controller, ControllerContext } from './controller';
import { CACHE_SYNC_POLL_MS } from './node-lifecycle';
import { RangeAllocator } from './node-ipam-range-allocator';
import { keyOf, type SharedInformer } from './shared-informers';
import { WorkQueue } from './work-queue';

export const NODE_IPAM_CONTROLLER = 'node-ipam-controller';

export class NodeIpamController implements Controller {
  readonly name = NODE_IPAM_CONTROLLER;
  private readonly nodes: SharedInformer;
  /** When the process started: the workers wait for the caches from then. */
  private readonly bootAt: number;
  private allocator?: RangeAllocator;
  private queue?: WorkQueue;
  /** Keys that came before the workers started. */
  private readonly early = new Set<string>();
  private running = false;
  private stopped = false;
  private timer?: Timer;

  constructor(private readonly ctx: ControllerContext) {
    this.bootAt = ctx.kernel.now;
    this.nodes = ctx.informers.for('Node');
    this.nodes.on({
      add: (n) => this.enqueue(keyOf(n)),
      update: (n) => this.enqueue(keyOf(n)),
      delete: (n) => {
        if (!this.enabled()) return;
        this.allocator!.releaseCIDR(n as Node);
        this.enqueue(keyOf(n));
      },
    });
    // A restart on a cluster that allocates node CIDRs: on from the start.
    this.enabled();
  }

  /** The cluster's allocator, once the flags say there is one (undefined: the controller is off). */
  get rangeAllocator(): RangeAllocator | undefined {
    return this.allocator;
  }

  stop(): void {
    this.stopped = true;
    this.ctx.kernel.cancel(this.timer);
    this.timer = undefined;
    this.queue?.shutDown();
  }

  /** Is --allocate-node-cidrs on? The first time it is, the allocator is built and the workers' start scheduled. */
  private enabled(): boolean {
    if (this.allocator) return true;
    const config = this.stopped ? undefined : this.ctx.nodeIpam;
    if (!config) return false;
    const allocator = new RangeAllocator(this.ctx, this.nodes, config);
    this.allocator = allocator;
    this.queue = new WorkQueue(this.ctx.kernel, NODE_IPAM_CONTROLLER, (name) => allocator.syncNode(name));
    this.timer = this.ctx.kernel.at(this.bootAt + CACHE_SYNC_POLL_MS, `${NODE_IPAM_CONTROLLER}.start`, () => this.run());
    return true;
  }

  private enqueue(key: string): void {
    if (!this.enabled()) return;
    if (this.running) this.queue!.add(key);
    else this.early.add(key);
  }

  /** WaitForCacheSync done: occupy what the Nodes hold, then work the queue. */
  private run(): void {
    this.timer = undefined;
    this.running = true;
    this.allocator!.occupyExisting(this.nodes.list() as Node[]);
    for (const key of this.early) this.queue!.add(key);
    this.early.clear();
  }
}

export const newNodeIpamController = (ctx: ControllerContext): Controller => new NodeIpamController(ctx);
