import { describe, expect, it } from 'vitest';
import type { Node } from '../api/types';
import { Kernel } from '../kernel/kernel';
import { AddressRange } from './address-range';
import { defaultLoadBalancerName } from './cloud-api';
import { Instances, instanceTypeFor, regionOf } from './instances';
import { HEALTH_CHECK_INTERVAL_MS, LoadBalancers } from './load-balancers';

const node = (name: string, labels: Record<string, string> = {}, capacity: Record<string, string> = { cpu: '4', memory: '16Gi' }): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
  status: { capacity },
});

describe('the load balancer address range', () => {
  it('hands out the lowest free host address, never the network or broadcast address', () => {
    // 203.0.113.0/30: .0 is the network, .3 the broadcast; .1 and .2 are the hosts.
    const r = new AddressRange('203.0.113.0/30');
    expect([r.allocate(), r.allocate(), r.allocate()]).toEqual(['203.0.113.1', '203.0.113.2', undefined]);
    r.release('203.0.113.1');
    expect(r.allocate()).toBe('203.0.113.1');
  });

  it('gives a requested address when it is in the range and free, and says why not otherwise', () => {
    const r = new AddressRange('203.0.113.0/24');
    expect(r.claim('203.0.113.77')).toBeUndefined();
    expect(r.claim('203.0.113.77')).toBe('requested IP "203.0.113.77" is already in use by another load balancer');
    expect(r.claim('198.51.100.7')).toBe('requested IP "198.51.100.7" is not in the load balancer range 203.0.113.0/24');
    expect(r.claim('203.0.113.255')).toMatch(/not in the load balancer range/);
  });
});

describe('instances', () => {
  it('are named for their size as Compute Engine names machine types', () => {
    expect(instanceTypeFor({ cpu: '4', memory: '16Gi' })).toBe('kv1-standard-4'); // 4 GiB per vCPU
    expect(instanceTypeFor({ cpu: '2', memory: '16Gi' })).toBe('kv1-highmem-2'); // 8 GiB per vCPU
    expect(instanceTypeFor({ cpu: '8', memory: '8Gi' })).toBe('kv1-highcpu-8'); // 1 GiB per vCPU
    expect(instanceTypeFor({ cpu: '3', memory: '5Gi' })).toBe('kv1-custom-3-5120');
  });

  it('take their region from the zone name, as clouds name zones', () => {
    expect(regionOf('us-east-1a')).toBe('us-east-1');
    expect(regionOf('us-central1-b')).toBe('us-central1');
    expect(regionOf('zone-a')).toBe('kubeviz-1');
  });

  it('run in the zone the Node names, with providerID kubeviz://<zone>/<node>; a terminated one no longer counts', () => {
    let powered = true;
    const inv = new Instances(new Kernel(1).rng, () => powered);
    const n = node('node-1', { 'topology.kubernetes.io/zone': 'us-east-1b' });
    const i = inv.launch(n, '10.0.1.1', 0);
    expect(i).toMatchObject({ name: 'node-1', providerID: 'kubeviz://us-east-1b/node-1', zone: 'us-east-1b', region: 'us-east-1', privateIP: '10.0.1.1', state: 'running' });
    expect(i.id).toMatch(/^i-[0-9a-f]{17}$/);
    powered = false;
    expect(inv.forNode(n)?.state).toBe('stopped');
    inv.terminate('node-1');
    expect(inv.forNode(n)).toBeUndefined();
    expect(inv.list().map((x) => x.state)).toEqual(['terminated']);
    // The same name joining again is a new machine.
    powered = true;
    const again = inv.launch(n, '10.0.1.1', 5);
    expect(again.id).not.toBe(i.id);
    expect(inv.forNode({ ...n, spec: { providerID: 'kubeviz://us-east-1b/node-1' } })?.id).toBe(again.id);
  });
});

describe("upstream's DefaultLoadBalancerName", () => {
  it('is "a" and the uid without dashes, cut to 32 characters', () => {
    const name = defaultLoadBalancerName({ metadata: { uid: 'd5b0c7e2-1f3a-4b6c-9d8e-7f6a5b4c3d2e' } });
    // "a" + 32 hex digits = 33 characters, cut to 32: the last digit goes.
    expect(name).toBe('ad5b0c7e21f3a4b6c9d8e7f6a5b4c3d2');
  });
});

describe("a load balancer's health check (Compute Engine L4: every 8 s, healthy after 1 success, unhealthy after 3 failures)", () => {
  it('marks a backend Unhealthy on the third failed probe in a row, two intervals after the first failure', () => {
    const kernel = new Kernel(1);
    let up = true;
    const lbs = new LoadBalancers(kernel, new AddressRange('203.0.113.0/24'), () => up);
    lbs.ensure('a1', 'default/web', [{ port: 80, protocol: 'TCP', nodePort: 30080 }], '', [{ node: 'n1', providerID: 'kubeviz://z/n1' }]);
    const health = () => lbs.get('a1')!.backends[0].health;
    expect(health()).toBe('Unknown');
    kernel.runUntil(0); // the first probe goes out at once
    expect(health()).toBe('Healthy');
    kernel.runUntil(10_000);
    up = false; // down at 10 s: the probes at 16 s and 24 s fail, the third failure is at 32 s
    kernel.runUntil(16_000 + 2 * HEALTH_CHECK_INTERVAL_MS - 1);
    expect(health()).toBe('Healthy');
    kernel.runUntil(32_000);
    expect(health()).toBe('Unhealthy');
    up = true; // one success is enough
    kernel.runUntil(40_000);
    expect(health()).toBe('Healthy');
  });

  it("keeps a node's health when the backends change, and frees the address when deleted", () => {
    const kernel = new Kernel(1);
    const range = new AddressRange('203.0.113.0/30');
    const lbs = new LoadBalancers(kernel, range, () => true);
    lbs.ensure('a1', 'default/web', [], '', [{ node: 'n1', providerID: '' }]);
    kernel.runUntil(0);
    lbs.update('a1', [
      { node: 'n1', providerID: 'kubeviz://z/n1' },
      { node: 'n2', providerID: 'kubeviz://z/n2' },
    ]);
    expect(lbs.get('a1')!.backends.map((b) => `${b.node}:${b.health}`)).toEqual(['n1:Healthy', 'n2:Unknown']);
    expect(lbs.update('a2', [])).toEqual({ ok: false, error: 'load balancer a2 not found' });
    lbs.delete('a1');
    expect(range.allocate()).toBe('203.0.113.1');
  });
});
