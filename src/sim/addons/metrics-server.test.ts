import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster, type Cluster } from '../cluster';
import { emptyScenario } from '../model';
import { METRICS_SERVER_IMAGE, metricsServerObjects } from './metrics-server-objects';

const Mi = 1024 * 1024;

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } });
/** 250m of CPU from t=0 on node-1, 64Mi of memory (its request). */
const hog: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'hog', namespace: 'default', annotations: { 'kubeviz.dev/behavior': '{"app": {"cpu": "250m"}}' } },
  spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '500m', memory: '64Mi' } } }] },
};

function cluster(metricsServer = true): Cluster {
  return createCluster({ ...emptyScenario(), objects: [node('node-1'), node('node-2'), hog], addons: { dns: false, metricsServer } });
}

const metricsPod = (c: Cluster) => c.objects().find((o) => o.kind === 'Pod' && o.metadata.name!.startsWith('metrics-server-')) as Pod | undefined;
const scrapes = (c: Cluster) => c.trace().filter((m) => m.from === 'metrics-server');

describe('the metrics-server addon', () => {
  it('installs the release Deployment and Service in kube-system; its pod is system-cluster-critical and Ready after 20 s', () => {
    const [d, svc] = metricsServerObjects();
    const spec = (d.spec as { template: { spec: Pod['spec'] } }).template.spec!;
    const c0 = spec.containers[0];
    expect([d.kind, d.metadata.namespace, svc.kind, svc.metadata.name]).toEqual(['Deployment', 'kube-system', 'Service', 'metrics-server']);
    expect(c0.image).toBe(METRICS_SERVER_IMAGE);
    expect(c0.args).toContain('--metric-resolution=15s');
    expect(c0.resources?.requests).toEqual({ cpu: '100m', memory: '200Mi' });
    expect(spec.priorityClassName).toBe('system-cluster-critical');
    expect(c0.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'https' }, initialDelaySeconds: 20, periodSeconds: 10 });

    const c = cluster();
    c.runUntil(15_000);
    const pod = metricsPod(c)!;
    expect(pod.spec?.priority).toBe(2_000_000_000);
    expect(pod.status?.phase).toBe('Running');
    const ready = (p: Pod) => p.status?.conditions?.find((x) => x.type === 'Ready')?.status;
    expect(ready(pod)).toBe('False');
    expect(c.metrics!.serving()).toBe(false);
    c.runUntil(30_000);
    expect(ready(metricsPod(c)!)).toBe('True');
    expect(c.metrics!.serving()).toBe(true);
  });

  it('a container at 250m scraped at 15 s and 30 s is 250m over a 15 s window; with one scrape it has no usage yet', () => {
    const c = cluster();
    c.runUntil(20_000);
    // One round (15 s): hog, running since 0, has one point; nodes too.
    expect(c.metrics!.podMetrics().map((p) => p.metadata.name)).not.toContain('hog');
    expect(c.metrics!.nodeMetrics()).toEqual([]);
    c.runUntil(30_000);
    const pm = c.metrics!.podMetrics('default');
    expect(pm).toEqual([
      {
        apiVersion: 'metrics.k8s.io/v1beta1',
        kind: 'PodMetrics',
        metadata: { name: 'hog', namespace: 'default', creationTimestamp: '2026-01-01T00:00:30Z' },
        timestamp: '2026-01-01T00:00:30Z',
        window: '15s',
        containers: [{ name: 'app', usage: { cpu: '250m', memory: '64Mi' } }],
      },
    ]);
    // node-1 = hog + the system overhead: 250m + 100m, 64Mi + 512Mi.
    const n1 = c.metrics!.nodeMetrics().find((n) => n.metadata.name === 'node-1')!;
    expect(n1.usage).toEqual({ cpu: '350m', memory: '576Mi' });
    expect(n1.window).toBe('15s');
  });

  it('each round lists the nodes and asks every kubelet for /metrics/resource: one wire message per node', () => {
    const c = cluster();
    c.runUntil(30_000);
    const at30 = scrapes(c).filter((m) => m.t === 30_000);
    expect(at30.map((m) => `${m.to} ${m.verb} ${m.resource} ${m.key} ${m.ok}`)).toEqual([
      'kube-apiserver list nodes  true',
      'kubelet/node-1 get metrics/resource node-1 true',
      'kubelet/node-2 get metrics/resource node-2 true',
    ]);
  });

  it('scrapes nothing while its pod is not Running (no kube-scheduler: it stays Pending)', () => {
    const c = cluster();
    c.act({ action: 'stopComponent', component: 'kube-scheduler' });
    c.runUntil(90_000);
    expect(metricsPod(c)?.status?.phase).toBe('Pending');
    expect(scrapes(c)).toEqual([]);
    expect(c.metrics!.status()).toEqual({ running: false, serving: false, rounds: 0 });
    expect(c.metrics!.samples('Node//node-1')).toEqual([]);
  });

  it("a powered-off node's kubelet times out and a stopped one refuses: their nodes drop out of the API", () => {
    const c = cluster();
    c.runUntil(31_000);
    c.act({ action: 'powerOff', node: 'node-1' });
    c.runUntil(45_000);
    const errors = scrapes(c).filter((m) => m.t === 45_000 && !m.ok);
    expect(errors.map((m) => `${m.to}: ${m.error}`)).toEqual(['kubelet/node-1: Get "https://10.0.1.1:10250/metrics/resource": context deadline exceeded']);
    expect(c.metrics!.nodeMetrics().map((n) => n.metadata.name)).toEqual(['node-2']);
    expect(c.metrics!.podMetrics('default')).toEqual([]);

    const d = cluster();
    d.runUntil(31_000);
    d.act({ action: 'stopKubelet', node: 'node-1' });
    d.runUntil(45_000);
    expect(scrapes(d).find((m) => m.t === 45_000 && !m.ok)?.error).toBe('Get "https://10.0.1.1:10250/metrics/resource": dial tcp 10.0.1.1:10250: connect: connection refused');
  });

  it('keeps a bounded ring for the charts: 41 rounds (10 minutes) per node and pod', () => {
    const c = cluster();
    c.runUntil(15 * 60_000);
    const s = c.metrics!.samples('Pod/default/hog');
    expect(s).toHaveLength(41);
    expect(s[40]).toEqual({ t: 15 * 60_000, cpuMilli: 250, memoryBytes: 64 * Mi });
    // 10 minutes from the first kept round to the last.
    expect(s[40].t - s[0].t).toBe(10 * 60_000);
    expect(c.metrics!.samples('Node//node-1')).toHaveLength(41);
  });

  it('keeps everything in memory: a new metrics-server pod starts with no samples', () => {
    const c = cluster();
    c.runUntil(60_000);
    expect(c.metrics!.samples('Node//node-1').length).toBeGreaterThan(0);
    const before = c.metrics!.generation;
    c.act({ action: 'delete', kind: 'Pod', name: metricsPod(c)!.metadata!.name!, namespace: 'kube-system' });
    // The old process is killed at the end of its 30 s grace (90 s); the ReplicaSet's new pod started meanwhile.
    c.runUntil(89_000);
    expect(c.metrics!.samples('Node//node-1')[0].t).toBe(30_000);
    c.runUntil(150_000);
    // The new process's first round is at 105 s; a usage needs a second one (120 s).
    expect(c.metrics!.samples('Node//node-1')[0].t).toBe(120_000);
    expect(c.metrics!.generation).toBeGreaterThan(before);
  });

  it('is deterministic, and absent without the addon', () => {
    const a = cluster();
    const b = cluster();
    a.runUntil(5 * 60_000);
    b.runUntil(5 * 60_000);
    expect(a.metrics!.samples('Pod/kube-system/' + metricsPod(a)!.metadata!.name)).toEqual(b.metrics!.samples('Pod/kube-system/' + metricsPod(b)!.metadata!.name));
    expect(a.stateHash()).toBe(b.stateHash());
    const none = cluster(false);
    none.runUntil(60_000);
    expect(none.metrics).toBeUndefined();
    expect(metricsPod(none)).toBeUndefined();
    expect(scrapes(none)).toEqual([]);
  });
});
