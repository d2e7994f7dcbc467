// NodeShouldRunDaemonPod (pkg/controller/daemon/daemon_controller.go): may a
// DaemonSet's pod run on a node? The template's nodeName, its nodeSelector
// and required node affinity, and the node's NoSchedule/NoExecute taints
// against the template's tolerations plus the daemon tolerations. A node
// whose only obstacle is a NoSchedule taint keeps a pod that already runs
// there (shouldContinueRunning), as scheduling taints do not evict.
//
// Compiled once per DaemonSet version: with 5,000 nodes a sync asks 5,000
// times, and every node event asks once per DaemonSet.
import type { Node, Taint, Toleration } from 'kubernetes-types/core/v1';
import type { DaemonSet, Pod } from '../api/types';
import { requiredNodeAffinity } from '../api/node-affinity';
import { findMatchingUntoleratedTaint } from '../api/taints';
import { daemonPodTolerations } from './daemonset-util';

export interface DaemonPodFit {
  /** A daemon pod should be created on the node if none runs there. */
  shouldRun: boolean;
  /** A daemon pod already on the node may stay. */
  shouldContinueRunning: boolean;
}

const NO: DaemonPodFit = { shouldRun: false, shouldContinueRunning: false };
const YES: DaemonPodFit = { shouldRun: true, shouldContinueRunning: true };
const KEEP: DaemonPodFit = { shouldRun: false, shouldContinueRunning: true };

const schedulingTaint = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';
const executeTaint = (t: Taint) => t.effect === 'NoExecute';

export type DaemonPodFitter = (node: Node) => DaemonPodFit;

/** NodeShouldRunDaemonPod for one DaemonSet, as a function of the node. */
export function compileDaemonPodFit(ds: DaemonSet): DaemonPodFitter {
  const spec = ds.spec?.template?.spec;
  const wantNode = spec?.nodeName ?? '';
  const tolerations: Toleration[] = daemonPodTolerations(spec?.tolerations, spec?.hostNetwork);
  // NewPod: the template's pod, whose required node affinity is the template's own (not yet pinned to the node).
  const affinity = requiredNodeAffinity({ spec } as Pod);
  return (node) => {
    const name = node.metadata?.name ?? '';
    if (wantNode && wantNode !== name) return NO;
    if (affinity && !affinity(node)) return NO;
    const taints = node.spec?.taints;
    if (!taints?.length || !findMatchingUntoleratedTaint(taints, tolerations, schedulingTaint)) return YES;
    return findMatchingUntoleratedTaint(taints, tolerations, executeTaint) ? NO : KEEP;
  };
}
