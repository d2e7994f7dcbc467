// DefaultPreemption, the PostFilter plugin of the default profile (upstream
// pkg/scheduler/framework/plugins/defaultpreemption with the Evaluator of
// pkg/scheduler/framework/preemption). When no node passes Filter, it looks for
// a node where evicting lower-priority pods would let the pod fit.
//
// It returns a plan and performs nothing (STYLE.md 6). The scheduler applies it:
// - status Success, result { nominatedNodeName: node, victims, clearNomination }:
//   mark each victim with the DisruptionTarget condition (reason
//   PreemptionByScheduler) and delete it, clear status.nominatedNodeName of the
//   pods in clearNomination, and set the preemptor's nominatedNodeName to node.
//   Victims already being deleted are left out of `victims` (upstream sends no
//   second delete for them).
// - status Unschedulable with result { nominatedNodeName: '' }: preemption
//   cannot help; clear the preemptor's own nomination (upstream ModeOverride "").
// - status Unschedulable or Error without result: leave the nomination as it is.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { Pod } from '../../api/types';
import { invalid, type FieldError } from '../../api/field-errors';
import { aggregateMessage } from '../../api/selector';
import { PluginArgsError, type PluginArgs, type PluginFactory } from '../framework/registry';
import type { Status } from '../framework/status';
import { SUCCESS, error, unschedulable } from '../framework/status';
import type { CycleState, Handle, NodeInfo, NodeToStatus, PostFilterPlugin, PostFilterResult } from '../framework/types';
import { calculateNumCandidates, dryRunPreemption, pickOneNodeForPreemption } from './preemption-candidates';
import { isPreemptionAllowed, podPriority } from './preemption-victims';

export const DEFAULT_PREEMPTION = 'DefaultPreemption';

/** The message for nodes preemption did not try: those whose Filter status was UnschedulableAndUnresolvable. */
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';

export interface DefaultPreemptionArgs {
  /** Candidates to find, as a percentage of the nodes where preemption might help. */
  minCandidateNodesPercentage: number;
  /** ... and at least this many. */
  minCandidateNodesAbsolute: number;
}

/** config/v1 SetDefaults_DefaultPreemptionArgs. */
export const DEFAULT_PREEMPTION_ARGS: Readonly<DefaultPreemptionArgs> = Object.freeze({
  minCandidateNodesPercentage: 10,
  minCandidateNodesAbsolute: 100,
});

function int32Arg(args: Record<string, unknown>, field: keyof DefaultPreemptionArgs): number {
  const v = args[field];
  if (v === undefined || v === null) return DEFAULT_PREEMPTION_ARGS[field];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new PluginArgsError(`json: cannot unmarshal ${typeof v} into Go struct field DefaultPreemptionArgs.${field} of type int32`);
  }
  return v;
}

/** Defaults, then ValidateDefaultPreemptionArgs; throws PluginArgsError with upstream's message. */
export function defaultPreemptionArgs(args: PluginArgs): DefaultPreemptionArgs {
  const a = args ?? {};
  const percentage = int32Arg(a, 'minCandidateNodesPercentage');
  const absolute = int32Arg(a, 'minCandidateNodesAbsolute');
  const errs: FieldError[] = [];
  if (percentage < 0 || percentage > 100) errs.push(invalid('minCandidateNodesPercentage', percentage, 'not in valid range [0, 100]'));
  if (absolute < 0) errs.push(invalid('minCandidateNodesAbsolute', absolute, 'not in valid range [0, inf)'));
  if (percentage === 0 && absolute === 0) {
    errs.push(
      invalid('minCandidateNodesPercentage', percentage, 'cannot be zero at the same time as minCandidateNodesAbsolute'),
      invalid('minCandidateNodesAbsolute', absolute, 'cannot be zero at the same time as minCandidateNodesPercentage'),
    );
  }
  if (errs.length) throw new PluginArgsError(aggregateMessage(errs));
  return { minCandidateNodesPercentage: percentage, minCandidateNodesAbsolute: absolute };
}

/** The pod was deleted because the scheduler preempted it (DisruptionTarget=True, reason PreemptionByScheduler). */
function terminatingByPreemption(pod: Pod): boolean {
  if (!pod.metadata?.deletionTimestamp) return false;
  const c = (pod.status?.conditions ?? []).find((x) => x.type === 'DisruptionTarget');
  return c !== undefined && c.status === 'True' && c.reason === 'PreemptionByScheduler';
}

/** Upstream's utilerrors aggregate text: one message as is, several (deduplicated) in brackets. */
function aggregate(msgs: readonly string[]): string {
  const unique = [...new Set(msgs)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/**
 * FitError.Error() for the nodes preemption looked at: "0/N nodes are
 * available: <count> <reason>, ...", the histogram sorted as strings; nodes
 * without a status count as "Preemption is not helpful for scheduling".
 */
export function preemptionFitErrorMessage(numAllNodes: number, nodeStatuses: ReadonlyMap<string, Status>): string {
  const reasons = new Map<string, number>();
  for (const st of nodeStatuses.values()) for (const r of st.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
  const absent = numAllNodes - nodeStatuses.size;
  if (absent > 0) reasons.set(PREEMPTION_NOT_HELPFUL, (reasons.get(PREEMPTION_NOT_HELPFUL) ?? 0) + absent);
  const histogram = [...reasons].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${numAllNodes} nodes are available:${histogram.length ? ` ${histogram.join(', ')}.` : ''}`;
}

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = DEFAULT_PREEMPTION;

  constructor(
    readonly args: DefaultPreemptionArgs,
    private readonly handle: Handle,
  ) {}

  postFilter(state: CycleState, pod: Pod, filtered: NodeToStatus): { result?: PostFilterResult; status: Status } {
    const { result, status } = this.preempt(state, pod, filtered);
    const msg = status.reasons.join(', ');
    return { result, status: msg ? { code: status.code, reasons: [`preemption: ${msg}`] } : status };
  }

  /** PodEligibleToPreemptOthers: undefined when eligible, else why not. */
  podEligibleToPreemptOthers(pod: Pod, nominatedNodeStatus: Status): string | undefined {
    if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nominated = pod.status?.nominatedNodeName;
    if (nominated) {
      // Filter says the nominated node can never fit the pod: it may preempt elsewhere.
      if (nominatedNodeStatus.code === 'UnschedulableAndUnresolvable') return undefined;
      // Victims of an earlier preemption are still terminating there: wait for them.
      const ni = this.handle.snapshot().get(nominated);
      if (ni?.pods.some((p) => isPreemptionAllowed(p.pod, pod) && terminatingByPreemption(p.pod))) {
        return 'not eligible due to a terminating pod on the nominated node.';
      }
    }
    return undefined;
  }

  /** calculateNumCandidates with this plugin's args. */
  numCandidates(numNodes: number): number {
    return calculateNumCandidates(numNodes, this.args.minCandidateNodesPercentage, this.args.minCandidateNodesAbsolute);
  }

  /** Evaluator.Preempt, without the API calls: the plan goes back in the result. */
  private preempt(state: CycleState, pod: Pod, filtered: NodeToStatus): { result?: PostFilterResult; status: Status } {
    // Nodes absent from the map count as UnschedulableAndUnresolvable (upstream's default absent status).
    const statusOf = (name: string): Status => filtered.get(name) ?? { code: 'UnschedulableAndUnresolvable', reasons: [] };

    const notEligible = this.podEligibleToPreemptOthers(pod, statusOf(pod.status?.nominatedNodeName ?? ''));
    if (notEligible !== undefined) return { status: unschedulable(notEligible) };

    const allNodes = this.handle.snapshot().list();
    if (allNodes.length === 0) return { status: error('no nodes available') };

    // nodesWherePreemptionMightHelp: only Unschedulable nodes; UnschedulableAndUnresolvable
    // ones (node affinity, taints, ...) would not fit even with every pod gone.
    const potentialNodes: NodeInfo[] = allNodes.filter((ni) => statusOf(ni.name).code === 'Unschedulable');
    // No PodDisruptionBudgets in the simulation yet; the lister would go here.
    const pdbs: PodDisruptionBudget[] = [];
    let dryRun: ReturnType<typeof dryRunPreemption> = { candidates: [], nodeStatuses: new Map(), errors: [] };
    if (potentialNodes.length > 0) {
      const offset = this.handle.randomInt(potentialNodes.length);
      dryRun = dryRunPreemption(this.handle, state, pod, potentialNodes, pdbs, offset, this.numCandidates(potentialNodes.length));
    }
    const { candidates, nodeStatuses, errors } = dryRun;
    if (errors.length > 0 && candidates.length === 0) return { status: error(aggregate(errors)) };
    if (candidates.length === 0) {
      return {
        result: { nominatedNodeName: '', victims: [], clearNomination: [] },
        status: unschedulable(preemptionFitErrorMessage(allNodes.length, nodeStatuses)),
      };
    }

    const best = pickOneNodeForPreemption(candidates);
    const chosen = candidates.find((c) => c.name === best);
    if (!chosen) return { status: unschedulable('no candidate node for preemption') };
    const priority = podPriority(pod);
    return {
      result: {
        nominatedNodeName: chosen.name,
        victims: chosen.victims.filter((v) => !v.metadata?.deletionTimestamp),
        // Lower-priority pods nominated to this node may no longer fit there: clearing
        // their nomination sends them back to the queue to find another place sooner.
        clearNomination: this.handle
          .nominatedPodsForNode(chosen.name)
          .filter((pi) => podPriority(pi.pod) < priority)
          .map((pi) => pi.pod),
      },
      status: SUCCESS,
    };
  }
}

export const newDefaultPreemption: PluginFactory = (args, handle) => new DefaultPreemption(defaultPreemptionArgs(args), handle);
