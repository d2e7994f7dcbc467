// The node IPAM controller in whole clusters. Instants: kube-controller-manager
// starts leading at 0 and its node IPAM workers start once the caches have
// synced, at 100 ms; a write reaches a watcher 1 ms later (watchDelay).
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { cloudCluster, eventsFor, getNode, node } from '../cloud/testing';
import type { Cluster } from '../cluster';

const cidrOf = (c: Cluster, name: string) => {
  const n = getNode(c, name);
  return n ? { podCIDR: n.spec?.podCIDR, podCIDRs: n.spec?.podCIDRs } : undefined;
};

const boundPod = (name: string, nodeName: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName, containers: [{ name: 'app', image: 'nginx:1.27' }], tolerations: [{ operator: 'Exists' }] },
});

const podOf = (c: Cluster, name: string): Pod | undefined => {
  const r = c.apiserver.client('test').get('Pod', 'default', name);
  return r.ok ? (r.object as Pod) : undefined;
};

/** kube-controller-manager's patches of a Node's spec. */
const ipamPatches = (c: Cluster, name: string) => c.trace().filter((m) => m.from === 'kube-controller-manager' && m.verb === 'patch' && m.resource === 'nodes' && m.key === name);

describe('node-ipam-controller (RangeAllocator, --cluster-cidr 10.244.0.0/16, --node-cidr-mask-size 24)', () => {
  it('is off without a cloud: no Node gets a pod CIDR, and each runtime keeps its own /24', () => {
    const c = cloudCluster([node('node-1'), node('node-2'), boundPod('p', 'node-2')], { cloud: null });
    c.runUntil(60_000);
    expect(cidrOf(c, 'node-1')).toEqual({ podCIDR: undefined, podCIDRs: undefined });
    expect(ipamPatches(c, 'node-1')).toEqual([]);
    expect(c.nodes.view('node-2')?.podCIDR).toBe('10.244.1.0/24');
    expect(podOf(c, 'p')?.status?.podIP).toBe('10.244.1.2');
  });

  it("gives the starting Nodes 10.244.0.0/24, 10.244.1.0/24, ... at 100 ms, in name order: the /24s their pods' addresses are from", () => {
    const c = cloudCluster([node('node-2'), node('node-1'), node('node-3'), boundPod('p', 'node-2')]);
    c.runUntil(99);
    expect(cidrOf(c, 'node-1')?.podCIDR).toBeUndefined();
    c.runUntil(100);
    // The allocator walks the Nodes as the informer listed them (by name): node-1 index 0, node-2 index 1, node-3 index 2.
    expect(cidrOf(c, 'node-1')).toEqual({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
    expect(cidrOf(c, 'node-2')).toEqual({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    expect(cidrOf(c, 'node-3')).toEqual({ podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] });
    expect(ipamPatches(c, 'node-2').map((m) => m.t)).toEqual([100]);
    // The pod running on node-2 since the start has the first address of node-2's /24.
    expect(podOf(c, 'p')?.status?.podIP).toBe('10.244.1.2');
  });

  it('gives a Node added later the next /24 as soon as its creation reaches the controller (1 ms)', () => {
    const c = cloudCluster([node('node-1'), node('node-2')]);
    c.runUntil(30_000);
    c.act({ action: 'apply', manifests: [node('node-3')] });
    expect(cidrOf(c, 'node-3')?.podCIDR).toBeUndefined();
    c.runUntil(30_001);
    expect(cidrOf(c, 'node-3')).toEqual({ podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] });
    expect(ipamPatches(c, 'node-3').map((m) => m.t)).toEqual([30_001]);
  });

  it("releases a deleted Node's /24: with room for two, a third Node gets the one the deleted Node had", () => {
    // --cluster-cidr 10.244.0.0/23: two /24s, both taken at 100 ms.
    const c = cloudCluster([node('node-1'), node('node-2')], { nodeIpam: { clusterCIDR: '10.244.0.0/23', nodeCIDRMaskSize: 24 } });
    c.runUntil(10_000);
    expect([cidrOf(c, 'node-1')?.podCIDR, cidrOf(c, 'node-2')?.podCIDR]).toEqual(['10.244.0.0/24', '10.244.1.0/24']);
    // node-2's machine is off (a running kubelet would register it again) and the Node deleted.
    c.act({ action: 'powerOff', node: 'node-2' });
    c.act({ action: 'delete', kind: 'Node', name: 'node-2' });
    c.runUntil(11_000);
    c.act({ action: 'apply', manifests: [node('node-3')] });
    c.runUntil(11_001);
    // nextCandidate is index 0 again (2 mod 2); 0 is node-1's, 1 is free since node-2 went.
    expect(cidrOf(c, 'node-3')?.podCIDR).toBe('10.244.1.0/24');
    expect(eventsFor(c, 'Node', 'node-3').some((e) => e.reason === 'CIDRNotAvailable')).toBe(false);
  });

  it('records CIDRNotAvailable when no /24 is left, and the Node stays without one (its kubelet not ready, its pods waiting)', () => {
    // --cluster-cidr 10.244.0.0/24: one /24, node-1's.
    const c = cloudCluster([node('node-1')], { nodeIpam: { clusterCIDR: '10.244.0.0/24', nodeCIDRMaskSize: 24 } });
    c.runUntil(1_000);
    c.act({ action: 'apply', manifests: [node('node-2'), boundPod('p', 'node-2')] });
    c.runUntil(1_001);
    const ev = eventsFor(c, 'Node', 'node-2').find((e) => e.reason === 'CIDRNotAvailable')!;
    expect(ev).toMatchObject({ type: 'Warning', message: 'Node node-2 status is now: CIDRNotAvailable', source: { component: 'cidrAllocator' }, lastTimestamp: '2026-01-01T00:00:01Z' });
    c.runUntil(60_000);
    const n2 = getNode(c, 'node-2') as Node;
    expect(n2.spec?.podCIDR).toBeUndefined();
    // Retried with the queue's backoff (5 ms doubling), each time the same event.
    expect(eventsFor(c, 'Node', 'node-2').find((e) => e.reason === 'CIDRNotAvailable')!.count).toBeGreaterThan(5);
    expect(n2.status?.conditions?.find((x) => x.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'KubeletNotReady',
      message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
    });
    expect(podOf(c, 'p')?.status?.phase).toBe('Pending');
    expect(podOf(c, 'p')?.status?.podIP).toBeUndefined();
    expect(eventsFor(c, 'Pod', 'p').find((e) => e.reason === 'NetworkNotReady')?.message).toBe(
      'network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
    );
  });

  it('after a controller-manager restart marks the CIDRs Nodes have as used, so a new Node never gets one twice', () => {
    const c = cloudCluster([node('node-1'), node('node-2')]);
    c.runUntil(5_000);
    c.act({ action: 'stopComponent', component: 'kube-controller-manager' });
    c.act({ action: 'startComponent', component: 'kube-controller-manager' });
    // The new process waits out the old holder's 15 s Lease, then caches for 100 ms: well before 60 s.
    c.runUntil(60_000);
    c.act({ action: 'apply', manifests: [node('node-3')] });
    c.runUntil(60_001);
    // A fresh allocator starts its search at index 0; 0 and 1 are occupied, so node-3 gets index 2.
    expect(cidrOf(c, 'node-3')?.podCIDR).toBe('10.244.2.0/24');
  });
});
