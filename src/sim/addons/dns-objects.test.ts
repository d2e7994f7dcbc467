import { describe, expect, it } from 'vitest';
import type { Deployment, EndpointSlice, Pod, Service } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import { COREDNS_IMAGE, dnsAddonObjects, KUBE_DNS_IP } from './dns-objects';
import { dnsCluster, podsLabelled } from './dns-testing';

describe('the CoreDNS addon objects (kubeadm manifests.go)', () => {
  it('are the coredns Deployment and the kube-dns Service, as kubeadm writes them', () => {
    const [deploy, svc] = dnsAddonObjects() as unknown as [Deployment, Service];
    expect(deploy.metadata).toMatchObject({ name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } });
    expect(deploy.spec).toMatchObject({ replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } });
    const pod = deploy.spec!.template.spec!;
    expect(pod.priorityClassName).toBe('system-cluster-critical');
    expect(pod.dnsPolicy).toBe('Default');
    expect(pod.containers[0]).toMatchObject({
      image: COREDNS_IMAGE,
      resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
      livenessProbe: { httpGet: { path: '/health', port: 'liveness-probe' }, initialDelaySeconds: 60, failureThreshold: 5 },
      readinessProbe: { httpGet: { path: '/ready', port: 'readiness-probe' } },
    });
    expect(pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0]).toMatchObject({ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } });
    expect(svc.metadata).toMatchObject({ name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' } });
    expect(svc.spec?.clusterIP).toBe('10.96.0.10');
    expect(svc.spec?.ports?.map((p) => `${p.name} ${p.port}/${p.protocol}`)).toEqual(['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP']);
  });

  it('pass the apiserver: a cluster with spec.addons.dns stores them defaulted, the Service at 10.96.0.10', () => {
    const c = createCluster({ ...emptyScenario(), addons: { dns: true, metricsServer: false }, objects: [] });
    const stored = c.objects();
    const svc = stored.find((o) => o.kind === 'Service' && o.metadata.name === 'kube-dns') as unknown as Service;
    expect(svc.spec).toMatchObject({ clusterIP: KUBE_DNS_IP, type: 'ClusterIP', sessionAffinity: 'None' });
    const d = stored.find((o) => o.kind === 'Deployment') as unknown as Deployment;
    expect(d.spec?.template.spec?.terminationGracePeriodSeconds).toBe(30);
    // Without the addon there is neither.
    const bare = createCluster({ ...emptyScenario(), objects: [] }).objects();
    expect(bare.some((o) => o.metadata.name === 'kube-dns' || o.metadata.name === 'coredns')).toBe(false);
  });

  it('run: two CoreDNS pods on two different worker nodes, Ready, critical priority, behind the kube-dns EndpointSlice', () => {
    const c = dnsCluster();
    c.runUntil(10_000);
    const pods = podsLabelled(c, 'kube-system', 'k8s-app', 'kube-dns') as unknown as Pod[];
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
      // Priority admission resolved system-cluster-critical to its value, 2,000,000,000.
      expect(p.spec?.priority).toBe(2_000_000_000);
    }
    // The preferred anti-affinity (and LeastAllocated) put them on two of the three nodes.
    expect(new Set(pods.map((p) => p.spec?.nodeName)).size).toBe(2);
    const slice = c.objects().find((o) => o.kind === 'EndpointSlice' && o.metadata.labels?.['kubernetes.io/service-name'] === 'kube-dns') as unknown as EndpointSlice;
    expect(slice.endpoints?.filter((e) => e.conditions?.ready).map((e) => e.targetRef?.name).sort()).toEqual(pods.map((p) => p.metadata!.name).sort());
    expect(slice.ports?.map((p) => `${p.name} ${p.port}/${p.protocol}`).sort()).toEqual(['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP']);
  });

  it('are not pinned to control-plane nodes (the simulation registers none): a single plain worker runs both', () => {
    const c = createCluster({ ...emptyScenario(), addons: { dns: true, metricsServer: false }, objects: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'only' } }] });
    c.runUntil(10_000);
    const pods = podsLabelled(c, 'kube-system', 'k8s-app', 'kube-dns');
    // The anti-affinity is only preferred: with one node both land there.
    expect(pods.map((p) => [p.spec.nodeName, p.status.phase])).toEqual([
      ['only', 'Running'],
      ['only', 'Running'],
    ]);
  });
});
