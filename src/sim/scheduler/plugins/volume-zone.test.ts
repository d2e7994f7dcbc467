import { describe, expect, it } from 'vitest';
import type { FilterPlugin, PreFilterPlugin } from '../framework/types';
import { makeHandle, makeNodeInfo, makePod, newCycleState } from './test-nodes';
import { claim, fakeListers, storageClass, volume, withClaims } from './volume-test-listers';
import { ERR_REASON_VOLUME_ZONE_CONFLICT, VOLUME_ZONE, newVolumeZone } from './volume-zone';

// Upstream: pkg/scheduler/framework/plugins/volumezone/volume_zone.go.
type VZ = PreFilterPlugin & FilterPlugin;

const zoneNode = (name: string, labels: Record<string, string>) => makeNodeInfo({ name, labels });
const nodeA = zoneNode('node-a', { 'topology.kubernetes.io/zone': 'zone-a', 'topology.kubernetes.io/region': 'r1' });
const nodeB = zoneNode('node-b', { 'topology.kubernetes.io/zone': 'zone-b', 'topology.kubernetes.io/region': 'r1' });
const betaB = zoneNode('beta-b', { 'failure-domain.beta.kubernetes.io/zone': 'zone-b' });
const plain = zoneNode('plain', {});

function run(listers: ReturnType<typeof fakeListers>, nodes = [nodeA, nodeB, betaB, plain], pod = withClaims(makePod(), 'data')) {
  const plugin = newVolumeZone(undefined, makeHandle(nodes, { volumeListers: () => listers })) as VZ;
  const state = newCycleState();
  const pre = plugin.preFilter(state, pod, nodes).status;
  const out: Record<string, string> = {};
  if (pre.code === 'Success') for (const n of nodes) out[n.name] = plugin.filter(state, pod, n).code;
  return { pre, out };
}

describe('VolumeZone', () => {
  it('names its reason as upstream', () => {
    expect(VOLUME_ZONE).toBe('VolumeZone');
    expect(ERR_REASON_VOLUME_ZONE_CONFLICT).toBe('node(s) had no available volume zone');
  });

  it("keeps a pod to the nodes of its bound volume's zone label", () => {
    const c = claim('data', { volumeName: 'pv-b' });
    const { out } = run(fakeListers({ claims: [c], volumes: [volume('pv-b', { zoneLabel: 'zone-b', claimRef: c })] }));
    // node-a: zone-a is not zone-b; node-b matches; beta-b has only the beta label, and a GA label on the
    // volume is not translated back to it; plain has no topology labels at all (a one-zone cluster).
    expect(out).toEqual({ 'node-a': 'UnschedulableAndUnresolvable', 'node-b': 'Success', 'beta-b': 'UnschedulableAndUnresolvable', plain: 'Success' });
  });

  it("matches a volume's deprecated beta label against the node's GA one (translateToGALabel)", () => {
    const c = claim('data', { volumeName: 'pv' });
    const pv = volume('pv', { claimRef: c });
    pv.metadata!.labels = { 'failure-domain.beta.kubernetes.io/zone': 'zone-b' };
    expect(run(fakeListers({ claims: [c], volumes: [pv] }), [nodeA, nodeB, betaB]).out).toEqual({ 'node-a': 'UnschedulableAndUnresolvable', 'node-b': 'Success', 'beta-b': 'Success' });
  });

  it('reads a multi-zone label ("zone-a__zone-b")', () => {
    const c = claim('data', { volumeName: 'pv' });
    const pv = volume('pv', { claimRef: c });
    pv.metadata!.labels = { 'topology.kubernetes.io/zone': 'zone-a__zone-b' };
    expect(run(fakeListers({ claims: [c], volumes: [pv] }), [nodeA, nodeB]).out).toEqual({ 'node-a': 'Success', 'node-b': 'Success' });
  });

  it('skips pods without claims, volumes without topology labels, and unbound WaitForFirstConsumer claims', () => {
    expect(run(fakeListers(), [nodeA], makePod()).pre.code).toBe('Skip');
    const c = claim('data', { volumeName: 'pv' });
    expect(run(fakeListers({ claims: [c], volumes: [volume('pv', { zones: ['zone-b'], claimRef: c })] })).pre.code).toBe('Skip');
    expect(run(fakeListers({ claims: [claim('data', { class: 'wait' })], classes: [storageClass('wait')] })).pre.code).toBe('Skip');
  });

  it('refuses, at PreFilter, claims it cannot follow to a volume', () => {
    expect(run(fakeListers()).pre).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['persistentvolumeclaim "data" not found'] });
    expect(run(fakeListers({ claims: [claim('data')] })).pre.reasons).toEqual(['PersistentVolumeClaim had no pv name and storageClass name']);
    expect(run(fakeListers({ claims: [claim('data', { class: 'gone' })] })).pre.reasons).toEqual(['storageclass.storage.k8s.io "gone" not found']);
    const immediate = storageClass('now', { volumeBindingMode: 'Immediate' });
    expect(run(fakeListers({ claims: [claim('data', { class: 'now' })], classes: [immediate] })).pre.reasons).toEqual(['PersistentVolume had no name']);
    expect(run(fakeListers({ claims: [claim('data', { volumeName: 'missing' })] })).pre.reasons).toEqual(['persistentvolume "missing" not found']);
  });
});
