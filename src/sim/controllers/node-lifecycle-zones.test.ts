import type { Node, NodeCondition } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { computeZoneState, zoneKey, zoneLabel, zoneQPS } from './node-lifecycle-zones';
import { DEFAULT_EVICTION_RATES } from './node-lifecycle';

const ready = (status: string): NodeCondition => ({ type: 'Ready', status });
/** A zone's Ready conditions: this many True, this many Unknown, this many nodes without one. */
const zone = (readyNodes: number, notReady: number, missing = 0) => [
  ...Array.from({ length: readyNodes }, () => ready('True')),
  ...Array.from({ length: notReady }, () => ready('Unknown')),
  ...Array.from({ length: missing }, () => undefined),
];

describe('ComputeZoneState', () => {
  it('FullDisruption when no node is Ready', () => {
    expect(computeZoneState(zone(0, 2), 0.55)).toEqual({ notReady: 2, state: 'FullDisruption' });
    expect(computeZoneState([ready('False'), undefined], 0.55).state).toBe('FullDisruption');
  });
  it('PartialDisruption needs more than 2 not ready and at least 55% of the zone', () => {
    // 3 of 5 = 60%.
    expect(computeZoneState(zone(2, 3), 0.55)).toEqual({ notReady: 3, state: 'PartialDisruption' });
    // 3 of 6 = 50%.
    expect(computeZoneState(zone(3, 3), 0.55).state).toBe('Normal');
    // 2 of 3 = 67%, but only 2.
    expect(computeZoneState(zone(1, 2), 0.55).state).toBe('Normal');
    // A node without a Ready condition counts as not ready: 2 + 1 of 4 = 75%.
    expect(computeZoneState(zone(1, 2, 1), 0.55)).toEqual({ notReady: 3, state: 'PartialDisruption' });
  });
  it('Normal otherwise, including an empty zone', () => {
    expect(computeZoneState(zone(10, 1), 0.55).state).toBe('Normal');
    expect(computeZoneState([], 0.55).state).toBe('Normal');
  });
});

describe('zone keys and rates', () => {
  const n = (labels: Record<string, string>): Node => ({ metadata: { name: 'n', labels } });
  it('keys a node by region and zone (topology labels, else the beta failure-domain ones)', () => {
    expect(zoneKey(n({ 'topology.kubernetes.io/region': 'eu', 'topology.kubernetes.io/zone': 'eu-1a' }))).toBe('eu:\u0000:eu-1a');
    expect(zoneKey(n({ 'failure-domain.beta.kubernetes.io/zone': 'z' }))).toBe(':\u0000:z');
    expect(zoneKey(n({}))).toBe('');
    expect(zoneLabel('eu:\u0000:eu-1a')).toBe('eu/eu-1a');
    expect(zoneLabel('')).toBe('(no zone)');
  });
  it('partial disruption slows a large zone (> 50 nodes) to 0.01/s and stops a small one; the rest 0.1/s', () => {
    expect(zoneQPS('PartialDisruption', 51, DEFAULT_EVICTION_RATES)).toBe(0.01);
    expect(zoneQPS('PartialDisruption', 50, DEFAULT_EVICTION_RATES)).toBe(0);
    expect(zoneQPS('Normal', 10, DEFAULT_EVICTION_RATES)).toBe(0.1);
    expect(zoneQPS('FullDisruption', 10, DEFAULT_EVICTION_RATES)).toBe(0.1);
    expect(zoneQPS('Initial', 10, DEFAULT_EVICTION_RATES)).toBeUndefined();
  });
});
