import { describe, expect, it } from 'vitest';
import { newPodInfo } from '../framework/resources';
import type { FilterPlugin, PreFilterPlugin } from '../framework/types';
import { makeHandle, makeNodeInfo, makePod, newCycleState } from './test-nodes';
import { ERR_REASON_DISK_CONFLICT, ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT, VOLUME_RESTRICTIONS, newVolumeRestrictions } from './volume-restrictions';
import { claim, fakeListers, withClaims } from './volume-test-listers';

// Upstream: pkg/scheduler/framework/plugins/volumerestrictions/volume_restrictions.go.
type VR = PreFilterPlugin & FilterPlugin & { addPod: NonNullable<PreFilterPlugin['addPod']>; removePod: NonNullable<PreFilterPlugin['removePod']> };

const rwop = claim('solo', { modes: ['ReadWriteOncePod'], volumeName: 'pv-solo' });
const rwo = claim('shared', { volumeName: 'pv-shared' });

describe('VolumeRestrictions', () => {
  it('names its reasons as upstream', () => {
    expect(VOLUME_RESTRICTIONS).toBe('VolumeRestrictions');
    expect(ERR_REASON_DISK_CONFLICT).toBe('node(s) had no available disk');
    expect(ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT).toBe('node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode');
  });

  it('rejects every node while a scheduled pod uses the ReadWriteOncePod claim; preemption may help (Unschedulable)', () => {
    const user = withClaims(makePod({ name: 'first', nodeName: 'n1' }), 'solo');
    const n1 = makeNodeInfo({ name: 'n1', pods: [user] });
    const n2 = makeNodeInfo({ name: 'n2' });
    const plugin = newVolumeRestrictions(undefined, makeHandle([n1, n2], { volumeListers: () => fakeListers({ claims: [rwop] }) })) as VR;
    const state = newCycleState();
    const pod = withClaims(makePod({ name: 'second' }), 'solo');
    expect(plugin.preFilter(state, pod, [n1, n2]).status.code).toBe('Success');
    expect(plugin.filter(state, pod, n2)).toEqual({ code: 'Unschedulable', reasons: [ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT] });
    // Preemption's what-if: with the user removed the claim is free.
    plugin.removePod(state, pod, newPodInfo(user), n1);
    expect(plugin.filter(state, pod, n1).code).toBe('Success');
    plugin.addPod(state, pod, newPodInfo(user), n1);
    expect(plugin.filter(state, pod, n1).code).toBe('Unschedulable');
  });

  it('skips pods without volumes, or whose claims are not ReadWriteOncePod, or not in use', () => {
    const n1 = makeNodeInfo({ name: 'n1', pods: [withClaims(makePod({ nodeName: 'n1' }), 'shared')] });
    const plugin = newVolumeRestrictions(undefined, makeHandle([n1], { volumeListers: () => fakeListers({ claims: [rwop, rwo] }) })) as VR;
    expect(plugin.preFilter(newCycleState(), makePod(), [n1]).status.code).toBe('Skip');
    expect(plugin.preFilter(newCycleState(), withClaims(makePod(), 'shared'), [n1]).status.code).toBe('Skip');
    expect(plugin.preFilter(newCycleState(), withClaims(makePod(), 'solo'), [n1]).status.code).toBe('Skip');
  });

  it('needs the claims to exist', () => {
    const plugin = newVolumeRestrictions(undefined, makeHandle([], { volumeListers: () => fakeListers() })) as VR;
    expect(plugin.preFilter(newCycleState(), withClaims(makePod(), 'gone'), []).status).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['persistentvolumeclaim "gone" not found'] });
  });

  it('keeps two writers of one GCE disk apart, unless both mount it read-only', () => {
    const disk = (readOnly: boolean) => ({ name: 'd', gcePersistentDisk: { pdName: 'disk-1', readOnly } });
    const onNode = makePod({ nodeName: 'n1', spec: { volumes: [disk(false)] } });
    const n1 = makeNodeInfo({ name: 'n1', pods: [onNode] });
    const plugin = newVolumeRestrictions(undefined, makeHandle([n1], { volumeListers: () => fakeListers() })) as VR;
    const pod = makePod({ spec: { volumes: [disk(false)] } });
    const state = newCycleState();
    plugin.preFilter(state, pod, [n1]);
    expect(plugin.filter(state, pod, n1)).toEqual({ code: 'Unschedulable', reasons: [ERR_REASON_DISK_CONFLICT] });
    const ro = makeNodeInfo({ name: 'n1', pods: [makePod({ nodeName: 'n1', spec: { volumes: [disk(true)] } })] });
    const roPod = makePod({ spec: { volumes: [disk(true)] } });
    const s2 = newCycleState();
    plugin.preFilter(s2, roPod, [ro]);
    expect(plugin.filter(s2, roPod, ro).code).toBe('Success');
  });
});
