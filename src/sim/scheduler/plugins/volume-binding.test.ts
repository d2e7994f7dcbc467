import { describe, expect, it } from 'vitest';
import { ANN_SELECTED_NODE, NOT_SUPPORTED_PROVISIONER } from '../../api/persistent-volume-helpers';
import type { KubeObject, PersistentVolumeClaim } from '../../api/types';
import { PluginArgsError } from '../framework/registry';
import type { CycleState, FilterPlugin, PreBindPlugin, PreFilterPlugin, ReservePlugin } from '../framework/types';
import { makeHandle, makeNodeInfo, makePod, newCycleState } from './test-nodes';
import { ERR_REASON_BIND_CONFLICT, ERR_REASON_NODE_CONFLICT, ERR_REASON_PV_NOT_EXIST } from './volume-binder';
import { ERR_REASON_UNBOUND_IMMEDIATE, VOLUME_BINDING, newVolumeBinding } from './volume-binding';
import { claim, fakeListers, storageClass, volume, withClaims, type FakeListers } from './volume-test-listers';

// Upstream: pkg/scheduler/framework/plugins/volumebinding (volume_binding.go, binder.go).
type VB = PreFilterPlugin & FilterPlugin & ReservePlugin & PreBindPlugin;

const zones = ['zone-a', 'zone-b', 'zone-c'];
const nodes = zones.map((z, i) => makeNodeInfo({ name: `node-${'abc'[i]}`, labels: { 'topology.kubernetes.io/zone': z } }));

function setup(listers: FakeListers, args?: Record<string, unknown>) {
  const plugin = newVolumeBinding(args, makeHandle(nodes, { volumeListers: () => listers })) as VB;
  return plugin;
}

/** PreFilter, then Filter on every node: node name -> reasons ("" when it passes). */
function filterAll(plugin: VB, pod = withClaims(makePod({ name: 'db' }), 'data'), state: CycleState = newCycleState()) {
  const pre = plugin.preFilter(state, pod, nodes);
  const out: Record<string, string> = {};
  if (pre.status.code !== 'Success') return { pre: pre.status, out, state, pod };
  for (const n of nodes) out[n.name] = plugin.filter(state, pod, n).reasons.join(', ');
  return { pre: pre.status, out, state, pod };
}

describe('VolumeBinding', () => {
  it('names and reasons as upstream', () => {
    expect(VOLUME_BINDING).toBe('VolumeBinding');
    expect(ERR_REASON_BIND_CONFLICT).toBe("node(s) didn't find available persistent volumes to bind");
    expect(ERR_REASON_NODE_CONFLICT).toBe('node(s) had volume node affinity conflict');
    expect(ERR_REASON_PV_NOT_EXIST).toBe('node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)');
    expect(ERR_REASON_UNBOUND_IMMEDIATE).toBe('pod has unbound immediate PersistentVolumeClaims');
  });

  it('skips a pod without claims, which Reserve and PreBind then pass', () => {
    const plugin = setup(fakeListers());
    const state = newCycleState();
    const pod = makePod();
    expect(plugin.preFilter(state, pod, nodes).status.code).toBe('Skip');
    expect(plugin.reserve(state, pod, 'node-a').code).toBe('Success');
    expect(plugin.preBind(state, pod, 'node-a').code).toBe('Success');
  });

  it('refuses a pod whose claim is missing, being deleted, or Immediate and unbound', () => {
    expect(filterAll(setup(fakeListers())).pre).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['persistentvolumeclaim "data" not found'] });
    const c = claim('data', { class: 'fast' });
    const deleting = { ...c, metadata: { ...c.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    expect(filterAll(setup(fakeListers({ claims: [deleting], classes: [storageClass('fast')] }))).pre.reasons).toEqual(['persistentvolumeclaim "data" is being deleted']);
    // No class (Immediate binding): the PV controller should have bound it.
    expect(filterAll(setup(fakeListers({ claims: [claim('data')] }))).pre).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_UNBOUND_IMMEDIATE] });
    const immediate = storageClass('fast', { volumeBindingMode: 'Immediate' });
    expect(filterAll(setup(fakeListers({ claims: [claim('data', { class: 'fast' })], classes: [immediate] }))).pre.reasons).toEqual([ERR_REASON_UNBOUND_IMMEDIATE]);
  });

  it("rejects nodes outside a bound volume's node affinity", () => {
    const c = claim('data', { volumeName: 'pv-b' });
    const { out } = filterAll(setup(fakeListers({ claims: [c], volumes: [volume('pv-b', { zones: ['zone-b'], claimRef: c })] })));
    expect(out).toEqual({ 'node-a': ERR_REASON_NODE_CONFLICT, 'node-b': '', 'node-c': ERR_REASON_NODE_CONFLICT });
  });

  it('says so when a bound claim names a volume that does not exist', () => {
    const { out } = filterAll(setup(fakeListers({ claims: [claim('data', { volumeName: 'gone' })] })));
    expect(out['node-a']).toBe(ERR_REASON_PV_NOT_EXIST);
  });

  it('gives each node the smallest fitting Available volume it can reach', () => {
    const noProvisioner = storageClass('local', { provisioner: NOT_SUPPORTED_PROVISIONER });
    const listers = fakeListers({
      claims: [claim('data', { class: 'local', storage: '4Gi' })],
      classes: [noProvisioner],
      // zone-a: 5Gi beats 20Gi; zone-b: 3Gi is too small, 8Gi fits; zone-c: the 6Gi is of another class.
      volumes: [
        volume('a-20', { class: 'local', storage: '20Gi', zones: ['zone-a'] }),
        volume('a-5', { class: 'local', storage: '5Gi', zones: ['zone-a'] }),
        volume('b-3', { class: 'local', storage: '3Gi', zones: ['zone-b'] }),
        volume('b-8', { class: 'local', storage: '8Gi', zones: ['zone-b'] }),
        volume('c-6', { class: 'other', storage: '6Gi', zones: ['zone-c'] }),
      ],
      pendingPods: ['default/db'],
    });
    const plugin = setup(listers);
    const { out, state, pod } = filterAll(plugin);
    expect(out).toEqual({ 'node-a': '', 'node-b': '', 'node-c': ERR_REASON_BIND_CONFLICT });
    // Reserve assumes a-5 for the claim; PreBind writes its claimRef and waits for the PV controller.
    expect(plugin.reserve(state, pod, 'node-a').code).toBe('Success');
    expect(plugin.preBind(state, pod, 'node-a').code).toBe('Wait');
    expect(listers.writes.map((w) => [w.metadata.name, (w.spec as { claimRef?: { name?: string } }).claimRef?.name])).toEqual([['a-5', 'data']]);
    expect(plugin.preBind(state, pod, 'node-a').code).toBe('Wait');
    // The PV controller completes the binding.
    listers.claims.set('default/data', claim('data', { class: 'local', storage: '4Gi', volumeName: 'a-5' }));
    expect(plugin.preBind(state, pod, 'node-a').code).toBe('Success');
  });

  it('does not give two claims of a pod (nor two pods in a row) the same volume', () => {
    const cls = storageClass('local', { provisioner: NOT_SUPPORTED_PROVISIONER });
    const one = [volume('only', { class: 'local', zones: ['zone-a'] })];
    const two = fakeListers({ claims: [claim('a', { class: 'local' }), claim('b', { class: 'local' })], classes: [cls], volumes: one });
    expect(filterAll(setup(two), withClaims(makePod({ name: 'p' }), 'a', 'b')).out['node-a']).toBe(ERR_REASON_BIND_CONFLICT);
    // Pod 1 reserves the volume; pod 2's cycle, before any write came back, finds none left.
    const shared = fakeListers({ claims: [claim('a', { class: 'local' }), claim('b', { class: 'local' })], classes: [cls], volumes: one });
    const plugin = setup(shared);
    const first = filterAll(plugin, withClaims(makePod({ name: 'p1' }), 'a'));
    expect(plugin.reserve(first.state, first.pod, 'node-a').code).toBe('Success');
    expect(filterAll(plugin, withClaims(makePod({ name: 'p2' }), 'b')).out['node-a']).toBe(ERR_REASON_BIND_CONFLICT);
    // Unreserve gives it back.
    plugin.unreserve(first.state, first.pod, 'node-a');
    expect(filterAll(plugin, withClaims(makePod({ name: 'p2' }), 'b')).out['node-a']).toBe('');
  });

  it('provisions where the class allows, and PreBind names the node on the claim', () => {
    const cls = storageClass('zonal', { allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['zone-a', 'zone-c'] }] }] });
    const listers = fakeListers({ claims: [claim('data', { class: 'zonal' })], classes: [cls], pendingPods: ['default/db'] });
    const plugin = setup(listers);
    const { out, state, pod } = filterAll(plugin);
    expect(out).toEqual({ 'node-a': '', 'node-b': ERR_REASON_BIND_CONFLICT, 'node-c': '' });
    plugin.reserve(state, pod, 'node-c');
    expect(plugin.preBind(state, pod, 'node-c').code).toBe('Wait');
    const written = listers.writes[0] as KubeObject;
    expect(written.metadata.annotations?.[ANN_SELECTED_NODE]).toBe('node-c');
    // The provisioner gave up and took the node off: the scheduler must choose again.
    const { [ANN_SELECTED_NODE]: _gone, ...rest } = written.metadata.annotations!;
    void _gone;
    listers.claims.set('default/data', { ...(written as unknown as PersistentVolumeClaim), metadata: { ...written.metadata, annotations: rest, resourceVersion: '9' } });
    expect(plugin.preBind(state, pod, 'node-c')).toEqual({ code: 'Error', reasons: ['binding volumes: provisioning failed for PVC "data"'] });
  });

  it('keeps a claim already placed by the scheduler on its node', () => {
    const listers = fakeListers({ claims: [claim('data', { class: 'zonal', annotations: { [ANN_SELECTED_NODE]: 'node-b' } })], classes: [storageClass('zonal')] });
    expect(filterAll(setup(listers)).out).toEqual({ 'node-a': ERR_REASON_BIND_CONFLICT, 'node-b': '', 'node-c': ERR_REASON_BIND_CONFLICT });
  });

  it('gives up after bindTimeoutSeconds of polls, as upstream\'s PollUntilContextTimeout', () => {
    const listers = fakeListers({ claims: [claim('data', { class: 'zonal' })], classes: [storageClass('zonal')], pendingPods: ['default/db'] });
    const plugin = setup(listers, { bindTimeoutSeconds: 2 });
    const { state, pod } = filterAll(plugin);
    plugin.reserve(state, pod, 'node-a');
    // The API write, then a poll each second: 1 s and 2 s pass without the claim bound.
    expect(plugin.preBind(state, pod, 'node-a').code).toBe('Wait');
    expect(plugin.preBind(state, pod, 'node-a').code).toBe('Wait');
    expect(plugin.preBind(state, pod, 'node-a')).toEqual({ code: 'Error', reasons: ['binding volumes: context deadline exceeded'] });
  });

  it('stops waiting for a pod that was deleted', () => {
    const listers = fakeListers({ claims: [claim('data', { class: 'zonal' })], classes: [storageClass('zonal')] });
    const plugin = setup(listers);
    const { state, pod } = filterAll(plugin);
    plugin.reserve(state, pod, 'node-a');
    plugin.preBind(state, pod, 'node-a');
    expect(plugin.preBind(state, pod, 'node-a').reasons).toEqual(['binding volumes: pod does not exist any more: pods "db" not found']);
  });

  it('validates its args as upstream', () => {
    expect(() => setup(fakeListers(), { bindTimeoutSeconds: -1 })).toThrow(PluginArgsError);
    expect(() => setup(fakeListers(), { bindTimeoutSeconds: -1 })).toThrow('VolumeBinding args: bindTimeoutSeconds: Invalid value: -1: invalid BindTimeoutSeconds, should not be a negative value');
    expect(() => setup(fakeListers(), { shape: [] })).toThrow('unsupported when VolumeCapacityPriority feature is disabled');
  });
});
