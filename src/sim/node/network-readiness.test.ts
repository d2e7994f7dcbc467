// A machine joining a cloud cluster has no pod network until its Node's
// spec.podCIDR (from kube-controller-manager's node IPAM) reaches its
// runtime: the kubelet reports Ready=False and pods wait, as upstream's
// "network not ready". Instants: the Node is created at 30 s and the kubelet
// starts in the same instant (posting its status at once); the node IPAM
// patches the pod CIDR at 30.001 s; the kubelet's fast status loop reads
// its Node 100 ms after it started and posts Ready=True.
import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { cloudCluster, eventsFor, getNode, node } from '../cloud/testing';
import type { Cluster } from '../cluster';
import { NETWORK_NOT_READY } from './container-runtime';
import { PodNetwork } from './pod-network';

const pod = (name: string, nodeName: string, hostNetwork = false): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName, hostNetwork, containers: [{ name: 'app', image: 'nginx:1.27' }] },
});

const podOf = (c: Cluster, name: string) => {
  const r = c.apiserver.client('test').get('Pod', 'default', name);
  return r.ok ? (r.object as Pod) : undefined;
};
const ready = (c: Cluster, name: string) => getNode(c, name)?.status?.conditions?.find((x) => x.type === 'Ready');

describe('the pod network of a machine joining a cloud cluster', () => {
  it('is not ready until the Node has its pod CIDR: Ready=False (KubeletNotReady), then Ready=True 100 ms after the kubelet started', () => {
    const c = cloudCluster([node('node-1')]);
    c.runUntil(30_000);
    c.act({ action: 'apply', manifests: [node('node-2')] });
    c.runUntil(30_000);
    expect(ready(c, 'node-2')).toMatchObject({ status: 'False', reason: 'KubeletNotReady', message: `container runtime network not ready: ${NETWORK_NOT_READY}` });
    expect(c.nodes.view('node-2')?.podCIDR).toBe('');
    c.runUntil(30_099);
    expect(getNode(c, 'node-2')?.spec?.podCIDR).toBe('10.244.1.0/24');
    expect(ready(c, 'node-2')?.status).toBe('False');
    c.runUntil(30_100);
    expect(ready(c, 'node-2')).toMatchObject({ status: 'True', reason: 'KubeletReady', lastTransitionTime: '2026-01-01T00:00:30Z' });
    expect(c.nodes.view('node-2')?.podCIDR).toBe('10.244.1.0/24');
    expect(eventsFor(c, 'Node', 'node-2').find((e) => e.reason === 'NodeReady')?.message).toBe('Node node-2 status is now: NodeReady');
    // The fast loop stops once the node is ready: one GET of the Node from it.
    c.runUntil(35_000);
    expect(c.trace().filter((m) => m.from === 'kubelet/node-2' && m.verb === 'get' && m.resource === 'nodes' && m.t > 30_000).map((m) => m.t)).toEqual([30_100]);
  });

  it('makes a pod wait with NetworkNotReady; the pod worker tries again 10 s later and the sandbox gets an address of the /24', () => {
    const c = cloudCluster([node('node-1')]);
    c.runUntil(30_000);
    c.act({ action: 'apply', manifests: [node('node-2'), pod('web', 'node-2'), pod('agent', 'node-2', true)] });
    c.runUntil(30_000);
    const ev = eventsFor(c, 'Pod', 'web').find((e) => e.reason === 'NetworkNotReady')!;
    expect(ev).toMatchObject({ type: 'Warning', message: `network is not ready: container runtime network not ready: ${NETWORK_NOT_READY}`, source: { component: 'kubelet', host: 'node-2' } });
    // A host-network pod needs no pod network: it goes ahead.
    expect(eventsFor(c, 'Pod', 'agent').some((e) => e.reason === 'NetworkNotReady')).toBe(false);
    // The retry: 30 s + 10 s (the pod worker's error backoff); the sandbox takes 500 ms.
    c.runUntil(40_499);
    expect(podOf(c, 'web')?.status?.podIP).toBeUndefined();
    c.runUntil(40_500);
    expect(podOf(c, 'web')?.status?.podIP).toBe('10.244.1.2');
    expect(eventsFor(c, 'Pod', 'web').find((e) => e.reason === 'NetworkNotReady')?.count).toBe(1);
  });

  it('is ready at once without a cloud: the machine takes its own /24 and the kubelet does not poll its Node', () => {
    const c = cloudCluster([node('node-1')], { cloud: null });
    c.runUntil(30_000);
    c.act({ action: 'apply', manifests: [node('node-2')] });
    c.runUntil(30_000);
    expect(ready(c, 'node-2')?.status).toBe('True');
    expect(c.nodes.view('node-2')?.podCIDR).toBe('10.244.1.0/24');
    expect(getNode(c, 'node-2')?.spec?.podCIDR).toBeUndefined();
    c.runUntil(35_000);
    expect(c.trace().some((m) => m.from === 'kubelet/node-2' && m.verb === 'get' && m.resource === 'nodes' && m.t === 30_100)).toBe(false);
  });
});

describe('PodNetwork without a CIDR, then configured', () => {
  it('gives no address until configured; a new CIDR starts again from .2 and old addresses are not released into it', () => {
    const n = new PodNetwork();
    expect([n.configured, n.allocate()]).toEqual([false, undefined]);
    expect(n.configure('10.244.4.0/24')).toBe(true);
    expect(n.configure('10.244.4.0/24')).toBe(false);
    expect([n.allocate(), n.allocate()]).toEqual(['10.244.4.2', '10.244.4.3']);
    n.configure('10.244.7.0/24');
    n.release('10.244.4.2');
    expect([n.allocate(), n.used]).toEqual(['10.244.7.2', 1]);
  });
});
