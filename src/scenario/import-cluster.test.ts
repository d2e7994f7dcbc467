import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { DaemonSet, Deployment, Job, KubeObject, Node, Pod, PriorityClass, ReplicaSet, Service } from '../sim/api/types';
import type { Cluster } from '../sim/cluster';
import { virtualMs } from '../sim/kernel/time';
import { importCluster, ImportError, MAX_IMPORT_CHARS, type ImportNote } from './import-cluster';
import { loadScenario } from './load';
import { parseScenarioFile } from './parse';

const FIXTURE = readFileSync(new URL('./fixtures/kubectl-get-all.yaml', import.meta.url), 'utf8');

const all = (c: Cluster, kind: string) => c.objects().filter((o) => o.kind === kind);
const pods = (c: Cluster) => all(c, 'Pod') as unknown as Pod[];
const named = <T>(c: Cluster, kind: string, name: string) => all(c, kind).find((o) => o.metadata.name === name) as T;
const noteOn = (notes: ImportNote[], object: string) => notes.filter((n) => n.object === object);
const controllerOf = (o: { metadata?: { ownerReferences?: Array<{ controller?: boolean; kind: string; name: string; uid: string }> } }) =>
  o.metadata?.ownerReferences?.find((r) => r.controller);

/** A `kubectl get -o json` List of the given items. */
const list = (...items: unknown[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items });
const node = (name: string, more: Partial<Node> = {}): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, uid: `uid-${name}`, resourceVersion: '7', labels: { 'kubernetes.io/hostname': name } },
  ...more,
  status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '3800m', memory: '7Gi', pods: '110' }, ...more.status },
});
const pod = (name: string, nodeName: string | undefined, more: { metadata?: object; spec?: object; status?: object } = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, ...more.metadata },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...(nodeName ? { nodeName } : {}), ...more.spec },
  status: { phase: 'Running', podIP: '10.1.2.3', ...more.status },
});

describe('importCluster: a kubeadm cluster as `kubectl get ... -A -o yaml` prints it', () => {
  const result = importCluster(FIXTURE);
  /** StatefulSets are being added to kubeviz: until the apiserver takes them, the import leaves them out and says so. */
  const statefulSetImported = result.counts.byKind.StatefulSet === 1;

  it('imports nodes, pods and workloads and lists what it cannot model', () => {
    // 3 nodes + 15 pods + 2 Deployments + 3 ReplicaSets + 1 DaemonSet + 1 StatefulSet + 2 Jobs + 4 Services = 31;
    // left out: the finished Job and its pod, the apiserver's own Service (and the StatefulSet, while kubeviz has none).
    const sts = statefulSetImported ? 1 : 0;
    expect(result.counts).toEqual({
      read: 31,
      imported: 27 + sts,
      added: 0,
      leftOut: 4 - sts,
      byKind: { Node: 3, Pod: 14, Deployment: 2, ReplicaSet: 3, DaemonSet: 1, ...(sts ? { StatefulSet: 1 } : {}), Job: 1, Service: 3 },
    });
    expect(result.name).toBe('imported-3-nodes');
    const leftOut = result.notes.filter((n) => n.action === 'left-out' || (n.action === 'not-modelled' && n.object?.startsWith('StatefulSet')));
    expect(leftOut.map((n) => n.object)).toEqual(['Pod default/db-migrate-x7k2p', ...(sts ? [] : ['StatefulSet default/db']), 'Job default/db-migrate', 'Service default/kubernetes']);
    // The StatefulSet's pod stays where it runs; its volume claim is noted (not simulated, or not in the input).
    const db0 = noteOn(result.notes, 'Pod default/db-0');
    expect(db0.map((n) => n.action)).toEqual([...(sts ? [] : ['changed']), 'not-modelled']);
    if (!sts) expect(db0[0].message).toBe('its owner StatefulSet default/db is left out (see its note): kept without an owner, bound to its node as it was; nothing re-creates it if it goes');
    expect(db0[db0.length - 1].message).toContain('("data-db-0")');
    // kubeadm's control plane runs as static pods: kept, and said.
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'])
      expect(noteOn(result.notes, `Pod kube-system/${c}-k8s-cp-1`)[0]).toMatchObject({ action: 'not-modelled', message: expect.stringMatching(/^a static pod/) });
    expect(noteOn(result.notes, 'Job default/reindex')[0].message).toMatch(/^spec.manualSelector set to true/);
    // The fields the apiserver owns are said once, not once per object.
    const general = result.notes.filter((n) => !n.object);
    expect(general.map((n) => n.message.split(':')[0])).toEqual([
      'metadata uid, resourceVersion, creationTimestamp, generation removed',
      'status removed from every object but Nodes',
      'ownerReferences removed',
      'Node status.nodeInfo.bootID cleared',
    ]);
  });

  it('writes a readable scenario: a Scenario document, then the manifests without what the apiserver owns', () => {
    const { model, sources } = parseScenarioFile(result.scenario);
    expect(model.name).toBe('imported-3-nodes');
    expect(sources[0]).toMatchObject({ document: 2, object: 'Node "k8s-cp-1"' });
    const sts = statefulSetImported ? 1 : 0;
    expect(result.scenario.split('\n')[0]).toBe(`# Imported from a real cluster by kubeviz: 31 objects read, ${27 + sts} imported, 0 added, ${4 - sts} left out.`);
    expect(result.scenario).toContain('# - left-out: Job default/db-migrate: a finished Job (Complete) is left out');
    if (!statefulSetImported) expect(result.scenario).toMatch(/^# - (not-modelled|left-out): StatefulSet default\/db: /m);
    const manifests = result.scenario.replace(/^#.*\n/gm, '');
    for (const gone of [/resourceVersion:/, /^\s+uid:/m, /creationTimestamp: 2024/, /ownerReferences:/, /bootID: 3e50a122/, /db-migrate-x7k2p/]) expect(manifests).not.toMatch(gone);
    expect(/^kind: StatefulSet$/m.test(manifests)).toBe(statefulSetImported);
    const worker = model.objects.find((o) => o.metadata.name === 'k8s-worker-1') as Node;
    expect(worker.status?.allocatable).toEqual({ cpu: '8', 'ephemeral-storage': '95491281146', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16263012Ki', pods: '110' });
    // Fields the simulation does not use are kept as they were.
    const web = model.objects.find((o) => o.metadata.name === 'web-6b9f8d7c5-rz5lm') as Pod;
    expect(web.spec?.volumes?.[0].name).toBe('kube-api-access-kgxck');
    expect(web.status).toBeUndefined();
    const deploy = model.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!;
    expect(deploy.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('"image":"nginx:1.27.2"');
  });

  it('loads as the cluster it was, and stays so: the same pods on the same nodes, adopted by their owners, nothing re-created', () => {
    const { cluster } = loadScenario(result.scenario);
    cluster.runUntil(1_000);
    const before = new Map(pods(cluster).map((p) => [p.metadata!.name!, { node: p.spec!.nodeName, uid: p.metadata!.uid }]));
    expect(before.size).toBe(14);
    expect(before.get('web-6b9f8d7c5-8hj4t')?.node).toBe('k8s-worker-2');
    expect(before.get('etcd-k8s-cp-1')?.node).toBe('k8s-cp-1');
    const replicaSets = all(cluster, 'ReplicaSet').map((o) => o.metadata.name);

    cluster.runUntil(180_000);
    const after = new Map(pods(cluster).map((p) => [p.metadata!.name!, { node: p.spec!.nodeName, uid: p.metadata!.uid }]));
    expect(after).toEqual(before);
    expect(all(cluster, 'ReplicaSet').map((o) => o.metadata.name)).toEqual(replicaSets);
    expect(replicaSets.sort()).toEqual(['coredns-7db6d8ff4d', 'web-6b9f8d7c5', 'web-7f4d9b8c6d']);
    for (const p of pods(cluster)) {
      expect(p.status?.phase, p.metadata?.name).toBe('Running');
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status, p.metadata?.name).toBe('True');
    }
    // No controller created, deleted or scaled anything; no node was taken for rebooted.
    const reasons = new Set(all(cluster, 'Event').map((e) => e.reason as string));
    expect(reasons.has('RegisteredNode')).toBe(true);
    for (const r of ['SuccessfulCreate', 'SuccessfulDelete', 'ScalingReplicaSet', 'Killing', 'Rebooted', 'TaintManagerEviction']) expect(reasons.has(r), r).toBe(false);

    // Owners again, with the simulation's uids.
    const rs = named<ReplicaSet>(cluster, 'ReplicaSet', 'web-6b9f8d7c5');
    const web = named<Deployment>(cluster, 'Deployment', 'web');
    expect(controllerOf(rs)).toMatchObject({ kind: 'Deployment', name: 'web', uid: web.metadata!.uid });
    expect(controllerOf(named<ReplicaSet>(cluster, 'ReplicaSet', 'web-7f4d9b8c6d'))).toMatchObject({ kind: 'Deployment', name: 'web' });
    expect(controllerOf(named<Pod>(cluster, 'Pod', 'web-6b9f8d7c5-2kqvx'))).toMatchObject({ kind: 'ReplicaSet', uid: rs.metadata!.uid });
    expect(controllerOf(named<Pod>(cluster, 'Pod', 'kube-proxy-m2b9d'))).toMatchObject({ kind: 'DaemonSet', name: 'kube-proxy' });
    expect(controllerOf(named<Pod>(cluster, 'Pod', 'reindex-9wq4d'))).toMatchObject({ kind: 'Job', name: 'reindex' });
    // Without a StatefulSet in the scenario, db-0 is a plain pod (with one, its controller adopts it, or no one does).
    if (!statefulSetImported) expect(controllerOf(named<Pod>(cluster, 'Pod', 'db-0'))).toBeUndefined();
    // Ready workloads; the revision the real cluster was at.
    expect(web.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(web.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(named<Deployment>(cluster, 'Deployment', 'coredns').status).toMatchObject({ availableReplicas: 2 });
    expect(named<DaemonSet>(cluster, 'DaemonSet', 'kube-proxy').status).toMatchObject({ desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 3 });
    expect(named<Job>(cluster, 'Job', 'reindex').status).toMatchObject({ active: 1 });
    // Nodes as they were: capacity, labels, the control-plane taint.
    const cp = named<Node>(cluster, 'Node', 'k8s-cp-1');
    expect(cp.spec?.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(named<Node>(cluster, 'Node', 'k8s-worker-2').metadata?.labels?.['topology.kubernetes.io/zone']).toBe('eu-west-1b');
    expect(named<Node>(cluster, 'Node', 'k8s-worker-2').status?.capacity?.memory).toBe('16365412Ki');
    // Services keep their addresses.
    const svc = named<Service>(cluster, 'Service', 'web');
    expect([svc.spec?.clusterIP, svc.spec?.ports?.[0].nodePort]).toEqual(['10.103.47.192', 30080]);
    expect(named<Service>(cluster, 'Service', 'kube-dns').spec?.clusterIP).toBe('10.96.0.10');
  });

  it('an imported DaemonSet rolls its pods when its template changes (its template generation moves on)', () => {
    const { cluster } = loadScenario(result.scenario);
    cluster.runUntil(10_000);
    const client = cluster.apiserver.client('test');
    const got = client.get('DaemonSet', 'kube-system', 'kube-proxy');
    if (!got.ok) throw new Error(got.status.message);
    const ds = structuredClone(got.object) as DaemonSet;
    ds.spec!.template.spec!.containers[0].image = 'registry.k8s.io/kube-proxy:v1.30.5';
    const updated = client.update(ds as unknown as KubeObject);
    expect(updated.ok && updated.object.metadata.annotations?.['deprecated.daemonset.template.generation']).toBe('2');
    cluster.runUntil(120_000);
    const proxies = pods(cluster).filter((p) => p.metadata?.labels?.['k8s-app'] === 'kube-proxy' && !p.metadata?.deletionTimestamp);
    expect(proxies.map((p) => [p.spec?.containers[0].image, p.metadata?.labels?.['pod-template-generation']])).toEqual(Array(3).fill(['registry.k8s.io/kube-proxy:v1.30.5', '2']));
  });

  it('answers "what if this node dies?": k8s-worker-1 goes Unknown, and 300 s later its web pods are replaced on k8s-worker-2', () => {
    const { cluster } = loadScenario(result.scenario);
    cluster.runUntil(30_000);
    cluster.act({ action: 'powerOff', node: 'k8s-worker-1' });
    const onWorker1 = pods(cluster)
      .filter((p) => p.spec?.nodeName === 'k8s-worker-1')
      .map((p) => p.metadata!.name!)
      .sort();
    expect(onWorker1).toEqual(['kube-proxy-m2b9d', 'web-6b9f8d7c5-2kqvx', 'web-6b9f8d7c5-rz5lm']);
    let unknownAt: number | undefined;
    let evictedAt: number | undefined;
    for (let t = 31_000; t <= 420_000 && evictedAt === undefined; t += 1_000) {
      cluster.runUntil(t);
      const ready = named<Node>(cluster, 'Node', 'k8s-worker-1').status?.conditions?.find((c) => c.type === 'Ready')?.status;
      if (unknownAt === undefined && ready === 'Unknown') unknownAt = t;
      if (named<Pod>(cluster, 'Pod', 'web-6b9f8d7c5-2kqvx')?.metadata?.deletionTimestamp) evictedAt = t;
    }
    // The last Lease renewal was at most 10 s (+4 % jitter) before 30 s; the controller sees it on a 5 s pass
    // and gives it 40 s: Unknown between 19.6 + 40 and 30 + 5 + 40 + 5 s.
    expect(unknownAt).toBeGreaterThanOrEqual(60_000);
    expect(unknownAt).toBeLessThanOrEqual(80_000);
    const taint = named<Node>(cluster, 'Node', 'k8s-worker-1').spec?.taints?.find((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
    // DefaultTolerationSeconds: 300 s after the NoExecute taint (timeAdded has second precision, we poll each second).
    const tainted = virtualMs(taint!.timeAdded!);
    expect(evictedAt! - tainted).toBeGreaterThanOrEqual(300_000);
    expect(evictedAt! - tainted).toBeLessThanOrEqual(302_000);

    cluster.runUntil(evictedAt! + 30_000);
    const live = pods(cluster).filter((p) => !p.metadata?.deletionTimestamp);
    const web = live.filter((p) => p.metadata?.labels?.app === 'web');
    expect(web.map((p) => p.spec?.nodeName).sort()).toEqual(['k8s-worker-2', 'k8s-worker-2', 'k8s-worker-2']);
    expect(web.every((p) => p.status?.phase === 'Running')).toBe(true);
    // The DaemonSet's pod tolerates the unreachable taint and stays; nothing else moved.
    expect(live.find((p) => p.metadata?.name === 'kube-proxy-m2b9d')?.spec?.nodeName).toBe('k8s-worker-1');
    expect(live.find((p) => p.metadata?.name === 'db-0')?.spec?.nodeName).toBe('k8s-worker-2');
    expect(named<Deployment>(cluster, 'Deployment', 'web').status?.availableReplicas).toBe(3);
  });
});

describe('importCluster: the shapes kubectl output comes in', () => {
  it('reads -o json as it reads -o yaml', () => {
    const json = JSON.stringify(parse(FIXTURE), null, 4);
    expect(importCluster(json).scenario).toBe(importCluster(FIXTURE).scenario);
  });

  it('reads several Lists: multi-document YAML, JSON documents one after another, typed lists from the API', () => {
    const nodes = list(node('n1'), node('n2'));
    const podList = JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } }] });
    const expected = { Node: 2, Pod: 1 };
    expect(importCluster(`${nodes}\n${podList}\n`).counts.byKind).toEqual(expected);
    const yaml = `${JSON.stringify(parse(nodes))}\n---\n${JSON.stringify(parse(podList))}\n`;
    expect(importCluster(yaml).counts.byKind).toEqual(expected);
    expect(parseScenarioFile(importCluster(yaml).scenario).model.objects.find((o) => o.kind === 'Pod')?.spec).toMatchObject({ nodeName: 'n1' });
  });

  it('a pod whose owner is not in the input stays, on its own', () => {
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-5d9c7', uid: 'uid-rs', controller: true, blockOwnerDeletion: true };
    const r = importCluster(list(node('n1'), pod('api-5d9c7-x2x4z', 'n1', { metadata: { ownerReferences: [owner] } })));
    expect(noteOn(r.notes, 'Pod default/api-5d9c7-x2x4z')).toEqual([
      {
        object: 'Pod default/api-5d9c7-x2x4z',
        action: 'changed',
        message: 'its owner ReplicaSet default/api-5d9c7 is not in the input: kept without an owner, bound to its node as it was; nothing re-creates it if it goes',
      },
    ]);
    const { cluster } = loadScenario(r.scenario);
    cluster.runUntil(60_000);
    // Had the reference stayed, the garbage collector would have deleted the pod: its owner's uid does not exist.
    const kept = named<Pod>(cluster, 'Pod', 'api-5d9c7-x2x4z');
    expect(kept).toBeDefined();
    expect(kept.metadata?.deletionTimestamp).toBeUndefined();
  });

  it('an object in two Lists is imported once', () => {
    const r = importCluster(`${list(node('n1'), pod('p', 'n1'))}\n${list(pod('p', 'n1'))}`);
    expect(r.counts).toMatchObject({ read: 3, imported: 2, leftOut: 1 });
    expect(noteOn(r.notes, 'Pod default/p')).toEqual([{ object: 'Pod default/p', action: 'left-out', message: 'appears twice in the input: the first one is kept' }]);
  });

  it('keeps a cordon: the node stays unschedulable and new pods go elsewhere', () => {
    const cordoned = node('n1', { spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: '2024-11-20T09:00:00Z' }] } });
    const r = importCluster(list(cordoned, node('n2'), pod('old', 'n1'), pod('new', undefined)));
    const { cluster } = loadScenario(r.scenario);
    cluster.runUntil(10_000);
    expect(named<Node>(cluster, 'Node', 'n1').spec).toMatchObject({ unschedulable: true });
    expect(named<Pod>(cluster, 'Pod', 'old').spec?.nodeName).toBe('n1');
    expect(named<Pod>(cluster, 'Pod', 'new').spec?.nodeName).toBe('n2');
  });

  it('a node that was down comes up: its condition taints go (they would evict at once), and it says so', () => {
    const down = node('n1', {
      spec: {
        taints: [
          { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: '2024-11-20T09:00:00Z' },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2024-11-20T09:00:05Z' },
          { key: 'dedicated', value: 'db', effect: 'NoSchedule' },
        ],
      },
      status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }] },
    });
    const r = importCluster(list(down, pod('db', 'n1', { spec: { tolerations: [{ key: 'dedicated', operator: 'Exists' }] } })));
    expect(noteOn(r.notes, 'Node n1').map((n) => n.message.split(':')[0])).toEqual(['was not Ready in the input (Ready=Unknown)', 'taints node.kubernetes.io/unreachable']);
    const { cluster } = loadScenario(r.scenario);
    cluster.runUntil(60_000);
    const n1 = named<Node>(cluster, 'Node', 'n1');
    expect(n1.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(n1.spec?.taints).toEqual([{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    expect(named<Pod>(cluster, 'Pod', 'db').metadata?.deletionTimestamp).toBeUndefined();
  });

  it('adds the Namespaces and PriorityClasses the objects need, taking a class\'s value from its pods', () => {
    const critical = pod('api', 'n1', { metadata: { namespace: 'shop' }, spec: { priorityClassName: 'business-critical', priority: 100000, preemptionPolicy: 'PreemptLowerPriority' } });
    const batch: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'batch', namespace: 'shop' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'batch' } }, template: { metadata: { labels: { app: 'batch' } }, spec: { priorityClassName: 'low', containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    const r = importCluster(list(node('n1'), critical, batch));
    expect(r.counts).toMatchObject({ imported: 3, added: 3 });
    expect(noteOn(r.notes, 'Namespace shop')[0].action).toBe('added');
    expect(noteOn(r.notes, 'PriorityClass business-critical')[0].message).toMatch(/^added with value 100000 \(from Pod shop\/api's spec.priority\)/);
    expect(noteOn(r.notes, 'PriorityClass low')[0].message).toMatch(/^added with value 0/);
    const { cluster } = loadScenario(r.scenario);
    expect(named<PriorityClass>(cluster, 'PriorityClass', 'business-critical').value).toBe(100000);
    expect(named<Pod>(cluster, 'Pod', 'api').spec?.priority).toBe(100000);
  });

  it('Services: a clusterIP or nodePort outside the simulated ranges is reassigned; a LoadBalancer has no cloud', () => {
    const eks: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'shop', namespace: 'default', finalizers: ['service.kubernetes.io/load-balancer-cleanup'] },
      spec: { type: 'LoadBalancer', clusterIP: '172.20.14.7', clusterIPs: ['172.20.14.7'], selector: { app: 'shop' }, ports: [{ port: 80, targetPort: 8080, nodePort: 8080, protocol: 'TCP' }] },
      status: { loadBalancer: { ingress: [{ hostname: 'a1b2.elb.amazonaws.com' }] } },
    };
    const r = importCluster(list(eks));
    expect(noteOn(r.notes, 'Service default/shop').map((n) => n.message.split(':')[0])).toEqual([
      'finalizers "service.kubernetes.io/load-balancer-cleanup" removed',
      'clusterIP 172.20.14.7 is outside the simulated service range 10.96.0.0/12',
      'nodePort 8080 is outside the simulated range 30000-32767',
      'there is no cloud load balancer in the simulation',
    ]);
    const { cluster } = loadScenario(r.scenario);
    const svc = named<Service>(cluster, 'Service', 'shop');
    expect(svc.spec?.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
    expect(svc.spec?.ports?.[0].nodePort).toBeGreaterThanOrEqual(30000);
  });

  it('leaves out what is not simulated or is history, and says why', () => {
    const r = importCluster(
      list(
        node('n1'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { a: 'b' } },
        { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'web', namespace: 'default' } },
        { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'default' } },
        { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1', namespace: 'default' } },
        { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e2', namespace: 'default' } },
        { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' } },
        pod('going', 'n1', { metadata: { deletionTimestamp: '2024-11-20T10:00:00Z' } }),
        pod('lost', 'gone-node'),
        pod('stuck', 'n1', { metadata: { finalizers: ['example.com/cleanup', 'batch.kubernetes.io/job-tracking'] } }),
      ),
    );
    expect(r.counts).toMatchObject({ read: 10, imported: 3, leftOut: 7 });
    expect(noteOn(r.notes, 'ConfigMap default/cfg')[0]).toEqual({ object: 'ConfigMap default/cfg', action: 'not-modelled', message: 'kind ConfigMap is not simulated by kubeviz' });
    expect(noteOn(r.notes, 'ServiceMonitor default/web')[0].message).toBe('a custom resource (monitoring.coreos.com/v1): kubeviz simulates only built-in kinds');
    expect(noteOn(r.notes, 'CronJob default/nightly')[0].message).toMatch(/^CronJobs are not simulated/);
    expect(noteOn(r.notes, 'Pod default/going')[0].message).toMatch(/^was being deleted/);
    expect(noteOn(r.notes, 'Pod default/lost')[0].message).toMatch(/not in the input: the pod garbage collector will delete it/);
    expect(noteOn(r.notes, 'Pod default/stuck')[0].message).toMatch(/^finalizers "example.com\/cleanup" removed/);
    const general = r.notes.filter((n) => !n.object).map((n) => n.message);
    expect(general).toContain('2 Events left out: they are history; the simulation records its own');
    expect(general).toContain('1 Lease left out: the simulated kubelets and components hold their own');
    const stuck = parseScenarioFile(r.scenario).model.objects.find((o) => o.metadata.name === 'stuck')!;
    expect(stuck.metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
  });
});

describe('importCluster: bad input gives a clear error or a note, never a crash', () => {
  const error = (text: string) => {
    try {
      importCluster(text);
    } catch (e) {
      expect(e).toBeInstanceOf(ImportError);
      return (e as Error).message;
    }
    throw new Error('no ImportError');
  };

  it('rejects what is not kubectl output', () => {
    expect(error('')).toMatch(/^the input is empty: paste the output of `kubectl get nodes,pods/);
    expect(error('hello world')).toMatch(/^found no Kubernetes objects \(the input is not a Kubernetes object or List \(it is a string\)\)/);
    expect(error('items: [\n  - a\n')).toMatch(/^the input is not valid YAML or JSON: document 1, line \d+: /);
    expect(error('{"apiVersion": "v1", "kind": "List", "items": [')).toMatch(/^the input is not valid JSON: /);
    expect(error(list())).toMatch(/^found no Kubernetes objects \(the List has no items\)/);
    // An alias bomb is refused, not expanded.
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n');
    expect(error(bomb)).toMatch(/^document 1 cannot be read: /);
    expect(error('x'.repeat(MAX_IMPORT_CHARS + 1))).toMatch(/more than the 67108864 an import reads/);
  });

  it('notes items it cannot use and imports the rest', () => {
    let deep: object = {};
    for (let i = 0; i < 200; i++) deep = { a: deep };
    const r = importCluster(list(node('n1'), 'a string', { metadata: { name: 'x' } }, { kind: 'Pod', metadata: {} }, { apiVersion: 'v1', kind: 'Pod', ...deep, metadata: { name: 'deep' } }));
    expect(r.counts).toMatchObject({ read: 5, imported: 1, leftOut: 4 });
    expect(r.notes.filter((n) => n.action === 'left-out').map((n) => n.message)).toEqual([
      'items[1] is not a Kubernetes object (a string)',
      'items[2] has no kind',
      'items[3] (Pod) has no metadata.name',
      'items[4] is nested more than 64 levels deep: not a Kubernetes object',
    ]);
  });

  it('drops __proto__ keys (YAML and JSON) without touching any prototype', () => {
    const yaml = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Node',
      '  metadata:',
      '    name: n1',
      '    __proto__: {polluted: yes}',
      '    labels: {__proto__: {polluted: yes}, zone: a}',
    ].join('\n');
    const json = list({ ...node('n2'), ['__proto__']: { polluted: true } });
    for (const text of [yaml, json.replace('"apiVersion":"v1","kind":"Node"', '"__proto__":{"polluted":true},"apiVersion":"v1","kind":"Node"')]) {
      const r = importCluster(text);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(r.counts.imported).toBe(1);
      expect(r.notes.find((n) => n.message.includes('__proto__'))?.message).toMatch(/__proto__ removed: not a Kubernetes field$/);
      expect(r.scenario.replace(/^#.*\n/gm, '')).not.toContain('__proto__');
    }
    expect(importCluster(yaml).notes.find((n) => n.object === 'Node n1')?.message).toBe('metadata.__proto__, metadata.labels.__proto__ removed: not a Kubernetes field');
  });

  it('takes script in names and annotations as data: an invalid name is left out with the apiserver\'s reason, an annotation kept verbatim', () => {
    const script = '<script>alert(1)</script>';
    const hostile = '</x>\n---\napiVersion: v1\nkind: Node\nmetadata: {name: injected}';
    const r = importCluster(list(node('n1', { metadata: { name: 'n1', annotations: { note: script } } }), pod(script, 'n1'), pod(hostile, 'n1')));
    expect(r.counts).toMatchObject({ imported: 1, leftOut: 2 });
    expect(noteOn(r.notes, `Pod default/${script}`)[0].message).toMatch(/^the simulated apiserver would refuse it: metadata.name: Invalid value: "<script>alert\(1\)<\/script>": a lowercase RFC 1123 subdomain/);
    // A name with line breaks cannot escape the comment that lists it.
    const { cluster } = loadScenario(r.scenario);
    expect(all(cluster, 'Node').map((n) => n.metadata.name)).toEqual(['n1']);
    expect(named<KubeObject>(cluster, 'Node', 'n1').metadata.annotations?.note).toBe(script);
  });
});
