// kube-controller-manager's node IPAM flags for one cluster:
// --allocate-node-cidrs, --cluster-cidr, --node-cidr-mask-size and
// --service-cluster-ip-range (upstream pkg/controller/nodeipam/config and
// cmd/kube-controller-manager/app/core.go startNodeIpamController), with
// --cidr-allocator-type RangeAllocator, the default.
//
// The simulation has no command line. A kubeadm cluster gets these flags
// from `kubeadm init --pod-network-cidr 10.244.0.0/16`; kubeviz turns them
// on for the clusters that run on the simulated cloud (cluster.ts passes
// them to every kube-controller-manager through its options and context).
// Every other cluster keeps upstream's default, --allocate-node-cidrs=false:
// no node IPAM, Nodes without spec.podCIDR.
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
