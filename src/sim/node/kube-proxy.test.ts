import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { buildRules } from './proxy-rules';
import { cluster, node } from './testing';

const service = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: name }, ...spec },
});

type Ep = { ip: string; ready?: boolean; serving?: boolean; terminating?: boolean; node?: string };
const slice = (svc: string, suffix: string, port: number, eps: Ep[], portName = ''): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${svc}-${suffix}`, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  ports: [{ name: portName, port, protocol: 'TCP' }],
  endpoints: eps.map((e) => ({
    addresses: [e.ip],
    conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
    ...(e.node ? { nodeName: e.node } : {}),
  })),
});

describe('kube-proxy', () => {
  it('keeps a rule per Service port with the ready endpoints of its EndpointSlices, as every node sees them', () => {
    const c = cluster([
      node('node-1'),
      node('node-2'),
      service('web', { clusterIP: '10.96.0.50', ports: [{ port: 80, targetPort: 8080 }] }),
      slice('web', 'a', 8080, [{ ip: '10.244.0.5' }, { ip: '10.244.1.7' }, { ip: '10.244.1.8', ready: false }]),
    ]);
    c.runUntil(100);
    const rules = c.nodes.rules('node-2');
    expect(rules.map((r) => `${r.frontend} -> ${r.endpoints.join(',')}`)).toEqual([
      '10.96.0.1:443/TCP -> ',
      '10.96.0.50:80/TCP -> 10.244.0.5:8080,10.244.1.7:8080',
    ]);
    expect(c.nodes.rules('node-1')).toEqual(rules);
  });

  it('follows a connection to one ready endpoint, chosen at random from the seed; no endpoints: rejected', () => {
    const c = cluster([
      node('node-1'),
      service('web', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] }),
      slice('web', 'a', 80, [{ ip: '10.244.0.5' }, { ip: '10.244.0.6' }, { ip: '10.244.0.7', ready: false }]),
      service('empty', { clusterIP: '10.96.0.60', ports: [{ port: 80 }] }),
    ]);
    c.runUntil(100);
    const proxy = c.nodes.host('node-1')!.proxy;
    const picked = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const r = proxy.route('10.96.0.50', 80);
      if (r.ok) picked.add(r.endpoint);
    }
    expect([...picked].sort()).toEqual(['10.244.0.5:80', '10.244.0.6:80']);
    expect(proxy.route('10.96.0.60', 80)).toMatchObject({ ok: false, reason: 'no-endpoints' });
    expect(proxy.route('10.96.0.99', 80)).toMatchObject({ ok: false, reason: 'no-such-service' });
  });

  it('updates its rules when the EndpointSlice changes, and not while its node is cut off', () => {
    const c = cluster([node('node-1'), service('web', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] }), slice('web', 'a', 80, [{ ip: '10.244.0.5' }])]);
    c.runUntil(100);
    const api = c.apiserver.client('test');
    const endpoints = () => c.nodes.rules('node-1').find((r) => r.frontend === '10.96.0.50:80/TCP')?.endpoints;
    api.update({ ...slice('web', 'a', 80, [{ ip: '10.244.0.5' }, { ip: '10.244.0.9' }]) });
    c.runUntil(200);
    expect(endpoints()).toEqual(['10.244.0.5:80', '10.244.0.9:80']);
    c.act({ action: 'partition', node: 'node-1' });
    api.update({ ...slice('web', 'a', 80, [{ ip: '10.244.0.9' }]) });
    c.runUntil(5000);
    expect(endpoints()).toEqual(['10.244.0.5:80', '10.244.0.9:80']);
    c.act({ action: 'heal', node: 'node-1' });
    c.runUntil(7000);
    expect(endpoints()).toEqual(['10.244.0.9:80']);
  });

  it('rule details: NodePort frontends, named ports, terminating fallback, internalTrafficPolicy Local, session affinity', () => {
    const svc = service('api', {
      type: 'NodePort',
      clusterIP: '10.96.0.70',
      ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }],
      sessionAffinity: 'ClientIP',
    });
    const local = service('local', { clusterIP: '10.96.0.80', internalTrafficPolicy: 'Local', ports: [{ port: 53, protocol: 'TCP' }] });
    const slices = [
      // Only terminating endpoints that still serve: used, since none is ready.
      slice('api', 'a', 8080, [{ ip: '10.244.0.5', ready: false, serving: true, terminating: true }, { ip: '10.244.0.6', ready: false, serving: false, terminating: true }], 'http'),
      slice('local', 'a', 53, [{ ip: '10.244.0.9', node: 'node-1' }, { ip: '10.244.1.9', node: 'node-2' }]),
    ];
    const rules = buildRules([svc, local] as never, slices as never, 'node-1');
    expect(rules.map((r) => `${r.type} ${r.frontend} ${r.portName} -> ${r.endpoints.join(',')}${r.affinitySeconds ? ` sticky ${r.affinitySeconds}s` : ''}`)).toEqual([
      'NodePort *:30080/TCP http -> 10.244.0.5:8080 sticky 10800s',
      'ClusterIP 10.96.0.70:80/TCP http -> 10.244.0.5:8080 sticky 10800s',
      'ClusterIP 10.96.0.80:53/TCP  -> 10.244.0.9:53',
    ]);
  });
});
