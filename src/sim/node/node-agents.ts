// PLACEHOLDER (being written): the agents on every worker machine: kubelet,
// container runtime and kube-proxy, one set per node.
import type { ApiServer } from '../apiserver/apiserver';
import type { Machines } from '../cluster/machines';
import type { Kernel } from '../kernel/kernel';
import type { ClusterSettings } from '../model';

export interface NodeAgentsDeps {
  kernel: Kernel;
  apiserver: ApiServer;
  machines: Machines;
  settings: ClusterSettings;
}

export class NodeAgents {
  constructor(readonly deps: NodeAgentsDeps) {}

  /** A machine for this node exists (from the scenario, or a Node applied later): start its agents. */
  add(nodeName: string): void {
    void nodeName;
  }

  /** The machine's power, kubelet or network changed (a fault or its repair): its agents react. */
  machineChanged(nodeName: string): void {
    void nodeName;
  }
}
