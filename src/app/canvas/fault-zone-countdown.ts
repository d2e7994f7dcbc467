// The consequences of a node failure as they come (issue 6 part 3), read
// off the objects exactly as the controllers read them:
//  1. the node lifecycle controller (src/sim/controllers/node-lifecycle-health.ts,
//     upstream tryUpdateNodeHealth) marks Ready=Unknown once neither the
//     Lease (kube-node-lease/<node>, spec.renewTime) nor the Ready
//     condition's lastHeartbeatTime moved for --node-monitor-grace-period,
//     at its next pass (every --node-monitor-period, 5 s);
//  2. then it adds the node.kubernetes.io/unreachable (Ready=Unknown) or
//     not-ready (Ready=False) NoExecute taint;
//  3. the taint eviction controller (taint-eviction.ts) deletes each pod
//     when its tolerationSeconds for those taints run out, counted from when
//     it saw the taint (the taint's timeAdded): 300 s for the tolerations
//     the DefaultTolerationSeconds admission plugin adds; at once for a pod
//     that does not tolerate them; never for one that tolerates them without
//     a limit (DaemonSet pods).
// Pure: the card passes the objects and the simulated clock.
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1';
import { virtualMs } from '../../sim/kernel/time';
import { matchingTolerations, minTolerationTime } from '../../sim/controllers/taint-eviction';

export interface ConsequenceInput {
  now: number;
  node: Node;
  lease: Lease | undefined;
  /** The pods bound to the node. */
  pods: readonly Pod[];
  /** --node-monitor-grace-period (ms). */
  gracePeriod: number;
  /** The machine sends no heartbeats (off, kubelet stopped, network cut): the grace period is running out. */
  silent: boolean;
  /** kube-controller-manager runs: without it nothing marks the node or evicts. */
  controllersRunning: boolean;
}

export type Consequence =
  /** Ready still True, no heartbeat since `lastHeartbeat`: the grace period ends in `remaining` ms. */
  | { stage: 'grace'; lastHeartbeat: number; remaining: number; gracePeriod: number }
  /** The grace period is over; Ready=Unknown comes with the controller's next pass. */
  | { stage: 'due'; lastHeartbeat: number; gracePeriod: number }
  /** Ready is Unknown (or False), the NoExecute taint not there yet (the tainting queue is rate limited). */
  | { stage: 'untainted'; ready: string }
  /** Tainted: the first of `pods` pods goes in `remaining` ms, `tolerationSeconds` after the taint. */
  | { stage: 'toleration'; taint: string; remaining: number; tolerationSeconds: number; pods: number }
  /** Tolerations ran out: `pods` pods are being evicted (about to go Terminating). */
  | { stage: 'evicting'; taint: string; pods: number }
  /** Every pod that would go has gone: `terminating` still Terminating on the node. */
  | { stage: 'evicted'; taint: string; terminating: number }
  /** Nothing the controllers do next: kube-controller-manager is stopped. */
  | { stage: 'no-controller'; ready: string };

/** metav1.MicroTime or Time to virtual ms (undefined when missing or unreadable). */
function ms(ts: string | undefined | null): number | undefined {
  if (!ts) return undefined;
  const v = virtualMs(ts.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(v) ? v : undefined;
}

/** The newest heartbeat the controller can see: the Lease renewal or the Ready condition's, whichever is later. */
export function lastHeartbeat(node: Node, lease: Lease | undefined): number | undefined {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const a = ms(lease?.spec?.renewTime);
  const b = ms(ready?.lastHeartbeatTime);
  if (a === undefined) return b;
  return b === undefined ? a : Math.max(a, b);
}

const taintText = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

/** The stage a node's failure has reached, or null when there is nothing to count down. */
export function nodeConsequence(input: ConsequenceInput): Consequence | null {
  const { node, now } = input;
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
  const noExecute = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');

  if (ready === 'True' && noExecute.length === 0) {
    if (!input.silent) return null;
    const last = lastHeartbeat(node, input.lease);
    if (last === undefined) return null;
    if (!input.controllersRunning) return { stage: 'no-controller', ready };
    const remaining = last + input.gracePeriod - now;
    return remaining > 0 ? { stage: 'grace', lastHeartbeat: last, remaining, gracePeriod: input.gracePeriod } : { stage: 'due', lastHeartbeat: last, gracePeriod: input.gracePeriod };
  }
  if (noExecute.length === 0) {
    if (ready === 'True') return null;
    return input.controllersRunning ? { stage: 'untainted', ready } : { stage: 'no-controller', ready };
  }

  // The controller counts from when it saw the first of the taints.
  const added = Math.min(...noExecute.map((t) => ms(t.timeAdded) ?? now));
  const taint = taintText(noExecute[0]);
  let first = Infinity;
  let firstSeconds = 0;
  let pending = 0;
  let terminating = 0;
  for (const p of input.pods) {
    if (p.metadata?.deletionTimestamp) {
      terminating++;
      continue;
    }
    const { all, used } = matchingTolerations(noExecute, p.spec?.tolerations);
    const wait = all ? minTolerationTime(used) : 0;
    if (wait < 0) continue; // tolerated forever
    pending++;
    if (added + wait < first) {
      first = added + wait;
      firstSeconds = wait / 1000;
    }
  }
  if (pending === 0) return { stage: 'evicted', taint, terminating };
  if (!input.controllersRunning) return { stage: 'no-controller', ready };
  const remaining = first - now;
  return remaining > 0 ? { stage: 'toleration', taint, remaining, tolerationSeconds: firstSeconds, pods: pending } : { stage: 'evicting', taint, pods: pending };
}

/** A countdown as Go prints a duration, rounded up to the second: "4m12s", "38s", "5m". */
export function formatCountdown(msLeft: number): string {
  const s = Math.max(0, Math.ceil(msLeft / 1000));
  const m = Math.floor(s / 60);
  const r = s % 60;
  if (m === 0) return `${r}s`;
  return r === 0 ? `${m}m` : `${m}m${r}s`;
}

/** What the card says about the stage, in one line. */
export function consequenceText(c: Consequence): string {
  switch (c.stage) {
    case 'grace':
      return `Ready=Unknown in ${formatCountdown(c.remaining)} · last heartbeat ${Math.floor((c.gracePeriod - c.remaining) / 1000)}s ago`;
    case 'due':
      return `Grace period (${formatCountdown(c.gracePeriod)}) over · Ready=Unknown at the next check`;
    case 'untainted':
      return `Ready=${c.ready} · NoExecute taint next`;
    case 'toleration':
      return `${c.pods} ${c.pods === 1 ? 'pod' : 'pods'} evicted in ${formatCountdown(c.remaining)} · tolerationSeconds: ${c.tolerationSeconds}`;
    case 'evicting':
      return `Evicting ${c.pods} ${c.pods === 1 ? 'pod' : 'pods'}: tolerationSeconds ran out`;
    case 'evicted':
      return c.terminating > 0 ? `Pods evicted · ${c.terminating} Terminating until the node returns` : 'No pods left to evict';
    case 'no-controller':
      return 'kube-controller-manager is stopped: nothing marks or evicts';
  }
}

/** The title (tooltip) of the line: where the numbers come from. */
export function consequenceDetail(c: Consequence): string {
  switch (c.stage) {
    case 'grace':
    case 'due':
      return `node-monitor-grace-period ${formatCountdown(c.gracePeriod)} after the last heartbeat (Lease renewTime or Ready lastHeartbeatTime); the node lifecycle controller checks every 5s`;
    case 'untainted':
      return 'The node lifecycle controller adds the NoExecute taint in its next tainting pass (rate limited: 0.1 nodes/s per zone)';
    case 'toleration':
    case 'evicting':
      return `Taint ${c.taint}: each pod goes when its tolerationSeconds run out (300s from the DefaultTolerationSeconds admission plugin)`;
    case 'evicted':
      return `Taint ${c.taint}: every pod without an unlimited toleration was deleted; on an unreachable node they stay Terminating until its kubelet confirms`;
    case 'no-controller':
      return 'The node lifecycle and taint eviction controllers run in kube-controller-manager';
  }
}
