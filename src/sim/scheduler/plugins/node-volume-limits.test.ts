import { describe, expect, it } from 'vitest';
import type { FilterPlugin, PreFilterPlugin } from '../framework/types';
import { ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED, NODE_VOLUME_LIMITS, newNodeVolumeLimits } from './node-volume-limits';
import { makeHandle, makeNodeInfo, makePod, newCycleState } from './test-nodes';
import { claim, fakeListers, storageClass, volume, withClaims } from './volume-test-listers';

// Upstream: pkg/scheduler/framework/plugins/nodevolumelimits/csi.go.
type NVL = PreFilterPlugin & FilterPlugin;

const DRIVER = 'disk.csi.example.com';
const limit = (n: number) => ({ cpu: '4', memory: '8Gi', pods: '110', [`attachable-volumes-csi-${DRIVER}`]: String(n) });

const claims = ['a', 'b', 'c'].map((n) => claim(n, { volumeName: `pv-${n}` }));
const listers = () => fakeListers({ claims: [...claims, claim('new', { class: 'fast' })], volumes: claims.map((c) => volume(`pv-${c.metadata!.name}`, { claimRef: c })), classes: [storageClass('fast')] });

function filter(nodeAllocatable: Record<string, string>, onNode: string[][], pod = withClaims(makePod({ name: 'p' }), 'c')) {
  const pods = onNode.map((cs, i) => withClaims(makePod({ name: `on-${i}`, nodeName: 'n1' }), ...cs));
  const n1 = makeNodeInfo({ name: 'n1', allocatable: nodeAllocatable, pods });
  const plugin = newNodeVolumeLimits(undefined, makeHandle([n1], { volumeListers: listers })) as NVL;
  const state = newCycleState();
  const pre = plugin.preFilter(state, pod, [n1]).status;
  return pre.code === 'Skip' ? pre : plugin.filter(state, pod, n1);
}

describe('NodeVolumeLimits', () => {
  it('names its reason as upstream', () => {
    expect(NODE_VOLUME_LIMITS).toBe('NodeVolumeLimits');
    expect(ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED).toBe('node(s) exceed max volume count');
  });

  it("refuses a node whose driver's attach limit the pod's new volume would pass", () => {
    // 2 attached (a, b) + 1 new (c) > 2.
    expect(filter(limit(2), [['a'], ['b']])).toEqual({ code: 'Unschedulable', reasons: [ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED] });
    // 2 + 1 = 3 <= 3.
    expect(filter(limit(3), [['a'], ['b']]).code).toBe('Success');
  });

  it('counts a volume several pods share once, and a volume the node already has not at all', () => {
    // a is attached once though two pods use it: 1 + 1 (c) <= 2.
    expect(filter(limit(2), [['a'], ['a']]).code).toBe('Success');
    // The pod's own volume a is already attached: nothing new to attach.
    expect(filter(limit(1), [['a']], withClaims(makePod({ name: 'p' }), 'a')).code).toBe('Success');
  });

  it("counts an unbound claim for its class's provisioner", () => {
    expect(filter(limit(2), [['a'], ['b']], withClaims(makePod({ name: 'p' }), 'new')).code).toBe('Unschedulable');
  });

  it('passes nodes without a limit, and skips pods without claims', () => {
    expect(filter({ cpu: '4', memory: '8Gi', pods: '110' }, [['a'], ['b']]).code).toBe('Success');
    expect(filter(limit(0), [], makePod()).code).toBe('Skip');
  });

  it("refuses a pod whose claim does not exist, as upstream's lookup error", () => {
    expect(filter(limit(5), [], withClaims(makePod({ name: 'p' }), 'gone'))).toEqual({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['looking up PVC default/gone: persistentvolumeclaim "gone" not found'],
    });
  });
});
