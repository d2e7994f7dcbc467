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

describe('determinism', () => {
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

  it('another seed gives another history', () => {
    const a = createCluster(scenario(1));
    const b = createCluster(scenario(2));
    a.runUntil(10_000);
    b.runUntil(10_000);
    expect(a.stateHash()).not.toBe(b.stateHash());
  });
});
