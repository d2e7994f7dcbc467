import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../../sim/api/types';
import { createCluster } from '../../sim/cluster';
import { emptyScenario } from '../../sim/model';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { loadScenario } from '../../scenario/load';
import { clusterSource, componentKind, componentMessages, inspectComponent, inspectObject, parseObjectKey } from './inspector-views';

/** The app's default scenario (3 nodes, Deployment web with 3 replicas, pod debug) at 30 s. */
function defaultAt30s() {
  const c = loadScenario(DEFAULT_SCENARIO_YAML, { traceCapacity: 5_000 }).cluster;
  c.runUntil(30_000);
  return c;
}

const webPod = (objects: KubeObject[]) => objects.find((o) => o.kind === 'Pod' && o.metadata.name!.startsWith('web-')) as unknown as Pod & KubeObject;
const fact = (facts: { label: string; value: string }[], label: string) => facts.find((f) => f.label === label)?.value;

describe('parseObjectKey', () => {
  it('splits kind, namespace and name; cluster-scoped objects have an empty namespace', () => {
    expect(parseObjectKey('Pod/default/web-1')).toEqual({ kind: 'Pod', namespace: 'default', name: 'web-1' });
    expect(parseObjectKey('Node//node-1')).toEqual({ kind: 'Node', namespace: '', name: 'node-1' });
  });
});

describe('inspectObject on the default cluster at 30 s', () => {
  const c = defaultAt30s();
  const objects = c.objects();
  const pod = webPod(objects);
  const key = `Pod/default/${pod.metadata.name}`;
  const source = clusterSource(c);
  const view = inspectObject(source, key)!;

  it('shows the pod as kubectl get -o yaml: apiVersion, kind, metadata, spec, status, in that order', () => {
    expect(view.yaml.startsWith('apiVersion: v1\nkind: Pod\nmetadata:\n')).toBe(true);
    const at = (k: string) => view.yaml.indexOf(`\n${k}:`);
    expect(at('metadata')).toBeLessThan(at('spec'));
    expect(at('spec')).toBeLessThan(at('status'));
    expect(view.yaml).toContain(`  nodeName: ${pod.spec!.nodeName}\n`);
  });

  it('tabulates its conditions with the instant each last changed', () => {
    const byType = new Map(view.conditions.map((x) => [x.type, x]));
    expect(byType.get('PodScheduled')).toMatchObject({ status: 'True', since: 0 });
    expect(byType.get('Ready')?.status).toBe('True');
    // Ready turned True when the container started: the Started event's instant.
    const started = view.events.find((e) => e.reason === 'Started')!;
    expect(byType.get('Ready')?.since).toBe(started.first);
  });

  it('names its owner, the ReplicaSet, which owns the three web pods and is owned by the Deployment', () => {
    expect(view.owners).toHaveLength(1);
    const owner = view.owners[0];
    expect(owner).toMatchObject({ kind: 'ReplicaSet', namespace: 'default', exists: true, controller: true });
    const rs = inspectObject(source, owner.key)!;
    expect(rs.owned.map((o) => o.kind)).toEqual(['Pod', 'Pod', 'Pod']);
    expect(rs.owned.some((o) => o.key === key)).toBe(true);
    expect(rs.owners.map((o) => o.key)).toEqual(['Deployment/default/web']);
    expect(fact(rs.facts, 'Replicas')).toBe('3 desired | 3 total | 3 ready | 3 available');
  });

  it('lists its events like kubectl describe: scheduled by default-scheduler, then the kubelet pulls, creates and starts', () => {
    expect(view.events.map((e) => e.reason)).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    expect(view.events[0].message).toBe(`Successfully assigned default/${pod.metadata.name} to ${pod.spec!.nodeName}`);
  });

  it('links the pod to its node and the node to its kubelet; the node owns its Lease', () => {
    const nodeFact = view.facts.find((f) => f.label === 'Node')!;
    expect(nodeFact.select).toEqual({ type: 'object', key: `Node//${pod.spec!.nodeName}` });
    const node = inspectObject(source, 'Node//node-1')!;
    expect(node.facts.find((f) => f.label === 'Kubelet')?.select).toEqual({ type: 'component', name: 'kubelet/node-1' });
    expect(node.conditions.find((x) => x.type === 'Ready')?.status).toBe('True');
    expect(node.owned.map((o) => o.key)).toEqual(['Lease/kube-node-lease/node-1']);
  });

  it('is null for an object that is not stored', () => {
    expect(inspectObject(source, 'Pod/default/nope')).toBeNull();
  });
});

describe('inspectComponent', () => {
  it('shows an etcd member’s role, term and leader, and the quorum: floor(3/2)+1 = 2 of 3', () => {
    const c = defaultAt30s();
    const leader = c.etcdMembers().find((m) => m.role === 'leader')!;
    const v = inspectComponent(c, leader.name)!;
    expect(v.state).toBe('leader');
    expect(fact(v.facts, 'Term')).toBe(String(leader.term));
    expect(fact(v.facts, 'Leader')).toBe(leader.name);
    expect(fact(v.facts, 'Commit index')).toBe(`${leader.commitIndex} of ${leader.lastIndex} in its log`);
    expect(fact(v.facts, 'Quorum')).toBe('3 of 3 members up, 2 needed');
    expect(v.settings.find((s) => s.name === '--heartbeat-interval')?.value).toBe('100ms');
    expect(v.settings.find((s) => s.name === '--election-timeout')?.value).toBe('1s');
  });

  it('reports a lost quorum when two of three members stop', () => {
    const c = defaultAt30s();
    const others = c.etcdMembers().filter((m) => m.role !== 'leader');
    for (const m of others) c.act({ action: 'stopComponent', component: m.name });
    c.runUntil(35_000);
    const stopped = inspectComponent(c, others[0].name)!;
    expect(stopped.state).toBe('stopped');
    expect(stopped.facts.find((f) => f.label === 'Quorum')).toMatchObject({ value: '1 of 3 members up, 2 needed', tone: 'bad' });
  });

  it('shows the scheduler idle after placing everything, its last cycle, and the default profile with upstream weights', () => {
    const c = defaultAt30s();
    const v = inspectComponent(c, 'kube-scheduler')!;
    expect(v.state).toBe('idle');
    expect(fact(v.facts, 'Pending')).toBe('0 pods');
    expect(fact(v.facts, 'Last cycle')).toMatch(/^default\/\S+ → node-\d at .* \(3 of 3 nodes feasible\)$/);
    const plugins = v.settings.find((s) => s.name === 'plugins')!.items;
    expect(plugins).toContain('TaintToleration (3)');
    expect(plugins).toContain('NodeResourcesFit (1)');
    expect(plugins).toContain('PodTopologySpread (2)');
  });

  it('shows a pod the scheduler cannot place in unschedulablePods, with upstream’s reason', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } };
    const picky = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'picky', namespace: 'default' }, spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'nginx' }] } };
    const c = createCluster({ ...emptyScenario(), objects: [node, picky] as KubeObject[] });
    c.runUntil(5_000);
    const v = inspectComponent(c, 'kube-scheduler')!;
    expect(fact(v.facts, 'Pending')).toBe('1 pod (unschedulablePods 1)');
    expect(fact(v.facts, 'Why')).toMatch(/^0\/1 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector\./);
    expect(v.lists[0].items).toEqual([{ label: 'default/picky', detail: 'unschedulablePods', tone: 'warn', select: { type: 'object', key: 'Pod/default/picky' } }]);
  });

  it('lists the controller-manager’s controllers and its node-monitor-grace-period from the scenario', () => {
    const c = createCluster({ ...emptyScenario(), settings: { ...emptyScenario().settings, nodeMonitorGracePeriod: 50_000 } });
    const v = inspectComponent(c, 'kube-controller-manager')!;
    expect(v.state).toBe('running');
    expect(v.lists[0].items.map((i) => i.label)).toContain('node-lifecycle-controller');
    expect(v.lists[0].items.map((i) => i.label)).toContain('replicaset-controller');
    expect(v.settings.find((s) => s.name === '--node-monitor-grace-period')?.value).toBe('50s');
  });

  it('shows a powered-off node’s kubelet, and Ready=Unknown once the grace period passed', () => {
    const c = defaultAt30s();
    const before = inspectComponent(c, 'kubelet/node-2')!;
    expect(before.state).toBe('running');
    expect(fact(before.facts, 'Ready condition')).toBe('Ready (KubeletReady)');
    c.act({ action: 'powerOff', node: 'node-2' });
    // Last status post was at 30 s at the latest; grace 40 s, checked every 5 s: Unknown by 80 s.
    c.runUntil(80_000);
    const after = inspectComponent(c, 'kubelet/node-2')!;
    expect(after.state).toBe('poweredOff');
    expect(fact(after.facts, 'Machine')).toBe('powered off · network up');
    expect(fact(after.facts, 'Ready condition')).toBe('Unknown (NodeStatusUnknown)');
  });

  it('knows the component names and nothing else', () => {
    const c = defaultAt30s();
    expect(componentKind('etcd-3')).toBe('etcd');
    expect(componentKind('kubelet/node-1')).toBe('kubelet');
    expect(componentKind('kube-proxy/node-1')).toBeNull();
    expect(inspectComponent(c, 'etcd-9')).toBeNull();
    expect(inspectComponent(c, 'kubelet/node-9')).toBeNull();
  });
});

describe('componentMessages', () => {
  it('keeps the newest 30 messages a component sent or received, newest first', () => {
    const c = defaultAt30s();
    // A follower hears a heartbeat every 100 ms and acks it: far more than 30 in 30 s.
    const msgs = componentMessages(c.trace(), 'etcd-2');
    expect(msgs).toHaveLength(30);
    expect(msgs.every((m) => m.from === 'etcd-2' || m.to === 'etcd-2')).toBe(true);
    expect(msgs.every((m, i) => i === 0 || m.seq < msgs[i - 1].seq)).toBe(true);
    // A kubelet's names are kubelet/<node>; the newest thing node-1's did at 30 s is its periodic get of its Node.
    const kubelet = componentMessages(c.trace(), 'kubelet/node-1');
    expect(kubelet[0]).toMatchObject({ t: 30_000, from: 'kubelet/node-1', verb: 'get', resource: 'nodes', key: 'node-1' });
    expect(kubelet.every((m) => m.from === 'kubelet/node-1' || m.to === 'kubelet/node-1')).toBe(true);
  });
});
