import type { Lease } from 'kubernetes-types/coordination/v1';
import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';
import { DEFAULT_CLOUD, emptyScenario } from '../model';
import { cloudCluster, getNode, getService, lbService, node, taintsOf } from './testing';

const UNINITIALIZED = 'node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule';

describe('cloud-controller-manager', () => {
  it('runs as a component of a cluster on a cloud, leading through the Lease kube-system/cloud-controller-manager', () => {
    const c = cloudCluster([node('node-1')]);
    c.runUntil(1_000);
    expect(c.components().find((x) => x.name === 'cloud-controller-manager')).toEqual({ name: 'cloud-controller-manager', state: 'running', host: 'control-plane', leader: true });
    expect(c.componentNames()).toContain('cloud-controller-manager');
    const r = c.apiserver.client('test').get('Lease', 'kube-system', 'cloud-controller-manager');
    expect(r.ok && (r.object as Lease).spec?.holderIdentity).toBe(c.cloudControllerManager!.identity);
    expect(c.cloudControllerManager!.identity).toMatch(/^control-plane_[0-9a-f-]{36}$/);
  });

  it('stopped, initializes nothing and ensures nothing; started again, a new candidate waits out the 15 s Lease, then catches up', () => {
    const c = cloudCluster([node('node-1')]);
    c.runUntil(10_000);
    expect(c.act({ action: 'stopComponent', component: 'cloud-controller-manager' })[0]).toEqual({ ok: true, message: 'cloud-controller-manager stopped' });
    expect(c.components().find((x) => x.name === 'cloud-controller-manager')?.state).toBe('stopped');
    c.act({ action: 'apply', manifests: [node('node-2'), lbService('web')] });
    c.runUntil(30_000);
    expect(taintsOf(getNode(c, 'node-2'))).toContain(UNINITIALIZED);
    expect(getService(c, 'web')?.status?.loadBalancer).toEqual({});
    c.act({ action: 'startComponent', component: 'cloud-controller-manager' });
    // It reads the old holder's record at 30 s and may take over only once that has not changed for 15 s:
    // at its first retry from 45 s (retries every 2 s to 4.4 s), then 100 ms for its caches.
    c.runUntil(45_000);
    expect(taintsOf(getNode(c, 'node-2'))).toContain(UNINITIALIZED);
    c.runUntil(49_600);
    expect(taintsOf(getNode(c, 'node-2'))).not.toContain(UNINITIALIZED);
    expect(getService(c, 'web')?.status?.loadBalancer?.ingress?.[0]?.ip).toBe('203.0.113.1');
  });

  it('in a highly available control plane it runs on control-plane-1: powering that machine off stops it, powering it on starts it', () => {
    const c = createCluster({ ...emptyScenario(), controlPlane: { etcdMembers: 3, nodes: 3 }, cloud: { ...DEFAULT_CLOUD }, objects: [node('node-1')] });
    c.runUntil(1_000);
    const ccm = () => c.components().find((x) => x.name === 'cloud-controller-manager');
    expect(ccm()).toMatchObject({ state: 'running', host: 'control-plane-1', leader: true });
    expect(c.act({ action: 'powerOff', node: 'control-plane-1' })[0].message).toContain('cloud-controller-manager');
    expect(ccm()?.state).toBe('stopped');
    expect(c.act({ action: 'startComponent', component: 'cloud-controller-manager' })[0]).toEqual({
      ok: false,
      message: 'cloud-controller-manager cannot start: its machine control-plane-1 is powered off',
    });
    c.runUntil(2_000);
    c.act({ action: 'powerOn', node: 'control-plane-1' });
    expect(ccm()?.state).not.toBe('stopped');
  });

  it('names itself in the error for an unknown component', () => {
    const c = cloudCluster([node('node-1')]);
    const out = c.act({ action: 'stopComponent', component: 'cloud-manager' })[0];
    expect(out.ok).toBe(false);
    expect(out.message).toMatch(/kube-controller-manager, cloud-controller-manager\)$/);
    const bare = cloudCluster([node('node-1')], { cloud: null });
    expect(bare.act({ action: 'stopComponent', component: 'cloud-controller-manager' })[0].ok).toBe(false);
  });

  it('is deterministic: the same scenario and actions give the same state, cloud included', () => {
    const run = () => {
      const c = cloudCluster([node('node-1'), node('node-2', 'us-east-1b'), lbService('web')], {
        seed: 5,
        timeline: [
          { at: 20_000, action: 'deleteMachine', node: 'node-2' },
          { at: 40_000, action: 'powerOff', node: 'node-1' },
        ],
      });
      c.runUntil(120_000);
      return { hash: c.stateHash(), cloud: JSON.stringify(c.cloud!.view()) };
    };
    const a = run();
    expect(run()).toEqual(a);
  });
});
