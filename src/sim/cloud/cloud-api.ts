// The cloud provider interface as the cloud-controller-manager calls it:
// k8s.io/cloud-provider cloud.go's InstancesV2 (InstanceExists,
// InstanceShutdown, InstanceMetadata), LoadBalancer (GetLoadBalancer,
// GetLoadBalancerName, EnsureLoadBalancer, UpdateLoadBalancer,
// EnsureLoadBalancerDeleted) and Routes (ListRoutes, CreateRoute,
// DeleteRoute), answered by the simulated cloud. Every call is
// a wire message from the caller to "cloud" in the trace, so the canvas can
// draw it like an apiserver request.
import type { Node, Service } from 'kubernetes-types/core/v1';
import type { Kernel } from '../kernel/kernel';
import type { Cloud } from './cloud';
import { PROVIDER_NAME, type Instance, type InstanceMetadata } from './instances';
import type { BackendSpec, LoadBalancer } from './load-balancers';
import { routePrefix, type RouteInfo } from './routes';

export const CLOUD = 'cloud';

/** cloudprovider.InstanceNotFound. */
export const INSTANCE_NOT_FOUND = 'instance not found';

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ipMode?: string;
}

export interface LoadBalancerStatus {
  ingress?: LoadBalancerIngress[];
}

export type CloudResult<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): CloudResult<T> => ({ ok: true, value });
const fail = <T>(error: string): CloudResult<T> => ({ ok: false, error });

/**
 * cloudprovider.DefaultLoadBalancerName: "a" + the uid without dashes (GCE
 * wants a leading letter), cut to 32 characters (AWS's limit).
 */
export function defaultLoadBalancerName(svc: Service): string {
  return `a${svc.metadata?.uid ?? ''}`.replace(/-/g, '').slice(0, 32);
}

export class CloudApi {
  constructor(
    private readonly kernel: Kernel,
    private readonly cloud: Cloud,
    /** Who calls, as the trace names it. */
    private readonly from: string,
  ) {}

  providerName(): string {
    return PROVIDER_NAME;
  }

  // ---- InstancesV2 ---------------------------------------------------------

  /** True while the node's instance exists, stopped or not; false once it is terminated. */
  instanceExists(node: Node): CloudResult<boolean> {
    return this.call('InstanceExists', 'instances', nodeName(node), () => ok(this.instance(node) !== undefined));
  }

  instanceShutdown(node: Node): CloudResult<boolean> {
    return this.call('InstanceShutdown', 'instances', nodeName(node), () => {
      const inst = this.instance(node);
      return inst ? ok(inst.state === 'stopped') : fail(INSTANCE_NOT_FOUND);
    });
  }

  instanceMetadata(node: Node): CloudResult<InstanceMetadata> {
    return this.call('InstanceMetadata', 'instances', nodeName(node), () => {
      const inst = this.instance(node);
      if (!inst) return fail(INSTANCE_NOT_FOUND);
      return ok({
        providerID: inst.providerID,
        instanceType: inst.instanceType,
        nodeAddresses: [
          { type: 'InternalIP', address: inst.privateIP },
          { type: 'Hostname', address: inst.name },
        ],
        zone: inst.zone,
        region: inst.region,
      });
    });
  }

  // ---- LoadBalancer --------------------------------------------------------

  getLoadBalancerName(svc: Service): string {
    return defaultLoadBalancerName(svc);
  }

  getLoadBalancer(svc: Service): CloudResult<{ status: LoadBalancerStatus; exists: boolean }> {
    const name = this.getLoadBalancerName(svc);
    return this.call('GetLoadBalancer', 'loadbalancers', name, () => {
      const lb = this.cloud.loadBalancers.get(name);
      return ok(lb ? { status: statusOf(lb), exists: true } : { status: {}, exists: false });
    });
  }

  ensureLoadBalancer(svc: Service, nodes: readonly Node[]): CloudResult<LoadBalancerStatus> {
    const name = this.getLoadBalancerName(svc);
    return this.call('EnsureLoadBalancer', 'loadbalancers', name, () => {
      const listeners = (svc.spec?.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP', nodePort: p.nodePort ?? 0 }));
      const r = this.cloud.loadBalancers.ensure(name, serviceKey(svc), listeners, svc.spec?.loadBalancerIP ?? '', backends(nodes));
      return r.ok ? ok(statusOf(r.value)) : fail(r.error);
    });
  }

  updateLoadBalancer(svc: Service, nodes: readonly Node[]): CloudResult<void> {
    const name = this.getLoadBalancerName(svc);
    return this.call('UpdateLoadBalancer', 'loadbalancers', name, () => {
      const r = this.cloud.loadBalancers.update(name, backends(nodes));
      return r.ok ? ok(undefined) : fail(r.error);
    });
  }

  ensureLoadBalancerDeleted(svc: Service): CloudResult<void> {
    const name = this.getLoadBalancerName(svc);
    return this.call('EnsureLoadBalancerDeleted', 'loadbalancers', name, () => {
      this.cloud.loadBalancers.delete(name);
      return ok(undefined);
    });
  }

  // ---- Routes --------------------------------------------------------------

  listRoutes(clusterName: string): CloudResult<RouteInfo[]> {
    return this.call('ListRoutes', 'routes', clusterName, () => ok(this.cloud.routes.listFor(clusterName)));
  }

  /** A route for `destinationCIDR` to the node's instance, named from the hint (the Node's uid). */
  createRoute(clusterName: string, nameHint: string, route: { targetNode: string; destinationCIDR: string }): CloudResult<void> {
    return this.call('CreateRoute', 'routes', `${routePrefix(clusterName)}${nameHint}`, () => {
      const r = this.cloud.routes.create(clusterName, nameHint, route.targetNode, route.destinationCIDR, this.kernel.now);
      return r.ok ? ok(undefined) : fail(r.error);
    });
  }

  deleteRoute(route: RouteInfo): CloudResult<void> {
    return this.call('DeleteRoute', 'routes', route.name, () => {
      const r = this.cloud.routes.delete(route.name);
      return r.ok ? ok(undefined) : fail(r.error);
    });
  }

  private instance(node: Node): Instance | undefined {
    return this.cloud.instances.forNode(node);
  }

  /** One request to the cloud, traced with its outcome. */
  private call<T>(verb: string, resource: string, key: string, run: () => CloudResult<T>): CloudResult<T> {
    const r = run();
    this.kernel.trace.record(r.ok ? { from: this.from, to: CLOUD, verb, resource, key, ok: true } : { from: this.from, to: CLOUD, verb, resource, key, ok: false, error: r.error });
    return r;
  }
}

/** The load balancer's status as the Service carries it; ipMode VIP is what the apiserver defaults it to (LoadBalancerIPMode, on since v1.30). */
function statusOf(lb: LoadBalancer): LoadBalancerStatus {
  return { ingress: [{ ip: lb.externalIP, ipMode: 'VIP' }] };
}

function backends(nodes: readonly Node[]): BackendSpec[] {
  return nodes.map((n) => ({ node: n.metadata!.name!, providerID: n.spec?.providerID ?? '' }));
}

const nodeName = (n: Node) => n.metadata?.name ?? '';
const serviceKey = (s: Service) => `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name ?? ''}`;
