// What the node lifecycle controller does on every change of a Node
// (upstream's nodeUpdateQueue worker, processTaintBaseNoSchedule and
// reconcileNodeLabels): NoSchedule taints that mirror the conditions and
// spec.unschedulable, and the beta os/arch labels kept equal to the stable
// ones.
import type { Node } from 'kubernetes-types/core/v1';
import type { ApiClient } from '../apiserver/apiserver';
import { managedNoScheduleTaints, noScheduleTaintsFor, swapNodeControllerTaint, taintSetDiff } from './node-lifecycle-taints';

/** (primary, secondary) labels kept equal: reconcileNodeLabels' labelReconcileInfo. */
const RECONCILED_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['kubernetes.io/os', 'beta.kubernetes.io/os'],
  ['kubernetes.io/arch', 'beta.kubernetes.io/arch'],
];

/** doNoScheduleTaintingPass: the managed NoSchedule taints brought in line with the conditions. */
export function doNoScheduleTaintingPass(client: ApiClient, now: number, node: Node): void {
  const { add, remove } = taintSetDiff(noScheduleTaintsFor(node), managedNoScheduleTaints(node));
  if (add.length === 0 && remove.length === 0) return;
  swapNodeControllerTaint(client, now, add, remove, node);
}

/** reconcileNodeLabels: each secondary label takes its primary's value. */
export function reconcileNodeLabels(client: ApiClient, node: Node): void {
  const labels = node.metadata?.labels;
  if (!labels) return;
  const update: Record<string, string> = {};
  for (const [primary, secondary] of RECONCILED_LABELS) {
    const value = labels[primary];
    if (value !== undefined && labels[secondary] !== value) update[secondary] = value;
  }
  if (Object.keys(update).length) client.patch('Node', undefined, node.metadata!.name!, { metadata: { labels: update } });
}
