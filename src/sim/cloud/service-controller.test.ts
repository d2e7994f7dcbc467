import { describe, expect, it } from 'vitest';
import type { Cluster } from '../cluster';
import { defaultLoadBalancerName } from './cloud-api';
import { cloudCalls, cloudCluster, eventsFor, getService, lbService, node, reasons } from './testing';

const FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';
const nodes = () => [node('node-1'), node('node-2', 'us-east-1b'), node('node-3', 'us-east-1c')];
const lbOf = (c: Cluster, svc: string) => c.cloud!.view().loadBalancers.find((lb) => lb.service === `default/${svc}`);
const backends = (c: Cluster, svc: string) => lbOf(c, svc)?.backends.map((b) => b.node);
const ingressIP = (c: Cluster, svc: string) => getService(c, svc)?.status?.loadBalancer?.ingress?.[0]?.ip;

describe('service-controller: a LoadBalancer Service', () => {
  it('gets a cloud load balancer, the cleanup finalizer and its external address once the caches synced (100 ms)', () => {
    const c = cloudCluster([...nodes(), lbService('web')]);
    c.runUntil(99);
    expect(getService(c, 'web')?.status?.loadBalancer).toEqual({});
    c.runUntil(100);
    const svc = getService(c, 'web')!;
    expect(svc.metadata?.finalizers).toEqual([FINALIZER]);
    // The first address of 203.0.113.0/24; ipMode VIP as the apiserver defaults it.
    expect(svc.status?.loadBalancer?.ingress).toEqual([{ ip: '203.0.113.1', ipMode: 'VIP' }]);
    expect(reasons(eventsFor(c, 'Service', 'web')).slice(0, 2)).toEqual(['EnsuringLoadBalancer', 'EnsuredLoadBalancer']);
    expect(eventsFor(c, 'Service', 'web')[0]).toMatchObject({ type: 'Normal', message: 'Ensuring load balancer', source: { component: 'service-controller' } });
    const lb = lbOf(c, 'web')!;
    expect(lb.name).toBe(defaultLoadBalancerName(svc));
    expect(lb.listeners).toEqual([{ port: 80, protocol: 'TCP', nodePort: svc.spec!.ports![0].nodePort }]);
    expect(backends(c, 'web')).toEqual(['node-1', 'node-2', 'node-3']);
  });

  it('takes the next free address for the next Service, and the one spec.loadBalancerIP asks for', () => {
    const c = cloudCluster([...nodes(), lbService('web')]);
    c.runUntil(1_000);
    c.act({ action: 'apply', manifests: [lbService('api'), lbService('fixed', { loadBalancerIP: '203.0.113.200' })] });
    c.runUntil(1_001);
    expect([ingressIP(c, 'web'), ingressIP(c, 'api'), ingressIP(c, 'fixed')]).toEqual(['203.0.113.1', '203.0.113.2', '203.0.113.200']);
  });

  it('reports SyncLoadBalancerFailed when the range is used up, retries after 5 s, 10 s, 20 s, and succeeds once an address is free', () => {
    // A /30 holds two addresses.
    const c = cloudCluster([...nodes(), lbService('a'), lbService('b'), lbService('c')], { cloud: { loadBalancerRange: '203.0.113.0/30' } });
    c.runUntil(100);
    expect(ingressIP(c, 'c')).toBeUndefined();
    const failed = eventsFor(c, 'Service', 'c').find((e) => e.reason === 'SyncLoadBalancerFailed')!;
    expect(failed).toMatchObject({ type: 'Warning', message: 'Error syncing load balancer: failed to ensure load balancer: no free address left in the load balancer range 203.0.113.0/30' });
    // The finalizer went on before the attempt, as upstream adds it first.
    expect(getService(c, 'c')?.metadata?.finalizers).toEqual([FINALIZER]);
    c.runUntil(35_100);
    const key = defaultLoadBalancerName(getService(c, 'c')!);
    // 100 ms, then 5 s, 10 s and 20 s later: 5.1 s, 15.1 s, 35.1 s.
    expect(cloudCalls(c, 'EnsureLoadBalancer').filter((m) => m.key === key).map((m) => [m.t, m.ok])).toEqual([
      [100, false],
      [5_100, false],
      [15_100, false],
      [35_100, false],
    ]);
    c.act({ action: 'delete', kind: 'Service', name: 'a' });
    // The next retry is 40 s after the last: at 75.1 s it finds 203.0.113.1 free.
    c.runUntil(75_099);
    expect(ingressIP(c, 'c')).toBeUndefined();
    c.runUntil(75_100);
    expect(ingressIP(c, 'c')).toBe('203.0.113.1');
  });

  it('loses its load balancer when it stops being of type LoadBalancer: finalizer removed, address cleared', () => {
    const c = cloudCluster([...nodes(), lbService('web')]);
    c.runUntil(1_000);
    // Without the nodePort and externalTrafficPolicy (this apiserver does not drop type-dependent fields itself).
    const r = c.apiserver.client('kubectl').patch('Service', 'default', 'web', { spec: { type: 'ClusterIP', externalTrafficPolicy: null, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] } });
    expect(r.ok).toBe(true);
    c.runUntil(1_001);
    const after = getService(c, 'web')!;
    expect(after.metadata?.finalizers).toBeUndefined();
    expect(after.status?.loadBalancer?.ingress).toBeUndefined();
    expect(lbOf(c, 'web')).toBeUndefined();
    expect(reasons(eventsFor(c, 'Service', 'web')).slice(-2)).toEqual(['DeletingLoadBalancer', 'DeletedLoadBalancer']);
  });

  it('is held by its finalizer when deleted until the load balancer is gone, then disappears', () => {
    const c = cloudCluster([...nodes(), lbService('web')]);
    c.runUntil(1_000);
    c.act({ action: 'delete', kind: 'Service', name: 'web' });
    // Marked for deletion, still there: the finalizer holds it.
    expect(getService(c, 'web')?.metadata?.deletionTimestamp).toBeDefined();
    c.runUntil(1_001);
    expect(getService(c, 'web')).toBeUndefined();
    expect(c.cloud!.view().loadBalancers).toEqual([]);
    expect(cloudCalls(c, 'EnsureLoadBalancerDeleted')).toHaveLength(1);
  });

  it('keeps a NotReady node as a backend (the health check stops sending to it) and drops a deleted one', () => {
    const c = cloudCluster([...nodes(), lbService('web')]);
    c.runUntil(1_000);
    c.act({ action: 'powerOff', node: 'node-1' });
    c.runUntil(120_000);
    // node-1 is Ready=Unknown by now; StableLoadBalancerNodeSet keeps it, the cloud marks it Unhealthy.
    expect(backends(c, 'web')).toEqual(['node-1', 'node-2', 'node-3']);
    expect(lbOf(c, 'web')!.backends[0].health).toBe('Unhealthy');
    const updates = cloudCalls(c, 'UpdateLoadBalancer').length;
    c.act({ action: 'delete', kind: 'Node', name: 'node-1' });
    c.runUntil(120_001);
    expect(backends(c, 'web')).toEqual(['node-2', 'node-3']);
    expect(cloudCalls(c, 'UpdateLoadBalancer')).toHaveLength(updates + 1);
    const updated = eventsFor(c, 'Service', 'web').find((e) => e.reason === 'UpdatedLoadBalancer')!;
    expect(updated).toMatchObject({ type: 'Normal', message: 'Updated load balancer with new hosts' });
  });

  it('drops a node labelled node.kubernetes.io/exclude-from-external-load-balancers', () => {
    const c = cloudCluster([...nodes(), lbService('web')]);
    c.runUntil(1_000);
    c.apiserver.client('kubectl').patch('Node', undefined, 'node-2', { metadata: { labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': 'true' } } });
    c.runUntil(1_001);
    expect(backends(c, 'web')).toEqual(['node-1', 'node-3']);
  });

  it('warns UnAvailableLoadBalancer when no node is left', () => {
    const c = cloudCluster([node('node-1'), lbService('web')]);
    c.runUntil(1_000);
    c.act({ action: 'delete', kind: 'Node', name: 'node-1' });
    c.runUntil(1_001);
    expect(backends(c, 'web')).toEqual([]);
    expect(eventsFor(c, 'Service', 'web').find((e) => e.reason === 'UnAvailableLoadBalancer')).toMatchObject({ type: 'Warning', message: 'There are no available nodes for LoadBalancer' });
  });

  it('is left to another implementation when it names a loadBalancerClass, and stays pending without a cloud', () => {
    const c = cloudCluster([...nodes(), lbService('other', { loadBalancerClass: 'example.com/lb' })]);
    c.runUntil(1_000);
    expect(getService(c, 'other')?.metadata?.finalizers).toBeUndefined();
    expect(c.cloud!.view().loadBalancers).toEqual([]);
    const bare = cloudCluster([...nodes(), lbService('web')], { cloud: null });
    bare.runUntil(1_000);
    expect(getService(bare, 'web')?.metadata?.finalizers).toBeUndefined();
    expect(getService(bare, 'web')?.status?.loadBalancer).toEqual({});
  });
});
