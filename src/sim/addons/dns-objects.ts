// Cluster DNS as kubeadm installs it (cmd/kubeadm/app/phases/addons/dns:
// manifests.go for the objects, dns.go for the replica count, and
// constants.go for the image and the Service's address, the tenth of the
// Service range). Two objects join the starting cluster:
//
// - the coredns Deployment in kube-system, the manifest as kubeadm v1.31+
//   writes it: 2 replicas, label k8s-app=kube-dns, maxUnavailable 1,
//   system-cluster-critical, the CriticalAddonsOnly and control-plane
//   tolerations, a preferred anti-affinity that spreads the two pods over
//   hosts, the /health (8080) and /ready (8181) probes, dnsPolicy Default
//   (CoreDNS must not ask itself);
// - the kube-dns Service at 10.96.0.10: dns 53/UDP, dns-tcp 53/TCP,
//   metrics 9153/TCP.
//
// Left out, since the simulation has no such kinds: the coredns ConfigMap
// (its Corefile is COREFILE below; the pod's configMap volume still names
// it, and nothing mounts it), the coredns ServiceAccount (the pod still
// names it; nothing checks) and the system:coredns ClusterRole and
// ClusterRoleBinding (no RBAC here).
import type { KubeObject } from '../api/types';

/** The cluster's DNS domain: the kubelet's clusterDomain and the Corefile's kubernetes zone. */
export const CLUSTER_DOMAIN = 'cluster.local';
/** The kube-dns Service's ClusterIP: kubeadm's GetDNSIP, the tenth address of 10.96.0.0/12; every kubelet's clusterDNS. */
export const KUBE_DNS_IP = '10.96.0.10';
export const KUBE_DNS_SERVICE = { namespace: 'kube-system', name: 'kube-dns' } as const;
export const COREDNS_DEPLOYMENT = 'coredns';
/** The label that selects CoreDNS pods (the Service's selector). */
export const KUBE_DNS_LABEL = { key: 'k8s-app', value: 'kube-dns' } as const;
/** kubeadm v1.33's CoreDNSVersion (v1.31 and v1.32 ship v1.11.3, v1.34 ships v1.12.1). */
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.0';
/** What the kubernetes plugin's `ttl 30` puts on every answer, in seconds. */
export const COREDNS_TTL = 30;

/**
 * The Corefile kubeadm writes into the coredns ConfigMap. `cache 30` does not
 * cache answers in cluster.local (`disable success` / `disable denial`), so
 * cluster names are answered from the kubernetes plugin's watch every time;
 * everything else is forwarded to the node's resolver.
 */
export const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl ${COREDNS_TTL}
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${CLUSTER_DOMAIN}
       disable denial ${CLUSTER_DOMAIN}
    }
    loop
    reload
    loadbalance
}
`;

const labels = { [KUBE_DNS_LABEL.key]: KUBE_DNS_LABEL.value };

function corednsDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: COREDNS_DEPLOYMENT, namespace: 'kube-system', labels },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      selector: { matchLabels: labels },
      template: {
        // Not kubeadm's: how the simulated process behaves. On SIGTERM CoreDNS's health plugin waits
        // its lameduck (5s) and the process exits, well inside the 30 s grace period.
        metadata: { labels, annotations: { 'kubeviz.dev/behavior': '{"coredns": {"stopAfter": "5s"}}' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    labelSelector: { matchExpressions: [{ key: KUBE_DNS_LABEL.key, operator: 'In', values: [KUBE_DNS_LABEL.value] }] },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                },
              ],
            },
          },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              args: ['-conf', '/etc/coredns/Corefile'],
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
                { containerPort: 8080, name: 'liveness-probe', protocol: 'TCP' },
                { containerPort: 8181, name: 'readiness-probe', protocol: 'TCP' },
              ],
              livenessProbe: {
                httpGet: { path: '/health', port: 'liveness-probe', scheme: 'HTTP' },
                initialDelaySeconds: 60,
                timeoutSeconds: 5,
                successThreshold: 1,
                failureThreshold: 5,
              },
              readinessProbe: { httpGet: { path: '/ready', port: 'readiness-probe', scheme: 'HTTP' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
            },
          ],
          dnsPolicy: 'Default',
          volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  };
}

function kubeDnsService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: KUBE_DNS_SERVICE.name,
      namespace: KUBE_DNS_SERVICE.namespace,
      labels: { ...labels, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: KUBE_DNS_IP,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      selector: labels,
    },
  };
}

/** The objects `spec.addons: {dns: true}` adds to the starting cluster. */
export function dnsAddonObjects(): KubeObject[] {
  return [corednsDeployment(), kubeDnsService()];
}
