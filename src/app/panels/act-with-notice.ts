// A gesture's actions (a menu item, a drop on the fault zone, a button in
// the inspector), performed through the store so each one is a timeline
// action recorded with its instant; one that fails (drain on a node that is
// gone, a write while etcd has no quorum) shows kubectl's answer as a
// notice, since the menu that asked has already closed.
import type { ActionOutcome } from '../../sim/cluster/actions';
import type { Action } from '../../sim/model';
import type { ClusterStore, Notice } from '../store/cluster-store';
import { describeAction } from './ActionsLog';

export function pushNotice(store: ClusterStore, tone: Notice['tone'], text: string): void {
  store.getState().notify(tone, text);
}

/** Performs the actions in order; returns every outcome. Stops at the first the store refuses to perform (halted). */
export function actWithNotice(store: ClusterStore, actions: readonly Action[]): ActionOutcome[] {
  const all: ActionOutcome[] = [];
  for (const a of actions) {
    const out = store.getState().act(a);
    if (out.length === 0) {
      pushNotice(store, 'error', `${describeAction(a)}: not done, the simulation has stopped.`);
      return all;
    }
    all.push(...out);
    const failed = out.filter((o) => !o.ok);
    if (failed.length > 0) pushNotice(store, 'error', `${describeAction(a)} failed: ${failed.map((o) => o.message).join('; ')}`);
  }
  return all;
}
