// NodePorts (PreFilter, Filter): a pod's host ports must be free on the
// node. Pods without host ports skip the plugin. Upstream: plugins/nodeports.
import type { Pod } from '../../api/types';
import { hostPortConflicts, podHostPorts } from '../framework/host-ports';
import type { PluginFactory } from '../framework/registry';
import { SKIP, SUCCESS, unschedulable } from '../framework/status';
import type { CycleState, FilterPlugin, HostPort, NodeInfo, PreFilterPlugin, StateData } from '../framework/types';

export const NODE_PORTS = 'NodePorts';
export const NODE_PORTS_PRE_FILTER_STATE_KEY = 'PreFilter' + NODE_PORTS;
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

class WantedPorts implements StateData {
  constructor(readonly ports: readonly HostPort[]) {}
  // Not affected by adding or removing other pods.
  clone(): StateData {
    return this;
  }
}

export function fitsPorts(want: readonly HostPort[], nodeInfo: NodeInfo): boolean {
  for (const p of want) if (hostPortConflicts(nodeInfo.usedPorts, p)) return false;
  return true;
}

export const newNodePorts: PluginFactory = () => {
  const plugin: PreFilterPlugin & FilterPlugin = {
    name: NODE_PORTS,
    preFilter(state: CycleState, pod: Pod) {
      const ports = podHostPorts(pod);
      if (ports.length === 0) return { status: SKIP };
      state.write(NODE_PORTS_PRE_FILTER_STATE_KEY, new WantedPorts(ports));
      return { status: SUCCESS };
    },
    filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo) {
      // Without PreFilter (disabled by configuration) the ports are worked out here.
      const want = state.read<WantedPorts>(NODE_PORTS_PRE_FILTER_STATE_KEY)?.ports ?? podHostPorts(pod);
      return fitsPorts(want, nodeInfo) ? SUCCESS : unschedulable(ERR_REASON_NODE_PORTS);
    },
  };
  return plugin;
};
