// The gallery's config-max scenario: Kubernetes' configuration maximums
// (5,000 nodes, 150,000 pods) settled from the first instant, and its zone
// outage. The simulated checks run on the same file scaled down to 51 nodes
// (17 per zone, 28 Deployment pods and 2 DaemonSet pods on each, as in the
// full one); the full one is built once to check what it holds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DaemonSet, Deployment, KubeObject, Pod, ReplicaSet } from '../../sim/api/types';
import { createCluster, type Cluster } from '../../sim/cluster';
import { computeHash } from '../../sim/controllers/controller-utils-hash';
import { templateHash } from '../../sim/controllers/daemonset-util';
import type { ScenarioModel, TimelineEntry } from '../../sim/model';
import { parseScenario } from '../parse';
import { ScenarioError } from '../problems';

const TEXT = readFileSync(new URL('./config-max.yaml', import.meta.url), 'utf8');
const ZONE = 'topology.kubernetes.io/zone';

/** config-max with `nodes` nodes instead of 5,000: Deployments scaled alike, the timeline's zone-a power-offs kept for the nodes that remain. */
function scaled(nodes: number): ScenarioModel {
  const model = parseScenario(TEXT);
  const full = model.nodePools[0].count;
  model.nodePools[0].count = nodes;
  model.objects = model.objects.map((o) => (o.kind === 'Deployment' ? ({ ...o, spec: { ...(o as Deployment).spec, replicas: ((o as Deployment).spec!.replicas! * nodes) / full } } as KubeObject) : o));
  const width = String(nodes).length;
  model.timeline = model.timeline.flatMap((e): TimelineEntry[] => {
    if (!('node' in e)) return [e];
    const i = Number(e.node.slice('node-'.length));
    return i <= nodes ? [{ ...e, node: `node-${String(i).padStart(width, '0')}` }] : [];
  });
  return model;
}

const of = <T>(c: Cluster, kind: string) => c.objects().filter((o) => o.kind === kind) as unknown as T[];
const controllerUid = (o: KubeObject | Pod) => o.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
const sec = (ts: string | undefined) => (ts ? Date.parse(ts) / 1000 - Date.parse('2026-01-01T00:00:00Z') / 1000 : NaN);

describe('config-max', () => {
  it('holds the configuration maximums: 5,000 nodes in 3 zones, 150,000 pods, 30 per node, each owned by its ReplicaSet or DaemonSet', () => {
    const c = createCluster(parseScenario(TEXT), { schedulerExplainNodes: 0 });
    const nodes = c.etcd.store.countRange('/registry/nodes/');
    expect(nodes).toBe(5000);
    const zones = new Map<string, number>();
    for (const kv of c.etcd.store.range('/registry/nodes/')) {
      const z = (kv.value as KubeObject).metadata.labels![ZONE];
      zones.set(z, (zones.get(z) ?? 0) + 1);
    }
    // 5,000 round-robin over 3 zones: 1,667 + 1,667 + 1,666.
    expect(Object.fromEntries(zones)).toEqual({ 'zone-a': 1667, 'zone-b': 1667, 'zone-c': 1666 });
    const owners = new Set([...of<ReplicaSet>(c, 'ReplicaSet'), ...of<DaemonSet>(c, 'DaemonSet')].map((o) => o.metadata!.uid));
    const perNode = new Map<string, number>();
    let pods = 0;
    for (const kv of c.etcd.store.range('/registry/pods/')) {
      const p = kv.value as Pod;
      pods++;
      expect(owners.has(controllerUid(p)!)).toBe(true);
      perNode.set(p.spec!.nodeName!, (perNode.get(p.spec!.nodeName!) ?? 0) + 1);
    }
    // 2 DaemonSets x 5,000 + Deployments of 50,000 + 40,000 + 30,000 + 20,000.
    expect(pods).toBe(150_000);
    expect(Math.max(...perNode.values())).toBe(30);
    expect(Math.min(...perNode.values())).toBe(30);
    // The timeline powers off zone-a (every third node, from node-0001) at 2 min.
    expect(c.scenario.timeline).toHaveLength(1667);
    expect(new Set(c.scenario.timeline.map((e) => e.at))).toEqual(new Set([120_000]));
  }, 60_000);

  it('starts settled: in the first 60 s no pod is created, deleted or rewritten and every workload reports all replicas available', () => {
    const c = createCluster(scaled(51));
    const before = new Map(of<Pod>(c, 'Pod').map((p) => [p.metadata!.uid, p.metadata!.resourceVersion]));
    // 51 nodes x (2 DaemonSet pods + 28 Deployment pods).
    expect(before.size).toBe(51 * 30);
    const versions = (c2: Cluster) => ['ReplicaSet', 'Deployment', 'DaemonSet'].flatMap((k) => of<KubeObject>(c2, k).map((o) => `${k}/${o.metadata.name}@${o.metadata.resourceVersion}`));
    const workloadVersions = versions(c);

    // Owned as the controllers own them: the pod-template-hash our Deployment controller computes, the DaemonSet's revision hash.
    const rss = of<ReplicaSet>(c, 'ReplicaSet');
    for (const d of of<Deployment>(c, 'Deployment')) {
      const hash = computeHash(d.spec!.template);
      const rs = rss.find((r) => controllerUid(r as KubeObject) === d.metadata!.uid)!;
      expect(rs.metadata!.name).toBe(`${d.metadata!.name}-${hash}`);
      const pods = of<Pod>(c, 'Pod').filter((p) => controllerUid(p) === rs.metadata!.uid);
      expect(pods).toHaveLength(d.spec!.replicas!);
      for (const p of pods) expect(p.metadata!.labels!['pod-template-hash']).toBe(hash);
    }
    for (const ds of of<DaemonSet>(c, 'DaemonSet')) {
      const pods = of<Pod>(c, 'Pod').filter((p) => controllerUid(p) === ds.metadata!.uid);
      expect(new Set(pods.map((p) => p.spec!.nodeName)).size).toBe(51);
      for (const p of pods) expect(p.metadata!.labels!['controller-revision-hash']).toBe(templateHash(ds.spec!.template));
    }

    c.runUntil(60_000);
    const after = of<Pod>(c, 'Pod');
    expect(after.map((p) => [p.metadata!.uid, p.metadata!.resourceVersion])).toEqual([...before]);
    expect(after.every((p) => p.status?.phase === 'Running' && p.status.conditions?.find((x) => x.type === 'Ready')?.status === 'True')).toBe(true);
    // The controllers found their objects as they would have left them: not one status write.
    expect(versions(c)).toEqual(workloadVersions);
    const reasons = new Set(of<KubeObject & { reason?: string }>(c, 'Event').map((e) => e.reason));
    for (const r of ['SuccessfulCreate', 'SuccessfulDelete', 'ScalingReplicaSet', 'Scheduled', 'Pulled', 'Started']) expect(reasons.has(r), r).toBe(false);
    for (const d of of<Deployment>(c, 'Deployment')) expect(d.status?.availableReplicas).toBe(d.spec!.replicas);
    for (const ds of of<DaemonSet>(c, 'DaemonSet')) {
      expect(ds.status?.desiredNumberScheduled).toBe(51);
      expect(ds.status?.numberAvailable).toBe(51);
    }
  });

  it("zone-a's outage: its nodes are tainted one per 10 s, each node's pods evicted 300 s after its taint and recreated in zone-b and zone-c", () => {
    const c = createCluster(scaled(51));
    const zoneOf = new Map(of<KubeObject>(c, 'Node').map((n) => [n.metadata.name!, n.metadata.labels![ZONE]]));
    const zoneA = [...zoneOf].filter(([, z]) => z === 'zone-a').map(([n]) => n);
    // Every third node from node-01: node-01, node-04, ..., node-49.
    expect(zoneA).toHaveLength(17);
    const rsUids = new Set(of<ReplicaSet>(c, 'ReplicaSet').map((r) => r.metadata!.uid));
    const deploymentPods = (c2: Cluster) => of<Pod>(c2, 'Pod').filter((p) => rsUids.has(controllerUid(p)));
    const inZoneA = new Set(deploymentPods(c).filter((p) => zoneOf.get(p.spec!.nodeName!) === 'zone-a').map((p) => p.metadata!.uid));
    // 17 nodes x 28.
    expect(inZoneA.size).toBe(476);

    // Power off at 120 s; Ready=Unknown once the lease is 40 s old (node-monitor-grace-period), the first taint at
    // once, then 0.1 nodes/s; pods tolerate the unreachable taint for 300 s: no eviction before 120 + 40 + 300 = 460 s.
    c.runUntil(460_000);
    expect(deploymentPods(c).filter((p) => p.metadata!.deletionTimestamp)).toHaveLength(0);

    // The last of the 17 taints comes 16 x 10 s after the first: all evicted by 460 + 160 + 30 s.
    c.runUntil(680_000);
    const pods = deploymentPods(c);
    const evicted = pods.filter((p) => inZoneA.has(p.metadata!.uid!));
    expect(evicted.every((p) => p.metadata!.deletionTimestamp)).toBe(true);
    // Waves: a node's pods go together, one node every 10 s.
    const waves = [...new Set(evicted.map((p) => sec(p.metadata!.deletionTimestamp)))].sort((a, b) => a - b);
    expect(waves).toHaveLength(17);
    for (let i = 1; i < waves.length; i++) expect(waves[i] - waves[i - 1]).toBe(10);
    expect(waves[0]).toBeGreaterThanOrEqual(460);
    // Their replacements run in the other zones; every Deployment is whole again.
    const active = pods.filter((p) => !p.metadata!.deletionTimestamp);
    expect(active.every((p) => zoneOf.get(p.spec!.nodeName!) !== 'zone-a')).toBe(true);
    for (const d of of<Deployment>(c, 'Deployment')) expect(d.status?.availableReplicas, d.metadata!.name).toBe(d.spec!.replicas);
    // DaemonSet pods tolerate the unreachable taint for good: zone-a keeps its 2 x 17.
    const dsUids = new Set(of<DaemonSet>(c, 'DaemonSet').map((d) => d.metadata!.uid));
    const daemonPodsInA = of<Pod>(c, 'Pod').filter((p) => dsUids.has(controllerUid(p)) && zoneOf.get(p.spec!.nodeName!) === 'zone-a');
    expect(daemonPodsInA.filter((p) => !p.metadata!.deletionTimestamp)).toHaveLength(34);
  });
});

describe('a node pool\'s workloads in the Scenario document', () => {
  const doc = (workloads: string) => `apiVersion: kubeviz.dev/v1alpha1
kind: Scenario
spec:
  nodePools:
  - name: w
    count: 2
    workloads: ${workloads}
`;
  const problems = (text: string) => {
    try {
      parseScenario(text);
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as ScenarioError).problems.map((p) => [p.line, p.field, p.message]);
    }
    throw new Error('parsed');
  };

  it('reads kind, name and namespace', () => {
    expect(parseScenario(doc('[{kind: DaemonSet, name: agent, namespace: kube-system}, {kind: Deployment, name: web}]')).nodePools[0].workloads).toEqual([
      { kind: 'DaemonSet', name: 'agent', namespace: 'kube-system' },
      { kind: 'Deployment', name: 'web' },
    ]);
  });

  it('names the entry and field that is wrong', () => {
    expect(problems(doc('[{kind: StatefulSet, name: db}]'))).toEqual([[7, 'spec.nodePools[0].workloads[0].kind', 'Unsupported value: "StatefulSet": supported values: "Deployment", "DaemonSet"']]);
    expect(problems(doc('[{kind: Deployment}]'))).toEqual([[7, 'spec.nodePools[0].workloads[0].name', "Required value: the name of one of the scenario's Deployments or DaemonSets"]]);
    expect(problems(doc('[{kind: Deployment, name: web, replicas: 3}]'))).toEqual([[7, 'spec.nodePools[0].workloads[0].replicas', 'unknown field (known: kind, name, namespace)']]);
    expect(problems(doc('web'))).toEqual([[7, 'spec.nodePools[0].workloads', 'must be a list such as [{kind: Deployment, name: web}]']]);
  });
});
