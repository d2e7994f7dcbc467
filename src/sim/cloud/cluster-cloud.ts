// How a cluster on the simulated cloud (spec.cloud) comes up: the cloud with
// an instance for every worker machine of the starting cluster, and
// cloud-controller-manager on the control plane. Called by cluster.ts only
// when the scenario has spec.cloud; without it there is neither.
//
// Such a cluster is set up as `kubeadm init --pod-network-cidr 10.244.0.0/16`
// with a cloud provider sets it up: kube-controller-manager with
// --allocate-node-cidrs --cluster-cidr 10.244.0.0/16 (its node IPAM gives
// every Node a /24), cloud-controller-manager with the same flags and
// --configure-cloud-routes (its route controller routes each /24 to its
// node's instance), and the nodes' pod networks taken from their Nodes'
// spec.podCIDR instead of an overlay.
import { UNINITIALIZED_TAINT } from './cloud-taints';
import type { Node } from '../api/types';
import type { ApiServer } from '../apiserver/apiserver';
import type { Machines } from '../cluster/machines';
import { KUBEADM_POD_NETWORK, type NodeIpamConfig } from '../controllers/node-ipam-config';
import { firstPassCIDRs } from '../controllers/node-ipam-range-allocator';
import { SERVICE_CIDR } from '../apiserver/service-ips';
import type { Kernel } from '../kernel/kernel';
import type { ClusterSettings, CloudModel } from '../model';
import type { NodeAgents } from '../node/node-agents';
import { Cloud } from './cloud';
import { DEFAULT_CCM_OPTIONS, type CloudControllerManagerOptions } from './cloud-controller';
import { CLOUD_CONTROLLER_MANAGER, CloudControllerManager } from './cloud-controller-manager';

export interface ClusterCloudDeps {
  kernel: Kernel;
  apiserver: ApiServer;
  machines: Machines;
  /** The node agents: kube-proxy's healthz is what the load balancers' health check probes. */
  nodes: NodeAgents;
  settings: ClusterSettings;
  model: CloudModel;
  /** The starting cluster's Nodes, as stored. */
  startingNodes: readonly Node[];
  /** kube-controller-manager's node IPAM ranges: the starting machines take the /24s it is about to give. */
  nodeIpam: NodeIpamConfig;
  /** The control-plane machine cloud-controller-manager runs on. */
  host: string;
}

export interface ClusterCloud {
  cloud: Cloud;
  cloudControllerManager: CloudControllerManager;
}

/** cloud-controller-manager's flags on a cluster that allocates node CIDRs: its route controller runs. */
export const CLOUD_CLUSTER_CCM_OPTIONS: CloudControllerManagerOptions = { ...DEFAULT_CCM_OPTIONS, allocateNodeCIDRs: true, clusterCIDR: KUBEADM_POD_NETWORK.clusterCIDR };

/** kube-controller-manager's node IPAM on a cloud cluster: kubeadm's pod network, clear of the Service range. */
export const CLOUD_NODE_IPAM: NodeIpamConfig = { ...KUBEADM_POD_NETWORK, serviceCIDR: SERVICE_CIDR };

export function startCloud(deps: ClusterCloudDeps): ClusterCloud {
  const { kernel, apiserver, machines, nodes } = deps;
  const cloud = new Cloud({
    kernel,
    model: deps.model,
    powered: (n) => machines.get(n).powered,
    healthzUp: (n) => nodes.host(n)?.proxy.state === 'running',
  });
  // Every Node of the starting cluster runs on an instance, in the order the machines came up.
  const names = nodes.names();
  for (const node of deps.startingNodes) cloud.machineJoined(node, names.indexOf(node.metadata!.name!));
  nodes.takePodCIDRsFromNodes(firstPassCIDRs(deps.startingNodes, deps.nodeIpam));
  nodes.registerWithTaints([UNINITIALIZED_TAINT]);
  const cloudControllerManager = new CloudControllerManager(kernel, apiserver, cloud, deps.settings, CLOUD_CLUSTER_CCM_OPTIONS, undefined, { name: CLOUD_CONTROLLER_MANAGER, host: deps.host });
  return { cloud, cloudControllerManager };
}
