// The route controller on the simulated cloud. Instants: cloud-controller-manager
// leads from 0; the route controller's passes run once its Node cache has
// synced, at 0.1 s, then every 10 s (--route-reconciliation-period,
// NonSlidingUntil): 0.1 s, 10.1 s, 20.1 s, ... kube-controller-manager's node
// IPAM patches the starting Nodes' pod CIDRs at 0.1 s, which the route
// controller sees 1 ms later: their routes come at the 10.1 s pass.
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../cluster';
import { DEFAULT_CCM_OPTIONS, type CloudControllerContext } from './cloud-controller';
import { CLOUD_CLUSTER_CCM_OPTIONS } from './cluster-cloud';
import { newRouteController } from './route-controller';
import { cloudCalls, cloudCluster, eventsFor, getNode, node, taintsOf } from './testing';

const routes = (c: Cluster) => c.cloud!.view().routes.map((r) => `${r.destinationCIDR} -> ${r.targetInstance}`);
const networkUnavailable = (c: Cluster, name: string) => {
  const x = getNode(c, name)?.status?.conditions?.find((k) => k.type === 'NetworkUnavailable');
  return x ? { status: x.status, reason: x.reason, message: x.message, lastTransitionTime: x.lastTransitionTime } : undefined;
};

describe('route controller (cloud-controller-manager, --route-reconciliation-period 10s)', () => {
  it("routes each starting Node's /24 to its instance at the 10.1 s pass and sets NetworkUnavailable=False (RouteCreated)", () => {
    const c = cloudCluster([node('node-1'), node('node-2', 'us-east-1b')]);
    c.runUntil(10_099);
    expect(routes(c)).toEqual([]);
    expect(networkUnavailable(c, 'node-1')).toBeUndefined();
    c.runUntil(10_100);
    expect(routes(c)).toEqual(['10.244.0.0/24 -> node-1', '10.244.1.0/24 -> node-2']);
    // Compute Engine's naming: the cluster name and the Node's uid.
    expect(c.cloud!.view().routes[0].name).toBe(`kubernetes-${getNode(c, 'node-1')!.metadata!.uid}`);
    expect(networkUnavailable(c, 'node-2')).toEqual({ status: 'False', reason: 'RouteCreated', message: 'RouteController created a route', lastTransitionTime: '2026-01-01T00:00:10Z' });
    // One ListRoutes per pass: 0.1 s, 10.1 s, 20.1 s; the routes are made once.
    c.runUntil(20_100);
    expect(cloudCalls(c, 'ListRoutes').map((x) => x.t)).toEqual([100, 10_100, 20_100]);
    expect(cloudCalls(c, 'CreateRoute').map((x) => `${x.t} ${x.ok}`)).toEqual(['10100 true', '10100 true']);
    // The condition is written once: a Node that says so already is left alone.
    expect(c.trace().filter((m) => m.from === 'cloud-controller-manager' && m.verb === 'patch status').length).toBe(2);
  });

  it('routes a Node added at 45 s at the next pass, 50.1 s', () => {
    const c = cloudCluster([node('node-1')]);
    c.runUntil(45_000);
    c.act({ action: 'apply', manifests: [node('node-2')] });
    // Its /24 at 45.001 s (the node IPAM sees the Node 1 ms after its creation); the 50.1 s pass routes it.
    c.runUntil(50_099);
    expect(getNode(c, 'node-2')?.spec?.podCIDR).toBe('10.244.1.0/24');
    expect(routes(c)).toEqual(['10.244.0.0/24 -> node-1']);
    c.runUntil(50_100);
    expect(routes(c)).toEqual(['10.244.0.0/24 -> node-1', '10.244.1.0/24 -> node-2']);
    expect(networkUnavailable(c, 'node-2')?.status).toBe('False');
  });

  it("deletes a deleted Node's route at the next pass", () => {
    const c = cloudCluster([node('node-1'), node('node-2')]);
    c.runUntil(11_000);
    const uid = getNode(c, 'node-2')!.metadata!.uid!;
    // Powered off first: a running kubelet would register its Node again.
    c.act({ action: 'powerOff', node: 'node-2' });
    c.act({ action: 'delete', kind: 'Node', name: 'node-2' });
    c.runUntil(20_099);
    expect(routes(c)).toEqual(['10.244.0.0/24 -> node-1', '10.244.1.0/24 -> node-2']);
    c.runUntil(20_100);
    expect(routes(c)).toEqual(['10.244.0.0/24 -> node-1']);
    expect(cloudCalls(c, 'DeleteRoute')).toEqual([{ t: 20_100, verb: 'DeleteRoute', key: `kubernetes-${uid}`, ok: true }]);
    expect(networkUnavailable(c, 'node-1')?.status).toBe('False');
  });

  it('deletes the route of a terminated instance (a blackhole) and, while its Node lives on, fails to create one: FailedToCreateRoute, NetworkUnavailable=True', () => {
    const c = cloudCluster([node('node-1'), node('node-2')]);
    c.runUntil(15_000);
    c.act({ action: 'deleteMachine', node: 'node-2' });
    const uid = getNode(c, 'node-2')!.metadata!.uid!;
    c.runUntil(20_100);
    expect(routes(c)).toEqual(['10.244.0.0/24 -> node-1']);
    expect(cloudCalls(c, 'CreateRoute').filter((x) => x.t === 20_100)).toEqual([{ t: 20_100, verb: 'CreateRoute', key: `kubernetes-${uid}`, ok: false }]);
    const ev = eventsFor(c, 'Node', 'node-2').find((e) => e.reason === 'FailedToCreateRoute')!;
    expect(ev).toMatchObject({
      type: 'Warning',
      message: `Could not create route ${uid} 10.244.1.0/24 for node node-2 after 0s: instance not found`,
      source: { component: 'route_controller' },
      // Upstream's reference to the Node gives its name as its uid.
      involvedObject: { kind: 'Node', name: 'node-2', uid: 'node-2' },
    });
    expect(networkUnavailable(c, 'node-2')).toEqual({ status: 'True', reason: 'NoRouteCreated', message: 'RouteController failed to create a route', lastTransitionTime: '2026-01-01T00:00:20Z' });
    // The node lifecycle controller mirrors the condition as a NoSchedule taint once it sees it (1 ms).
    c.runUntil(20_101);
    expect(taintsOf(getNode(c, 'node-2'))).toContain('node.kubernetes.io/network-unavailable:NoSchedule');
    expect(networkUnavailable(c, 'node-1')?.status).toBe('False');
  });

  it('leaves routes outside --cluster-cidr alone and removes a cluster route no Node has', () => {
    const c = cloudCluster([node('node-1')]);
    c.runUntil(11_000);
    c.cloud!.routes.create('kubernetes', 'vpn', 'node-1', '192.168.0.0/24', c.now);
    c.cloud!.routes.create('kubernetes', 'stale', 'node-1', '10.244.9.0/24', c.now);
    c.runUntil(20_100);
    expect(routes(c)).toEqual(['10.244.0.0/24 -> node-1', '192.168.0.0/24 -> node-1']);
  });

  it('starts only with --allocate-node-cidrs, --configure-cloud-routes and a --cluster-cidr, as upstream', () => {
    const ctx = (options: Partial<typeof DEFAULT_CCM_OPTIONS>) => ({ options: { ...DEFAULT_CCM_OPTIONS, ...options } }) as unknown as CloudControllerContext;
    // Upstream's defaults: --allocate-node-cidrs=false.
    expect(newRouteController(ctx({}))).toBeUndefined();
    expect(newRouteController(ctx({ ...CLOUD_CLUSTER_CCM_OPTIONS, configureCloudRoutes: false }))).toBeUndefined();
    expect(newRouteController(ctx({ ...CLOUD_CLUSTER_CCM_OPTIONS, clusterCIDR: '' }))).toBeUndefined();
    expect(CLOUD_CLUSTER_CCM_OPTIONS).toMatchObject({ allocateNodeCIDRs: true, configureCloudRoutes: true, clusterCIDR: '10.244.0.0/16', routeReconciliationPeriod: 10_000 });
  });
});
