// kube-controller-manager's node IPAM flags for one cluster:
// --allocate-node-cidrs, --cluster-cidr, --node-cidr-mask-size and
// --service-cluster-ip-range (upstream pkg/controller/nodeipam/config and
// cmd/kube-controller-manager/app/core.go startNodeIpamController), with
// --cidr-allocator-type RangeAllocator, the default.
//
// The simulation has no command line. A kubeadm cluster gets these flags
// from `kubeadm init --pod-network-cidr 10.244.0.0/16`; kubeviz turns them
// on for the clusters that run on the simulated cloud (cloud/cluster-cloud.ts
// calls allocateNodeCIDRs while the cluster is being built), keyed by the
// cluster's kernel because the controller manager is built before the
// cloud. Every other cluster keeps upstream's default,
// --allocate-node-cidrs=false: no node IPAM, Nodes without spec.podCIDR.
import type { Kernel } from '../kernel/kernel';

export interface NodeIpamConfig {
  /** --cluster-cidr: the pods' address space. */
  clusterCIDR: string;
  /** --node-cidr-mask-size (24 for IPv4 by default): each Node's share of it. */
  nodeCIDRMaskSize: number;
  /** --service-cluster-ip-range: node CIDRs never overlap it. */
  serviceCIDR?: string;
}

/** What kubeadm passes with --pod-network-cidr 10.244.0.0/16 (flannel's default, the /24s the runtimes use). */
export const KUBEADM_POD_NETWORK: Omit<NodeIpamConfig, 'serviceCIDR'> = { clusterCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 24 };

const configs = new WeakMap<Kernel, NodeIpamConfig>();

/** --allocate-node-cidrs=true with these ranges, for the cluster of this kernel (also after a controller-manager restart). */
export function allocateNodeCIDRs(kernel: Kernel, config: NodeIpamConfig): void {
  configs.set(kernel, { ...config });
}

/** The cluster's node IPAM flags, or undefined when it does not allocate node CIDRs. */
export function nodeIpamConfig(kernel: Kernel): NodeIpamConfig | undefined {
  return configs.get(kernel);
}
