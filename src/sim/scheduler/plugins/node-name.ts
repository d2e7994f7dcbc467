// NodeName (Filter): a pod that names its node (spec.nodeName) fits only
// there. Upstream: pkg/scheduler/framework/plugins/nodename.
import type { Pod } from '../../api/types';
import type { PluginFactory } from '../framework/registry';
import type { NodeBatch } from '../framework/node-batch';
import { SUCCESS, unresolvable, type Status } from '../framework/status';
import type { CycleState, FilterPlugin, NodeInfo } from '../framework/types';

export const NODE_NAME = 'NodeName';
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export const fitsNodeName = (pod: Pod, nodeInfo: NodeInfo): boolean => !pod.spec?.nodeName || pod.spec.nodeName === nodeInfo.name;

export const newNodeName: PluginFactory = () => {
  const plugin: FilterPlugin = {
    name: NODE_NAME,
    filter: (_state: CycleState, pod: Pod, nodeInfo: NodeInfo) => (fitsNodeName(pod, nodeInfo) ? SUCCESS : unresolvable(ERR_REASON_NODE_NAME)),
    filterNodes(_state: CycleState, pod: Pod, batch: NodeBatch, out: (Status | undefined)[]) {
      const want = pod.spec?.nodeName;
      if (!want) return 0;
      const { table, slots, count } = batch;
      let rejected = 0;
      for (let k = 0; k < count; k++)
        if (out[k] === undefined && table.names[slots[k]] !== want) {
          out[k] = unresolvable(ERR_REASON_NODE_NAME);
          rejected++;
        }
      return rejected;
    },
  };
  return plugin;
};
