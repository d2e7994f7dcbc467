// Kubernetes' configuration maximums as a scenario model: 5,000 nodes in 3
// zones and 150,000 pods (30 per node) bound from the start.
import type { Node, Pod } from '../src/sim/api/types';
import { emptyScenario, type ScenarioModel } from '../src/sim/model';

export function configMaxModel(nodes = 5000, podsPerNode = 30): ScenarioModel {
  const template: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { labels: { 'node.kubernetes.io/instance-type': 'm5.xlarge' } },
    status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } },
  };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app', namespace: 'default', labels: { app: 'load' } },
    spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  };
  return {
    ...emptyScenario(),
    seed: 'config-max',
    nodePools: [{ name: 'node', count: nodes, zones: ['zone-a', 'zone-b', 'zone-c'], template, pods: { perNode: podsPerNode, template: pod } }],
  };
}
