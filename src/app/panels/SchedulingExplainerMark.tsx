// What the scheduling explainer shows on a node card while it is open: the
// node glows when Filter found it feasible, shows upstream's reason when
// Filter dropped it, and is marked when it was chosen. One string per card
// from the store (a primitive), so a card re-renders only when its own mark
// changes.
import type { ClusterViewState } from '../store/cluster-store';
import { useClusterStore } from '../store/store-context';

export interface SchedulingMark {
  /** For the card's class: sched-feasible, sched-infeasible, sched-chosen. */
  className: string;
  reason?: string;
}

/** This node's mark in the explainer's cycle, or null when the explainer is not showing one. */
export function useSchedulingMark(node: string): SchedulingMark | null {
  const mark = useClusterStore((s: ClusterViewState) => s.schedulingMarks?.[node] ?? null);
  if (!mark) return null;
  if (mark === 'feasible' || mark === 'chosen') return { className: ` sched-${mark}` };
  return { className: ' sched-infeasible', reason: mark.slice('infeasible: '.length) };
}

/** The reason an infeasible node shows on its card, or the chosen node's badge. */
export function SchedulingMarkBadge({ mark }: { mark: SchedulingMark | null }) {
  if (!mark) return null;
  if (mark.reason !== undefined)
    return (
      <p className="sched-reason" data-testid="sched-reason" title={`Filter: ${mark.reason}`}>
        {mark.reason}
      </p>
    );
  if (mark.className === ' sched-chosen')
    return (
      <p className="sched-chosen-badge" data-testid="sched-chosen">
        chosen by kube-scheduler
      </p>
    );
  return null;
}
