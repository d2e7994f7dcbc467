import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster, type Cluster } from '../cluster';
import { Rng } from '../kernel/rng';
import type { Action } from '../model';
import { emptyScenario } from '../model';
import type { NodeLifecycleController } from './node-lifecycle';
import { MonitorPlan } from './node-lifecycle-pass-plan';

const GRACE = '50000/60000';

/** A plan after a full pass over a, b, c (zones z1, z1, z2), with what that pass found. */
function planAfterWalk() {
  const plan = new MonitorPlan();
  expect(plan.pick(0, GRACE, () => true)).toBeUndefined();
  plan.begin(['a', 'b', 'c'], (i) => ['z1', 'z1', 'z2'][i]);
  plan.record('a', { zone: 'z1', ready: true, quietUntil: 40_000 });
  plan.record('b', { zone: 'z1', ready: false });
  plan.record('c', { zone: 'z2', ready: true, quietUntil: 45_000 });
  plan.end(GRACE);
  return plan;
}

describe('MonitorPlan', () => {
  it('picks the unsettled, the touched and the overdue nodes, in list order', () => {
    const plan = planAfterWalk();
    expect([...plan.zones()]).toEqual([
      ['z1', { ready: 1, notReady: 1 }],
      ['z2', { ready: 1, notReady: 0 }],
    ]);
    // b is not quiet; a and c are until their deadlines are past (strictly).
    expect(plan.pick(5_000, GRACE, () => true)).toEqual(['b']);
    plan.end(GRACE);
    plan.touched('c', 'node');
    plan.touched('nobody', 'lease');
    expect(plan.pick(10_000, GRACE, () => true)).toEqual(['b', 'c']);
    plan.record('b', { zone: 'z1', ready: false });
    plan.record('c', { zone: 'z2', ready: true, quietUntil: 55_000 });
    plan.end(GRACE);
    expect(plan.pick(40_000, GRACE, () => true)).toEqual(['b']);
    plan.end(GRACE);
    // a's deadline is past; c's first deadline (45 s) was replaced by 55 s.
    expect(plan.pick(45_001, GRACE, () => true)).toEqual(['a', 'b']);
  });

  it('asks for a full pass when nodes change, the grace periods change, or a zone is not known', () => {
    const plan = planAfterWalk();
    expect(plan.pick(5_000, '40000/60000', () => true)).toBeUndefined();
    expect(plan.pick(5_000, GRACE, (z) => z !== 'z2')).toBeUndefined();
    plan.reset();
    expect(plan.pick(5_000, GRACE, () => true)).toBeUndefined();
  });

  it("orders zones by their first counted node: a zone whose first node stops counting moves behind", () => {
    const plan = new MonitorPlan();
    plan.begin(['a', 'b', 'c'], (i) => ['z1', 'z2', 'z1'][i]);
    plan.record('a', { zone: 'z1', ready: true });
    plan.record('b', { zone: 'z2', ready: true });
    plan.record('c', { zone: 'z1', ready: false });
    plan.end(GRACE);
    expect([...plan.zones().keys()]).toEqual(['z1', 'z2']);
    // a's status write failed: it counts nowhere this pass.
    plan.record('a', { ready: false });
    expect([...plan.zones()]).toEqual([
      ['z2', { ready: 1, notReady: 0 }],
      ['z1', { ready: 0, notReady: 1 }],
    ]);
    // c too: z1 has no counted node and is left out.
    plan.record('c', { ready: false });
    expect([...plan.zones().keys()]).toEqual(['z2']);
  });
});

// The plan is only an optimisation: a pass over the picked nodes must do what
// a walk over every node does. Two clusters, the same random faults; one
// controller walks every node on every pass.
const node = (name: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
  status: { capacity: { cpu: '4', memory: '8Gi', pods: '20' } },
});
const zoned = (zone: string, extra: Record<string, string> = {}) => ({ 'topology.kubernetes.io/zone': zone, ...extra });
const NODES = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'c1', 'c2', 'x1', 'n1'];
const labelsOf = (name: string) => (name === 'n1' ? {} : name === 'x1' ? zoned('x', { 'node.kubernetes.io/exclude-disruption': '' }) : zoned(name[0]));

function build(): Cluster {
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 12,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] } },
    },
  };
  return createCluster({ ...emptyScenario(), seed: 'pass-plan', objects: [...NODES.map((n) => node(n, labelsOf(n))), deployment] });
}

function randomAction(rng: Rng): Action {
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];
  const n = pick(NODES);
  switch (rng.int(9)) {
    case 0:
      return { action: 'powerOff', node: n };
    case 1:
      return { action: 'powerOn', node: n };
    case 2:
      return { action: pick(['stopKubelet', 'startKubelet'] as const), node: n };
    case 3:
      return { action: pick(['partition', 'heal'] as const), node: n };
    case 4:
      return { action: pick(['cordon', 'uncordon'] as const), node: n };
    case 5:
      // Moved to another zone, or into or out of the zones' health.
      return { action: 'apply', manifests: [node(n, pick([zoned('a'), zoned('c'), zoned('b', { 'node.kubernetes.io/exclude-disruption': '' }), labelsOf(n)]))] };
    case 6:
      return { action: pick(['stopComponent', 'startComponent'] as const), component: 'kube-apiserver' };
    case 7:
      return { action: 'delete', kind: 'Node', name: n };
    default:
      return { action: 'apply', manifests: [node(n, labelsOf(n))] };
  }
}

describe('a monitor pass over the picked nodes', () => {
  for (const seed of [1, 2, 3]) {
    it(`does what a walk over every node does, through random node faults (seed ${seed})`, () => {
      const picking = build();
      const walking = build();
      const walker = () => walking.controllerManager.controller<NodeLifecycleController>('node-lifecycle-controller');
      // A controller-manager that loses its lease (the apiserver stopped) builds a new controller when it leads
      // again; its first pass is 100 ms later, so steps of 50 ms find it in time.
      const walk = (until: number) => {
        for (let t = walking.now; t < until; ) {
          t = Math.min(until, t + 50);
          const c = walker();
          if (c) c.lookAtEveryNode = true;
          walking.runUntil(t);
        }
      };
      const rng = new Rng(seed);
      for (let t = 20_000; t <= 900_000; t += 20_000) {
        if (rng.int(3) === 0) {
          const a = randomAction(rng);
          picking.act(a);
          walking.act(a);
        }
        picking.runUntil(t);
        walk(t);
        expect(picking.stateHash(), `at ${t} ms`).toBe(walking.stateHash());
      }
      const zones = (c: Cluster) => c.controllerManager.controller<NodeLifecycleController>('node-lifecycle-controller')?.zones();
      expect(zones(picking)).toEqual(zones(walking));
    });
  }
});
