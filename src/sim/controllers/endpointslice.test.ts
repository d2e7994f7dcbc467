import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject, Pod } from '../api/types';
import { Informer } from '../client/informer';
import type { Cluster } from '../cluster';
import { timestamp } from '../kernel/time';
import { quietCluster } from './controller-utils-testing';

const node = (name: string, zone?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} },
  status: { capacity: { cpu: '64', memory: '256Gi', pods: '250' } },
});

const pod = (name: string, nodeName: string, extra: { port?: number; labels?: Record<string, string> } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: extra.labels ?? { app: 'web' } },
  spec: { nodeName, containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: extra.port ?? 8080 }] }] },
});

const service = (spec: Record<string, unknown> = {}, labels: Record<string, string> = { team: 'shop' }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', labels },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec },
});

/**
 * The kubelet is not ours: this one gives every bound pod an IP a second
 * after it appears and marks it Running, Ready unless `unready` names it.
 * Pods in `noIP` never start.
 */
function fakeKubelet(cluster: Cluster, opts: { unready?: string[]; noIP?: string[] } = {}) {
  const client = cluster.apiserver.client('fake-kubelet');
  const seen = new Set<string>();
  let n = 0;
  const handle = (o: KubeObject) => {
    const p = o as Pod;
    const m = p.metadata!;
    if (!p.spec?.nodeName || m.deletionTimestamp || seen.has(m.uid!) || opts.noIP?.includes(m.name!)) return;
    seen.add(m.uid!);
    const ip = `10.244.${Math.floor(++n / 250)}.${n % 250}`;
    cluster.kernel.after(1000, 'fake-kubelet.start', () => {
      const ready = opts.unready?.includes(m.name!) ? 'False' : 'True';
      client.patch(
        'Pod',
        m.namespace,
        m.name!,
        { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready, lastTransitionTime: timestamp(cluster.now) }] } },
        { subresource: 'status' },
      );
    });
  };
  new Informer(cluster.kernel, client, 'Pod', {}, { add: handle, update: handle }).start();
}

/** The fake kubelet is the only kubelet: the real ones stopped, the node grace periods pushed out. */
function setup(objects: KubeObject[], opts: { unready?: string[]; noIP?: string[] } = {}) {
  const cluster = quietCluster(objects);
  fakeKubelet(cluster, opts);
  const client = cluster.apiserver.client('test');
  const slices = (svc = 'web') =>
    cluster
      .objects()
      .filter((o) => o.kind === 'EndpointSlice' && o.metadata.labels?.['kubernetes.io/service-name'] === svc) as unknown as EndpointSlice[];
  const endpoints = (svc = 'web') =>
    Object.fromEntries(slices(svc).flatMap((s) => (s.endpoints ?? []).map((e) => [e.targetRef!.name!, e.conditions] as const)));
  return { cluster, client, slices, endpoints };
}

describe('endpointslice-controller', () => {
  it('lists the selected pods that have an IP, ready only when Ready, with node, zone, pod and resolved port', () => {
    const { cluster, slices } = setup(
      [node('n1', 'zone-a'), node('n2', 'zone-b'), service(), pod('web-1', 'n1'), pod('web-2', 'n2'), pod('web-3', 'n2'), pod('web-4', 'n1'), pod('db', 'n1', { labels: { app: 'db' } })],
      { unready: ['web-2'], noIP: ['web-4'] },
    );
    cluster.runUntil(3000);
    const all = slices();
    expect(all).toHaveLength(1);
    const s = all[0];
    expect(s.metadata!.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(s.metadata!.labels).toEqual({ team: 'shop', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(s.metadata!.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'v1', kind: 'Service', name: 'web', controller: true, blockOwnerDeletion: true })]);
    // The first sync (t ~ 0) wrote a placeholder stamped with the Service's creation (0 s); this version
    // reflects the pods' Ready transitions, which the fake kubelet made at 1 s.
    expect(s.metadata!.annotations).toEqual({ 'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-01T00:00:01Z' });
    expect(s.addressType).toBe('IPv4');
    // targetPort "http" resolves to the container port named http.
    expect(s.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }]);
    const byPod = Object.fromEntries(s.endpoints.map((e) => [e.targetRef!.name, e]));
    expect(Object.keys(byPod).sort()).toEqual(['web-1', 'web-2', 'web-3']);
    expect(byPod['web-1']).toEqual({
      addresses: [expect.stringMatching(/^10\.244\./)],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: expect.any(String) },
      nodeName: 'n1',
      zone: 'zone-a',
    });
    expect(byPod['web-2'].conditions).toEqual({ ready: false, serving: false, terminating: false });
    expect(byPod['web-3']).toMatchObject({ nodeName: 'n2', zone: 'zone-b' });
  });

  it('follows a pod turning unready, and a terminating pod (serving, not ready)', () => {
    const { cluster, client, endpoints } = setup([node('n1'), service(), pod('web-1', 'n1'), pod('web-2', 'n1')]);
    cluster.runUntil(3000);
    expect(endpoints()['web-1']).toEqual({ ready: true, serving: true, terminating: false });
    client.patch('Pod', 'default', 'web-1', { status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: timestamp(cluster.now) }] } }, { subresource: 'status' });
    cluster.runUntil(3100);
    expect(endpoints()['web-1']).toEqual({ ready: false, serving: false, terminating: false });
    // A graceful delete of a Ready pod: still serving while it terminates, but no longer ready.
    client.delete('Pod', 'default', 'web-2');
    cluster.runUntil(3200);
    expect(endpoints()['web-2']).toEqual({ ready: false, serving: true, terminating: true });
    client.delete('Pod', 'default', 'web-2', { gracePeriodSeconds: 0 });
    cluster.runUntil(3300);
    expect(Object.keys(endpoints())).toEqual(['web-1']);
  });

  it('splits more than 100 endpoints (maxEndpointsPerSlice) over two slices', () => {
    const pods = Array.from({ length: 150 }, (_, i) => pod(`web-${String(i).padStart(3, '0')}`, i % 2 ? 'n1' : 'n2'));
    const { cluster, slices, client } = setup([node('n1'), node('n2'), service(), ...pods]);
    cluster.runUntil(3000);
    // 150 endpoints: one full slice of 100, the other 50 in a second one.
    expect(
      slices()
        .map((s) => s.endpoints.length)
        .sort((a, b) => b - a),
    ).toEqual([100, 50]);
    const names = slices().flatMap((s) => s.endpoints.map((e) => e.targetRef!.name));
    expect(new Set(names).size).toBe(150);
    // 30 more: the 50-slice has room for them (it ends closest to full), no third slice.
    for (let i = 150; i < 180; i++) client.create(pod(`web-${i}`, 'n1'));
    cluster.runUntil(6000);
    expect(
      slices()
        .map((s) => s.endpoints.length)
        .sort((a, b) => b - a),
    ).toEqual([100, 80]);
  });

  it('a Service with no matching pods gets one empty placeholder slice, reused when a pod comes', () => {
    const { cluster, client, slices } = setup([node('n1'), service()]);
    cluster.runUntil(1000);
    const [placeholder] = slices();
    expect(slices()).toHaveLength(1);
    expect(placeholder.endpoints).toEqual([]);
    expect(placeholder.ports).toEqual([]);
    client.create(pod('web-1', 'n1'));
    cluster.runUntil(3000);
    const now = slices();
    expect(now).toHaveLength(1);
    expect(now[0].metadata!.name).toBe(placeholder.metadata!.name);
    expect(now[0].endpoints.map((e) => e.targetRef!.name)).toEqual(['web-1']);
    expect(now[0].ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }]);
  });

  it('pods exposing different ports for the same targetPort name go into separate slices', () => {
    const { cluster, slices } = setup([node('n1'), service(), pod('web-1', 'n1', { port: 8080 }), pod('web-2', 'n1', { port: 9090 })]);
    cluster.runUntil(3000);
    const ports = slices()
      .map((s) => `${s.ports![0].port}:${s.endpoints.map((e) => e.targetRef!.name).join(',')}`)
      .sort();
    expect(ports).toEqual(['8080:web-1', '9090:web-2']);
  });

  it('leaves a Service without a selector to whoever writes its slices', () => {
    const manual: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'external-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'external' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['192.0.2.10'] }],
      ports: [{ name: '', port: 5432, protocol: 'TCP' }],
    };
    const external = { ...service({ selector: undefined, ports: [{ port: 5432 }] }), metadata: { name: 'external', namespace: 'default' } };
    const { cluster, slices } = setup([node('n1'), external, manual, pod('web-1', 'n1')]);
    cluster.runUntil(3000);
    expect(slices('external')).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ name: 'external-1' }), endpoints: [{ addresses: ['192.0.2.10'] }] })]);
    // Nor does the kubernetes Service (no selector) get any.
    expect(slices('kubernetes')).toEqual([]);
  });

  it('puts back a slice someone deleted, a second later', () => {
    const { cluster, client, slices } = setup([node('n1'), service(), pod('web-1', 'n1')]);
    cluster.runUntil(3000);
    const [s] = slices();
    client.delete('EndpointSlice', 'default', s.metadata!.name!);
    cluster.runUntil(3500);
    expect(slices()).toHaveLength(0);
    cluster.runUntil(4100);
    const again = slices();
    expect(again).toHaveLength(1);
    expect(again[0].endpoints.map((e) => e.targetRef!.name)).toEqual(['web-1']);
  });

  it('mirrors the Service labels onto its slices', () => {
    const { cluster, client, slices } = setup([node('n1'), service(), pod('web-1', 'n1')]);
    cluster.runUntil(3000);
    client.patch('Service', 'default', 'web', { metadata: { labels: { team: 'checkout' } } });
    cluster.runUntil(3100);
    expect(slices()[0].metadata!.labels!.team).toBe('checkout');
  });
});
