import type { Lease } from 'kubernetes-types/coordination/v1';
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../cluster';
import { virtualMs } from '../kernel/time';
import { cloudCalls, cloudCluster, eventsFor, getNode, node, readyOf, taintsOf } from './testing';

const SHUTDOWN = 'node.cloudprovider.kubernetes.io/shutdown:NoSchedule';

/**
 * When kube-controller-manager's node lifecycle controller turns the node
 * Ready=Unknown, from its Lease's last renewal L: its passes run at
 * 0.1 s + 5 s n; the first pass after the renewal reached it (L + 1 ms watch
 * delay) is its probe time p0, and the node goes Unknown at the first pass
 * more than 40 s (node-monitor-grace-period) later: p0 + 45 s.
 */
function unknownAt(c: Cluster, nodeName: string): number {
  const r = c.apiserver.client('test').get('Lease', 'kube-node-lease', nodeName);
  const renewed = virtualMs((r.ok ? (r.object as Lease) : undefined)!.spec!.renewTime!);
  const p0 = 100 + 5_000 * Math.ceil((renewed + 1 - 100) / 5_000);
  return p0 + 45_000;
}

/** cloud-node-lifecycle-controller's passes run at 5 s m (its first at once): the first one after t. */
const nextCloudPass = (t: number) => 5_000 * Math.ceil(t / 5_000);

describe('cloud-node-lifecycle-controller', () => {
  it('deletes a not-Ready Node whose instance no longer exists, with upstream\'s "DeletingNode" event', () => {
    const c = cloudCluster([node('node-1'), node('node-2')]);
    c.runUntil(30_000);
    expect(c.act({ action: 'deleteMachine', node: 'node-2' })[0]).toMatchObject({ ok: true, message: expect.stringMatching(/^node\/node-2: deleteMachine \(instance i-[0-9a-f]{17} terminated\)$/) });
    expect(c.cloud!.instances.list().find((i) => i.name === 'node-2')?.state).toBe('terminated');
    const unknown = unknownAt(c, 'node-2');
    // The Ready=Unknown write reaches the cloud controller 1 ms later; its next pass finds the instance gone.
    const deleted = nextCloudPass(unknown + 1);
    c.runUntil(unknown - 1);
    expect(readyOf(getNode(c, 'node-2'))?.status).toBe('True'); // still within the grace period: nothing asked
    expect(cloudCalls(c, 'InstanceExists')).toEqual([]);
    c.runUntil(deleted - 1);
    expect(readyOf(getNode(c, 'node-2'))?.status).toBe('Unknown');
    c.runUntil(deleted);
    expect(getNode(c, 'node-2')).toBeUndefined();
    expect(cloudCalls(c, 'InstanceExists')).toEqual([{ t: deleted, verb: 'InstanceExists', key: 'node-2', ok: true }]);
    const ev = eventsFor(c, 'Node', 'node-2').find((e) => e.reason === 'DeletingNode')!;
    expect(ev).toMatchObject({ type: 'Normal', message: 'Deleting node node-2 because it does not exist in the cloud provider', source: { component: 'cloud-node-lifecycle-controller' } });
    expect(getNode(c, 'node-1')).toBeDefined();
  });

  it('taints a not-Ready Node whose instance is stopped (powerOff) and keeps it; the taint goes once it is Ready again', () => {
    const c = cloudCluster([node('node-1'), node('node-2')]);
    c.runUntil(30_000);
    c.act({ action: 'powerOff', node: 'node-1' });
    expect(c.cloud!.instances.byName('node-1')?.state).toBe('stopped');
    const tainted = nextCloudPass(unknownAt(c, 'node-1') + 1);
    c.runUntil(tainted - 1);
    expect(taintsOf(getNode(c, 'node-1'))).not.toContain(SHUTDOWN);
    c.runUntil(tainted);
    expect(taintsOf(getNode(c, 'node-1'))).toContain(SHUTDOWN);
    c.runUntil(tainted + 60_000);
    // Still there (a stopped instance still exists), still tainted, asked every pass.
    expect(getNode(c, 'node-1')).toBeDefined();
    expect(taintsOf(getNode(c, 'node-1'))).toContain(SHUTDOWN);
    expect(cloudCalls(c, 'InstanceShutdown').length).toBe(13); // tainted .. tainted + 60 s: 13 passes
    c.act({ action: 'powerOn', node: 'node-1' });
    c.runUntil(c.now + 1_000);
    const back = readyOf(getNode(c, 'node-1'))!;
    expect(back.status).toBe('True');
    c.runUntil(nextCloudPass(virtualMs(back.since) + 1));
    expect(taintsOf(getNode(c, 'node-1'))).not.toContain(SHUTDOWN);
  });

  it('leaves a not-Ready Node alone while its instance runs (its kubelet stopped)', () => {
    const c = cloudCluster([node('node-1')]);
    c.runUntil(30_000);
    c.act({ action: 'stopKubelet', node: 'node-1' });
    c.runUntil(150_000);
    const n = getNode(c, 'node-1');
    expect(readyOf(n)?.status).toBe('Unknown');
    expect(taintsOf(n)).not.toContain(SHUTDOWN);
    // It did ask, every pass since the node went Unknown: the instance exists and is not shut down.
    expect(cloudCalls(c, 'InstanceExists').length).toBeGreaterThan(10);
    expect(cloudCalls(c, 'InstanceShutdown').length).toBe(cloudCalls(c, 'InstanceExists').length);
  });

  it('deleteMachine needs a cloud, happens once, and a terminated instance cannot be powered on', () => {
    const bare = cloudCluster([node('node-1')], { cloud: null });
    expect(bare.act({ action: 'deleteMachine', node: 'node-1' })[0]).toMatchObject({ ok: false, message: expect.stringContaining('the cluster has no cloud') });
    expect(bare.machine('node-1').powered).toBe(true);
    const c = cloudCluster([node('node-1')]);
    c.runUntil(1_000);
    c.act({ action: 'deleteMachine', node: 'node-1' });
    expect(c.machine('node-1').powered).toBe(false);
    expect(c.act({ action: 'deleteMachine', node: 'node-1' })[0]).toEqual({ ok: false, message: 'node/node-1: its instance is already terminated' });
    expect(c.act({ action: 'powerOn', node: 'node-1' })[0]).toMatchObject({ ok: false, message: expect.stringContaining('its instance was terminated') });
    expect(c.machine('node-1').powered).toBe(false);
  });
});
