// Fixtures for the cluster DNS tests: a cluster with the dns addon and the
// workloads that exercise every kind of record. Three nodes a, b, c; in
// namespace default a Deployment "web" (2 pods) behind the ClusterIP Service
// "web", a StatefulSet "db" (2 pods) behind its headless governing Service
// "db", and a busybox pod "client" bound to node a; a namespace "shop" with
// a pod "buyer" bound to node b.
import type { KubeObject } from '../api/types';
import { createCluster, type Cluster } from '../cluster';
import { emptyScenario } from '../model';

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } });

export const clientPod = (name: string, namespace: string, nodeName: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels: { role: 'client' } },
  spec: { nodeName, containers: [{ name: 'shell', image: 'busybox:1.36', command: ['sleep', 'infinity'] }], ...spec },
});

export function dnsWorkloads(): KubeObject[] {
  const web = { app: 'web' };
  const db = { app: 'db' };
  const container = { name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] };
  return [
    node('a'),
    node('b'),
    node('c'),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: web }, template: { metadata: { labels: web }, spec: { containers: [container] } } },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: web, ports: [{ name: 'http', port: 80, targetPort: 80 }] } },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: db }, template: { metadata: { labels: db }, spec: { containers: [container] } } },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' }, spec: { clusterIP: 'None', selector: db, ports: [{ name: 'http', port: 80 }] } },
    clientPod('client', 'default', 'a'),
    clientPod('buyer', 'shop', 'b'),
  ];
}

export function dnsCluster(objects: KubeObject[] = dnsWorkloads(), seed: number | string = 3): Cluster {
  return createCluster({ ...emptyScenario(), seed, addons: { dns: true, metricsServer: false }, objects });
}

export function podOf(cluster: Cluster, namespace: string, name: string) {
  return cluster.objects().find((o) => o.kind === 'Pod' && o.metadata.namespace === namespace && o.metadata.name === name) as
    | (KubeObject & { spec: { nodeName?: string }; status: { podIP?: string; phase?: string } })
    | undefined;
}

export function podsLabelled(cluster: Cluster, namespace: string, key: string, value: string) {
  return cluster
    .objects()
    .filter((o) => o.kind === 'Pod' && o.metadata.namespace === namespace && o.metadata.labels?.[key] === value) as Array<
    KubeObject & { spec: { nodeName?: string }; status: { podIP?: string; phase?: string; conditions?: Array<{ type: string; status: string }> } }
  >;
}
