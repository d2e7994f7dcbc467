// How the node lifecycle controller judges one node's health from the two
// signals its kubelet sends (the Ready condition's lastHeartbeatTime and the
// Lease's renewTime): upstream tryUpdateNodeHealth in
// pkg/controller/nodelifecycle/node_lifecycle_controller.go. A pure function
// of the node, the lease, what was seen last time and the clock: it returns
// the new memory and, when the grace period is over, the Node whose
// conditions went Unknown, for the controller to write with UpdateStatus.
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Node, NodeCondition, NodeStatus } from 'kubernetes-types/core/v1';
import { semanticEqual } from '../api/validation/equal';
import { microVirtualMs, timestamp, virtualMs } from '../kernel/time';

/** What the controller remembers of a node between passes (upstream nodeHealthData). */
export interface NodeHealth {
  /** Virtual ms at which a pass last saw a new heartbeat or lease renewal (the controller's clock, not the kubelet's). */
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  /** The status last seen (or last written). */
  status?: NodeStatus;
  /** The lease last seen renewed. */
  lease?: Lease;
  /** Its renewTime in virtual ms, parsed once (5,000 leases renew every 10 s and are looked at every 5 s). */
  leaseRenewMs?: number;
}

export interface GracePeriods {
  /** --node-monitor-grace-period: for a node that has posted Ready. */
  monitor: number;
  /** --node-startup-grace-period: for a node that never did. */
  startup: number;
}

export interface HealthCheck {
  health: NodeHealth;
  gracePeriod: number;
  /** The Ready condition as the node had it before this pass (a stand-in Unknown one if it had none). */
  observedReady: NodeCondition;
  /** The Ready condition after this pass (undefined: the node never posted one and is still in its startup grace). */
  currentReady?: NodeCondition;
  /** Set when the conditions must go Unknown: the node to write with UpdateStatus. */
  update?: Node;
  /** The lease seen this pass, remembered once the update is written. */
  observedLease?: Lease;
}

/** The conditions the controller sets Unknown (NetworkUnavailable is the cloud's, left alone). */
const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export const NODE_STATUS_UNKNOWN = 'NodeStatusUnknown';
export const NODE_STATUS_NEVER_UPDATED = 'NodeStatusNeverUpdated';
export const MESSAGE_STOPPED_POSTING = 'Kubelet stopped posting node status.';
export const MESSAGE_NEVER_POSTED = 'Kubelet never posted node status.';

export const readyCondition = (status: NodeStatus | undefined): NodeCondition | undefined => status?.conditions?.find((c) => c.type === 'Ready');

/** metav1.MicroTime (or Time) to virtual ms, cut to the millisecond. */
function microMs(ts: string | undefined): number {
  return ts ? microVirtualMs(ts) : -Infinity;
}

/**
 * A renewed lease is a heartbeat too (even from a kubelet that never posted
 * status): judged against the lease last saved (`savedLease`, renewed at
 * `savedLeaseMs` when known), it makes the record take the lease and the
 * probe time `now`. The same stored object is the same renewal: no
 * timestamps to compare.
 */
export function observeLease(health: NodeHealth, savedLease: Lease | undefined, savedLeaseMs: number | undefined, lease: Lease | undefined, now: number): NodeHealth {
  if (!lease || lease === savedLease) return health;
  const renewed = microMs(lease.spec?.renewTime);
  if (!savedLease || (savedLeaseMs ?? microMs(savedLease.spec?.renewTime)) < renewed) return { ...health, lease, leaseRenewMs: renewed, probeTimestamp: now };
  return health;
}

export function tryUpdateNodeHealth(node: Node, saved: NodeHealth | undefined, lease: Lease | undefined, now: number, grace: GracePeriods): HealthCheck {
  const created = node.metadata?.creationTimestamp ?? timestamp(0);
  const current = readyCondition(node.status);
  // Copied only when it changes: a healthy node's pass leaves the record as it was.
  let health: NodeHealth | undefined = saved;
  let observedReady: NodeCondition;
  let gracePeriod: number;
  if (!current) {
    // Never posted: judge it from its creation, with the longer startup grace.
    observedReady = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: created, lastTransitionTime: created };
    gracePeriod = grace.startup;
    if (health) health = { ...health, status: node.status };
    else {
      const createdMs = virtualMs(created);
      health = { status: node.status, probeTimestamp: createdMs, readyTransitionTimestamp: createdMs };
    }
  } else {
    observedReady = current;
    gracePeriod = grace.monitor;
  }

  const savedReady = health ? readyCondition(health.status) : undefined;
  const savedLease = health?.lease;
  const savedLeaseMs = health?.leaseRenewMs;
  if (!health) {
    health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: now };
  } else if (!savedReady && current) {
    // First sight of a Ready condition (a new node, or a restarted controller).
    health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: now };
  } else if (savedReady && current && savedReady.lastHeartbeatTime !== current.lastHeartbeatTime) {
    const transition = savedReady.lastTransitionTime !== current.lastTransitionTime ? now : health.readyTransitionTimestamp;
    // As upstream, the new record forgets the lease: a renewal is judged against the one saved before.
    health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: transition };
  }
  health = observeLease(health, savedLease, savedLeaseMs, lease, now);

  const out: HealthCheck = { health, gracePeriod, observedReady, currentReady: current, observedLease: lease };
  if (!(now > health.probeTimestamp + gracePeriod)) return out;
  // Ready is Unknown already: the update below would leave it as it is, so nothing is written.
  if (current?.status === 'Unknown') return out;

  // Silent too long: every monitored condition goes Unknown, whatever it said.
  const at = timestamp(now);
  const conditions = [...(node.status?.conditions ?? [])];
  for (const type of MONITORED_CONDITIONS) {
    const i = conditions.findIndex((c) => c.type === type);
    if (i < 0) {
      conditions.push({ type, status: 'Unknown', reason: NODE_STATUS_NEVER_UPDATED, message: MESSAGE_NEVER_POSTED, lastHeartbeatTime: created, lastTransitionTime: at });
    } else if (conditions[i].status !== 'Unknown') {
      conditions[i] = { ...conditions[i], status: 'Unknown', reason: NODE_STATUS_UNKNOWN, message: MESSAGE_STOPPED_POSTING, lastTransitionTime: at };
    }
  }
  const nextReady = conditions.find((c) => c.type === 'Ready');
  // Written only when Ready itself changes.
  if (semanticEqual(nextReady, observedReady)) return out;
  return { ...out, currentReady: nextReady, update: { ...node, status: { ...node.status, conditions } } };
}
