import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario, type ScenarioModel } from '../model';
import { FILTER_RESULT, FINALSCORE_RESULT, SCORE_RESULT, SELECTED_NODE } from './explanations';

const node = (name: string, cpu = '4', memory = '8Gi', extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  status: { capacity: { cpu, memory, pods: '110' } },
  ...extra,
});
const pod = (name: string, cpu: string, memory: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu, memory } } }], ...extra },
});

function run(objects: KubeObject[], until = 5000, patch: Partial<ScenarioModel> = {}) {
  const cluster = createCluster({ ...emptyScenario(), objects, ...patch });
  cluster.runUntil(until);
  const get = (name: string) => cluster.objects().find((o) => o.kind === 'Pod' && o.metadata.name === name) as Pod;
  return { cluster, get };
}

describe('kube-scheduler', () => {
  it('binds a pending pod to the best node, with the four explanation annotations', () => {
    const { get } = run([
      node('node-a'),
      node('node-b'),
      node('node-c', '4', '8Gi', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }),
      pod('existing', '2', '4Gi', { nodeName: 'node-a' }),
      pod('web', '1', '1Gi'),
    ]);
    const web = get('web');
    expect(web.spec?.nodeName).toBe('node-b');
    const a = web.metadata!.annotations!;
    expect(a[SELECTED_NODE]).toBe('node-b');
    const filter = JSON.parse(a[FILTER_RESULT]);
    expect(filter['node-c'].TaintToleration).toBe('node(s) had untolerated taint {dedicated: gpu}');
    expect(filter['node-b']).toMatchObject({ NodeUnschedulable: 'passed', TaintToleration: 'passed', NodeResourcesFit: 'passed' });
    const raw = JSON.parse(a[SCORE_RESULT]);
    const final = JSON.parse(a[FINALSCORE_RESULT]);
    // LeastAllocated, non-zero requests, cpu and memory weight 1:
    //   node-a: cpu (4000-3000)*100/4000 = 25, memory (8Gi-5Gi)*100/8Gi = 37 -> (25+37)/2 = 31
    //   node-b: cpu (4000-1000)*100/4000 = 75, memory (8Gi-1Gi)*100/8Gi = 87 -> (75+87)/2 = 81
    expect(raw['node-a'].NodeResourcesFit).toBe(31);
    expect(raw['node-b'].NodeResourcesFit).toBe(81);
    // TaintToleration: no PreferNoSchedule taints -> 0 raw, reversed normalization -> 100, weight 3.
    expect(final['node-b'].TaintToleration).toBe(300);
    // Balanced allocation: node-a fractions 0.75/0.625, node-b 0.25/0.125: std 0.0625 both -> 93.
    expect(raw['node-a'].NodeResourcesBalancedAllocation).toBe(93);
    expect(raw['node-b'].NodeResourcesBalancedAllocation).toBe(93);
    expect(final['node-b'].NodeResourcesFit).toBe(81);
  });

  it('leaves an unschedulable pod pending with the upstream summary, a FailedScheduling event and PodScheduled=False', () => {
    const { cluster, get } = run([
      node('node-a'),
      node('node-b'),
      node('node-c', '4', '8Gi', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }),
      pod('a-app', '2', '1Gi', { nodeName: 'node-a' }),
      pod('b-app', '2', '1Gi', { nodeName: 'node-b' }),
      pod('huge', '3', '1Gi'),
    ]);
    const huge = get('huge');
    expect(huge.spec?.nodeName).toBeUndefined();
    const cond = huge.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const message =
      '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    const ev = cluster.objects().filter((o) => o.kind === 'Event' && o.reason === 'FailedScheduling');
    expect(ev).toHaveLength(1);
    expect(ev[0].message).toBe(message);
    expect(huge.metadata?.annotations?.[SELECTED_NODE]).toBeUndefined();
    expect(JSON.parse(huge.metadata!.annotations![FILTER_RESULT])['node-a'].NodeResourcesFit).toBe('Insufficient cpu');
  });

  it('narrows a cycle to the node a matchFields term names, and counts the others in the summary', () => {
    const pinned = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-b'] }] }] } } };
    const { get } = run([node('node-a'), node('node-b', '1'), node('node-c'), pod('p', '2', '1Gi', { affinity: pinned })]);
    const p = get('p');
    expect(p.spec?.nodeName).toBeUndefined();
    // Only node-b is examined (the explanation names no other node); the other two are counted as PreFilter left them.
    expect(Object.keys(JSON.parse(p.metadata!.annotations![FILTER_RESULT]))).toEqual(['node-b']);
    expect(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  it('says a request larger than any node is not helped by preemption', () => {
    const { get } = run([node('node-a'), node('node-b'), pod('huge', '16', '1Gi')]);
    // 16 cpu exceeds the nodes' whole allocatable: NodeResourcesFit rejects as unresolvable.
    expect(get('huge').status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toBe(
      '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
  });

  it('schedules a pending pod once a cluster change makes room: a pod deleted, a node uncordoned', () => {
    const { cluster, get } = run([node('n1', '2'), node('n2', '2', '8Gi', { spec: { unschedulable: true } }), pod('hog', '1500m', '1Gi', { nodeName: 'n1' }), pod('p', '1', '1Gi')], 2000);
    expect(get('p').spec?.nodeName).toBeUndefined();
    expect(get('p').status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toBe(
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    );
    // Uncordon: the node update sends p back at once, but the node lifecycle controller lifts the
    // node.kubernetes.io/unschedulable:NoSchedule taint only at its next pass (every 5 s), so that
    // try fails on TaintToleration, as upstream's would; the taint's removal brings p back after its backoff.
    cluster.act({ action: 'uncordon', node: 'n2' });
    cluster.runUntil(cluster.now + 10_000);
    expect(get('p').spec?.nodeName).toBe('n2');
    // A deletion frees room on n1 for the next one, once the pod is really gone.
    cluster.act({ action: 'apply', manifests: [pod('q', '1500m', '1Gi')] });
    cluster.runUntil(cluster.now + 100);
    expect(get('q').spec?.nodeName).toBeUndefined();
    // A graceful delete leaves hog Terminating: its requests still count while its kubelet stops it (30 s grace).
    cluster.act({ action: 'delete', kind: 'Pod', namespace: 'default', name: 'hog' });
    cluster.runUntil(cluster.now + 20_000);
    expect(get('hog').metadata?.deletionTimestamp).toBeDefined();
    expect(get('q').spec?.nodeName).toBeUndefined();
    // hog's status and deletionTimestamp writes help no one: q waits among the unschedulable pods.
    const q = () => cluster.scheduler.pending().find((p) => p.info.pod.metadata?.name === 'q')!;
    expect(q().queue).toBe('unschedulable');
    // The kubelet removes hog once its grace period is over; q is bound to n1 soon after.
    cluster.runUntil(cluster.now + 15_000);
    expect(get('hog')).toBeUndefined();
    expect(get('q').spec?.nodeName).toBe('n1');
  });

  it('preempts a lower-priority pod for a critical one', () => {
    const { cluster, get } = run([node('only', '2'), pod('low', '1500m', '1Gi', { nodeName: 'only' })], 1000);
    cluster.act({ action: 'apply', manifests: [pod('critical', '1', '1Gi', { priorityClassName: 'system-cluster-critical' })] });
    cluster.runUntil(cluster.now + 200);
    // The victim is deleted gracefully (it is bound: 30 s), and the preemptor nominated to the node.
    const low = get('low');
    expect(low?.metadata?.deletionTimestamp).toBeDefined();
    expect(get('critical').status?.nominatedNodeName).toBe('only');
  });

  it('stops scheduling while kube-scheduler is stopped, and catches up when it starts', () => {
    const { cluster, get } = run([node('n1')], 100);
    cluster.act({ action: 'stopComponent', component: 'kube-scheduler' });
    cluster.act({ action: 'apply', manifests: [pod('late', '100m', '1Mi')] });
    cluster.runUntil(cluster.now + 10_000);
    expect(get('late').spec?.nodeName).toBeUndefined();
    cluster.act({ action: 'startComponent', component: 'kube-scheduler' });
    cluster.runUntil(cluster.now + 100);
    expect(get('late').spec?.nodeName).toBe('n1');
  });

  it('breaks ties with the seeded random: the same seed picks the same node', () => {
    const pick = (seed: number) => {
      const nodes = ['n1', 'n2', 'n3', 'n4'].map((n) => node(n));
      return run([...nodes, pod('p', '100m', '1Mi')], 500, { seed }).get('p').spec?.nodeName;
    };
    expect(pick(11)).toBe(pick(11));
    const picks = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(pick));
    expect(picks.size).toBeGreaterThan(1);
  });
});
