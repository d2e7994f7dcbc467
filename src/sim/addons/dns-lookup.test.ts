import { describe, expect, it } from 'vitest';
import type { Cluster } from '../cluster';
import { resolve, type DnsClient } from './dns-lookup';
import { clientPod, dnsCluster, dnsWorkloads, podOf, podsLabelled } from './dns-testing';
import { clusterDnsView } from './dns-view';

const CLIENT: DnsClient = { pod: { namespace: 'default', name: 'client' } };
const lookup = (c: Cluster, name: string, from: DnsClient = CLIENT, server?: string) => resolve(clusterDnsView(c), from, name, server ? { server } : {});
const ip = (c: Cluster, ns: string, name: string) => podOf(c, ns, name)!.status.podIP!;
const addresses = (l: ReturnType<typeof lookup>) => l.answer?.records.map((r) => (r.type === 'A' ? r.ip : r.target));

function running(): Cluster {
  const c = dnsCluster();
  c.runUntil(20_000);
  return c;
}

describe('a lookup from a pod follows resolv.conf, kube-proxy and a CoreDNS replica', () => {
  it('a ClusterIP Service: the first search name answers with the cluster IP; the endpoints behind it are its pods', () => {
    const c = running();
    const l = lookup(c, 'web');
    const svc = c.objects().find((o) => o.kind === 'Service' && o.metadata.name === 'web') as { spec: { clusterIP: string } };
    expect(l.outcome).toBe('answer');
    expect(l.queries.map((q) => q.name)).toEqual(['web.default.svc.cluster.local']);
    expect(addresses(l)).toEqual([svc.spec.clusterIP]);
    // The query went to 10.96.0.10:53/UDP; kube-proxy on the client's node a picked one of the two CoreDNS endpoints.
    const coredns = podsLabelled(c, 'kube-system', 'k8s-app', 'kube-dns');
    expect(l.server).toMatchObject({ ip: '10.96.0.10', role: 'kube-dns', proxy: { node: 'a', frontend: '10.96.0.10:53/UDP' } });
    expect(l.server!.proxy!.endpoints).toEqual(coredns.map((p) => `${p.status.podIP}:53`).sort());
    expect(coredns.map((p) => p.metadata.name)).toContain(l.server!.responder!.name);
    expect(l.server!.responder).toMatchObject({ coreDns: true, ready: true });
    const web = podsLabelled(c, 'default', 'app', 'web');
    expect(l.answer!.endpoints!.map((e) => [e.pod?.name, e.ip, e.node, e.ready])).toEqual(
      expect.arrayContaining(web.map((p) => [p.metadata.name, p.status.podIP, p.spec.nodeName, true])),
    );
    expect(l.answer!.endpoints).toHaveLength(2);
  });

  it('search path and ndots: "kubernetes.default" needs two queries, the full name with 4 dots needs four', () => {
    const c = running();
    const k = lookup(c, 'kubernetes.default');
    // 1 dot < ndots 5: kubernetes.default.default.svc.cluster.local (no Service "default" in default) fails, then the svc.cluster.local search answers.
    expect(k.queries.map((q) => [q.name, q.rcode])).toEqual([
      ['kubernetes.default.default.svc.cluster.local', 'NXDOMAIN'],
      ['kubernetes.default.svc.cluster.local', 'NOERROR'],
    ]);
    expect(addresses(k)).toEqual(['10.96.0.1']);
    // 4 dots < 5: three search names, all NXDOMAIN, before the name as it is.
    const full = lookup(c, 'web.default.svc.cluster.local');
    expect(full.queries.map((q) => q.rcode)).toEqual(['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NOERROR']);
    // A trailing dot skips the search list.
    expect(lookup(c, 'web.default.svc.cluster.local.').queries).toHaveLength(1);
  });

  it('a headless Service answers with its ready pods; <hostname>.<subdomain> names one StatefulSet pod', () => {
    const c = running();
    const db = lookup(c, 'db');
    expect(db.answer?.source).toEqual({ kind: 'headless', service: { namespace: 'default', name: 'db' } });
    expect(addresses(db)!.sort()).toEqual([ip(c, 'default', 'db-0'), ip(c, 'default', 'db-1')].sort());
    const db0 = lookup(c, 'db-0.db');
    expect(db0.queries[0].name).toBe('db-0.db.default.svc.cluster.local');
    expect(addresses(db0)).toEqual([ip(c, 'default', 'db-0')]);
    // The same name from namespace shop: db-0.db.shop.svc... (no Service db in shop), db-0.db.svc... (no namespace db),
    // db-0.db.cluster.local (not a Service name) and db-0.db (outside the zone): four NXDOMAIN.
    const buyer: DnsClient = { pod: { namespace: 'shop', name: 'buyer' } };
    const far = lookup(c, 'db-0.db', buyer);
    expect(far.outcome).toBe('nxdomain');
    expect(far.queries.map((q) => q.rcode)).toEqual(['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN']);
    expect(addresses(lookup(c, 'db-0.db.default', buyer))).toEqual([ip(c, 'default', 'db-0')]);
    // An endpoint without a hostname is named by its address with dashes.
    const webPod = podsLabelled(c, 'default', 'app', 'web')[0];
    expect(addresses(lookup(c, `${webPod.status.podIP!.replace(/\./g, '-')}.web`))).toEqual([webPod.status.podIP]);
  });

  it('a name nobody has: NXDOMAIN after every search name; pod names and PTR records as CoreDNS serves them', () => {
    const c = running();
    const none = lookup(c, 'nosuch');
    expect(none.outcome).toBe('nxdomain');
    expect(none.queries.map((q) => q.why)).toEqual([
      'there is no Service nosuch in namespace default',
      'there is no namespace nosuch',
      expect.stringMatching(/^not a Service or pod name/),
      expect.stringMatching(/^nosuch is outside cluster\.local: forwarded to the node's resolver 10\.0\.0\.2/),
    ]);
    // pods insecure: the address with dashes, in an existing namespace.
    expect(addresses(lookup(c, '10-244-9-9.default.pod'))).toEqual(['10.244.9.9']);
    expect(lookup(c, '10-244-9-9.nowhere.pod').outcome).toBe('nxdomain');
    // A namespace is a name without an A record: NODATA.
    expect(lookup(c, 'default.svc.cluster.local.').outcome).toBe('nodata');
    expect(addresses(lookup(c, '10.96.0.10'))).toEqual(['kube-dns.kube-system.svc.cluster.local']);
    expect(addresses(lookup(c, ip(c, 'default', 'db-1')))).toEqual(['db-1.db.default.svc.cluster.local']);
  });

  it("dnsPolicy Default asks the node's resolver, which knows no cluster names", () => {
    const c = dnsCluster([...dnsWorkloads(), clientPod('hostdns', 'default', 'c', { dnsPolicy: 'Default' })]);
    c.runUntil(20_000);
    const l = lookup(c, 'web', { pod: { namespace: 'default', name: 'hostdns' } });
    expect(l.resolver.nameservers).toEqual(['10.0.0.2']);
    // No search list and ndots 1: "web" alone.
    expect(l.candidates).toEqual(['web']);
    expect(l.server).toEqual({ ip: '10.0.0.2', role: 'node-resolver' });
    expect(l.outcome).toBe('nxdomain');
    // From a node, asking the cluster DNS explicitly goes through that node's kube-proxy.
    expect(lookup(c, 'web.default.svc.cluster.local', { node: 'b' }, '10.96.0.10')).toMatchObject({ outcome: 'answer', server: { proxy: { node: 'b' } } });
  });

  it('without a ready CoreDNS endpoint the lookup times out: kube-proxy rejects the packets', () => {
    const c = running();
    c.act({ action: 'scale', kind: 'Deployment', name: 'coredns', namespace: 'kube-system', replicas: 0 });
    // Terminating, the replicas still serve (kube-proxy uses serving terminating endpoints when none is ready)
    // until CoreDNS's lameduck of 5 s ends the process; then the pods are gone.
    c.runUntil(24_000);
    expect(lookup(c, 'web').outcome).toBe('answer');
    c.runUntil(30_000);
    const l = lookup(c, 'web');
    expect(l.outcome).toBe('timeout');
    expect(l.reason).toBe('Service kube-system/kube-dns has no ready endpoint: kube-proxy on a rejects the packets');
    expect(l.queries).toEqual([]);
  });

  it('a CoreDNS endpoint on a dead node stays ready for a while: lookups sent there time out until the controllers react', () => {
    const c = running();
    // A name whose packets kube-proxy sends to the replica that is not on the client's node a.
    const name = ['web', 'db', 'kubernetes.default', 'db-0.db'].find((n) => lookup(c, n).server!.responder!.node !== 'a')!;
    expect(name).toBeDefined();
    const first = lookup(c, name);
    const deadNode = first.server!.responder!.node!;
    c.act({ action: 'powerOff', node: deadNode });
    c.runUntil(21_000);
    // Same client, same name: the same endpoint (the choice is a stable hash), still ready in the slice.
    const lost = lookup(c, name);
    expect(lost.server!.proxy!.chosen).toBe(first.server!.proxy!.chosen);
    expect(lost.outcome).toBe('timeout');
    expect(lost.reason).toMatch(new RegExp(`^kube-proxy on a sent the packets to \\S+ \\(coredns-\\S+ on ${deadNode}\\), and ${deadNode} is powered off$`));
    // node-monitor-grace-period 40 s (+ the 5 s monitor period): the pods are marked not ready and leave the slice;
    // then only the live replica is an endpoint and the lookup answers.
    c.runUntil(80_000);
    const back = lookup(c, name);
    expect(back.outcome).toBe('answer');
    expect(back.server!.proxy!.endpoints).toHaveLength(1);
    expect(back.server!.responder!.node).not.toBe(deadNode);
  });

  it('a partitioned node is an island: its CoreDNS answers only its own pods, from a watch that may be stale', () => {
    const c = running();
    const coredns = podsLabelled(c, 'kube-system', 'k8s-app', 'kube-dns');
    const island = coredns.find((p) => p.spec.nodeName !== 'a')!.spec.nodeName!;
    c.act({ action: 'partition', node: island });
    c.runUntil(21_000);
    const names = ['web', 'db', 'kubernetes.default', 'db-0.db', 'db-1.db', 'nosuch'];
    // From node a, the names whose packets kube-proxy sends to the island's replica are lost.
    const lost = names.map((n) => lookup(c, n)).find((l) => l.server?.responder?.node === island)!;
    expect(lost.outcome).toBe('timeout');
    expect(lost.reason).toMatch(new RegExp(`, but ${island} is cut off from the network$`));
    // On the island itself (the node asking 10.96.0.10), the replica beside it answers; the answer says it may be stale.
    const here = names.map((n) => lookup(c, `${n}.default.svc.cluster.local`, { node: island }, '10.96.0.10')).find((l) => l.server?.responder?.node === island)!;
    expect(['answer', 'nxdomain']).toContain(here.outcome);
    expect(here.notes[0]).toMatch(/cut off from the apiserver: a real CoreDNS would answer from what its watch last saw/);
  });

  it('a pod that is not running cannot look anything up', () => {
    const c = running();
    expect(lookup(c, 'web', { pod: { namespace: 'default', name: 'ghost' } })).toMatchObject({ outcome: 'unavailable', reason: 'pods "ghost" not found' });
  });

  it('looking up names changes nothing: the same state hash as a run that never asked', () => {
    const asked = running();
    const quiet = running();
    for (const n of ['web', 'db', 'db-0.db', 'nosuch', '10.96.0.10', 'kubernetes.default']) lookup(asked, n);
    expect(asked.stateHash()).toBe(quiet.stateHash());
    asked.runUntil(60_000);
    quiet.runUntil(60_000);
    expect(asked.stateHash()).toBe(quiet.stateHash());
  });
});
