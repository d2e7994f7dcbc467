// The simulated cloud's route table: one route per node pod CIDR, sending
// that range to the node's instance, so pods on other machines reach it
// (what the cloud's VPC router does for a cluster without an overlay). Not
// an upstream component; it answers k8s.io/cloud-provider's Routes
// interface (cloud.go: ListRoutes, CreateRoute, DeleteRoute) the way
// Compute Engine's does (gce_routes.go): a route is named
// "<cluster name>-<name hint>" (the hint is the Node's uid), creating one
// that exists already succeeds, and ListRoutes gives the cluster's routes
// with their target instance's name as the node. A route whose instance is
// terminated goes nowhere: it is listed as a blackhole without a target, as
// AWS lists such routes, and the route controller deletes it.
import type { Instances } from './instances';

export interface CloudRoute {
  name: string;
  /** The pod CIDR it carries. */
  destinationCIDR: string;
  /** The next hop: the instance's name (its node's) and id. */
  targetInstance: string;
  instanceId: string;
  createdAt: number;
}

/** cloudprovider.Route, as ListRoutes returns it. */
export interface RouteInfo {
  name: string;
  /** The node the next hop is; "" for a blackhole. */
  targetNode: string;
  destinationCIDR: string;
  blackhole: boolean;
}

export type RouteResult = { ok: true } | { ok: false; error: string };

/** GCE's truncateClusterName: route names start with at most 26 characters of the cluster name. */
export const routePrefix = (clusterName: string): string => `${clusterName.slice(0, 26)}-`;

export class Routes {
  /** In creation order. */
  private readonly table = new Map<string, CloudRoute>();

  constructor(private readonly instances: Instances) {}

  /** Every route, for the UI and the state hash. */
  list(): CloudRoute[] {
    return [...this.table.values()].map((r) => ({ ...r }));
  }

  /** ListRoutes: the cluster's routes, by name prefix. */
  listFor(clusterName: string): RouteInfo[] {
    const prefix = routePrefix(clusterName);
    return this.list()
      .filter((r) => r.name.startsWith(prefix))
      .map((r) => {
        const live = this.instances.byName(r.targetInstance);
        const blackhole = live === undefined || live.id !== r.instanceId;
        return { name: r.name, targetNode: blackhole ? '' : r.targetInstance, destinationCIDR: r.destinationCIDR, blackhole };
      });
  }

  /** CreateRoute to the node's live instance (stopped is fine: the route waits for it). */
  create(clusterName: string, nameHint: string, node: string, destinationCIDR: string, now: number): RouteResult {
    const inst = this.instances.byName(node);
    if (!inst) return { ok: false, error: 'instance not found' };
    const name = `${routePrefix(clusterName)}${nameHint}`;
    // Compute Engine answers 409 for a name in use, which the provider takes as done.
    if (this.table.has(name)) return { ok: true };
    this.table.set(name, { name, destinationCIDR, targetInstance: inst.name, instanceId: inst.id, createdAt: now });
    return { ok: true };
  }

  /** DeleteRoute; one already gone is deleted (404 is success to the provider). */
  delete(name: string): RouteResult {
    this.table.delete(name);
    return { ok: true };
  }

  /** Is this node's pod CIDR routed to its live instance? (For whoever models cross-node pod traffic.) */
  routed(node: string, cidr: string): boolean {
    const inst = this.instances.byName(node);
    return inst !== undefined && [...this.table.values()].some((r) => r.instanceId === inst.id && r.destinationCIDR === cidr);
  }
}
