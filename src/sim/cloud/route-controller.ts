// cloud-controller-manager's route controller, after upstream
// staging/src/k8s.io/cloud-provider/controllers/route/route_controller.go
// (v1.30-1.34) and its start in app/core.go (only with
// --allocate-node-cidrs and --configure-cloud-routes, with --cluster-cidr).
// Once the Node cache has synced (100 ms), and then every
// --route-reconciliation-period (10 s, wait.NonSlidingUntil: counted from
// each start), reconcileNodeRoutes lists the cluster's routes in the cloud
// and the Nodes it caches, then:
//  - deletes the routes inside the cluster CIDR that are blackholes (their
//    instance is gone) or whose node no longer has that CIDR (the Node is
//    gone);
//  - creates a route for every pod CIDR of a Node that has none
//    (CreateRoute, named from the Node's uid); a failure is a Warning
//    "FailedToCreateRoute" on the Node;
//  - sets each routed Node's NetworkUnavailable condition: False,
//    RouteCreated, "RouteController created a route" once all its routes
//    exist; True, NoRouteCreated, "RouteController failed to create a route"
//    otherwise (or when routes target it but it has no CIDR). A Node already
//    in that state is left alone. A new Node therefore waits for the next
//    pass: up to 10 s without a route (upstream's own TODO says so).
// Upstream runs the cloud calls concurrently; here they run one after the
// other in Node order, deletions first, at the instant of the pass.
import type { Node, NodeCondition } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import type { Controller } from '../controllers/controller';
import { contains, lastAddress, parseCidr, type ParsedCidr } from '../controllers/node-ipam-cidr-set';
import { podCIDRsOf } from '../controllers/node-ipam-range-allocator';
import type { SharedInformer } from '../controllers/shared-informers';
import type { Timer } from '../kernel/kernel';
import { timestamp } from '../kernel/time';
import { CACHE_SYNC_POLL_MS, type CloudControllerContext } from './cloud-controller';
import type { RouteInfo } from './routes';

export const ROUTE_CONTROLLER = 'route-controller';
/** The recorder's component upstream (record.EventSource{Component: "route_controller"}). */
export const ROUTE_CONTROLLER_EVENT_SOURCE = 'route_controller';
/** updateNetworkConditionBackoff's steps: RetryOnConflict tries the status patch this often. */
const CONDITION_UPDATE_STEPS = 5;

type RouteAction = 'keep' | 'add' | 'remove';

export const ROUTE_CREATED: Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'> = {
  type: 'NetworkUnavailable',
  status: 'False',
  reason: 'RouteCreated',
  message: 'RouteController created a route',
};
export const NO_ROUTE_CREATED: Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'> = {
  type: 'NetworkUnavailable',
  status: 'True',
  reason: 'NoRouteCreated',
  message: 'RouteController failed to create a route',
};

export class RouteController implements Controller {
  readonly name = ROUTE_CONTROLLER;
  private readonly nodes: SharedInformer;
  private readonly recorder: EventRecorder;
  private readonly clusterCIDR: ParsedCidr;
  private timer?: Timer;

  constructor(private readonly ctx: CloudControllerContext) {
    this.recorder = ctx.recorder(ROUTE_CONTROLLER_EVENT_SOURCE);
    this.nodes = ctx.informers.for('Node');
    this.clusterCIDR = parseCidr(ctx.options.clusterCIDR)!;
    this.timer = ctx.kernel.after(CACHE_SYNC_POLL_MS, `${ROUTE_CONTROLLER}.reconcile`, () => this.tick());
  }

  stop(): void {
    this.ctx.kernel.cancel(this.timer);
    this.timer = undefined;
  }

  /** NonSlidingUntil: the next pass is due a period after this one started, whatever it took. */
  private tick(): void {
    this.timer = this.ctx.kernel.after(this.ctx.options.routeReconciliationPeriod, `${ROUTE_CONTROLLER}.reconcile`, () => this.tick());
    this.reconcileNodeRoutes();
  }

  /** reconcileNodeRoutes: the cloud's routes against the cached Nodes. */
  reconcileNodeRoutes(): void {
    const { cloud, options } = this.ctx;
    const listed = cloud.listRoutes(options.clusterName);
    // "Couldn't reconcile node routes": the next pass tries again.
    if (!listed.ok) return;
    const nodes = this.nodes.list() as Node[];
    const routes = listed.value;
    // For each node routes point at or that has CIDRs: what to do with each of its CIDRs.
    const actions = new Map<string, Map<string, RouteAction>>();
    const routesTo = new Map<string, RouteInfo[]>();
    for (const r of routes) {
      if (!r.targetNode) continue;
      if (!actions.has(r.targetNode)) actions.set(r.targetNode, new Map());
      routesTo.set(r.targetNode, [...(routesTo.get(r.targetNode) ?? []), r]);
    }
    for (const n of nodes) {
      const cidrs = podCIDRsOf(n);
      if (cidrs.length === 0) continue;
      const name = n.metadata!.name!;
      const mine = actions.get(name) ?? new Map<string, RouteAction>();
      actions.set(name, mine);
      for (const cidr of cidrs) mine.set(cidr, (routesTo.get(name) ?? []).some((r) => r.destinationCIDR === cidr) ? 'keep' : 'add');
    }
    // Routes that are not in use: blackholes, and those whose node no longer wants that CIDR.
    for (const r of routes) {
      if (!this.isResponsibleForRoute(r)) continue;
      const action = actions.get(r.targetNode)?.get(r.destinationCIDR);
      if (r.blackhole || action === undefined || action === 'remove') cloud.deleteRoute(r);
    }
    for (const n of nodes) {
      const name = n.metadata!.name!;
      for (const cidr of podCIDRsOf(n)) {
        const mine = actions.get(name)!;
        if (mine.get(cidr) !== 'add') continue;
        const nameHint = n.metadata?.uid ?? name;
        const created = cloud.createRoute(options.clusterName, nameHint, { targetNode: name, destinationCIDR: cidr });
        if (created.ok) {
          mine.set(cidr, 'keep');
          continue;
        }
        // Upstream's ObjectReference names the Node's uid as its name.
        const ref = { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } } as KubeObject;
        // The call takes no simulated time: Go prints the elapsed time as 0s.
        this.recorder.event(ref, 'Warning', 'FailedToCreateRoute', `Could not create route ${nameHint} ${cidr} for node ${name} after 0s: ${created.error}`);
      }
    }
    for (const n of nodes) {
      const mine = actions.get(n.metadata!.name!);
      if (!mine) continue;
      const allCreated = mine.size > 0 && [...mine.values()].every((a) => a !== 'add');
      this.updateNetworkingCondition(n, allCreated);
    }
  }

  /** updateNetworkingCondition: NetworkUnavailable False (routes created) or True, unless it says so already. */
  private updateNetworkingCondition(node: Node, routesCreated: boolean): void {
    const want = routesCreated ? ROUTE_CREATED : NO_ROUTE_CREATED;
    const cur = node.status?.conditions?.find((c) => c.type === 'NetworkUnavailable');
    if (cur?.status === want.status) return;
    const name = node.metadata!.name!;
    const at = timestamp(this.ctx.kernel.now);
    const condition: NodeCondition = { ...want, lastHeartbeatTime: at, lastTransitionTime: at };
    let base: Node | undefined = node;
    for (let step = 0; step < CONDITION_UPDATE_STEPS && base; step++) {
      // SetNodeCondition's strategic merge patch replaces one condition; a JSON merge patch carries the list, with the
      // resourceVersion it was read at so a write in between is a 409 Conflict (RetryOnConflict) rather than lost.
      const conditions = [...(base.status?.conditions ?? []).filter((c) => c.type !== 'NetworkUnavailable'), condition];
      const r = this.ctx.client.patch('Node', undefined, name, { metadata: { resourceVersion: base.metadata?.resourceVersion }, status: { conditions } }, { subresource: 'status' });
      if (r.ok || r.status.code !== 409) return;
      const fresh = this.ctx.client.get('Node', undefined, name);
      base = fresh.ok ? (fresh.object as Node) : undefined;
    }
  }

  /** isResponsibleForRoute: only routes inside the cluster CIDR are this controller's. */
  private isResponsibleForRoute(r: RouteInfo): boolean {
    const c = parseCidr(r.destinationCIDR);
    return c !== undefined && (contains(this.clusterCIDR, c.network) || contains(this.clusterCIDR, lastAddress(c)));
  }
}

/** startRouteController: off unless --allocate-node-cidrs and --configure-cloud-routes, with a cluster CIDR. */
export const newRouteController = (ctx: CloudControllerContext): Controller | undefined =>
  ctx.options.allocateNodeCIDRs && ctx.options.configureCloudRoutes && parseCidr(ctx.options.clusterCIDR) ? new RouteController(ctx) : undefined;
