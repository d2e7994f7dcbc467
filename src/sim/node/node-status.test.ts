import { describe, expect, it } from 'vitest';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Node } from '../api/types';
import { cluster, node, pod } from './testing';

const getNode = (c: ReturnType<typeof cluster>, name: string) => {
  const r = c.apiserver.client('t').get('Node', undefined, name);
  return r.ok ? (r.object as Node) : undefined;
};

describe('kubelet: Lease and Node status', () => {
  it('creates its Lease in kube-node-lease, owned by its Node, and renews it every 10 s (+ up to 4 % jitter)', () => {
    const c = cluster([node('node-1')]);
    const api = c.apiserver.client('t');
    const renewals: string[] = [];
    api.watch('Lease', { namespace: 'kube-node-lease' }, (ev) => renewals.push((ev.object as Lease).spec!.renewTime!));
    c.runUntil(1);
    const lease = api.get('Lease', 'kube-node-lease', 'node-1');
    expect(lease.ok && lease.object).toMatchObject({
      metadata: { name: 'node-1', namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: getNode(c, 'node-1')!.metadata!.uid }] },
      spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' },
    });
    c.runUntil(120_000);
    const ms = renewals.map((t) => Date.parse(t) - Date.parse('2026-01-01T00:00:00Z'));
    // One renewal per 10 .. 10.4 s: 11 or 12 of them in two minutes after the first.
    expect(ms.length).toBeGreaterThanOrEqual(12);
    for (let i = 1; i < ms.length; i++) {
      expect(ms[i] - ms[i - 1]).toBeGreaterThanOrEqual(10_000);
      expect(ms[i] - ms[i - 1]).toBeLessThanOrEqual(10_400);
    }
  });

  it('posts Node status only on a change or every 5 minutes: the Lease is the heartbeat', () => {
    const c = cluster([node('node-1')]);
    const heartbeat = () => getNode(c, 'node-1')!.status!.conditions!.find((x) => x.type === 'Ready')!.lastHeartbeatTime;
    c.runUntil(1);
    // The first report at t=0 (its images and boot id were new); nothing changes after that.
    expect(heartbeat()).toBe('2026-01-01T00:00:00Z');
    expect(getNode(c, 'node-1')!.status!.nodeInfo!.bootID).toMatch(/^[0-9a-f-]{36}$/);
    c.runUntil(290_000);
    expect(heartbeat()).toBe('2026-01-01T00:00:00Z');
    // The status loop runs every 10 s: the first run 5 minutes after the last report is at 300 s.
    c.runUntil(300_000);
    expect(heartbeat()).toBe('2026-01-01T00:05:00Z');
  });

  it('reports a pulled image at the next status sync, largest first', () => {
    const c = cluster([node('node-1'), pod('r', { node: 'node-1', image: 'redis:7' })]);
    c.runUntil(2000);
    c.act({ action: 'apply', manifests: [pod('n', { node: 'node-1', image: 'nginx:1.27' })] });
    // Pulled by 2.001 + 0.5 + 3.8 = 6.301 s; the status loop (every 10 s from t=0) reports it at 10 s.
    c.runUntil(9999);
    expect(getNode(c, 'node-1')!.status!.images!.map((i) => i.names![1])).toEqual(['docker.io/library/redis:7', 'registry.k8s.io/pause:3.10']);
    c.runUntil(10_000);
    const images = getNode(c, 'node-1')!.status!.images!;
    expect(images.map((i) => i.names![1])).toEqual(['docker.io/library/nginx:1.27', 'docker.io/library/redis:7', 'registry.k8s.io/pause:3.10']);
    expect(images[0].names![0]).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  });

  it('a Node deleted while its kubelet runs is registered again at the next status sync', () => {
    const c = cluster([node('node-1', { cpu: '8', memory: '32Gi', pods: '110' })]);
    c.runUntil(15_000);
    const uid = getNode(c, 'node-1')!.metadata!.uid;
    c.act({ action: 'delete', kind: 'Node', name: 'node-1' });
    expect(getNode(c, 'node-1')).toBeUndefined();
    // The status loop runs at 20 s: it finds no Node and creates it, with the machine's capacity.
    c.runUntil(20_000);
    const again = getNode(c, 'node-1')!;
    expect(again.metadata!.uid).not.toBe(uid);
    expect(again.status?.capacity).toMatchObject({ cpu: '8', memory: '32Gi' });
    // Powered off first, the machine stays gone.
    c.act({ action: 'powerOff', node: 'node-1' });
    c.act({ action: 'delete', kind: 'Node', name: 'node-1' });
    c.runUntil(60_000);
    expect(getNode(c, 'node-1')).toBeUndefined();
  });

  it('a Node applied later is registered by its kubelet: capacity, conditions, addresses', () => {
    const c = cluster([node('node-1')]);
    c.runUntil(1000);
    c.act({ action: 'apply', manifests: [node('late')] });
    c.runUntil(1001);
    const n = getNode(c, 'late')!;
    expect(n.status?.capacity).toMatchObject({ cpu: '4', memory: '16Gi', pods: '110' });
    expect(n.status?.conditions?.find((x) => x.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    expect(n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address).toBe('10.0.1.2');
    expect(c.nodes.view('late')?.podCIDR).toBe('10.244.1.0/24');
  });
});
