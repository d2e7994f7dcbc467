// Which nodes preemption tries and which one it picks, after upstream's
// pkg/scheduler/framework/preemption (DryRunPreemption, pickOneNodeForPreemption)
// and DefaultPreemption.calculateNumCandidates. Upstream dry-runs nodes in
// parallel and cancels once it has enough candidates; here they are tried in
// order from the random offset, which gives the same set when run sequentially.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { Pod } from '../../api/types';
import type { Status } from '../framework/status';
import { error, isSuccess } from '../framework/status';
import type { CycleState, Handle, NodeInfo } from '../framework/types';
import { podPriority, podStartTime, selectVictimsOnNode, snapshotNodeInfo } from './preemption-victims';

/** A node the preemptor could run on once `victims` (most important first) are gone. */
export interface Candidate {
  name: string;
  victims: Pod[];
  numPDBViolations: number;
}

/**
 * How many candidates to find: minCandidateNodesPercentage of the nodes
 * (integer division), at least minCandidateNodesAbsolute, at most all of them.
 */
export function calculateNumCandidates(numNodes: number, percentage: number, absolute: number): number {
  let n = Math.floor((numNodes * percentage) / 100);
  if (n < absolute) n = absolute;
  if (n > numNodes) n = numNodes;
  return n;
}

export interface DryRunResult {
  /** Candidates without PDB violations first, then the others. */
  candidates: Candidate[];
  /** Why each tried node that yielded no candidate could not help. */
  nodeStatuses: Map<string, Status>;
  /** Messages of Error statuses met on the way. */
  errors: string[];
}

/**
 * DryRunPreemption: tries potentialNodes[(offset + i) % n] on copies of the node
 * and the cycle state, and stops once it has candidatesNum candidates of which
 * at least one violates no PDB. Each of the two lists holds at most candidatesNum.
 */
export function dryRunPreemption(
  handle: Handle,
  state: CycleState,
  pod: Pod,
  potentialNodes: readonly NodeInfo[],
  pdbs: readonly PodDisruptionBudget[],
  offset: number,
  candidatesNum: number,
): DryRunResult {
  const nonViolating: Candidate[] = [];
  const violating: Candidate[] = [];
  const nodeStatuses = new Map<string, Status>();
  const errors: string[] = [];
  for (let i = 0; i < potentialNodes.length; i++) {
    const ni = snapshotNodeInfo(potentialNodes[(offset + i) % potentialNodes.length]);
    const { victims, numPDBViolations, status } = selectVictimsOnNode(handle, state.clone(), pod, ni, pdbs);
    if (isSuccess(status) && victims.length > 0) {
      const list = numPDBViolations === 0 ? nonViolating : violating;
      if (list.length < candidatesNum) list.push({ name: ni.name, victims, numPDBViolations });
      if (nonViolating.length > 0 && nonViolating.length + violating.length >= candidatesNum) break;
      continue;
    }
    const st = isSuccess(status) ? error(`expected at least one victim pod on node "${ni.name}"`) : status;
    if (st.code === 'Error') errors.push(st.reasons.join(', '));
    nodeStatuses.set(ni.name, st);
  }
  return { candidates: [...nonViolating, ...violating], nodeStatuses, errors };
}

/**
 * util.GetEarliestPodStartTime: the earliest start among the victims that have
 * the highest priority.
 */
export function earliestStartOfHighestPriority(victims: readonly Pod[]): number {
  let maxPriority = podPriority(victims[0]);
  let earliest = podStartTime(victims[0]);
  for (const p of victims) {
    const prio = podPriority(p);
    if (prio === maxPriority) earliest = Math.min(earliest, podStartTime(p));
    else if (prio > maxPriority) {
      maxPriority = prio;
      earliest = podStartTime(p);
    }
  }
  return earliest;
}

// Priorities are int32; adding 2^31 makes each one count as >= 0 in a sum, so
// two victims at -10 weigh more than one, as upstream (MaxInt32 + 1).
const PRIORITY_OFFSET = 2 ** 31;

/**
 * pickOneNodeForPreemption: each score in turn keeps the nodes with the best
 * score, and the first one that leaves a single node decides:
 * 1. fewest PDB violations; 2. lowest highest-victim priority; 3. lowest sum
 * of victim priorities; 4. fewest victims; 5. latest "earliest start time of
 * the highest-priority victims" (disturb the youngest work); 6. the first node.
 * Upstream's "first" is a Go map's order (random); here it is the order the
 * dry run found them in.
 */
export function pickOneNodeForPreemption(candidates: readonly Candidate[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const scores: ((c: Candidate) => number)[] = [
    (c) => -c.numPDBViolations,
    (c) => -podPriority(c.victims[0]),
    (c) => -c.victims.reduce((sum, p) => sum + podPriority(p) + PRIORITY_OFFSET, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfHighestPriority(c.victims),
  ];
  let remaining = [...candidates];
  for (const score of scores) {
    let best = -Infinity;
    let selected: Candidate[] = [];
    for (const c of remaining) {
      const s = score(c);
      if (s > best) {
        best = s;
        selected = [];
      }
      if (s === best) selected.push(c);
    }
    if (selected.length === 1) return selected[0].name;
    // All scored NaN/-Infinity (cannot happen with victims present): keep the field as is.
    if (selected.length > 0) remaining = selected;
  }
  return remaining[0].name;
}
