// client-go leader election on a Lease, driven by the kernel's clock: who
// holds the Lease, when a standby may take it, and when a leader gives up.
import type { Lease } from 'kubernetes-types/coordination/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster, type Cluster } from '../cluster';
import { emptyScenario } from '../model';
import { EventRecorder } from './event-recorder';
import { LeaderElector } from './leader-election';

interface Candidate {
  elector: LeaderElector;
  started: number[];
  stopped: number[];
  leaders: string[];
}

function candidate(cluster: Cluster, name: string, opts: { releaseOnCancel?: boolean } = {}): Candidate {
  const client = cluster.apiserver.client(name);
  const c: Candidate = { elector: undefined as unknown as LeaderElector, started: [], stopped: [], leaders: [] };
  c.elector = new LeaderElector(cluster.kernel, client, {
    lease: 'demo',
    identity: `${name}_id`,
    recorder: new EventRecorder(cluster.kernel, client, { component: name }),
    releaseOnCancel: opts.releaseOnCancel,
    onStartedLeading: () => c.started.push(cluster.now),
    onStoppedLeading: () => c.stopped.push(cluster.now),
    onNewLeader: (id) => c.leaders.push(id),
  });
  return c;
}

/** The LeaderElection events about the demo Lease (the cluster's own scheduler and controller-manager record theirs too). */
const electionEvents = (cluster: Cluster) =>
  cluster
    .objects()
    .map((o) => o as unknown as { kind: string; metadata: { resourceVersion: string }; reason?: string; message: string; involvedObject?: { kind: string; name: string } })
    .filter((e) => e.kind === 'Event' && e.reason === 'LeaderElection' && e.involvedObject?.name === 'demo')
    // In the order they were written (objects() sorts by name, and an Event's name ends in a random suffix).
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
const lease = (cluster: Cluster) => cluster.objects().find((o) => o.kind === 'Lease' && o.metadata.name === 'demo') as (KubeObject & Lease) | undefined;
/** Instants of one client's requests on the demo Lease. */
const requests = (cluster: Cluster, client: string, verb: string) => cluster.trace().filter((m) => m.from === client && m.verb === verb && m.key === 'kube-system/demo').map((m) => m.t);

function setup() {
  const cluster = createCluster({ ...emptyScenario() }, { traceCapacity: Infinity });
  cluster.runUntil(1000);
  const a = candidate(cluster, 'a');
  const b = candidate(cluster, 'b');
  a.elector.start();
  b.elector.start();
  return { cluster, a, b };
}

describe('LeaderElector', () => {
  it('the first candidate creates the Lease, records LeaderElection and renews every 2 s', () => {
    const { cluster, a, b } = setup();
    expect(a.elector.leading).toBe(true);
    expect(a.started).toEqual([1000]);
    expect(b.elector.leading).toBe(false);
    expect(b.leaders).toEqual(['a_id']);
    cluster.runUntil(10_500);
    expect(lease(cluster)!.spec).toEqual({
      holderIdentity: 'a_id',
      leaseDurationSeconds: 15,
      acquireTime: '2026-01-01T00:00:01.000000Z',
      // Renewed at 1 s (right after acquiring, as upstream's renew loop starts at once), then every 2 s: 3, 5, 7, 9 s.
      renewTime: '2026-01-01T00:00:09.000000Z',
      leaseTransitions: 0,
    });
    expect(requests(cluster, 'a', 'update')).toEqual([1000, 3000, 5000, 7000, 9000]);
    const events = electionEvents(cluster);
    expect(events.map((e) => e.message)).toEqual(['a_id became leader']);
    expect(events[0].involvedObject).toMatchObject({ kind: 'Lease', name: 'demo' });
  });

  it('a standby reads the Lease every 2 s to 4.4 s (wait.Jitter(2 s, 1.2)) and never takes a renewed one', () => {
    const { cluster, b } = setup();
    cluster.runUntil(120_000);
    const gets = requests(cluster, 'b', 'get');
    const gaps = gets.slice(1).map((t, i) => t - gets[i]);
    expect(gets.length).toBeGreaterThan(120 / 4.4 - 1);
    for (const g of gaps) {
      expect(g).toBeGreaterThanOrEqual(2000);
      expect(g).toBeLessThanOrEqual(4400);
    }
    expect(b.elector.leading).toBe(false);
    expect(lease(cluster)!.spec!.holderIdentity).toBe('a_id');
  });

  it('takes over 15 s after it last saw the record change, measured by its own clock', () => {
    const { cluster, a, b } = setup();
    cluster.runUntil(20_500);
    // The leader's process dies with its machine: no release, no renewals after its last one at 19 s.
    a.elector.stop({ abrupt: true });
    cluster.runUntil(60_000);
    const takeover = b.started[0];
    const gets = requests(cluster, 'b', 'get');
    // a renewed at 1, 3, ..., 19 s. b's first read at or after 19 s is the last one that saw the record change:
    // that instant O is where b's 15 s start (not the Lease's renewTime of 19 s).
    const o = gets.find((t) => t >= 19_000)!;
    expect(takeover).toBeGreaterThanOrEqual(o + 15_000);
    // Its first read at or after O + 15 s takes over; reads are at most 2 s x (1 + 1.2) = 4.4 s apart.
    expect(takeover).toBeLessThan(o + 15_000 + 4400);
    expect(gets.filter((t) => t > o && t < takeover).every((t) => t < o + 15_000)).toBe(true);
    expect(lease(cluster)!.spec).toMatchObject({ holderIdentity: 'b_id', leaseTransitions: 1 });
    expect(b.leaders).toEqual(['a_id', 'b_id']);
  });

  it('a graceful stop with releaseOnCancel empties the Lease and the standby takes it at its next read', () => {
    const cluster = createCluster({ ...emptyScenario() }, { traceCapacity: Infinity });
    cluster.runUntil(1000);
    const a = candidate(cluster, 'a', { releaseOnCancel: true });
    const b = candidate(cluster, 'b');
    a.elector.start();
    b.elector.start();
    cluster.runUntil(20_500);
    a.elector.stop();
    // release(): holder "" and leaseDurationSeconds 1, leaseTransitions unchanged.
    expect(lease(cluster)!.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });
    cluster.runUntil(30_000);
    const next = requests(cluster, 'b', 'get').find((t) => t > 20_500)!;
    expect(b.started).toEqual([next]);
    expect(next - 20_500).toBeLessThan(4400);
    expect(lease(cluster)!.spec).toMatchObject({ holderIdentity: 'b_id', leaseDurationSeconds: 15, leaseTransitions: 1 });
    expect(electionEvents(cluster).map((e) => e.message)).toEqual(['a_id became leader', 'a_id stopped leading', 'b_id became leader']);
  });

  it('a leader that cannot renew stops leading when its renew deadline (10 s) passes', () => {
    const { cluster, a, b } = setup();
    cluster.runUntil(10_500);
    cluster.apiserver.stop();
    // Last renewal at 9 s; the next round starts at 11 s and tries at 11, 13, 15, 17 and 19 s; its 10 s deadline ends it at 21 s.
    cluster.runUntil(20_999);
    expect(a.stopped).toEqual([]);
    expect(a.elector.leading).toBe(true);
    cluster.runUntil(21_000);
    expect(a.stopped).toEqual([21_000]);
    expect(a.elector.leading).toBe(false);
    expect(b.elector.leading).toBe(false);
  });

  it('refuses timings a standby could break (leaseDuration must exceed renewDeadline)', () => {
    const cluster = createCluster({ ...emptyScenario() });
    const client = cluster.apiserver.client('x');
    const make = (leaseDuration: number, renewDeadline: number) => () =>
      new LeaderElector(cluster.kernel, client, { lease: 'demo', identity: 'x', leaseDuration, renewDeadline, onStartedLeading: () => {}, onStoppedLeading: () => {} });
    expect(make(10_000, 10_000)).toThrow('leaseDuration must be greater than renewDeadline');
    // 1.2 x 2 s retry = 2.4 s: a renew deadline of 2 s could expire between two tries.
    expect(make(15_000, 2000)).toThrow('renewDeadline must be greater than retryPeriod*JitterFactor');
  });
});
