import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/load';
import { DEFAULT_SCENARIO_YAML } from '../scenario/gallery/default-scenario';
import { kubectl, podNames } from './test-cluster';

// The default scenario (three nodes, Deployment web with 3 replicas of nginx:1.27
// requesting 250m/128Mi, Service web, pod debug), 30 s in.
function cluster() {
  const { cluster: c } = loadScenario(DEFAULT_SCENARIO_YAML);
  c.runUntil(30_000);
  return c;
}

const lines = (s: string) => s.split('\n');

describe('kubectl describe', () => {
  it('pod: the header fields, the container, conditions, tolerations and the Events table', () => {
    const c = cluster();
    const name = podNames(c, 'web-')[0];
    const pod = c.objects().find((o) => o.metadata.name === name)!;
    const nodeName = (pod.spec as { nodeName: string }).nodeName;
    const out = kubectl(c, `describe pod ${name}`).output;
    const l = lines(out);
    // The first block aligns at "Annotations:" (12) + 2 = 14 columns.
    expect(l[0]).toBe(`Name:         ${name}`);
    expect(l[1]).toBe('Namespace:    default');
    expect(l[2]).toBe('Priority:     0');
    expect(l).toContain('Labels:       app=web');
    expect(l).toContain(`              pod-template-hash=${name.split('-')[1]}`);
    expect(l).toContain('Status:       Running');
    expect(l).toContain(`Controlled By:  ReplicaSet/web-${name.split('-')[1]}`);
    // A long annotation is folded under its key and cut at 138 characters.
    const folded = l[l.indexOf('Annotations:  kubeviz.dev/filter-result:') + 1];
    expect(folded.length).toBe(16 + 138 + 3);
    expect(folded.endsWith('...')).toBe(true);
    expect(out).toContain(['Containers:', '  nginx:'].join('\n'));
    expect(out).toContain(['    Image:          nginx:1.27'].join('\n'));
    expect(out).toContain(['    Port:           80/TCP', '    Host Port:      0/TCP', '    State:          Running', '      Started:      Thu, 01 Jan 2026 00:00:04 +0000'].join('\n'));
    expect(out).toContain(['    Requests:', '      cpu:        250m', '      memory:     128Mi'].join('\n'));
    // Conditions print "Type \tStatus \n": the trailing spaces are kubectl's.
    expect(out).toContain(['Conditions:', '  Type                        Status', '  PodReadyToStartContainers   True ', '  Initialized                 True '].join('\n'));
    expect(out).toContain('QoS Class:                    Burstable');
    expect(out).toContain(['Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s', '                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s'].join('\n'));
    // Events: flushed, so the table aligns by itself; oldest first.
    const ev = l.slice(l.indexOf('Events:'));
    expect(ev[1]).toBe('  Type    Reason     Age   From               Message');
    expect(ev[2]).toBe('  ----    ------     ----  ----               -------');
    expect(ev[3]).toBe(`  Normal  Scheduled  30s   default-scheduler  Successfully assigned default/${name} to ${nodeName}`);
    expect(ev.slice(4, 8).map((x) => x.split(/\s{2,}/)[2])).toEqual(['Pulling', 'Pulled', 'Created', 'Started']);
  });

  it('node: taints, unschedulable, its pods with requests as a share of allocatable, and events', () => {
    const c = cluster();
    kubectl(c, 'taint nodes node-1 dedicated=gpu:NoSchedule');
    kubectl(c, 'cordon node-1');
    const out = kubectl(c, 'describe node node-1').output;
    expect(out).toContain('Taints:             dedicated=gpu:NoSchedule\nUnschedulable:      true\n');
    expect(out).toContain('Lease:\n  HolderIdentity:  node-1\n');
    expect(out).toContain('  Ready            True    ');
    expect(out).toContain('Capacity:\n  cpu:                4\n  ephemeral-storage:  100Gi\n  memory:             16Gi\n  pods:               110\n');
    // One web pod here: 250m of 4 cpu = 6.25% -> 6%; 128Mi of 16Gi = 0.78% -> 0%.
    const pods = c.objects().filter((o) => o.kind === 'Pod' && (o.spec as { nodeName?: string }).nodeName === 'node-1');
    expect(out).toContain(`Non-terminated Pods:          (${pods.length} in total)`);
    expect(out).toContain(['  Resource           Requests    Limits', '  --------           --------    ------', '  cpu                250m (6%)   0 (0%)', '  memory             128Mi (0%)  0 (0%)', '  ephemeral-storage  0 (0%)      0 (0%)'].join('\n'));
    expect(out).toContain('  Normal  RegisteredNode  30s   node-controller  Node node-1 event: Registered Node node-1 in Controller');
  });

  it('deployment: replicas line, strategy, pod template, conditions and the new ReplicaSet', () => {
    const c = cluster();
    const rs = c.objects().find((o) => o.kind === 'ReplicaSet')!.metadata.name;
    const out = kubectl(c, 'describe deploy web').output;
    expect(out).toContain('Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable\n');
    expect(out).toContain('RollingUpdateStrategy:  25% max unavailable, 25% max surge\n');
    expect(out).toContain('Pod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n    Image:      nginx:1.27\n');
    expect(out).toContain('  Available      True    MinimumReplicasAvailable\n  Progressing    True    NewReplicaSetAvailable\n');
    expect(out).toContain(`OldReplicaSets:  <none>\nNewReplicaSet:   ${rs} (3/3 replicas created)\n`);
    expect(out).toContain(`  Normal  ScalingReplicaSet  30s   deployment-controller  Scaled up replica set ${rs} from 0 to 3`);
  });

  it('service: ports and the ready endpoints from its EndpointSlices', () => {
    const c = cluster();
    const ips = c
      .objects()
      .filter((o) => o.kind === 'Pod' && o.metadata.name!.startsWith('web-'))
      .map((o) => (o.status as { podIP: string }).podIP)
      .sort();
    const out = kubectl(c, 'describe svc web').output;
    expect(out).toContain('Port:                     <unset>  80/TCP\nTargetPort:               80/TCP\n');
    expect(lines(out).find((l) => l.startsWith('Endpoints:'))!.slice(26).split(',').sort()).toEqual(ips.map((ip) => `${ip}:80`));
    expect(out.endsWith('Events:                   <none>\n')).toBe(true);
  });

  it('a name that matches nothing exactly describes every object it prefixes; no match is NotFound', () => {
    const c = cluster();
    const out = kubectl(c, 'describe pods web').output;
    expect(out.split('\n').filter((l) => l.startsWith('Name:')).length).toBe(3);
    expect(out).toContain('\n\n\nName:');
    expect(kubectl(c, 'describe pod nope')).toMatchObject({ error: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
  });

  it('other kinds fall back to the generic describer with smart labels', () => {
    const out = kubectl(cluster(), 'describe lease node-2 -n kube-node-lease').output;
    expect(out).toContain('API Version:  coordination.k8s.io/v1\n');
    expect(out).toContain('Spec:\n  Holder Identity:         node-2\n  Lease Duration Seconds:  40\n');
  });
});
