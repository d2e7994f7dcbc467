import { describe, expect, it } from 'vitest';
import { createCluster } from './cluster';
import type { KubeObject } from './api/types';
import { emptyScenario, type ScenarioModel } from './model';

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });

function scenario(seed: number): ScenarioModel {
  return {
    ...emptyScenario(),
    seed,
    controlPlane: { etcdMembers: 5 },
    objects: [node('a'), node('b')],
    timeline: [
      { at: 2000, action: 'stopComponent', component: 'etcd-1' },
      { at: 4000, action: 'cordon', node: 'a' },
      { at: 6000, action: 'startComponent', component: 'etcd-1' },
      {
        at: 7000,
        action: 'apply',
        manifests: [{ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'w-' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }],
      },
    ],
  };
}

/** Every component busy: a Deployment, a DaemonSet, a Job, a Service, and faults that make them all react. */
function busy(seed: number): ScenarioModel {
  const app = (name: string) => ({ metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] } });
  return {
    ...emptyScenario(),
    seed,
    objects: [
      node('a'),
      node('b'),
      node('c'),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: app('web') } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: app('agent') } },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'batch', namespace: 'default' },
        spec: {
          completions: 3,
          parallelism: 2,
          template: {
            metadata: { annotations: { 'kubeviz.dev/behavior': '{"c": {"exitAfter": "5s", "exitCode": 0}}' } },
            spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] },
          },
        },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
    ],
    timeline: [
      { at: 10_000, action: 'powerOff', node: 'a' },
      { at: 100_000, action: 'fillMemory', node: 'b' },
      { at: 150_000, action: 'partition', node: 'c' },
      { at: 200_000, action: 'freeMemory', node: 'b' },
      { at: 300_000, action: 'heal', node: 'c' },
      { at: 320_000, action: 'powerOn', node: 'a' },
    ],
  };
}

describe('determinism', () => {
  it('every component, through faults and healing: the same state at every instant', () => {
    const a = createCluster(busy(8));
    const b = createCluster(busy(8));
    for (let t = 0; t <= 600_000; t += 25_000) {
      a.runUntil(t);
      b.runUntil(t);
      expect(a.stateHash(), `at ${t} ms`).toBe(b.stateHash());
    }
    expect(JSON.stringify(a.objects())).toBe(JSON.stringify(b.objects()));
    expect(JSON.stringify(a.trace(a.kernel.trace.count - 2000))).toBe(JSON.stringify(b.trace(b.kernel.trace.count - 2000)));
  });

  it('the same scenario and actions give the same state hash at every instant', () => {
    const a = createCluster(scenario(3));
    const b = createCluster(scenario(3));
    for (const t of [0, 1500, 3000, 6500, 8000, 60_000]) {
      a.runUntil(t);
      b.runUntil(t);
      expect(a.stateHash()).toBe(b.stateHash());
    }
    a.act({ action: 'drain', node: 'b' });
    b.act({ action: 'drain', node: 'b' });
    a.runUntil(90_000);
    b.runUntil(90_000);
    expect(a.stateHash()).toBe(b.stateHash());
    expect(JSON.stringify(a.objects())).toBe(JSON.stringify(b.objects()));
  });

  it('stepping event by event reaches the same state as running to the instant', () => {
    const a = createCluster(scenario(5));
    const b = createCluster(scenario(5));
    while ((a.nextEventTime() ?? Infinity) <= 10_000) a.step();
    a.runUntil(10_000);
    b.runUntil(10_000);
    expect(a.stateHash()).toBe(b.stateHash());
  });

  it("an HA control plane through a leader's power loss: the same state and the same leaders at every instant", () => {
    const ha = (seed: number): ScenarioModel => ({
      ...busy(seed),
      controlPlane: { etcdMembers: 3, nodes: 3 },
      timeline: [
        { at: 20_000, action: 'stopComponent', component: 'kube-scheduler-1' },
        { at: 40_000, action: 'powerOff', node: 'control-plane-1' },
        { at: 45_000, action: 'scale', kind: 'Deployment', name: 'web', replicas: 6 },
        { at: 90_000, action: 'powerOn', node: 'control-plane-1' },
        { at: 100_000, action: 'stopComponent', component: 'kube-apiserver-2' },
      ],
    });
    const a = createCluster(ha(4));
    const b = createCluster(ha(4));
    for (let t = 0; t <= 150_000; t += 5_000) {
      a.runUntil(t);
      b.runUntil(t);
      expect(a.stateHash(), `at ${t} ms`).toBe(b.stateHash());
    }
    // The hash covers who leads and the load balancer's view; check they moved, so the comparison meant something.
    const leaders = (c: typeof a) => c.components().filter((x) => x.leader).map((x) => x.name);
    expect(leaders(a)).toEqual(leaders(b));
    expect(leaders(a)).not.toContain('kube-controller-manager-1');
    expect(a.apiserver.loadBalancerView()!.backends.find((x) => x.name === 'kube-apiserver-2')!.up).toBe(false);
    expect(JSON.stringify(a.trace(a.kernel.trace.count - 2000))).toBe(JSON.stringify(b.trace(b.kernel.trace.count - 2000)));
  });

  it('another seed gives another history', () => {
    const a = createCluster(scenario(1));
    const b = createCluster(scenario(2));
    a.runUntil(10_000);
    b.runUntil(10_000);
    expect(a.stateHash()).not.toBe(b.stateHash());
  });
});
