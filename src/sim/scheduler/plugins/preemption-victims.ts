// Preemption on one node, after upstream's DefaultPreemption.SelectVictimsOnNode
// (pkg/scheduler/framework/plugins/defaultpreemption): which lower-priority
// pods must go for the preemptor to fit. It works on copies of the node and
// of the cycle state that the caller owns, and asks the framework's Filter
// plugins (through the Handle) whether the pod fits; it decides, never acts.
import { podHostPorts, sameHostPort } from '../framework/host-ports';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { Pod } from '../../api/types';
import { labelSelectorAsSelector } from '../../api/selector';
import { virtualMs } from '../../kernel/time';
import type { Status } from '../framework/status';
import { SUCCESS, error, isSuccess, unresolvable } from '../framework/status';
import type { CycleState, Handle, NodeInfo, PodInfo, Resource } from '../framework/types';

export const NO_VICTIMS_FOUND = 'No preemption victims found for incoming pod';

/** corev1helpers.PodPriority: spec.priority, 0 when unset. */
export const podPriority = (pod: Pod): number => pod.spec?.priority ?? 0;

/**
 * When the pod started, in virtual ms: status.startTime, else its creation
 * time. (Upstream falls back to time.Now(); the simulation stays deterministic.)
 * A pod with neither counts as started last.
 */
export function podStartTime(pod: Pod): number {
  const ts = pod.status?.startTime ?? pod.metadata?.creationTimestamp;
  const ms = ts ? virtualMs(ts) : NaN;
  return Number.isNaN(ms) ? Infinity : ms;
}

/** util.MoreImportantPod: higher priority first, then the one that started earlier. */
export function moreImportantPod(a: Pod, b: Pod): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a) < podStartTime(b);
}

/** A comparator for Array.sort from moreImportantPod (stable: ties keep the node's order). */
export const byImportance = (a: Pod, b: Pod): number => (moreImportantPod(a, b) ? -1 : moreImportantPod(b, a) ? 1 : 0);

/** The victim must have a strictly lower priority than the preemptor (DefaultPreemption.isPreemptionAllowed). */
export const isPreemptionAllowed = (victim: Pod, preemptor: Pod): boolean => podPriority(victim) < podPriority(preemptor);

// ---- What-if copies of a NodeInfo (upstream NodeInfo.Snapshot / AddPodInfo / RemovePod) ----

const podKey = (pod: Pod): string => pod.metadata?.uid || `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

function hasPodAffinity(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  return a != null && (a.podAffinity != null || a.podAntiAffinity != null);
}

function hasRequiredAntiAffinity(pod: Pod): boolean {
  return (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
}



function addRequests(into: Resource, r: Resource, sign: 1 | -1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  for (const [name, v] of Object.entries(r.scalar)) into.scalar[name] = (into.scalar[name] ?? 0) + sign * v;
}

/** A copy of a NodeInfo that can be changed without touching the cycle's snapshot. */
export function snapshotNodeInfo(ni: NodeInfo): NodeInfo {
  return {
    ...ni,
    pods: [...ni.pods],
    podsWithAffinity: [...ni.podsWithAffinity],
    podsWithRequiredAntiAffinity: [...ni.podsWithRequiredAntiAffinity],
    usedPorts: [...ni.usedPorts],
    requested: { ...ni.requested, scalar: { ...ni.requested.scalar } },
    nonZeroRequested: { ...ni.nonZeroRequested },
  };
}

/** Adds a pod to a copy made by snapshotNodeInfo. */
export function addPodToNodeInfo(ni: NodeInfo, pi: PodInfo): void {
  ni.pods.push(pi);
  if (hasPodAffinity(pi.pod)) ni.podsWithAffinity.push(pi);
  if (hasRequiredAntiAffinity(pi.pod)) ni.podsWithRequiredAntiAffinity.push(pi);
  addRequests(ni.requested, pi.requests, 1);
  ni.nonZeroRequested.milliCPU += pi.nonZeroRequests.milliCPU;
  ni.nonZeroRequested.memory += pi.nonZeroRequests.memory;
  for (const p of podHostPorts(pi.pod)) if (!ni.usedPorts.some((u) => sameHostPort(u, p))) ni.usedPorts.push(p);
  ni.generation++;
}

/** Removes a pod from a copy made by snapshotNodeInfo; an Error status when it is not there. */
export function removePodFromNodeInfo(ni: NodeInfo, pod: Pod): Status | undefined {
  const key = podKey(pod);
  const i = ni.pods.findIndex((p) => podKey(p.pod) === key);
  if (i < 0) return error(`no corresponding pod ${pod.metadata?.name} in pods of node ${ni.name}`);
  const [pi] = ni.pods.splice(i, 1);
  ni.podsWithAffinity = ni.podsWithAffinity.filter((p) => podKey(p.pod) !== key);
  ni.podsWithRequiredAntiAffinity = ni.podsWithRequiredAntiAffinity.filter((p) => podKey(p.pod) !== key);
  addRequests(ni.requested, pi.requests, -1);
  ni.nonZeroRequested.milliCPU -= pi.nonZeroRequests.milliCPU;
  ni.nonZeroRequested.memory -= pi.nonZeroRequests.memory;
  const released = podHostPorts(pi.pod);
  ni.usedPorts = ni.usedPorts.filter((u) => !released.some((p) => sameHostPort(u, p)));
  ni.generation++;
  return undefined;
}

const asError = (s: Status): Status => error(s.reasons.join(', '));

/**
 * RunFilterPluginsWithNominatedPods: Filter twice, first as if the pods
 * nominated to this node with equal or higher priority were already placed,
 * then (if that passed and some were added) without them, because they may
 * end up elsewhere. handle.runFilterPlugins is the plain RunFilterPlugins.
 */
export function runFilterWithNominatedPods(handle: Handle, state: CycleState, pod: Pod, ni: NodeInfo): Status {
  const prio = podPriority(pod);
  const self = podKey(pod);
  const nominated = handle.nominatedPodsForNode(ni.name).filter((pi) => podPriority(pi.pod) >= prio && podKey(pi.pod) !== self);
  let withNominated: { state: CycleState; ni: NodeInfo } | undefined;
  if (nominated.length > 0) {
    const s = state.clone();
    const n = snapshotNodeInfo(ni);
    for (const pi of nominated) {
      addPodToNodeInfo(n, pi);
      const st = handle.runPreFilterExtensionAddPod(s, pod, pi, n);
      if (!isSuccess(st)) return asError(st);
    }
    withNominated = { state: s, ni: n };
  }
  const first = handle.runFilterPlugins(withNominated?.state ?? state, pod, withNominated?.ni ?? ni);
  if (!withNominated || !isSuccess(first)) return first;
  return handle.runFilterPlugins(state, pod, ni);
}

/**
 * filterPodsWithPDBViolation: splits pods (kept in order) by whether evicting
 * them would take a matching budget below zero. The simulation has no
 * PodDisruptionBudgets yet, so callers pass [] and every pod is non-violating.
 */
export function filterPodsWithPDBViolation(
  pods: readonly PodInfo[],
  pdbs: readonly PodDisruptionBudget[],
): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((pdb) => pdb.status?.disruptionsAllowed ?? 0);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pi of pods) {
    const labels = pi.pod.metadata?.labels ?? {};
    let violated = false;
    if (Object.keys(labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if (pdb.metadata?.namespace !== pi.pod.metadata?.namespace) return;
        let matches: boolean;
        try {
          const sel = labelSelectorAsSelector(pdb.spec?.selector);
          // A PDB with a nil or empty selector matches nothing.
          matches = !sel.empty && sel.matches(labels);
        } catch {
          matches = false;
        }
        if (!matches) return;
        // Already counted by the apiserver's eviction: not a new violation.
        if (pdb.status?.disruptedPods?.[pi.pod.metadata?.name ?? ''] !== undefined) return;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}

export interface NodeVictims {
  /** Most important first. */
  victims: Pod[];
  numPDBViolations: number;
  status: Status;
}

/**
 * SelectVictimsOnNode: remove every lower-priority pod; if the preemptor then
 * fits, add them back one by one (PDB-violating ones first, each group most
 * important first) and keep each that still lets the preemptor fit. `state`
 * and `ni` are the caller's copies and are changed.
 */
export function selectVictimsOnNode(
  handle: Handle,
  state: CycleState,
  pod: Pod,
  ni: NodeInfo,
  pdbs: readonly PodDisruptionBudget[],
): NodeVictims {
  const fail = (status: Status): NodeVictims => ({ victims: [], numPDBViolations: 0, status });
  const remove = (pi: PodInfo): Status | undefined => {
    const err = removePodFromNodeInfo(ni, pi.pod);
    if (err) return err;
    const st = handle.runPreFilterExtensionRemovePod(state, pod, pi, ni);
    return isSuccess(st) ? undefined : asError(st);
  };
  const add = (pi: PodInfo): Status | undefined => {
    addPodToNodeInfo(ni, pi);
    const st = handle.runPreFilterExtensionAddPod(state, pod, pi, ni);
    return isSuccess(st) ? undefined : asError(st);
  };

  const potential = ni.pods.filter((pi) => isPreemptionAllowed(pi.pod, pod));
  for (const pi of potential) {
    const err = remove(pi);
    if (err) return fail(err);
  }
  if (potential.length === 0) return fail(unresolvable(NO_VICTIMS_FOUND));

  // Not fitting even with every lower-priority pod gone: this node cannot help.
  // (Affinity of the preemptor to one of the victims is deliberately not handled, as upstream.)
  const fits = runFilterWithNominatedPods(handle, state, pod, ni);
  if (!isSuccess(fits)) return fail(fits);

  potential.sort((a, b) => byImportance(a.pod, b.pod));
  const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
  const victims: PodInfo[] = [];
  const reprieve = (pi: PodInfo): { fits: boolean; err?: Status } => {
    const addErr = add(pi);
    if (addErr) return { fits: false, err: addErr };
    const st = runFilterWithNominatedPods(handle, state, pod, ni);
    if (isSuccess(st)) return { fits: true };
    const removeErr = remove(pi);
    if (removeErr) return { fits: false, err: removeErr };
    victims.push(pi);
    return { fits: false };
  };
  let numPDBViolations = 0;
  for (const pi of violating) {
    const r = reprieve(pi);
    if (r.err) return fail(r.err);
    if (!r.fits) numPDBViolations++;
  }
  for (const pi of nonViolating) {
    const r = reprieve(pi);
    if (r.err) return fail(r.err);
  }
  if (violating.length > 0 && nonViolating.length > 0) victims.sort((a, b) => byImportance(a.pod, b.pod));
  return { victims: victims.map((pi) => pi.pod), numPDBViolations, status: SUCCESS };
}
