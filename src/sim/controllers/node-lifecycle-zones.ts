// Zones as the node lifecycle controller sees them: the zone key of a node
// (k8s.io/component-helpers/node/topology GetZoneKey), a zone's disruption
// state (ComputeZoneState) and the tainting rate each state gets
// (setLimiterInZone, ReducedQPSFunc, HealthyQPSFunc), from upstream
// pkg/controller/nodelifecycle/node_lifecycle_controller.go.
import type { Node, NodeCondition } from 'kubernetes-types/core/v1';

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

const LABEL_ZONE = 'topology.kubernetes.io/zone';
const LABEL_REGION = 'topology.kubernetes.io/region';
const LABEL_ZONE_BETA = 'failure-domain.beta.kubernetes.io/zone';
const LABEL_REGION_BETA = 'failure-domain.beta.kubernetes.io/region';

/** A node with this label does not count in its zone's health. */
export const LABEL_EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';

// Stored label maps are never written to (status writes carry them over): one key per map.
const zoneKeys = new WeakMap<object, string>();

/** "region:\0:zone", or "" for a node with neither label (the stable labels first, then the beta ones). */
export function zoneKey(node: Node): string {
  const labels = node.metadata?.labels;
  if (!labels) return '';
  let key = zoneKeys.get(labels);
  if (key === undefined) {
    const zone = labels[LABEL_ZONE] ?? labels[LABEL_ZONE_BETA] ?? '';
    const region = labels[LABEL_REGION] ?? labels[LABEL_REGION_BETA] ?? '';
    key = !zone && !region ? '' : `${region}:\u0000:${zone}`;
    zoneKeys.set(labels, key);
  }
  return key;
}

/** The zone key as a person reads it: "region/zone", or "(no zone)". */
export function zoneLabel(key: string): string {
  if (!key) return '(no zone)';
  const [region, zone] = key.split(':\u0000:');
  return region ? `${region}/${zone}` : zone;
}

export const isExcludedFromDisruption = (node: Node): boolean => node.metadata?.labels?.[LABEL_EXCLUDE_DISRUPTION] !== undefined;

/**
 * ComputeZoneState over the zone's Ready conditions (a node without one
 * counts as not ready): FullDisruption when none is ready, PartialDisruption
 * when more than 2 are not ready and they are at least `unhealthyThreshold`
 * of the zone, else Normal. Also returns how many are not ready.
 */
export function computeZoneState(ready: ReadonlyArray<NodeCondition | undefined>, unhealthyThreshold: number): { notReady: number; state: ZoneState } {
  let readyNodes = 0;
  let notReady = 0;
  for (const c of ready) {
    if (c?.status === 'True') readyNodes++;
    else notReady++;
  }
  return zoneStateOf(readyNodes, notReady, unhealthyThreshold);
}

/** ComputeZoneState from the counts of Ready and not-Ready nodes. */
export function zoneStateOf(readyNodes: number, notReady: number, unhealthyThreshold: number): { notReady: number; state: ZoneState } {
  if (readyNodes === 0 && notReady > 0) return { notReady, state: 'FullDisruption' };
  // Upstream divides in float32; 0.55 is no exact ratio of small integers either way.
  if (notReady > 2 && notReady / (notReady + readyNodes) >= unhealthyThreshold) return { notReady, state: 'PartialDisruption' };
  return { notReady, state: 'Normal' };
}

export interface EvictionRates {
  /** --node-eviction-rate: nodes tainted per second in a healthy zone. */
  evictionLimiterQPS: number;
  /** --secondary-node-eviction-rate: the rate in a partially disrupted large zone. */
  secondaryEvictionLimiterQPS: number;
  /** --large-cluster-size-threshold: a zone with more nodes than this is "large". */
  largeClusterThreshold: number;
  /** --unhealthy-zone-threshold. */
  unhealthyZoneThreshold: number;
}

/**
 * setLimiterInZone: Normal and FullDisruption taint at the normal rate (when
 * every zone is fully disrupted the controller stops tainting altogether,
 * elsewhere); PartialDisruption slows a large zone to the secondary rate and
 * stops a small one.
 */
export function zoneQPS(state: ZoneState, zoneSize: number, rates: EvictionRates): number | undefined {
  switch (state) {
    case 'Normal':
    case 'FullDisruption':
      return rates.evictionLimiterQPS;
    case 'PartialDisruption':
      return zoneSize > rates.largeClusterThreshold ? rates.secondaryEvictionLimiterQPS : 0;
    default:
      return undefined;
  }
}
