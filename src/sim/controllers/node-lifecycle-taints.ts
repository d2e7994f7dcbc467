// The taints the node lifecycle controller owns, and how it writes them:
// upstream pkg/util/taints/taints.go (TaintExists, TaintSetDiff,
// AddOrUpdateTaint, RemoveTaint), pkg/controller/controller_utils.go
// (AddOrUpdateTaintOnNode, RemoveTaintOffNode, PatchNodeTaints) and
// pkg/controller/util/node/controller_utils.go (SwapNodeControllerTaint).
import type { Node, Taint } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import {
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
} from '../api/taints';
import type { ApiClient } from '../apiserver/apiserver';
import { timestamp } from '../kernel/time';

export {
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
};

/** UnreachableTaintTemplate: Ready=Unknown. */
export const UNREACHABLE_TAINT: Taint = { key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute' };
/** NotReadyTaintTemplate: Ready=False. */
export const NOT_READY_TAINT: Taint = { key: TAINT_NODE_NOT_READY, effect: 'NoExecute' };

/** nodeConditionToTaintKeyStatusMap: which condition, in which status, gives which NoSchedule taint. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NODE_NOT_READY, Unknown: TAINT_NODE_UNREACHABLE },
  MemoryPressure: { True: TAINT_NODE_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_NODE_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NODE_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_NODE_PID_PRESSURE },
};

/** taintKeyToNodeConditionMap's keys: the NoSchedule taints that mirror a condition. */
const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)));

/** The NoSchedule taints a node's conditions and spec.unschedulable call for, in condition order. */
export function noScheduleTaintsFor(node: Node): Taint[] {
  const out: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) out.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) out.push({ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
  return out;
}

/** The node's NoSchedule taints this controller manages (condition taints and unschedulable). */
export function managedNoScheduleTaints(node: Node): Taint[] {
  return (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && (t.key === TAINT_NODE_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)));
}

/** Taint.MatchTaint: same key and effect (value and timeAdded do not count). */
export const matchTaint = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;

export const taintExists = (taints: readonly Taint[] | undefined, t: Taint): boolean => (taints ?? []).some((x) => matchTaint(x, t));

/** TaintSetDiff: what to add to `old` and remove from it to get `want` (by key and effect). */
export function taintSetDiff(want: readonly Taint[], old: readonly Taint[]): { add: Taint[]; remove: Taint[] } {
  return { add: want.filter((t) => !taintExists(old, t)), remove: old.filter((t) => !taintExists(want, t)) };
}

const sameTaint = (a: Taint, b: Taint) => matchTaint(a, b) && (a.value ?? '') === (b.value ?? '') && (a.timeAdded ?? '') === (b.timeAdded ?? '');

/** AddOrUpdateTaint: replace the taint with the same key and effect, or append it; unchanged when an identical one is there. */
export function addOrUpdateTaint(taints: readonly Taint[], taint: Taint): { taints: Taint[]; updated: boolean } {
  let replaced = false;
  const out: Taint[] = [];
  for (const t of taints) {
    if (matchTaint(taint, t)) {
      if (sameTaint(taint, t)) return { taints: [...taints], updated: false };
      out.push(taint);
      replaced = true;
    } else out.push(t);
  }
  if (!replaced) out.push(taint);
  return { taints: out, updated: true };
}

/** RemoveTaint: drop every taint with the taint's key and effect. */
export function removeTaint(taints: readonly Taint[], taint: Taint): { taints: Taint[]; updated: boolean } {
  if (!taintExists(taints, taint)) return { taints: [...taints], updated: false };
  return { taints: taints.filter((t) => !matchTaint(t, taint)), updated: true };
}

/** clientretry.RetryOnConflict with UpdateTaintBackoff: 5 attempts (the apiserver answers at once, so no sleeping between). */
const UPDATE_TAINT_ATTEMPTS = 5;

/**
 * Reads the node fresh, edits its taints and patches spec.taints with the
 * resourceVersion it read (PatchNodeTaints), retrying on 409 Conflict.
 * Returns an error message, or undefined on success (including "nothing to do").
 */
function editTaints(client: ApiClient, nodeName: string, edit: (taints: readonly Taint[]) => { taints: Taint[]; updated: boolean }): string | undefined {
  let error = '';
  for (let attempt = 0; attempt < UPDATE_TAINT_ATTEMPTS; attempt++) {
    const got = client.get('Node', undefined, nodeName);
    if (!got.ok) return got.status.message;
    const node = got.object as Node & KubeObject;
    const r = edit(node.spec?.taints ?? []);
    if (!r.updated) return undefined;
    const patched = client.patch('Node', undefined, nodeName, {
      metadata: { resourceVersion: node.metadata.resourceVersion },
      spec: { taints: r.taints.length ? r.taints : null },
    });
    if (patched.ok) return undefined;
    error = patched.status.message;
    if (patched.status.code !== 409) return error;
  }
  return error;
}

/** AddOrUpdateTaintOnNode: one patch for all the taints, only when something changes. */
export function addOrUpdateTaintOnNode(client: ApiClient, nodeName: string, taints: readonly Taint[]): string | undefined {
  if (taints.length === 0) return undefined;
  return editTaints(client, nodeName, (current) => {
    let cur: Taint[] = [...current];
    let updated = false;
    for (const t of taints) {
      const r = addOrUpdateTaint(cur, t);
      cur = r.taints;
      updated = updated || r.updated;
    }
    return { taints: cur, updated };
  });
}

/** RemoveTaintOffNode: no request at all when the (cached) node has none of the taints. */
export function removeTaintOffNode(client: ApiClient, nodeName: string, cached: Node | undefined, taints: readonly Taint[]): string | undefined {
  if (taints.length === 0) return undefined;
  if (cached && !taints.some((t) => taintExists(cached.spec?.taints, t))) return undefined;
  return editTaints(client, nodeName, (current) => {
    let cur: Taint[] = [...current];
    let updated = false;
    for (const t of taints) {
      const r = removeTaint(cur, t);
      cur = r.taints;
      updated = updated || r.updated;
    }
    return { taints: cur, updated };
  });
}

/**
 * SwapNodeControllerTaint: stamp the new taints with timeAdded = now, add
 * them, then remove the others (two requests, as upstream). True on success.
 */
export function swapNodeControllerTaint(client: ApiClient, now: number, add: readonly Taint[], remove: readonly Taint[], node: Node): boolean {
  const stamped = add.map((t) => ({ ...t, timeAdded: timestamp(now) }));
  if (addOrUpdateTaintOnNode(client, node.metadata!.name!, stamped) !== undefined) return false;
  return removeTaintOffNode(client, node.metadata!.name!, node, remove) === undefined;
}
