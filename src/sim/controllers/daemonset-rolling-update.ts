// The RollingUpdate strategy of a DaemonSet (pkg/controller/daemon/update.go
// rollingUpdate, findUpdatedPodsOnNode, updatedDesiredNodeCounts) as a pure
// plan: which old pods to delete and on which nodes to surge a new pod,
// within maxUnavailable (default 1) and maxSurge (default 0). Without surge
// it only deletes: the manage loop then creates the new pod on the emptied
// node. Upstream walks a Go map (random order); we walk nodes in list order.
import type { DaemonSet, Pod } from '../api/types';
import { isPodAvailable } from './daemonset-pod-util';
import type { DaemonPodFit } from './daemonset-node-fit';
import { isPodUpdated, surgeCount, unavailableCount } from './daemonset-util';

export interface RollingUpdateInput {
  ds: DaemonSet;
  hash: string;
  generation: number | undefined;
  /** Nodes that should run the daemon, in node-list order. */
  desiredNodes: readonly string[];
  /** Daemon pods by target node (pods that are terminal and deleted already left out). */
  nodeToDaemonPods: ReadonlyMap<string, readonly Pod[]>;
  /** NodeShouldRunDaemonPod for a node name; undefined when the node is gone. */
  fitOf(nodeName: string): DaemonPodFit | undefined;
  now: number;
}

export type RollingUpdatePlan = { podsToDelete: string[]; nodesToCreate: string[] } | { error: string };

interface Budget {
  maxSurge: number;
  maxUnavailable: number;
  desiredNumberScheduled: number;
}

/** updatedDesiredNodeCounts: the budgets, with unavailability 1 when a DaemonSet allows neither. */
function budgets(ds: DaemonSet, desired: number): Budget | { error: string } {
  const maxUnavailable = unavailableCount(ds, desired);
  if (maxUnavailable === undefined) return { error: `invalid value for MaxUnavailable: ${JSON.stringify(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable)}` };
  const maxSurge = surgeCount(ds, desired);
  if (maxSurge === undefined) return { error: `invalid value for MaxSurge: ${JSON.stringify(ds.spec?.updateStrategy?.rollingUpdate?.maxSurge)}` };
  const fallback = desired > 0 && maxUnavailable === 0 && maxSurge === 0;
  return { maxSurge, maxUnavailable: fallback ? 1 : maxUnavailable, desiredNumberScheduled: desired };
}

/** findUpdatedPodsOnNode: at most one new and one old live pod, else ok=false (the manage loop prunes first). */
function updatedPodsOnNode(pods: readonly Pod[], hash: string, generation: number | undefined): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/** Every node with daemon pods, plus every desired node without one, in a stable order. */
function nodesInOrder(input: RollingUpdateInput): string[] {
  return [...new Set([...input.desiredNodes, ...input.nodeToDaemonPods.keys()])];
}

export function planRollingUpdate(input: RollingUpdateInput): RollingUpdatePlan {
  const { ds, hash, generation, now } = input;
  const b = budgets(ds, input.desiredNodes.length);
  if ('error' in b) return b;
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, now);
  const nodes = nodesInOrder(input);
  const podsOn = (n: string) => input.nodeToDaemonPods.get(n) ?? [];

  if (b.maxSurge === 0) {
    // Delete just enough old pods to stay within maxUnavailable; deleted pods do not count.
    let numUnavailable = 0;
    const allowedReplacementPods: string[] = [];
    const candidatePodsToDelete: string[] = [];
    for (const node of nodes) {
      const { newPod, oldPod, ok } = updatedPodsOnNode(podsOn(node), hash, generation);
      if (!ok) {
        numUnavailable++;
        continue;
      }
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) {
          allowedReplacementPods.push(oldPod.metadata!.name!);
          numUnavailable++;
        } else if (numUnavailable < b.maxUnavailable) candidatePodsToDelete.push(oldPod.metadata!.name!);
      }
    }
    const remaining = Math.min(Math.max(b.maxUnavailable - numUnavailable, 0), candidatePodsToDelete.length);
    return { podsToDelete: [...allowedReplacementPods, ...candidatePodsToDelete.slice(0, remaining)], nodesToCreate: [] };
  }

  // Surge: a new pod beside each old one (up to maxSurge at once), the old one deleted once the new is available.
  const oldPodsToDelete: string[] = [];
  const shouldNotRunPodsToDelete: string[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const node of nodes) {
    const { newPod, oldPod, ok } = updatedPodsOnNode(podsOn(node), hash, generation);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod && available(newPod)) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      const fit = input.fitOf(node);
      if (!fit) return { error: `couldn't get node for nodeName ${JSON.stringify(node)}: node ${JSON.stringify(node)} not found` };
      if (!available(oldPod)) {
        if (!fit.shouldRun) oldPodsToDelete.push(oldPod.metadata!.name!);
        else allowedNewNodes.push(node);
      } else if (!fit.shouldRun) shouldNotRunPodsToDelete.push(oldPod.metadata!.name!);
      else if (numSurge < b.maxSurge) candidateNewNodes.push(node);
      continue;
    }
    // Already surged here: wait for the new pod, then retire the old one.
    if (!available(newPod)) numSurge++;
    else oldPodsToDelete.push(oldPod.metadata!.name!);
  }
  // With surge the owner expects full availability: retire pods on nodes that should not run only as others come up.
  const deletable = Math.min(numAvailable - b.desiredNumberScheduled, shouldNotRunPodsToDelete.length);
  if (deletable > 0) oldPodsToDelete.push(...shouldNotRunPodsToDelete.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(b.maxSurge - numSurge, 0), candidateNewNodes.length);
  return { podsToDelete: oldPodsToDelete, nodesToCreate: [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)] };
}
