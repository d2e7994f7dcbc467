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
    cluster.act({ action: 'uncordon', node: 'n2' });
    cluster.runUntil(cluster.now + 100);
    expect(get('p').spec?.nodeName).toBe('n2');
    // and a deletion frees room on n1 for the next one
    cluster.act({ action: 'apply', manifests: [pod('q', '1500m', '1Gi')] });
    cluster.runUntil(cluster.now + 100);
    expect(get('q').spec?.nodeName).toBeUndefined();
    // A graceful delete leaves hog Terminating; its requests still count until it is gone.
    cluster.act({ action: 'delete', kind: 'Pod', namespace: 'default', name: 'hog' });
    cluster.runUntil(cluster.now + 100);
    expect(get('hog').metadata?.deletionTimestamp).toBeDefined();
    expect(get('q').spec?.nodeName).toBeUndefined();
    // Gone (as when its kubelet confirms, here forced): q fits on n1.
    expect(cluster.apiserver.client('test').delete('Pod', 'default', 'hog', { gracePeriodSeconds: 0 }).ok).toBe(true);
    // Until then q waits among the unschedulable pods: hog's status and deletionTimestamp writes help no one.
    const q = () => cluster.scheduler.pending().find((p) => p.info.pod.metadata?.name === 'q')!;
    expect([q().queue, q().info.attempts]).toEqual(['unschedulable', 1]);
    // backoffQ is flushed once a second, as upstream: within 2 s of the deletion it is bound.
    cluster.runUntil(cluster.now + 3000);
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
