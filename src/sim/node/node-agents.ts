// The agents on every worker machine, one set per node: the kubelet, the
// container runtime (containerd) and kube-proxy. They reach the control
// plane only through the apiserver, with a connection that fails while the
// machine is cut off from it (a partition). Faults change the machine
// (cluster/machines.ts); machineChanged makes the agents follow.
import type { Taint } from 'kubernetes-types/core/v1';
import type { Actor } from 'xstate';
import type { ApiServer } from '../apiserver/apiserver';
import type { Machines } from '../cluster/machines';
import { startActor } from '../kernel/actors';
import type { Kernel } from '../kernel/kernel';
import type { ClusterSettings, RegistryModel } from '../model';
import { ContainerRuntime } from './container-runtime';
import { ImageCatalog } from './image-catalog';
import { KubeProxy, type RouteResult } from './kube-proxy';
import { Kubelet, type KubeletPodView } from './kubelet';
import { nodeAgentsMachine, type KubeletState, type KubeProxyState } from './kubelet-machine';
import { PodNetwork, podCidrFor } from './pod-network';
import type { ProxyRule } from './proxy-rules';

export interface NodeAgentsDeps {
  kernel: Kernel;
  apiserver: ApiServer;
  machines: Machines;
  settings: ClusterSettings;
  /** The scenario's registry: image sizes, missing images, pull rate. */
  registry?: RegistryModel;
}

export interface NodeHost {
  name: string;
  /** The node's agents as one statechart (regions kubelet and kubeProxy). */
  actor: Actor<typeof nodeAgentsMachine>;
  kubelet: Kubelet;
  runtime: ContainerRuntime;
  proxy: KubeProxy;
}

/** One node's agents as the UI shows them. */
export interface NodeAgentsView {
  name: string;
  kubelet: KubeletState;
  kubeProxy: KubeProxyState;
  partitioned: boolean;
  podCIDR: string;
  images: Array<{ name: string; sizeBytes: number }>;
  pulls: Array<{ ref: string; since: number; active: boolean }>;
  pods: KubeletPodView[];
}

export class NodeAgents {
  private readonly hosts = new Map<string, NodeHost>();
  /** Node CIDRs are allocated (a cloud cluster): networks follow the Nodes' spec.podCIDR. */
  private podCIDRsFromNodes = false;
  private registrationTaints: readonly Taint[] = [];
  /** Nodes whose agents know they are cut off (to act once per change). */
  private readonly partitioned = new Set<string>();
  readonly catalog: ImageCatalog;

  constructor(readonly deps: NodeAgentsDeps) {
    this.catalog = new ImageCatalog(deps.registry);
  }

  /**
   * From now on the nodes' pod networks follow their Nodes' spec.podCIDR,
   * which kube-controller-manager allocates (--allocate-node-cidrs, on a
   * cloud). The machines already here (the starting cluster) were set up
   * with `starting`, the CIDRs the allocator is about to give their Nodes;
   * a machine added later has no pod network until its Node has a pod CIDR.
   */
  /**
   * The kubelets run with --cloud-provider=external: a Node they register
   * (again, after someone deleted it) carries these taints until
   * cloud-controller-manager initializes it.
   */
  registerWithTaints(taints: readonly Taint[]): void {
    this.registrationTaints = taints.map((t) => ({ ...t }));
  }

  takePodCIDRsFromNodes(starting: ReadonlyMap<string, string>): void {
    this.podCIDRsFromNodes = true;
    for (const [name, cidr] of starting) this.hosts.get(name)?.runtime.updatePodCIDR(cidr);
  }

  /** A machine for this node exists (from the scenario, or a Node applied later): start its agents. */
  add(nodeName: string): void {
    if (this.hosts.has(nodeName)) return;
    const { kernel, apiserver, settings } = this.deps;
    const index = this.hosts.size;
    // Requests from a machine cut off from the control plane never arrive.
    const reachable = () => !this.partitioned.has(nodeName);
    const actor = startActor(kernel, nodeAgentsMachine, { systemId: `node-agents/${nodeName}`, input: undefined });
    const runtime = new ContainerRuntime(kernel, this.catalog, new PodNetwork(this.podCIDRsFromNodes ? '' : podCidrFor(index)), nodeName);
    const memoryFilled = () => this.deps.machines.get(nodeName).memoryPressure;
    const podCIDRFromNode = () => this.podCIDRsFromNodes;
    const registerTaints = () => this.registrationTaints;
    const kubelet = new Kubelet({ kernel, client: apiserver.client(`kubelet/${nodeName}`, { reachable }), runtime, nodeName, index, settings, actor, memoryFilled, podCIDRFromNode, registerTaints });
    const proxy = new KubeProxy(kernel, apiserver.client(`kube-proxy/${nodeName}`, { reachable }), nodeName, actor);
    this.hosts.set(nodeName, { name: nodeName, actor, kubelet, runtime, proxy });
    kubelet.boot(kernel.now === 0);
    this.machineChanged(nodeName);
  }

  /**
   * The machine's power, kubelet or network changed (a fault or its repair): its agents react.
   * A filled or freed memory needs nothing here: the eviction manager observes it at its next synchronize.
   */
  machineChanged(nodeName: string): void {
    const h = this.hosts.get(nodeName);
    if (!h) return;
    const m = this.deps.machines.get(nodeName);
    const off = h.kubelet.state === 'poweredOff';
    if (!m.powered) {
      if (off) return;
      h.actor.send({ type: 'machine.powerOff' });
      h.kubelet.poweredOff();
      h.proxy.poweredOff();
      return;
    }
    if (off) {
      h.actor.send({ type: 'machine.powerOn' });
      h.kubelet.poweredOn();
      h.proxy.poweredOn();
    }
    if (!m.kubeletRunning) h.kubelet.stopKubelet();
    else h.kubelet.startKubelet();
    if (m.partitioned !== this.partitioned.has(nodeName)) {
      if (m.partitioned) this.partitioned.add(nodeName);
      else this.partitioned.delete(nodeName);
      h.kubelet.networkChanged();
      h.proxy.networkChanged();
    }
  }

  host(nodeName: string): NodeHost | undefined {
    return this.hosts.get(nodeName);
  }

  names(): string[] {
    return [...this.hosts.keys()];
  }

  /** kube-proxy's rules on a node. */
  rules(nodeName: string): ProxyRule[] {
    return this.hosts.get(nodeName)?.proxy.rules() ?? [];
  }

  /** Follows a connection made on `nodeName` to a Service address through that node's kube-proxy rules. */
  route(nodeName: string, ip: string, port: number, protocol = 'TCP', clientIP = ''): RouteResult | undefined {
    return this.hosts.get(nodeName)?.proxy.route(ip, port, protocol, clientIP);
  }

  view(nodeName: string): NodeAgentsView | undefined {
    const h = this.hosts.get(nodeName);
    if (!h) return undefined;
    return {
      name: nodeName,
      kubelet: h.kubelet.state,
      kubeProxy: h.proxy.state,
      partitioned: this.deps.machines.get(nodeName).partitioned,
      podCIDR: h.runtime.network.cidr,
      images: [...h.runtime.images.values()].map((i) => ({ name: i.ref, sizeBytes: i.sizeBytes })),
      pulls: h.runtime.pendingPulls(),
      pods: h.kubelet.pods(),
    };
  }
}
