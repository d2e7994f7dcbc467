// Three kube-apiservers behind the load balancer (kubeadm's haproxy:
// roundrobin, GET /healthz every 2 s, fall 3, rise 2, one redispatched
// retry), and what the replicas share: one etcd, one compactor turn per
// interval.
import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';

function setup() {
  const cluster = createCluster({ ...emptyScenario(), controlPlane: { etcdMembers: 3, nodes: 3 } }, { traceCapacity: Infinity });
  /** The replica that served a client's latest request. */
  const servedBy = (client: string) => cluster.trace().filter((m) => m.from === client && m.to.startsWith('kube-apiserver')).pop()?.to;
  const get = (client: string) => cluster.apiserver.client(client).get('Namespace', undefined, 'default');
  const backend = (name: string) => cluster.apiserver.loadBalancerView()!.backends.find((b) => b.name === name)!;
  return { cluster, servedBy, get, backend };
}

describe('apiserver load balancer', () => {
  it('gives new connections the replicas in turn and keeps each connection on its replica', () => {
    const { cluster, servedBy, get } = setup();
    cluster.runUntil(1000);
    for (const c of ['c1', 'c2', 'c3', 'c4']) expect(get(c).ok).toBe(true);
    const first = ['c1', 'c2', 'c3'].map(servedBy);
    expect(new Set(first).size).toBe(3);
    // Round-robin: the fourth connection gets the first one's replica again.
    expect(servedBy('c4')).toBe(first[0]);
    for (let i = 0; i < 3; i++) get('c2');
    expect(servedBy('c2')).toBe(first[1]);
    // The etcd hop comes from the replica that served.
    const txn = () => cluster.trace().filter((m) => m.verb === 'txn').pop()!;
    expect(cluster.apiserver.client('c3').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }).ok).toBe(true);
    expect(txn().from).toBe(first[2]);
  });

  it('believes a stopped replica DOWN after three failed health checks and UP after two good ones', () => {
    const { cluster, backend } = setup();
    cluster.runUntil(10_000);
    cluster.act({ action: 'stopComponent', component: 'kube-apiserver-2' });
    // HAProxy spreads the first checks over the 2 s interval: the second backend's at 666 ms, then every 2 s.
    cluster.runUntil(10_666);
    expect(backend('kube-apiserver-2')).toMatchObject({ up: true, check: 'UP, going down 1/3' });
    cluster.runUntil(12_666);
    expect(backend('kube-apiserver-2').check).toBe('UP, going down 2/3');
    cluster.runUntil(14_665);
    expect(backend('kube-apiserver-2').up).toBe(true);
    cluster.runUntil(14_666);
    expect(backend('kube-apiserver-2')).toMatchObject({ up: false, check: 'DOWN' });
    cluster.runUntil(20_000);
    cluster.act({ action: 'startComponent', component: 'kube-apiserver-2' });
    cluster.runUntil(20_666);
    expect(backend('kube-apiserver-2')).toMatchObject({ up: false, check: 'DOWN, going up 1/2' });
    cluster.runUntil(22_666);
    expect(backend('kube-apiserver-2')).toMatchObject({ up: true, check: 'UP' });
    const checks = cluster.trace().filter((m) => m.from === 'apiserver-lb' && m.to === 'kube-apiserver-2' && m.verb === 'get');
    expect(checks.filter((m) => !m.ok).map((m) => m.t)).toEqual([10_666, 12_666, 14_666, 16_666, 18_666]);
  });

  it("moves a stopped replica's clients: watches close at once, requests reconnect, refused dials are redispatched", () => {
    const { cluster, servedBy, get, backend } = setup();
    cluster.runUntil(1000);
    for (const c of ['c1', 'c2', 'c3']) get(c);
    const victim = servedBy('c1')!;
    let closed = 0;
    cluster.apiserver.client('c1').watch('Pod', { onClose: () => closed++ }, () => {});
    cluster.act({ action: 'stopComponent', component: victim });
    expect(closed).toBe(1);
    // Before the balancer believes it DOWN, new connections still come its way once in three: refused, then sent on.
    for (const c of ['c1', 'd1', 'd2', 'd3']) expect(get(c).ok, c).toBe(true);
    for (const c of ['c1', 'd1', 'd2', 'd3']) expect(servedBy(c), c).not.toBe(victim);
    const dials = () => cluster.trace().filter((m) => m.from === 'apiserver-lb' && m.verb === 'connect');
    expect(dials().length).toBeGreaterThanOrEqual(1);
    expect(dials().every((m) => m.to === victim && !m.ok && m.error === `dial tcp ${backend(victim).address}: connect: connection refused`)).toBe(true);
    // Once it is DOWN (three failed checks, by 7 s), nobody dials it.
    cluster.runUntil(8000);
    expect(backend(victim).up).toBe(false);
    const before = dials().length;
    for (const c of ['e1', 'e2', 'e3']) get(c);
    expect(dials()).toHaveLength(before);
    expect(backend(victim).connections).toBe(0);
  });

  it('refuses every request, naming the load balancer, when all replicas are down', () => {
    const { cluster, get } = setup();
    cluster.runUntil(1000);
    for (const r of ['kube-apiserver-1', 'kube-apiserver-2', 'kube-apiserver-3']) cluster.act({ action: 'stopComponent', component: r });
    expect(cluster.apiserver.running).toBe(false);
    const r = get('c1');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.status.message).toBe('The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?');
    expect(cluster.trace().filter((m) => m.from === 'c1').pop()).toMatchObject({ to: 'apiserver-lb', ok: false });
  });

  it('compacts etcd once per interval between all replicas, never twice to one revision, and a survivor takes the turn', () => {
    const { cluster } = setup();
    const compactions = () => cluster.trace().filter((m) => m.verb === 'compact').map((m) => `${m.t / 60_000}m ${m.from}`);
    // compact_rev_key: at 5 min the first replica's swap wins (no compaction on bootstrap) and the others adopt its version;
    // from 10 min on it wins every interval and compacts to the revision it saw one interval earlier.
    cluster.runUntil(20 * 60_000);
    expect(compactions()).toEqual(['10m kube-apiserver-1', '15m kube-apiserver-1', '20m kube-apiserver-1']);
    const targets = cluster.trace().filter((m) => m.verb === 'compact').map((m) => Number(m.key.split(' ')[1]));
    expect([...targets].sort((a, b) => a - b)).toEqual(targets);
    expect(new Set(targets).size).toBe(targets.length);
    // Its process gone, the next replica's swap succeeds at 25 min (its local compact time matches the key's).
    cluster.act({ action: 'stopComponent', component: 'kube-apiserver-1' });
    cluster.runUntil(25 * 60_000);
    expect(compactions().slice(3)).toEqual(['25m kube-apiserver-2']);
    expect(cluster.etcd.store.compactedRevision).toBeGreaterThan(targets[2]);
  });
});
