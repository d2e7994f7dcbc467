// NodeUnschedulable (Filter): a cordoned node (spec.unschedulable) takes
// only pods that tolerate the node.kubernetes.io/unschedulable:NoSchedule
// taint (DaemonSet pods do). Upstream: plugins/nodeunschedulable.
import type { Pod } from '../../api/types';
import { TAINT_NODE_UNSCHEDULABLE, tolerationsTolerateTaint } from '../../api/taints';
import type { PluginFactory } from '../framework/registry';
import type { NodeBatch } from '../framework/node-batch';
import { SUCCESS, unresolvable, type Status } from '../framework/status';
import type { CycleState, FilterPlugin, NodeInfo } from '../framework/types';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const UNSCHEDULABLE_TAINT = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };

export const newNodeUnschedulable: PluginFactory = () => {
  const plugin: FilterPlugin = {
    name: NODE_UNSCHEDULABLE,
    filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo) {
      if (!nodeInfo.node.spec?.unschedulable) return SUCCESS;
      return tolerationsTolerateTaint(pod.spec?.tolerations, UNSCHEDULABLE_TAINT) ? SUCCESS : unresolvable(ERR_REASON_UNSCHEDULABLE);
    },
    filterNodes(_state: CycleState, pod: Pod, batch: NodeBatch, out: (Status | undefined)[]) {
      const { table, slots, count } = batch;
      let tolerates: boolean | undefined;
      let rejected = 0;
      for (let k = 0; k < count; k++) {
        if (!table.unschedulable[slots[k]] || out[k] !== undefined) continue;
        tolerates ??= tolerationsTolerateTaint(pod.spec?.tolerations, UNSCHEDULABLE_TAINT);
        if (tolerates) break;
        out[k] = unresolvable(ERR_REASON_UNSCHEDULABLE);
        rejected++;
      }
      return rejected;
    },
  };
  return plugin;
};
