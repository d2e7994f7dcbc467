// Fixtures for the kubectl tests: a small cluster from plain manifests
// (createCluster: nodes start registered and Ready, pods with nodeName start
// bound) and a shorthand for running a command line against it.
import type { KubeObject } from '../sim/api/types';
import { createCluster, type Cluster } from '../sim/cluster';
import { emptyScenario } from '../sim/model';
import { runKubectl, type KubectlOptions } from './run';
import type { KubectlResult } from './result';

export function node(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } };
}

export function deployment(name: string, replicas: number, image = 'nginx:1.27', extra: { requests?: Record<string, string> } = {}): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80 }], ...(extra.requests ? { resources: { requests: extra.requests } } : {}) }] },
      },
    },
  };
}

export function pod(name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...metadata },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }], ...spec },
  };
}

export function service(name: string, selector: Record<string, string>, port = 80): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector, ports: [{ port, targetPort: port }] } };
}

export function clusterOf(objects: KubeObject[], seed: number | string = 7): Cluster {
  return createCluster({ ...emptyScenario(), seed, objects });
}

/** Runs a line and returns the result (for assertions on output, error, exit code and actions). */
export const kubectl = (cluster: Cluster, line: string, options?: KubectlOptions): KubectlResult => runKubectl(cluster, line, options);

/** The names of the pods in a namespace whose names start with `prefix`, in the apiserver's order. */
export function podNames(cluster: Cluster, prefix = '', namespace = 'default'): string[] {
  return cluster
    .objects()
    .filter((o) => o.kind === 'Pod' && o.metadata.namespace === namespace && o.metadata.name!.startsWith(prefix))
    .map((o) => o.metadata.name!);
}
