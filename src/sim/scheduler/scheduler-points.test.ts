// kube-scheduler walks a cycle one extension point per kernel event, all at
// one instant, so a stepping UI can pause between them; what each point does
// (the pods/binding request, the failure's PodScheduled=False) happens in
// its own step, and stepping changes nothing about where pods land.
import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../api/types';
import { createCluster, type Cluster } from '../cluster';
import { emptyScenario } from '../model';

const node = (name: string, taint = false): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    ...(taint ? { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } } : {}),
    status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
  }) as KubeObject;
const pod = (name: string, cpu: string, nodeName?: string): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu, memory: '1Gi' } } }] },
  }) as KubeObject;

const objects = () => [node('node-a'), node('node-b'), node('node-c', true), pod('existing', '2', 'node-a'), pod('web', '1'), pod('huge', '16')];

/** Steps one kernel event at a time for the first second, noting each (pod, point) the scheduler shows after an event. */
function walk(c: Cluster) {
  const seen: Array<{ pod?: string; point: string; t: number; binds: number; podScheduledFalse: boolean }> = [];
  const binds = () => c.trace().filter((m) => m.resource === 'pods/binding').length;
  const unschedulable = () => {
    const huge = c.objects().find((o) => o.kind === 'Pod' && o.metadata.name === 'huge') as Pod;
    return huge.status?.conditions?.some((x) => x.type === 'PodScheduled' && x.status === 'False') ?? false;
  };
  while (c.nextEventTime()! <= 1000) {
    c.step();
    const s = c.scheduler;
    const last = seen[seen.length - 1];
    if (!last || last.point !== s.point || last.pod !== s.cycle?.pod) seen.push({ pod: s.cycle?.pod, point: s.point, t: c.now, binds: binds(), podScheduledFalse: unschedulable() });
  }
  return seen;
}

describe('kube-scheduler stepping', () => {
  it('shows every extension point of a cycle after its own event, at one instant', () => {
    const c = createCluster({ ...emptyScenario(), objects: objects() });
    const seen = walk(c).filter((s) => s.pod === 'default/web');
    expect(seen.map((s) => s.point)).toEqual(['preFilter', 'filter', 'preScore', 'score', 'normalizeScore', 'reserve', 'permit', 'preBind', 'bind', 'postBind']);
    expect(new Set(seen.map((s) => s.t)).size).toBe(1);
    // The binding request goes out in the Bind step, not before.
    const at = (p: string) => seen.find((s) => s.point === p)!;
    expect(at('preBind').binds).toBe(0);
    expect(at('bind').binds).toBe(1);
  });

  it('a pod that fits nowhere stops at PostFilter, where the failure handler writes PodScheduled=False', () => {
    const c = createCluster({ ...emptyScenario(), objects: objects() });
    const seen = walk(c).filter((s) => s.pod === 'default/huge');
    expect(seen.map((s) => s.point).slice(0, 3)).toEqual(['preFilter', 'filter', 'postFilter']);
    expect(seen[1].podScheduledFalse).toBe(false);
    expect(seen[2].podScheduledFalse).toBe(true);
  });

  it('keeps each finished cycle with what it found, for explanations', () => {
    const c = createCluster({ ...emptyScenario(), objects: objects() });
    c.runUntil(1000);
    const web = c.scheduler.cycleLog.find((e) => e.pod === 'default/web')!;
    expect(web).toMatchObject({ node: 'node-b', numAllNodes: 3, evaluatedNodes: 3, feasibleNodes: 2, attempt: 1 });
    expect(web.points).toEqual(['preFilter', 'filter', 'preScore', 'score', 'normalizeScore', 'reserve', 'permit', 'preBind', 'bind', 'postBind']);
    expect(web.filterResult['node-c'].TaintToleration).toBe('node(s) had untolerated taint {dedicated: gpu}');
    // LeastAllocated: node-b (4000-1000)*100/4000 = 75 cpu, (8-1)*100/8 = 87 memory -> 81.
    expect(web.scores!.raw['node-b'].NodeResourcesFit).toBe(81);
    const huge = c.scheduler.cycleLog.find((e) => e.pod === 'default/huge')!;
    expect(huge.message).toMatch(/^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: gpu\}, 2 Insufficient cpu\./);
    expect(c.scheduler.cycle).toBeUndefined();
    expect(c.scheduler.point).toBe('idle');
  });

  it('stepping event by event and running straight to an instant give the same cluster', () => {
    const a = createCluster({ ...emptyScenario(), objects: objects() });
    const b = createCluster({ ...emptyScenario(), objects: objects() });
    walk(a);
    a.runUntil(5000);
    b.runUntil(5000);
    expect(a.stateHash()).toBe(b.stateHash());
  });

  it('a scheduler stopped in the middle of a cycle drops it; started again, it places the pod', () => {
    const c = createCluster({ ...emptyScenario(), objects: objects() });
    while (c.scheduler.cycle?.pod !== 'default/web' || c.scheduler.point !== 'permit') c.step();
    c.act({ action: 'stopComponent', component: 'kube-scheduler' });
    expect(c.scheduler.cycle).toBeUndefined();
    c.runUntil(2000);
    const web = () => c.objects().find((o) => o.kind === 'Pod' && o.metadata.name === 'web') as Pod;
    expect(web().spec?.nodeName).toBeUndefined();
    c.act({ action: 'startComponent', component: 'kube-scheduler' });
    c.runUntil(4000);
    expect(web().spec?.nodeName).toBe('node-b');
  });
});
