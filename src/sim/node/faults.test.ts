import { describe, expect, it } from 'vitest';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Cluster } from '../cluster';
import { virtualMs } from '../kernel/time';
import { cluster, getPod, node, pod, recordEvents, times } from './testing';

/** Every renewTime of node-1's Lease, as a watcher sees the writes (ms of virtual time). */
function leaseRenewals(c: Cluster): number[] {
  const out: number[] = [];
  c.apiserver.client('test-lease').watch('Lease', { namespace: 'kube-node-lease' }, (ev) => {
    const l = ev.object as Lease;
    if (l.metadata?.name === 'node-1' && l.spec?.renewTime) out.push(virtualMs(l.spec.renewTime));
  });
  return out;
}

/** Requests node-1's agents got through to the apiserver between two instants. */
const requestsFrom = (c: Cluster, from: number, to: number) =>
  c.trace().filter((m) => m.t > from && m.t < to && (m.from === 'kubelet/node-1' || m.from === 'kube-proxy/node-1')).length;

const runtimePods = (c: Cluster) => c.nodes.host('node-1')!.runtime.podContainers(getPod(c, 'web')?.metadata?.uid ?? '');

describe('node agents: faults', () => {
  it('powerOff stops the lease renewals; powerOn renews again, reboots the pods (new sandbox, restartCount + 1)', () => {
    const c = cluster([node('node-1'), pod('web', { node: 'node-1' })]);
    const renewals = leaseRenewals(c);
    const events = recordEvents(c);
    const before = getPod(c, 'web');
    c.runUntil(30_000);
    c.act({ action: 'powerOff', node: 'node-1' });
    const lastBefore = renewals.at(-1)!;
    // Created at t=0, renewed every 10 s plus wait.JitterUntil's 4 %: three renewals by 30 s.
    expect(renewals.length).toBe(3);
    expect(renewals[1] - renewals[0]).toBeGreaterThanOrEqual(10_000);
    expect(renewals[1] - renewals[0]).toBeLessThanOrEqual(10_400);
    c.runUntil(90_000);
    expect(renewals.at(-1)).toBe(lastBefore);
    expect(requestsFrom(c, 30_000, 90_000)).toBe(0);
    c.act({ action: 'powerOn', node: 'node-1' });
    c.runUntil(100_000);
    // The kubelet is back at 90 s and renews at once (it holds no lease from before the reboot).
    expect(renewals.filter((t) => t > lastBefore)[0]).toBe(90_000);
    expect(c.nodes.view('node-1')?.kubelet).toBe('running');
    const p = getPod(c, 'web')!;
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
    // The tasks died with the machine (containerd reports exit code 255, reason Unknown); the log
    // directory survives, so the new container is restartCount 1. A new sandbox, a new address.
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 255, reason: 'Unknown' } } });
    expect(p.status?.podIP).toBe('10.244.0.3');
    expect(before?.metadata?.uid).toBe(p.metadata?.uid);
    expect(events.find((e) => e.reason === 'SandboxChanged')?.message).toBe('Pod sandbox changed, it will be killed and re-created.');
    expect(events.find((e) => e.reason === 'Starting')?.message).toBe('Starting kubelet.');
    expect(events.find((e) => e.reason === 'Rebooted')?.message).toMatch(/^Node node-1 has been rebooted, boot id: [0-9a-f-]{36}$/);
  });

  it('stopKubelet: the containers run on, but nothing is written until the kubelet is back', () => {
    // The container exits with 1 after 50 s: while the kubelet is down nobody restarts it.
    const c = cluster([node('node-1'), pod('web', { node: 'node-1', behavior: { app: { exitAfter: '50s', exitCode: 1 } } })]);
    const renewals = leaseRenewals(c);
    c.runUntil(20_000);
    c.act({ action: 'stopKubelet', node: 'node-1' });
    c.runUntil(45_000);
    expect(runtimePods(c).map((x) => x.state)).toEqual(['running']);
    c.runUntil(70_000);
    expect(requestsFrom(c, 20_000, 70_000)).toBe(0);
    expect(renewals.filter((t) => t > 20_000 && t < 70_000)).toEqual([]);
    // The runtime saw it exit at 50 s; the apiserver still says running.
    expect(runtimePods(c).map((x) => `${x.state} ${x.exitCode}`)).toEqual(['exited 1']);
    expect(getPod(c, 'web')?.status?.containerStatuses?.[0].state?.running).toBeDefined();
    c.act({ action: 'startKubelet', node: 'node-1' });
    // The new kubelet finds the exited container and starts it again (its backoff memory is gone).
    c.runUntil(70_001);
    expect(getPod(c, 'web')?.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 1 } } });
  });

  it('partition: no request reaches the apiserver, the containers keep running; on heal the kubelet catches up', () => {
    const c = cluster([node('node-1'), pod('web', { node: 'node-1' }), pod('gone', { node: 'node-1' })]);
    const renewals = leaseRenewals(c);
    c.runUntil(20_000);
    c.act({ action: 'partition', node: 'node-1' });
    c.runUntil(30_000);
    // Deleted meanwhile: one gracefully (the kubelet must finish it), one forcibly (gone from etcd at once).
    c.act({ action: 'delete', kind: 'Pod', name: 'web' });
    const goneUid = getPod(c, 'gone')!.metadata!.uid!;
    c.apiserver.client('test').delete('Pod', 'default', 'gone', { gracePeriodSeconds: 0 });
    c.runUntil(60_000);
    expect(requestsFrom(c, 20_000, 60_000)).toBe(0);
    expect(renewals.filter((t) => t > 20_000)).toEqual([]);
    expect(c.nodes.view('node-1')).toMatchObject({ kubelet: 'running', partitioned: true });
    expect(runtimePods(c).map((x) => x.state)).toEqual(['running']);
    expect(c.nodes.host('node-1')!.runtime.podContainers(goneUid).map((x) => x.state)).toEqual(['running']);
    c.act({ action: 'heal', node: 'node-1' });
    // The lease loop was backing off (200 ms doubling to 7 s) and gets through within 7 s.
    c.runUntil(67_000);
    expect(renewals.filter((t) => t >= 60_000).length).toBeGreaterThan(0);
    // The pod watch reconnects within 1 s and learns of both deletions: "web" gets its 30 s grace
    // period from then (gone at about 91 s); "gone" is killed locally with its spec's 30 s.
    c.runUntil(90_000);
    expect(getPod(c, 'web')?.metadata?.deletionTimestamp).toBeDefined();
    c.runUntil(95_000);
    expect(getPod(c, 'web')).toBeUndefined();
    expect(c.nodes.host('node-1')!.runtime.podContainers(goneUid)).toEqual([]);
  });

  it('a partitioned kubelet keeps its pods running through the Node going NotReady and back', () => {
    const c = cluster([node('node-1'), pod('web', { node: 'node-1' })]);
    const events = recordEvents(c);
    c.runUntil(10_000);
    c.act({ action: 'partition', node: 'node-1' });
    c.runUntil(120_000);
    const n = c.apiserver.client('t').get('Node', undefined, 'node-1');
    const readyNow = n.ok ? ((n.object.status as { conditions: Array<{ type: string; status: string }> }).conditions.find((x) => x.type === 'Ready')?.status) : '';
    // The node lifecycle controller's doing (no heartbeats for the grace period): Ready Unknown.
    expect(readyNow).toBe('Unknown');
    c.act({ action: 'heal', node: 'node-1' });
    c.runUntil(140_000);
    const after = c.apiserver.client('t').get('Node', undefined, 'node-1');
    expect(after.ok && (after.object.status as { conditions: Array<{ type: string; status: string }> }).conditions.find((x) => x.type === 'Ready')?.status).toBe('True');
    expect(times(events, 'NodeReady').length).toBe(1);
    expect(getPod(c, 'web')?.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
    expect(getPod(c, 'web')?.status?.containerStatuses?.[0].restartCount).toBe(0);
  });

  it('the same faults give the same cluster, run after run', () => {
    const make = () =>
      cluster([node('node-1'), node('node-2'), pod('a', { node: 'node-1', behavior: { app: { exitAfter: '7s', exitCode: 1 } } }), pod('b', { node: 'node-2' }), pod('c')]);
    const runs = [make(), make()];
    for (const c of runs) {
      c.runUntil(15_000);
      c.act({ action: 'powerOff', node: 'node-2' });
      c.runUntil(40_000);
      c.act({ action: 'powerOn', node: 'node-2' });
      c.act({ action: 'partition', node: 'node-1' });
      c.runUntil(70_000);
      c.act({ action: 'heal', node: 'node-1' });
      c.runUntil(120_000);
    }
    expect(runs[0].stateHash()).toBe(runs[1].stateHash());
  });
});
