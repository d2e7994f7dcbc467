// Random fault schedules thrown at a small cluster: whatever breaks and in
// whatever order, the simulation must keep Kubernetes' promises at every
// step, and heal once the faults are repaired.
//   - no node ever holds pods whose requests exceed its allocatable;
//   - a pod, once bound, never moves to another node;
//   - every write the apiserver acknowledged is still there (etcd keeps
//     quorum writes through member failures);
//   - once every fault is healed, the Deployment is whole again: all its
//     replicas Running and Ready on Ready nodes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Deployment, KubeObject, Node, Pod } from './api/types';
import { createCluster, type Cluster } from './cluster';
import { emptyScenario, type TimelineEntry } from './model';
import { podRequests, resourceFromList } from './scheduler/framework/resources';

const NODES = ['node-1', 'node-2', 'node-3', 'node-4'];
const ZONES = ['zone-a', 'zone-b'];
const REPLICAS = 4;

const node = (name: string, i: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'topology.kubernetes.io/zone': ZONES[i % ZONES.length] } },
  status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' } },
});

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: REPLICAS,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: { requests: { cpu: '700m', memory: '512Mi' } } }] },
    },
  },
};

type Fault =
  | { kind: 'node'; verb: 'powerOff' | 'stopKubelet' | 'partition'; node: number; at: number; healAfter: number }
  | { kind: 'component'; component: string; at: number; healAfter: number }
  | { kind: 'write'; at: number };

const HEAL = { powerOff: 'powerOn', stopKubelet: 'startKubelet', partition: 'heal' } as const;
/** Every fault is repaired by then. */
const ALL_HEALED = 200_000;

const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({
    kind: fc.constant('node' as const),
    verb: fc.constantFrom('powerOff' as const, 'stopKubelet' as const, 'partition' as const),
    node: fc.integer({ min: 0, max: NODES.length - 1 }),
    at: fc.integer({ min: 1_000, max: 120_000 }),
    healAfter: fc.integer({ min: 1_000, max: 80_000 }),
  }),
  fc.record({
    kind: fc.constant('component' as const),
    component: fc.constantFrom('etcd-1', 'etcd-2', 'etcd-3', 'kube-scheduler', 'kube-controller-manager'),
    at: fc.integer({ min: 1_000, max: 120_000 }),
    healAfter: fc.integer({ min: 1_000, max: 80_000 }),
  }),
  fc.record({ kind: fc.constant('write' as const), at: fc.integer({ min: 1_000, max: 190_000 }) }),
);

function timeline(faults: Fault[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  faults.forEach((f, i) => {
    if (f.kind === 'write') {
      out.push({ at: f.at, action: 'apply', manifests: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `probe-${i}` } }] });
      return;
    }
    const healAt = Math.min(f.at + f.healAfter, ALL_HEALED);
    if (f.kind === 'node') {
      out.push({ at: f.at, action: f.verb, node: NODES[f.node] });
      out.push({ at: healAt, action: HEAL[f.verb], node: NODES[f.node] });
    } else {
      out.push({ at: f.at, action: 'stopComponent', component: f.component });
      out.push({ at: healAt, action: 'startComponent', component: f.component });
    }
  });
  return out.sort((a, b) => a.at - b.at);
}

const pods = (c: Cluster) => c.objects().filter((o) => o.kind === 'Pod') as unknown as Pod[];

/** Requests of the pods a node holds (terminated pods hold nothing), against its allocatable. */
function overcommitted(c: Cluster): string[] {
  const out: string[] = [];
  const byNode = new Map<string, Pod[]>();
  for (const p of pods(c)) {
    const n = p.spec?.nodeName;
    if (!n || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  for (const o of c.objects().filter((x) => x.kind === 'Node') as unknown as Node[]) {
    const alloc = resourceFromList(o.status?.allocatable as Record<string, string>);
    const list = byNode.get(o.metadata!.name!) ?? [];
    let cpu = 0;
    let mem = 0;
    for (const p of list) {
      const r = podRequests(p);
      cpu += r.milliCPU;
      mem += r.memory;
    }
    if (cpu > alloc.milliCPU || mem > alloc.memory || list.length > alloc.allowedPodNumber) out.push(`${o.metadata!.name}: ${cpu}m of ${alloc.milliCPU}m, ${list.length} pods`);
  }
  return out;
}

function check(faults: Fault[]): void {
  const cluster = createCluster({ ...emptyScenario(), seed: 'faults', objects: [...NODES.map(node), deployment], timeline: timeline(faults) });
  const boundTo = new Map<string, string>();
  for (let t = 1_000; t <= ALL_HEALED + 900_000; t += 1_000) {
    cluster.runUntil(t);
    expect(overcommitted(cluster), `at ${t} ms`).toEqual([]);
    for (const p of pods(cluster)) {
      const uid = p.metadata!.uid!;
      const n = p.spec?.nodeName;
      if (!n) continue;
      const before = boundTo.get(uid);
      if (before !== undefined) expect(n, `pod ${p.metadata!.name} at ${t} ms`).toBe(before);
      boundTo.set(uid, n);
    }
  }
  // Acknowledged writes survived.
  const acked = cluster.actions.filter((a) => a.action.action === 'apply' && a.outcomes.every((o) => o.ok));
  const namespaces = new Set(cluster.objects().filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  for (const a of acked) for (const m of (a.action as { manifests: KubeObject[] }).manifests) expect(namespaces.has(m.metadata.name)).toBe(true);
  // Healed: all nodes Ready, the Deployment whole, its pods Running and Ready.
  const nodes = cluster.objects().filter((o) => o.kind === 'Node') as unknown as Node[];
  for (const n of nodes) expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status, n.metadata?.name).toBe('True');
  const d = cluster.objects().find((o) => o.kind === 'Deployment') as unknown as Deployment;
  expect(d.status?.availableReplicas).toBe(REPLICAS);
  const web = pods(cluster).filter((p) => p.metadata?.labels?.app === 'web' && !p.metadata?.deletionTimestamp);
  expect(web).toHaveLength(REPLICAS);
  for (const p of web) {
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  }
}

describe('random fault schedules', () => {
  it('keep every invariant and converge once healed', () => {
    fc.assert(
      fc.property(fc.array(fault, { minLength: 1, maxLength: 6 }), (faults) => check(faults)),
      { numRuns: 12, seed: 20261201 },
    );
  }, 120_000);
});
