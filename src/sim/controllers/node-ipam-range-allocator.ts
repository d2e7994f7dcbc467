// The node IPAM controller's RangeAllocator, after upstream
// pkg/controller/nodeipam/ipam/range_allocator.go (v1.30-1.34, the work
// queue version): a Node without spec.podCIDRs gets the next free subnet of
// the cluster CIDR (cidrset), patched into spec.podCIDR and spec.podCIDRs
// (three tries); a Node that has them has them marked used (after a
// controller-manager restart, say); a deleted Node's subnets are released.
// No subnet left: a Warning "CIDRNotAvailable" on the Node ("Node NAME status
// is now: CIDRNotAvailable") and a retry with the queue's backoff; a patch
// that fails three times: "CIDRAssignmentFailed" and the subnet released.
// Its events come from the recorder upstream names "cidrAllocator".
import type { Node } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import type { ControllerContext } from './controller';
import { CidrSet } from './node-ipam-cidr-set';
import type { NodeIpamConfig } from './node-ipam-config';
import type { SharedInformer } from './shared-informers';
import type { SyncResult } from './work-queue';

/** The event source component of upstream's range allocator. */
export const CIDR_ALLOCATOR = 'cidrAllocator';
/** cidrUpdateRetries. */
const CIDR_UPDATE_RETRIES = 3;

/** A Node's pod CIDRs (spec.podCIDRs, or the older single spec.podCIDR). */
export function podCIDRsOf(node: Node): string[] {
  const list = node.spec?.podCIDRs ?? [];
  if (list.length) return [...list];
  return node.spec?.podCIDR ? [node.spec.podCIDR] : [];
}

/**
 * What the allocator's first pass will give the Nodes it finds at start:
 * their own CIDRs marked used (and the Service range), then the next free
 * one for each other Node in the order the informer lists them (by name).
 * The starting cluster's machines set their pod networks up with these, so
 * the pods running from the first instant have addresses from their Node's
 * CIDR-to-be.
 */
export function firstPassCIDRs(nodes: readonly Node[], config: NodeIpamConfig): Map<string, string> {
  const set = new CidrSet(config.clusterCIDR, config.nodeCIDRMaskSize);
  if (config.serviceCIDR) set.occupy(config.serviceCIDR);
  for (const n of nodes) for (const cidr of podCIDRsOf(n)) set.occupy(cidr);
  const out = new Map<string, string>();
  const byName = [...nodes].sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : a.metadata!.name! > b.metadata!.name! ? 1 : 0));
  for (const n of byName) {
    const own = podCIDRsOf(n)[0];
    const next = own ? { ok: true as const, cidr: own } : set.allocateNext();
    if (next.ok) out.set(n.metadata!.name!, next.cidr);
  }
  return out;
}

export class RangeAllocator {
  readonly cidrs: CidrSet;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly nodes: SharedInformer,
    config: NodeIpamConfig,
  ) {
    this.cidrs = new CidrSet(config.clusterCIDR, config.nodeCIDRMaskSize);
    this.recorder = ctx.recorder(CIDR_ALLOCATOR);
    if (config.serviceCIDR) this.filterOutServiceRange(config.serviceCIDR);
  }

  /** The existing Nodes' CIDRs are marked used before any is handed out (NewCIDRRangeAllocator's nodeList). */
  occupyExisting(nodes: readonly Node[]): void {
    // Upstream exits on a CIDR it cannot occupy (the controller-manager crash-loops); here that Node is skipped.
    for (const n of nodes) this.occupyCIDRs(n);
  }

  /** syncNode. */
  syncNode(name: string): SyncResult {
    const node = this.nodes.get(name) as Node | undefined;
    // Deleted: its CIDRs were released when the informer saw it go.
    if (!node) return 'done';
    if (node.metadata?.deletionTimestamp) {
      this.releaseCIDR(node);
      return 'done';
    }
    return this.allocateOrOccupyCIDR(node);
  }

  /** ReleaseCIDR: the Node's subnets are free again. */
  releaseCIDR(node: Node): void {
    for (const cidr of podCIDRsOf(node)) this.cidrs.release(cidr);
  }

  /** occupyCIDRs: false when a CIDR is garbage or outside the cluster CIDR. */
  private occupyCIDRs(node: Node): boolean {
    return podCIDRsOf(node).every((cidr) => this.cidrs.occupy(cidr) === undefined);
  }

  private allocateOrOccupyCIDR(node: Node): SyncResult {
    if (podCIDRsOf(node).length > 0) return this.occupyCIDRs(node) ? 'done' : 'retry';
    const next = this.cidrs.allocateNext();
    if (!next.ok) {
      this.nodeStatusChange(node, 'CIDRNotAvailable');
      return 'retry';
    }
    return this.updateCIDRsAllocation(node.metadata!.name!, next.cidr);
  }

  /** updateCIDRsAllocation: patch the Node's spec with its CIDR, unless it got one meanwhile. */
  private updateCIDRsAllocation(name: string, cidr: string): SyncResult {
    const node = this.nodes.get(name) as Node | undefined;
    if (!node) return 'retry';
    const has = podCIDRsOf(node);
    if (has.length === 1 && has[0] === cidr) return 'done';
    if (has.length > 0) {
      // It already has one: the new reservation goes back.
      this.cidrs.release(cidr);
      return 'done';
    }
    for (let i = 0; i < CIDR_UPDATE_RETRIES; i++) {
      // PatchNodeCIDRs: the old single field and the list.
      const r = this.ctx.client.patch('Node', undefined, name, { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
      if (r.ok) return 'done';
    }
    this.nodeStatusChange(node, 'CIDRAssignmentFailed');
    // Not a timeout (the simulated apiserver answers or refuses): the CIDR is not in use.
    this.cidrs.release(cidr);
    return 'retry';
  }

  /** filterOutServiceRange: the subnets that overlap the Service range are never handed out. */
  private filterOutServiceRange(serviceCIDR: string): void {
    // A range outside the cluster CIDR (10.96.0.0/12 beside 10.244.0.0/16) takes nothing from it.
    this.cidrs.occupy(serviceCIDR);
  }

  /** RecordNodeStatusChange: "Node NAME status is now: REASON". */
  private nodeStatusChange(node: Node, status: string): void {
    const name = node.metadata!.name!;
    const ref = { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: node.metadata?.uid } } as KubeObject;
    this.recorder.event(ref, 'Warning', status, `Node ${name} status is now: ${status}`);
  }
}
