import { describe, expect, it } from 'vitest';
import type { Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { reconcile } from './endpointslice-reconciler';
import { newEndpointSlice, podToEndpoint } from './endpointslice-util';

const svc: Service = {
  metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' },
  spec: { selector: { app: 'web' }, clusterIP: '10.96.0.10', ipFamilies: ['IPv4'], ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
};
const node: Node = { metadata: { name: 'n1' } };
const pod = (i: number): Pod => ({
  metadata: { name: `p${String(i).padStart(3, '0')}`, namespace: 'default', uid: `uid-${i}`, labels: { app: 'web' } },
  spec: { nodeName: 'n1', containers: [] },
  status: { phase: 'Running', podIP: `10.0.${i >> 8}.${i & 255}`, podIPs: [{ ip: `10.0.${i >> 8}.${i & 255}` }], conditions: [{ type: 'Ready', status: 'True' }] },
});
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, k) => pod(a + k));
const PORTS = [{ name: 'http', protocol: 'TCP', port: 8080 }];
/** An existing slice named `name` holding these pods' endpoints. */
const slice = (name: string, pods: Pod[]): EndpointSlice => ({
  ...newEndpointSlice(svc, PORTS, 'IPv4'),
  metadata: { ...newEndpointSlice(svc, PORTS, 'IPv4').metadata, name, resourceVersion: '7' },
  endpoints: pods.map((p) => podToEndpoint(p, node, svc, 'IPv4')),
});
const run = (pods: Pod[], existing: EndpointSlice[] = []) => reconcile({ service: svc, pods, existing, node: () => node });

describe('EndpointSlice reconciler', () => {
  it('250 endpoints and no slices: 100 + 100 + 50 in new slices', () => {
    const plan = run(range(0, 250));
    expect(plan.create.map((s) => s.endpoints.length)).toEqual([100, 100, 50]);
    expect(plan.update).toEqual([]);
    expect(plan.delete).toEqual([]);
  });

  it('keeps slices where they are: drops gone endpoints, fills the changed slice first, then the unchanged one it fits best', () => {
    // A holds p0..p99, B p100..p149. Desired: p0..p89 (10 gone from A), p100..p149, and 30 new p150..p179.
    // 1: A changed (90 kept), B unchanged. 2: A is filled back to 100 with 10 new. 3: 20 left < 100: B has room
    // (50 + 20 = 70 <= 100), so B takes them. No slice created or deleted.
    const plan = run([...range(0, 90), ...range(100, 180)], [slice('web-a', range(0, 100)), slice('web-b', range(100, 150))]);
    expect(plan.create).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.update.map((s) => [s.metadata!.name, s.endpoints.length])).toEqual([
      ['web-a', 100],
      ['web-b', 70],
    ]);
  });

  it('a slice left without endpoints becomes the placeholder in place (a create and a delete become one update)', () => {
    const plan = run([], [slice('web-a', range(0, 3))]);
    expect(plan.create).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.update.map((s) => [s.metadata!.name, s.endpoints, s.ports])).toEqual([['web-a', [], []]]);
  });

  it('changes nothing when the slices already say it all', () => {
    const plan = run(range(0, 3), [slice('web-a', range(0, 3))]);
    expect(plan).toEqual({ create: [], update: [], delete: [], errors: [] });
  });

  it('leaves out a pod whose node is unknown and reports it', () => {
    const plan = reconcile({ service: svc, pods: range(0, 2), existing: [], node: (n) => (n === 'n1' ? undefined : node) });
    expect(plan.errors).toEqual(['skipping Pod p000 for Service default/web: Node n1 Not Found', 'skipping Pod p001 for Service default/web: Node n1 Not Found']);
  });
});
