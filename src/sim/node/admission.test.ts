import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { cluster, getPod, node, pod, recordEvents } from './testing';

/** Pods bound by hand (spec.nodeName): the scheduler never checked them, the kubelet does. */
function admit(objects: KubeObject[], later: KubeObject[], stop?: string) {
  const c = cluster(objects);
  if (stop) c.act({ action: 'stopComponent', component: stop });
  const events = recordEvents(c);
  c.runUntil(1000);
  c.act({ action: 'apply', manifests: later });
  c.runUntil(10_000);
  return { c, events };
}

describe('kubelet admission', () => {
  it('rejects a pod that does not fit: Failed, OutOfcpu, with the request, the use and the capacity in millicores', () => {
    // node-1 has 4 cpu (4000m). "first" takes 3000m; "second" asks 2000m more: 3000 + 2000 > 4000.
    const { c, events } = admit([node('node-1')], [pod('first', { node: 'node-1', requests: { cpu: '3' } }), pod('second', { node: 'node-1', requests: { cpu: '2' } })]);
    expect(getPod(c, 'first')?.status?.phase).toBe('Running');
    const p = getPod(c, 'second')!;
    expect(p.status).toMatchObject({
      phase: 'Failed',
      reason: 'OutOfcpu',
      message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 2000, used: 3000, capacity: 4000",
    });
    // The pod never ran: no conditions of the kubelet's, no container statuses.
    expect(p.status?.containerStatuses).toBeUndefined();
    expect(events.find((e) => e.object === 'second' && e.reason === 'OutOfcpu')).toMatchObject({
      type: 'Warning',
      message: "Node didn't have enough resource: cpu, requested: 2000, used: 3000, capacity: 4000",
    });
  });

  it('memory is compared in bytes (OutOfmemory), and a finished pod frees what it held', () => {
    // 16Gi = 17179869184 bytes. The Job-like pod holds 12Gi until it completes at 3 s after it starts.
    const big = pod('job', { node: 'node-1', restartPolicy: 'Never', requests: { memory: '12Gi' }, behavior: { app: { exitAfter: '3s' } } });
    const { c } = admit([node('node-1'), big], [pod('too-much', { node: 'node-1', requests: { memory: '8Gi' } })]);
    expect(getPod(c, 'too-much')?.status).toMatchObject({
      reason: 'OutOfmemory',
      message: "Pod was rejected: Node didn't have enough resource: memory, requested: 8589934592, used: 12884901888, capacity: 17179869184",
    });
    c.act({ action: 'apply', manifests: [pod('fits-now', { node: 'node-1', requests: { memory: '8Gi' } })] });
    c.runUntil(20_000);
    expect(getPod(c, 'fits-now')?.status?.phase).toBe('Running');
  });

  it('rejects a pod whose node selector the node does not match (NodeAffinity)', () => {
    const p = pod('picky', { node: 'node-1' });
    (p.spec as { nodeSelector?: Record<string, string> }).nodeSelector = { disktype: 'ssd' };
    const { c } = admit([node('node-1')], [p]);
    expect(getPod(c, 'picky')?.status).toMatchObject({
      phase: 'Failed',
      reason: 'NodeAffinity',
      message: "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector",
    });
  });

  it('rejects a pod that does not tolerate a NoExecute taint, but not one a NoSchedule taint alone keeps away', () => {
    const tainted = (name: string, effect: string): KubeObject => ({ ...node(name), spec: { taints: [{ key: 'dedicated', value: 'gpu', effect }] } });
    // Without kube-controller-manager, whose taint manager would evict the pod from node-x first.
    const { c } = admit([tainted('node-x', 'NoExecute'), tainted('node-s', 'NoSchedule')], [pod('x', { node: 'node-x' }), pod('s', { node: 'node-s' })], 'kube-controller-manager');
    expect(getPod(c, 'x')?.status).toMatchObject({
      phase: 'Failed',
      reason: 'TaintToleration',
      message: "Pod was rejected: Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate",
    });
    expect(getPod(c, 's')?.status?.phase).toBe('Running');
  });

  it('counts pods against allocatable pods (OutOfpods)', () => {
    const { c } = admit([node('node-1', { cpu: '4', memory: '16Gi', pods: '2' })], [pod('p1', { node: 'node-1' }), pod('p2', { node: 'node-1' }), pod('p3', { node: 'node-1' })]);
    expect(getPod(c, 'p3')?.status).toMatchObject({ reason: 'OutOfpods', message: "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2" });
  });
});
