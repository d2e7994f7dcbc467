import { describe, expect, it } from 'vitest';
import type { DaemonSet, Deployment, KubeObject, Pod, ReplicaSet } from '../api/types';
import { ClusterLoadError, createCluster, type Cluster } from '../cluster';
import { emptyScenario, type NodePool, type ScenarioModel } from '../model';

const app = (name: string, extra: object = {}) => ({
  metadata: { labels: { app: name } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }], ...extra },
});
const deployment = (name: string, replicas: number): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { replicas, selector: { matchLabels: { app: name } }, template: app(name) } }) as KubeObject;
const daemonSet = (name: string, extra: object = {}): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { app: name } }, template: app(name, extra) } }) as KubeObject;

function pool(count: number, workloads: NodePool['workloads'], labels: Record<string, string> = {}): NodePool {
  return { name: 'w', count, template: { apiVersion: 'v1', kind: 'Node', metadata: { labels }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } }, workloads };
}

function scenario(pools: NodePool[], objects: KubeObject[], extra: Partial<ScenarioModel> = {}): ScenarioModel {
  return { ...emptyScenario(), seed: 5, nodePools: pools, objects, ...extra };
}

const of = <T>(c: Cluster, kind: string) => c.objects().filter((o) => o.kind === kind) as unknown as T[];

describe('workloads settled across a node pool', () => {
  it("spreads a Deployment's replicas round-robin over the pool, continuing from one Deployment to the next", () => {
    const c = createCluster(scenario([pool(4, [{ kind: 'Deployment', name: 'a' }, { kind: 'Deployment', name: 'b' }])], [deployment('a', 6), deployment('b', 2)]));
    const perNode = (rsPrefix: string) => {
      const m: Record<string, number> = {};
      for (const p of of<Pod>(c, 'Pod').filter((p) => p.metadata!.name!.startsWith(rsPrefix))) m[p.spec!.nodeName!] = (m[p.spec!.nodeName!] ?? 0) + 1;
      return m;
    };
    // a's 6 go to w-1, w-2, w-3, w-4, w-1, w-2; b's 2 continue at w-3 and w-4.
    expect(perNode('a-')).toEqual({ 'w-1': 2, 'w-2': 2, 'w-3': 1, 'w-4': 1 });
    expect(perNode('b-')).toEqual({ 'w-3': 1, 'w-4': 1 });
    const rs = of<ReplicaSet>(c, 'ReplicaSet').find((r) => r.metadata!.name!.startsWith('a-'))!;
    expect(rs.status).toMatchObject({ replicas: 6, readyReplicas: 6, availableReplicas: 6, observedGeneration: 1 });
    expect(rs.metadata!.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '6', 'deployment.kubernetes.io/max-replicas': '8' });
    // Each pod runs with its own address from its node's pod CIDR (node i: 10.244.i.0/24, host-local from .2):
    // w-1 (index 0) holds two of a's pods, w-3 (index 2) one of a's and one of b's.
    const ips = (node: string) => of<Pod>(c, 'Pod').filter((p) => p.spec!.nodeName === node).map((p) => p.status!.podIP).sort();
    expect(ips('w-1')).toEqual(['10.244.0.2', '10.244.0.3']);
    expect(ips('w-3')).toEqual(['10.244.2.2', '10.244.2.3']);
  });

  it('puts a DaemonSet pod only on the pool nodes it fits, and counts every node of the cluster in its status', () => {
    const ds = daemonSet('agent', { nodeSelector: { role: 'edge' } });
    const c = createCluster(scenario([pool(3, [{ kind: 'DaemonSet', name: 'agent' }], { role: 'edge' }), { ...pool(2, undefined), name: 'x' }], [ds]));
    expect(of<Pod>(c, 'Pod').map((p) => p.spec!.nodeName).sort()).toEqual(['w-1', 'w-2', 'w-3']);
    expect(of<DaemonSet>(c, 'DaemonSet')[0].status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberAvailable: 3 });
    // A DaemonSet also fits nodes outside the pool: its controller creates their pods, as it would for new nodes.
    const everywhere = createCluster(scenario([pool(2, [{ kind: 'DaemonSet', name: 'agent' }]), { ...pool(1, undefined), name: 'x' }], [daemonSet('agent')]));
    expect(of<DaemonSet>(everywhere, 'DaemonSet')[0].status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 2, numberUnavailable: 1 });
    everywhere.runUntil(5_000);
    expect(of<Pod>(everywhere, 'Pod').map((p) => p.spec!.nodeName).sort()).toEqual(['w-1', 'w-2', 'x-1']);
  });

  it('the kubelets run the pods the snapshot holds: no status write, and a deleted pod is stopped and replaced', () => {
    const c = createCluster(scenario([pool(2, [{ kind: 'Deployment', name: 'web' }])], [deployment('web', 4)]));
    c.runUntil(30_000);
    expect(c.trace().filter((m) => m.verb === 'updateStatus' && m.resource === 'pods')).toHaveLength(0);
    const victim = of<Pod>(c, 'Pod')[0];
    c.apiserver.client('test').delete('Pod', 'default', victim.metadata!.name!);
    c.runUntil(70_000);
    const pods = of<Pod>(c, 'Pod');
    expect(pods.map((p) => p.metadata!.uid)).not.toContain(victim.metadata!.uid);
    expect(pods).toHaveLength(4);
    expect(of<Deployment>(c, 'Deployment')[0].status?.availableReplicas).toBe(4);
  });

  it('on a cloud the pod CIDRs come later from node IPAM: pods are stored bound, and their kubelets report them Running', () => {
    const c = createCluster(scenario([pool(2, [{ kind: 'Deployment', name: 'web' }])], [deployment('web', 2)], { cloud: { loadBalancerRange: '203.0.113.0/24' } }));
    expect(of<Pod>(c, 'Pod').every((p) => !p.status?.containerStatuses)).toBe(true);
    c.runUntil(30_000);
    expect(of<Pod>(c, 'Pod').every((p) => p.status?.phase === 'Running')).toBe(true);
  });

  it('names the pool field when a workload is not among the objects, or settles twice', () => {
    const fail = (m: ScenarioModel) => {
      try {
        createCluster(m);
      } catch (e) {
        expect(e).toBeInstanceOf(ClusterLoadError);
        return (e as ClusterLoadError).problems;
      }
      throw new Error('loaded');
    };
    expect(fail(scenario([pool(1, [{ kind: 'Deployment', name: 'nope' }])], []))).toEqual([
      { source: { pool: 0, field: 'workloads[0]' }, message: 'Deployment "default/nope" is not among the scenario\'s objects' },
    ]);
    expect(fail(scenario([pool(1, [{ kind: 'Deployment', name: 'web' }]), { ...pool(1, [{ kind: 'Deployment', name: 'web' }]), name: 'x' }], [deployment('web', 1)]))).toEqual([
      { source: { pool: 1, field: 'workloads[0]' }, message: 'Deployment default/web already settles across a pool' },
    ]);
  });
});
