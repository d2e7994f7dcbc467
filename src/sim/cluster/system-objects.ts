// What every cluster has before anyone applies anything: the four system
// namespaces, the `kubernetes` Service in front of the apiserver, and the
// two built-in PriorityClasses the apiserver creates at start-up.
import type { KubeObject } from '../api/types';
import { SYSTEM_PRIORITY_CLASSES } from '../api/validation/priority-class';
import { KUBERNETES_SERVICE_IP } from '../apiserver/service-ips';

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export function systemObjects(): KubeObject[] {
  const namespaces: KubeObject[] = SYSTEM_NAMESPACES.map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
  }));
  const kubernetes: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      clusterIP: KUBERNETES_SERVICE_IP,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
    },
  };
  const priorityClasses: KubeObject[] = Object.entries(SYSTEM_PRIORITY_CLASSES).map(([name, value]) => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name },
    value,
    description: name === 'system-node-critical' ? 'Used for system critical pods that must not be moved from their current node.' : 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  }));
  return [...namespaces, kubernetes, ...priorityClasses];
}
