// leader-failover.yaml through the CLI: three control-plane machines, the
// schedulers' leader election on kube-system/kube-scheduler (client-go:
// leaseDuration 15 s, renewDeadline 10 s, retryPeriod 2 s, candidates'
// retries jittered by up to 1.2 x 2 s), and the apiserver load balancer.
// The instants below come from the trace of the run, and each is checked
// against the rule it must obey.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../sim/kernel/trace';
import { main } from './main';

type Obj = {
  kind: string;
  metadata: { name: string; namespace?: string; creationTimestamp?: string };
  spec: { nodeName?: string; holderIdentity?: string; leaseDurationSeconds?: number; leaseTransitions?: number };
  message?: string;
  reason?: string;
  involvedObject?: { name: string };
};
type Run = { items: Obj[]; trace: WireMessage[] };

const FILE = fileURLToPath(new URL('../scenario/examples/leader-failover.yaml', import.meta.url));

function run(until: string, trace = false): Run {
  const out: string[] = [];
  const code = main(['run', FILE, '--until', until, ...(trace ? ['--trace'] : [])], (s) => out.push(s), () => {});
  expect(code).toBe(0);
  return JSON.parse(out.join('\n')) as Run;
}

let traced: Run | undefined;
/** One traced run to 100 s, shared by the tests that read the wire messages. */
const to100s = () => (traced ??= run('100s', true));

const lease = (items: Obj[], name: string) => items.find((o) => o.kind === 'Lease' && o.metadata.namespace === 'kube-system' && o.metadata.name === name)!;
const webPods = (items: Obj[]) => items.filter((o) => o.kind === 'Pod' && o.metadata.name.startsWith('web-'));
/** The schedulers' requests on their Lease: who, when, what, whether it worked. */
const leaseRequests = (trace: WireMessage[]) => trace.filter((m) => m.key === 'kube-system/kube-scheduler' && m.resource === 'leases' && m.verb !== 'watch');
const gets = (trace: WireMessage[], who: string) => leaseRequests(trace).filter((m) => m.from === who && m.verb === 'get').map((m) => m.t);

describe('leader-failover: leader election', () => {
  it('starts with both leaders on control-plane-1 and two standbys reading each Lease every 2 s to 4.4 s', () => {
    const items = run('10s').items;
    for (const name of ['kube-scheduler', 'kube-controller-manager'])
      expect(lease(items, name).spec).toMatchObject({ holderIdentity: expect.stringMatching(/^control-plane-1_[0-9a-f-]{36}$/), leaseDurationSeconds: 15, leaseTransitions: 0 });
    const { trace } = to100s();
    for (const standby of ['kube-scheduler-2', 'kube-scheduler-3']) {
      const t = gets(trace, standby).filter((x) => x < 20_000);
      // wait.Jitter(2 s, 1.2): 2 s + [0, 1) x 2.4 s between tries.
      for (let i = 1; i < t.length; i++) {
        expect(t[i] - t[i - 1]).toBeGreaterThanOrEqual(2000);
        expect(t[i] - t[i - 1]).toBeLessThan(4400);
      }
    }
    // The first candidate creates the Lease at 0 s; its renew loop starts at once (an update at 0 s), then every 2 s.
    const writes = leaseRequests(trace).filter((m) => m.from === 'kube-scheduler-1' && m.verb !== 'get' && m.t < 10_000).map((m) => `${m.verb}@${m.t}`);
    expect(writes).toEqual(['create@0', 'update@0', 'update@2000', 'update@4000', 'update@6000', 'update@8000']);
  });

  it('hands the Lease over at a standby\'s next read when the leader is stopped (kube-scheduler releases on cancel)', () => {
    const { trace } = to100s();
    // Stopped at 20 s: its last write empties holderIdentity (release()).
    const release = leaseRequests(trace).find((m) => m.from === 'kube-scheduler-1' && m.verb === 'update' && m.t === 20_000);
    expect(release?.ok).toBe(true);
    // A standby's next read sees an empty holder and takes the Lease in the same try: less than 4.4 s later.
    const takeover = leaseRequests(trace).find((m) => m.t >= 20_000 && m.verb === 'update' && m.from !== 'kube-scheduler-1')!;
    expect(takeover.t - 20_000).toBeLessThan(4400);
    expect(gets(trace, takeover.from).find((t) => t >= 20_000)).toBe(takeover.t);
    const items = run('25s').items;
    expect(lease(items, 'kube-scheduler').spec.leaseTransitions).toBe(1);
    const messages = items.filter((o) => o.kind === 'Event' && o.reason === 'LeaderElection' && o.involvedObject?.name === 'kube-scheduler').map((e) => e.message!.replace(/_[0-9a-f-]{36}/, '_<uuid>'));
    expect(messages.sort()).toEqual(['control-plane-1_<uuid> became leader', 'control-plane-1_<uuid> stopped leading', `${takeover.from === 'kube-scheduler-2' ? 'control-plane-2' : 'control-plane-3'}_<uuid> became leader`]);
  });

  it('after the power-off, the Lease moves to another machine 15 s after the standby last saw it change', () => {
    const { trace } = to100s();
    const requests = leaseRequests(trace);
    // The leader at 60 s is the one that took over at 20 s; its machine is control-plane-3 in this run.
    const leader = requests.filter((m) => m.verb === 'update' && m.ok && m.t < 60_000).pop()!;
    expect(leader.from).toBe('kube-scheduler-3');
    const lastRenewal = leader.t;
    const takeover = requests.find((m) => m.verb === 'update' && m.ok && m.t > 60_000)!;
    expect(takeover.from).not.toBe('kube-scheduler-3');
    // O: the winner's first read at or after the last renewal, the last time it saw the record change. Its 15 s
    // run from O on its own clock, not from the Lease's renewTime; it takes over at its first read from O + 15 s.
    // In this run: last renewal 58.039 s, O = 58.743 s, takeover 73.837 s (73.743 <= 73.837 < 78.143).
    const o = gets(trace, takeover.from).find((t) => t >= lastRenewal)!;
    expect(takeover.t).toBeGreaterThanOrEqual(o + 15_000);
    expect(takeover.t).toBeLessThan(o + 15_000 + 4400);
    // Never within leaseDuration of the last renewal. From the power-off it can be less than 15 s (13.8 s here):
    // the standby started counting at its read of the last renewal, before the machine went dark.
    expect(takeover.t - lastRenewal).toBeGreaterThanOrEqual(15_000);
    expect(takeover.t - 60_000).toBeLessThan(15_000 + 2 * 4400);
    const l = lease(run('100s').items, 'kube-scheduler');
    expect(l.spec.holderIdentity).not.toMatch(/^control-plane-3_/);
    expect(l.spec.leaseTransitions).toBe(2);
  });

  it('keeps the pods created in the gap Pending until a standby leads, and binds them then', () => {
    const { trace } = to100s();
    const takeover = leaseRequests(trace).find((m) => m.verb === 'update' && m.ok && m.t > 60_000)!.t;
    // Scaled to 6 at 62 s: kube-controller-manager-1 (still leading on control-plane-1) creates three pods at once.
    const before = webPods(run(`${takeover - 1}ms`).items);
    expect(before).toHaveLength(6);
    const late = before.filter((p) => p.metadata.creationTimestamp === '2026-01-01T00:01:02Z');
    expect(late).toHaveLength(3);
    expect(late.every((p) => !p.spec.nodeName)).toBe(true);
    // The new leader's queue is already full (a standby scheduler keeps its informers running): it binds at once.
    const after = webPods(run(`${takeover}ms`).items);
    expect(after.every((p) => p.spec.nodeName)).toBe(true);
  });
});

describe('leader-failover: the apiserver load balancer', () => {
  it("moves kube-apiserver-3's clients to the other replicas when control-plane-3 powers off", () => {
    const { trace } = to100s();
    const onThree = new Set(['kube-scheduler-3', 'kube-controller-manager-3']);
    const clients = [...new Set(trace.filter((m) => m.to === 'kube-apiserver-3' && m.t < 60_000 && m.from !== 'apiserver-lb' && !onThree.has(m.from)).map((m) => m.from))];
    expect(clients.length).toBeGreaterThan(0);
    for (const c of clients) {
      const later = trace.filter((m) => m.from === c && m.t > 60_000 && m.to.startsWith('kube-apiserver'));
      expect(later.length, c).toBeGreaterThan(0);
      expect(new Set(later.map((m) => m.to)), c).not.toContain('kube-apiserver-3');
    }
    // Its watches ended with it: no watch event comes from kube-apiserver-3 after 60 s.
    expect(trace.some((m) => m.from === 'kube-apiserver-3' && m.t > 60_000)).toBe(false);
    // The balancer's health checks (GET /healthz every 2 s) fail from then on; after three in a row it believes
    // the backend DOWN, and only until then does a new connection try kube-apiserver-3 (refused, then redispatched).
    const checks = trace.filter((m) => m.from === 'apiserver-lb' && m.to === 'kube-apiserver-3' && m.verb === 'get' && m.t > 60_000);
    expect(checks.every((m) => !m.ok)).toBe(true);
    const down = checks[2].t;
    expect(down - 60_000).toBeGreaterThanOrEqual(4000);
    expect(down - 60_000).toBeLessThanOrEqual(6000);
    const dials = trace.filter((m) => m.from === 'apiserver-lb' && m.verb === 'connect' && m.to === 'kube-apiserver-3');
    expect(dials.every((m) => m.t > 60_000 && m.t < down && !m.ok)).toBe(true);
    // No client saw an error: every refused dial was redispatched to a replica that answered.
    const failed = trace.filter((m) => m.t > 60_000 && !m.ok && m.from !== 'apiserver-lb' && m.to.startsWith('kube-apiserver') && m.error?.includes('refused'));
    expect(failed).toEqual([]);
  });
});
