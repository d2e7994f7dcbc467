// The cloud box's list of LoadBalancer Services: their address and the cloud load balancer's backends.
import type { Service } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { cloudSummary, sameSummary } from './cloud-view';

const svc = (name: string, type: string, ip?: string): Service => ({
  metadata: { name, namespace: 'default' },
  spec: { type, ports: [{ port: 80 }] },
  ...(ip ? { status: { loadBalancer: { ingress: [{ ip }] } } } : {}),
});

const cloud = {
  instances: [
    { name: 'node-1', state: 'running' },
    { name: 'node-2', state: 'running' },
    { name: 'node-3', state: 'stopped' },
    { name: 'node-4', state: 'terminated' },
  ],
  loadBalancers: [
    {
      service: 'default/web',
      externalIP: '203.0.113.1',
      backends: [
        { node: 'node-1', health: 'Healthy' },
        { node: 'node-2', health: 'Healthy' },
        { node: 'node-3', health: 'Unhealthy' },
      ],
    },
  ],
};

describe('cloudSummary', () => {
  it("lists LoadBalancer Services only, with the Service's ingress address and the cloud's backends", () => {
    const s = cloudSummary([svc('web', 'LoadBalancer', '203.0.113.1'), svc('api', 'ClusterIP'), svc('admin', 'LoadBalancer')], cloud);
    expect(s.instances).toEqual({ running: 2, stopped: 1, terminated: 1 });
    // Sorted by namespace/name; "admin" has no address yet (kubectl: <pending>) and no cloud load balancer.
    expect(s.services).toEqual([
      { service: 'default/admin', address: null, backends: 0, healthy: 0 },
      { service: 'default/web', address: '203.0.113.1', backends: 3, healthy: 2 },
    ]);
  });

  it('without a cloud every address stays pending and there are no instances', () => {
    expect(cloudSummary([svc('web', 'LoadBalancer')], undefined)).toEqual({ instances: { running: 0, stopped: 0, terminated: 0 }, services: [{ service: 'default/web', address: null, backends: 0, healthy: 0 }] });
  });

  it('equal summaries compare equal; one backend fewer does not', () => {
    const a = cloudSummary([svc('web', 'LoadBalancer', '203.0.113.1')], cloud);
    const b = cloudSummary([svc('web', 'LoadBalancer', '203.0.113.1')], { ...cloud, loadBalancers: [{ ...cloud.loadBalancers[0], backends: cloud.loadBalancers[0].backends.slice(0, 2) }] });
    expect(sameSummary(a, cloudSummary([svc('web', 'LoadBalancer', '203.0.113.1')], cloud))).toBe(true);
    expect(sameSummary(a, b)).toBe(false);
  });
});
