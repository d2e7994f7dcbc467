// The daemonset, job and endpointslice controllers together: the same
// scenario gives the same state at every instant, and a restarted
// kube-controller-manager picks up where it was without duplicating work.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { quietCluster } from './controller-utils-testing';
import { createCluster } from '../cluster';
import { emptyScenario, type ScenarioModel } from '../model';

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { cpu: '8', memory: '16Gi', pods: '110' } } });
const objects: KubeObject[] = [
  node('n1'),
  node('n2'),
  node('n3'),
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'fluentd:1.16' }] } } },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'batch', namespace: 'default' },
    // Manual selector: the apiserver cannot yet create a Job with a generated one (see job.test.ts).
    spec: {
      manualSelector: true,
      selector: { matchLabels: { 'job-name': 'batch' } },
      completions: 4,
      parallelism: 2,
      template: { metadata: { labels: { 'job-name': 'batch', app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
    },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
];

const scenario = (): ScenarioModel => ({
  ...emptyScenario(),
  seed: 7,
  objects,
  timeline: [
    { at: 5000, action: 'apply', manifests: [node('n4')] },
    { at: 8000, action: 'cordon', node: 'n2' },
  ],
});

const count = (c: ReturnType<typeof createCluster>, pred: (o: KubeObject) => boolean) => c.objects().filter(pred).length;

describe('daemonset, job and endpointslice controllers', () => {
  it('give the same state hash at every instant for the same scenario', () => {
    const a = createCluster(scenario());
    const b = createCluster(scenario());
    for (const t of [1, 500, 2000, 6000, 9000, 30_000]) {
      a.runUntil(t);
      b.runUntil(t);
      expect(a.stateHash()).toBe(b.stateHash());
    }
  });

  it('a restarted kube-controller-manager relists and creates nothing twice', () => {
    // Kubelets stopped (and the node grace periods pushed out): pods stay as the controllers made them.
    const c = quietCluster([], scenario());
    c.runUntil(3000);
    const dsPods = () => count(c, (o) => o.kind === 'Pod' && o.metadata.namespace === 'kube-system' && !o.metadata.deletionTimestamp);
    const jobPods = () => count(c, (o) => o.kind === 'Pod' && o.metadata.labels?.['job-name'] === 'batch');
    const slices = () => count(c, (o) => o.kind === 'EndpointSlice' && o.metadata.labels?.['kubernetes.io/service-name'] === 'web');
    expect([dsPods(), jobPods(), slices()]).toEqual([3, 2, 1]);
    c.act({ action: 'stopComponent', component: 'kube-controller-manager' });
    c.runUntil(4000);
    c.act({ action: 'startComponent', component: 'kube-controller-manager' });
    c.runUntil(4500);
    expect([dsPods(), jobPods(), slices()]).toEqual([3, 2, 1]);
  });
});
