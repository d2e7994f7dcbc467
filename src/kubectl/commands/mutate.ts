// How kubectl's changes reach the simulation: every change is a timeline
// action through Cluster.act, so it is recorded and replays. A command
// without a verb of its own (label, taint, set image, rollout restart, ...)
// computes the whole new object from the current one, as kubectl computes
// its patch, and applies it; the apiserver keeps what a client may not set
// (uid, creationTimestamp, status).
import type { KubeObject } from '../../sim/api/types';
import type { ActionOutcome } from '../../sim/cluster/actions';
import { KubectlError, serverErrorText } from '../result';
import type { CommandContext } from './command';

/** A deep copy to edit; store objects are shared and must not change. */
export const editable = <T>(obj: T): T => structuredClone(obj);

/** The first failed outcome, as kubectl prints it, or undefined. */
export function failureOf(outcomes: readonly ActionOutcome[]): string | undefined {
  const bad = outcomes.find((o) => !o.ok);
  return bad ? serverErrorText(bad.message) : undefined;
}

/** Writes a whole object (create or replace) with the apply verb; throws kubectl's error if the server refused. */
export function applyObject(ctx: CommandContext, obj: KubeObject): void {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  void _rv;
  const failure = failureOf(ctx.inv.act({ action: 'apply', manifests: [{ ...obj, metadata }] }));
  if (failure) throw new KubectlError(failure);
}
