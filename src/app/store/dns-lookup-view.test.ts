import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../sim/cluster';
import { createCluster } from '../../sim/cluster';
import { emptyScenario } from '../../sim/model';
import { loadScenario } from '../../scenario/load';
import { dnsLookupSection, type ChainStep, type Part } from './dns-lookup-view';

const STORY = readFileSync(new URL('../../scenario/examples/dns-follows-pod.yaml', import.meta.url), 'utf8');

function at(ms: number): Cluster {
  const c = loadScenario(STORY).cluster;
  c.runUntil(ms);
  return c;
}

const text = (parts: readonly Part[]) => parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
const step = (steps: ChainStep[], id: ChainStep['id']) => steps.find((s) => s.id === id)!;
const DB = { namespace: 'default', name: 'db' };

describe("a Service's DNS lookup section", () => {
  it('asks the Service name from a client in its namespace, and lists a headless Service\'s pod names', () => {
    const v = dnsLookupSection(at(30_000), DB)!;
    // client is the only Running pod in default that db does not select; CoreDNS pods are never offered.
    expect(v.asker?.key).toBe('default/client');
    expect(v.askers.some((a) => a.key.startsWith('kube-system/coredns-'))).toBe(false);
    expect(v.askers.map((a) => a.key).slice(0, 2)).toEqual(['default/client', 'default/db-0']);
    expect(v.names).toEqual(['db', 'db-0.db', 'db-1.db', 'db-2.db']);
    expect(v.outcome).toBe('answer');
    expect(v.steps.map((s) => s.id)).toEqual(['client', 'resolv', 'server', 'proxy', 'coredns', 'names', 'answer', 'endpoints']);
  });

  it('every hop links what it names: the asking pod and node, kube-dns, the CoreDNS pod, the pods behind the name', () => {
    const v = dnsLookupSection(at(30_000), DB, { name: 'db-0.db' })!;
    const links = (id: ChainStep['id']) => [step(v.steps, id).parts, ...(step(v.steps, id).lines ?? [])].flat().flatMap((p) => (typeof p !== 'string' && p.select?.type === 'object' ? [p.select.key] : []));
    expect(links('client')).toEqual(['Pod/default/client', 'Node//node-1']);
    expect(links('server')).toEqual(['Service/kube-system/kube-dns']);
    expect(links('coredns')[0]).toMatch(/^Pod\/kube-system\/coredns-/);
    expect(links('endpoints')).toEqual(['Pod/default/db-0', 'Node//node-2']);
    expect(text(step(v.steps, 'resolv').lines![0])).toBe('search default.svc.cluster.local svc.cluster.local cluster.local');
  });

  it('follows the cluster: after the drain db-0.db names db-0 on node-3; a name asked from another namespace goes through its own search list', () => {
    const c = at(60_000);
    const v = dnsLookupSection(c, DB, { name: 'db-0.db' })!;
    expect(text(step(v.steps, 'endpoints').lines![0])).toMatch(/^db-0 10\.244\.\d+\.\d+ on node-3 · ready$/);
    // The kube-dns Service answers from its own namespace only as db.default.
    const fromKubeSystem = dnsLookupSection(c, { namespace: 'kube-system', name: 'kube-dns' })!;
    expect(fromKubeSystem.asker?.namespace).toBe('default');
    expect(fromKubeSystem.name).toBe('kube-dns.kube-system');
    expect(fromKubeSystem.outcome).toBe('answer');
    expect(text(step(fromKubeSystem.steps, 'answer').lines![0])).toBe('A 10.96.0.10');
  });

  it('a timeout ends the chain where the packets were lost', () => {
    const c = at(30_000);
    c.act({ action: 'scale', kind: 'Deployment', name: 'coredns', namespace: 'kube-system', replicas: 0 });
    c.runUntil(45_000);
    const v = dnsLookupSection(c, { namespace: 'default', name: 'db-read' })!;
    expect(v.outcome).toBe('timeout');
    expect(v.steps.map((s) => [s.id, s.tone])).toEqual([
      ['client', 'muted'],
      ['resolv', 'muted'],
      ['server', 'muted'],
      ['proxy', 'bad'],
      ['names', 'muted'],
      ['lost', 'bad'],
    ]);
    expect(text(step(v.steps, 'lost').parts)).toBe('Service kube-system/kube-dns has no ready endpoint: kube-proxy on node-1 rejects the packets');
  });

  it('says so when the cluster has no cluster DNS', () => {
    const c = createCluster({
      ...emptyScenario(),
      objects: [
        { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n', containers: [{ name: 'c', image: 'busybox:1.36' }] } },
      ],
    });
    c.runUntil(5_000);
    const v = dnsLookupSection(c, { namespace: 'default', name: 'web' })!;
    expect(v.noClusterDns).toBe(true);
    expect(v.outcome).toBe('timeout');
    expect(text(step(v.steps, 'lost').parts)).toBe('kube-proxy on n has no rule for 10.96.0.10:53/UDP (no such Service): the packets leave the node and nothing answers');
  });
});
