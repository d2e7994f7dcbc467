import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../sim/api/types';
import { createCluster } from '../../sim/cluster';
import { DEFAULT_CLOUD, emptyScenario } from '../../sim/model';
import { kubectl, node } from '../test-cluster';

const lb = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { type: 'LoadBalancer', clusterIP: '10.96.0.80', selector: { app: name }, ports: [{ port: 80, targetPort: 80, nodePort: 30080 }], ...extra },
});

const row = (out: string, name: string) => out.split('\n').find((l) => l.startsWith(`${name} `))?.split(/\s{2,}/);

describe("kubectl get services: printService's EXTERNAL-IP (getServiceExternalIP)", () => {
  it('is <pending> for a LoadBalancer Service on a cluster without a cloud: nothing gives it an address', () => {
    const c = createCluster({ ...emptyScenario(), objects: [node('n1'), lb('web')] });
    c.runUntil(60_000);
    expect(row(kubectl(c, 'get svc').output, 'web')).toEqual(['web', 'LoadBalancer', '10.96.0.80', '<pending>', '80:30080/TCP', '60s']);
  });

  it("is the load balancer's address once cloud-controller-manager wrote status.loadBalancer.ingress, then spec.externalIPs", () => {
    const c = createCluster({ ...emptyScenario(), cloud: { ...DEFAULT_CLOUD }, objects: [node('n1'), lb('web'), lb('both', { clusterIP: '10.96.0.81', externalIPs: ['198.51.100.9'] })] });
    c.runUntil(60_000);
    const out = kubectl(c, 'get svc').output;
    // The service controller takes them in key order: default/both gets 203.0.113.1, default/web .2.
    expect(row(out, 'web')).toEqual(['web', 'LoadBalancer', '10.96.0.80', '203.0.113.2', '80:30080/TCP', '60s']);
    expect(row(out, 'both')?.[3]).toBe('203.0.113.1,198.51.100.9');
  });
});
