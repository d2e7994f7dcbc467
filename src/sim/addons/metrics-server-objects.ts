// metrics-server as its release manifest installs it (kubernetes-sigs/
// metrics-server manifests/base/deployment.yaml and service.yaml, built into
// components.yaml of v0.7.2 with the k8s-app=metrics-server labels): the
// Deployment in kube-system and the Service in front of it. The simulation
// has no APIService, ServiceAccount, ClusterRole or RoleBinding kinds, so
// those documents are left out: the addon being on stands for the
// registered APIService v1beta1.metrics.k8s.io (metrics-server.ts).
import type { KubeObject } from '../api/types';

/** The image repository the process is recognised by (any tag). */
export const METRICS_SERVER_REPOSITORY = 'registry.k8s.io/metrics-server/metrics-server';
export const METRICS_SERVER_IMAGE = `${METRICS_SERVER_REPOSITORY}:v0.7.2`;

const LABELS = { 'k8s-app': 'metrics-server' };

export function metricsServerObjects(): KubeObject[] {
  const probe = (path: string) => ({ httpGet: { path, port: 'https', scheme: 'HTTPS' }, periodSeconds: 10, failureThreshold: 3 });
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'metrics-server', namespace: 'kube-system', labels: LABELS },
    spec: {
      selector: { matchLabels: LABELS },
      strategy: { rollingUpdate: { maxUnavailable: 0 } },
      template: {
        metadata: { labels: LABELS },
        spec: {
          containers: [
            {
              name: 'metrics-server',
              image: METRICS_SERVER_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args: ['--cert-dir=/tmp', '--secure-port=10250', '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--kubelet-use-node-status-port', '--metric-resolution=15s'],
              ports: [{ name: 'https', containerPort: 10250, protocol: 'TCP' }],
              readinessProbe: { ...probe('/readyz'), initialDelaySeconds: 20 },
              livenessProbe: probe('/livez'),
              resources: { requests: { cpu: '100m', memory: '200Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: 1000,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [{ name: 'tmp-dir', mountPath: '/tmp' }],
            },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'metrics-server',
          volumes: [{ name: 'tmp-dir', emptyDir: {} }],
        },
      },
    },
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'metrics-server', namespace: 'kube-system', labels: LABELS },
    spec: { selector: LABELS, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https' }] },
  };
  return [deployment, service];
}
