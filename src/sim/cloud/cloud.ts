// The simulated cloud (spec.cloud): the infrastructure under the cluster,
// as a cloud provider's API would show it: instances (instances.ts),
// network load balancers with their health checks (load-balancers.ts) and
// the address range they draw from (address-range.ts). It is not a
// Kubernetes component and never talks to the apiserver; the
// cloud-controller-manager reaches it through CloudApi (cloud-api.ts), and
// the machines under it (cluster/machines.ts) decide whether an instance
// runs. Its route table (routes.ts) carries each node's pod CIDR to the
// node's instance: cloud-controller-manager's route controller keeps it from
// the Node.spec.podCIDRs that kube-controller-manager's node IPAM allocates
// on a cloud.
import type { Node } from '../api/types';
import { nodeIp } from '../cluster/node-defaults';
import type { Kernel } from '../kernel/kernel';
import type { CloudModel } from '../model';
import { AddressRange } from './address-range';
import { Instances, type Instance } from './instances';
import { LoadBalancers, type BackendSpec, type LoadBalancer } from './load-balancers';
import { Routes, type CloudRoute } from './routes';

export interface CloudDeps {
  kernel: Kernel;
  model: CloudModel;
  /** The machine under a node has power (cluster/machines.ts): its instance is running, else stopped. */
  powered(node: string): boolean;
  /** kube-proxy's healthz answers on the node: what the load balancers' health check probes. */
  healthzUp(node: string): boolean;
}

/** Everything the cloud holds, for the UI and the state hash. */
export interface CloudView {
  loadBalancerRange: string;
  instances: Instance[];
  loadBalancers: LoadBalancer[];
  routes: CloudRoute[];
}

export class Cloud {
  readonly instances: Instances;
  readonly loadBalancers: LoadBalancers;
  readonly routes: Routes;
  readonly range: AddressRange;

  constructor(private readonly deps: CloudDeps) {
    this.range = new AddressRange(deps.model.loadBalancerRange);
    this.instances = new Instances(deps.kernel.rng, deps.powered);
    this.loadBalancers = new LoadBalancers(deps.kernel, this.range, (b) => this.probe(b));
    this.routes = new Routes(this.instances);
  }

  /**
   * A machine joins the cluster as this Node (the `index`-th worker, whose
   * InternalIP the kubelet reports when the Node names none): its instance
   * is launched. A Node re-added under the name of a terminated instance
   * gets a new instance.
   */
  machineJoined(node: Node, index: number): Instance {
    return this.instances.launch(node, nodeIp(index), this.deps.kernel.now);
  }

  /** deleteMachine: the node's instance is terminated. Undefined when it has no live instance. */
  deleteMachine(node: string): Instance | undefined {
    return this.instances.terminate(node);
  }

  view(): CloudView {
    return { loadBalancerRange: this.range.cidr, instances: this.instances.list(), loadBalancers: this.loadBalancers.list(), routes: this.routes.list() };
  }

  /** The health check reaches a backend when its instance runs and kube-proxy's healthz answers there. */
  private probe(b: BackendSpec): boolean {
    const inst = this.instances.byName(b.node);
    return inst !== undefined && inst.state === 'running' && (b.providerID === '' || inst.providerID === b.providerID) && this.deps.healthzUp(b.node);
  }
}
