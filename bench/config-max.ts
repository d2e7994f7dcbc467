// Kubernetes' configuration maximums. `configMaxScenario` is the gallery's
// config-max scenario as a user opens it (5,000 nodes in 3 zones, 150,000
// pods of Deployments and DaemonSets, settled from the start, zone-a powered
// off at 2 min); `configMaxModel` a plain pool of nodes with bare bound pods,
// sized at will, for the apiserver and scheduler benches.
import type { Node, Pod } from '../src/sim/api/types';
import { emptyScenario, type ScenarioModel } from '../src/sim/model';
import { parseScenario } from '../src/scenario/parse';
import CONFIG_MAX_YAML from '../src/scenario/examples/config-max.yaml?raw';

export { CONFIG_MAX_YAML };

/** The gallery scenario config-max, parsed (as the app and the CLI take it). */
export function configMaxScenario(): ScenarioModel {
  return parseScenario(CONFIG_MAX_YAML);
}

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
