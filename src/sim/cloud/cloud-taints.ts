// The taints of an external cloud provider (k8s.io/cloud-provider api
// well_known_taints.go): the kubelet with --cloud-provider=external
// registers its Node with node.cloudprovider.kubernetes.io/uninitialized
// (value "true", NoSchedule) and the cloud node controller lifts it once it
// has given the Node its providerID, addresses and labels; the cloud node
// lifecycle controller puts node.cloudprovider.kubernetes.io/shutdown
// (NoSchedule) on a not-Ready node whose instance is stopped.
import type { Taint } from 'kubernetes-types/core/v1';
import type { KubeObject, Node } from '../api/types';
import type { NodePool, ScenarioModel } from '../model';

export const TAINT_EXTERNAL_CLOUD_PROVIDER = 'node.cloudprovider.kubernetes.io/uninitialized';
export const TAINT_NODE_SHUTDOWN = 'node.cloudprovider.kubernetes.io/shutdown';

export const UNINITIALIZED_TAINT: Taint = { key: TAINT_EXTERNAL_CLOUD_PROVIDER, value: 'true', effect: 'NoSchedule' };
/** nodelifecycle.ShutdownTaint. */
export const SHUTDOWN_TAINT: Taint = { key: TAINT_NODE_SHUTDOWN, effect: 'NoSchedule' };

/** getCloudTaint. */
export const hasCloudTaint = (node: Node): boolean => (node.spec?.taints ?? []).some((t) => t.key === TAINT_EXTERNAL_CLOUD_PROVIDER);

/** excludeCloudTaint. */
export const withoutCloudTaint = (taints: readonly Taint[] | undefined): Taint[] => (taints ?? []).filter((t) => t.key !== TAINT_EXTERNAL_CLOUD_PROVIDER);

/** The Node as a kubelet running with --cloud-provider=external registers it: with the uninitialized taint. */
export function registeredWithCloudTaint<T extends KubeObject | Node>(node: T): T {
  if (hasCloudTaint(node as Node)) return node;
  const spec = (node.spec ?? {}) as NonNullable<Node['spec']>;
  return { ...node, spec: { ...spec, taints: [...(spec.taints ?? []), { ...UNINITIALIZED_TAINT }] } } as T;
}

/**
 * The scenario's nodes (manifests and pools) as they register on a cloud:
 * each carries the uninitialized taint until cloud-controller-manager
 * initializes it, in the first instants of the run.
 */
export function withCloudTaintedNodes(scenario: ScenarioModel): ScenarioModel {
  const objects = scenario.objects.map((o) => (o.kind === 'Node' ? registeredWithCloudTaint(o) : o));
  const nodePools = scenario.nodePools.map((p): NodePool => ({ ...p, template: registeredWithCloudTaint(p.template) }));
  return { ...scenario, objects, nodePools };
}
