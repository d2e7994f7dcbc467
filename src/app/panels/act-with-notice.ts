// A gesture's actions (a menu item, a drop on the fault zone, a button in
// the inspector), performed through the store (actOn: wherever the cluster
// runs) so each one is a timeline action recorded with its instant; one that
// fails (drain on a node that is gone, a write while etcd has no quorum)
// shows kubectl's answer as a notice, since the menu that asked has already
// closed. Asynchronous: the gesture does not wait for it.
import type { ActionOutcome } from '../../sim/cluster/actions';
import type { Action } from '../../sim/model';
import { actAllOn } from '../host/remote-host';
import type { ClusterStore, Notice } from '../store/cluster-store';
import { describeAction } from './ActionsLog';

export function pushNotice(store: ClusterStore, tone: Notice['tone'], text: string): void {
  store.getState().notify(tone, text);
}

/** Performs the actions in order at one instant; resolves to every outcome. Stops at the first the store refuses to perform (halted). */
export async function actWithNotice(store: ClusterStore, actions: readonly Action[]): Promise<ActionOutcome[]> {
  let results: ActionOutcome[][];
  try {
    results = await actAllOn(store, actions);
  } catch (e) {
    pushNotice(store, 'error', `${actions.map(describeAction).join(', ')}: not done (${(e as Error).message}).`);
    return [];
  }
  const all: ActionOutcome[] = [];
  for (const [i, out] of results.entries()) {
    const a = actions[i];
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
