import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { History } from '../../scenario/history';
import { createClusterStore, MAX_FRAME_MS, UI_CLUSTER_OPTIONS, WIRE_LIMIT, type CreateClusterStoreInput } from './cluster-store';

const open = () => new History(DEFAULT_SCENARIO_YAML, UI_CLUSTER_OPTIONS);
const storeWith = (start: CreateClusterStoreInput['start'] = {}) => createClusterStore({ open, start });

describe('createClusterStore', () => {
  it('opens the scenario with its objects, etcd members and apiserver', () => {
    const s = storeWith({ paused: true }).getState();
    expect(s.load).toEqual({ ok: true, scenarioName: 'default' });
    expect(s.now).toBe(0);
    expect(s.playing).toBe(false);
    expect(s.objects.filter((r) => r.kind === 'Node').map((r) => r.name)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(s.etcd).toHaveLength(3);
    expect(s.apiserver).toBe('running');
  });

  it('starts at ?t= paused, with one leader and newest wire messages first', () => {
    const s = storeWith({ startAt: 30_000, paused: true }).getState();
    expect(s.now).toBe(30_000);
    expect(s.etcd.filter((m) => m.role === 'leader')).toHaveLength(1);
    expect(s.wire).toHaveLength(WIRE_LIMIT);
    expect(s.wire[0].seq).toBeGreaterThan(s.wire[1].seq);
  });

  it('advances sim time by wall time x speed only while playing', () => {
    const store = storeWith({ paused: true });
    store.getState().advance(100);
    expect(store.getState().now).toBe(0);
    store.getState().play();
    store.getState().advance(100);
    expect(store.getState().now).toBe(100);
    store.getState().setSpeed(10);
    store.getState().advance(100);
    expect(store.getState().now).toBe(1100);
    store.getState().setSpeed(0.1);
    for (let i = 0; i < 10; i++) store.getState().advance(16);
    expect(store.getState().now).toBe(1116);
  });

  it('caps one frame so a background tab does not replay minutes at once', () => {
    const store = storeWith();
    store.getState().advance(60_000);
    expect(store.getState().now).toBe(MAX_FRAME_MS);
  });

  it('with a frame budget, a frame that runs out of it stops after a whole instant and the clock shows that instant', () => {
    // A wall clock that moves 30 ms each time it is read: the 50 ms budget is spent after two instants have run.
    let t = 0;
    const store = createClusterStore({ open, start: {}, wallClock: () => (t += 30), frameBudgetMs: 50 });
    const reference = createClusterStore({ open, start: { paused: true } });
    store.getState().setSpeed(100);
    store.getState().advance(100);
    const now = store.getState().now;
    // 100 ms at 100x would be 10 s; it stopped at an instant before that, and the cluster there is the one a plain run reaches.
    expect(now).toBeGreaterThan(0);
    expect(now).toBeLessThan(10_000);
    reference.getState().seek(now);
    expect(store.cluster!.stateHash()).toBe(reference.cluster!.stateHash());
    // The next frame goes on from there, not from where the lost time would have put it.
    store.getState().advance(16);
    expect(store.getState().now).toBeGreaterThan(now);
    expect(store.getState().now).toBeLessThanOrEqual(now + 1_600);
  });

  it('step runs to the next event and pauses', () => {
    const store = storeWith();
    const next = store.cluster!.nextEventTime()!;
    store.getState().step();
    expect(store.getState().playing).toBe(false);
    expect(store.getState().now).toBe(next);
  });

  it('keeps snapshots whose content did not change, so their readers do not re-render', () => {
    // An odd second: kube-scheduler and kube-controller-manager renew their Leases on the even ones.
    const store = storeWith({ startAt: 31_000 });
    const before = store.getState();
    // Heartbeats move the clock and the wire, not the objects.
    store.getState().advance(16);
    const after = store.getState();
    expect(after.now).toBeGreaterThan(before.now);
    expect(after.revision).toBe(before.revision);
    expect(after.objects).toBe(before.objects);
    expect(after.etcd).toBe(before.etcd);
    expect(after.actions).toBe(before.actions);
  });

  it('reuses the rows of objects that did not change when another object did', () => {
    const store = storeWith({ paused: true });
    const before = store.getState().objects;
    store.getState().act({ action: 'scale', kind: 'Deployment', namespace: 'default', name: 'web', replicas: 5 });
    store.getState().step();
    const after = store.getState().objects;
    expect(after).not.toBe(before);
    // The kubernetes Service did not change (nodes do: their kubelets post status).
    const svc = (rows: typeof before) => rows.find((r) => r.kind === 'Service' && r.name === 'kubernetes');
    expect(svc(after)).toBe(svc(before));
    expect(after.find((r) => r.kind === 'Deployment')!.status).toBe('0/5 ready');
    expect(store.getState().actions[0].outcomes[0]).toMatchObject({ ok: true });
  });

  it('shows why the scenario could not be opened instead of failing', () => {
    const store = createClusterStore({
      open: () => {
        throw new Error('document 2, line 4: metadata.name: Required value');
      },
    });
    expect(store.getState().load).toEqual({ ok: false, error: 'document 2, line 4: metadata.name: Required value' });
    store.getState().play();
    store.getState().advance(16);
    expect(store.getState().playing).toBe(false);
  });

  it('turns URL notices into dismissible notices', () => {
    const store = storeWith({ notices: ['URL parameter t="banana" ignored'] });
    const [n] = store.getState().notices;
    expect(n.text).toContain('banana');
    store.getState().dismissNotice(n.id);
    expect(store.getState().notices).toEqual([]);
  });

  it('rewinds to an earlier instant with the same pods on the same nodes, then forks when acting there', () => {
    const store = storeWith({ startAt: 10_000 });
    const podsAt = () =>
      store
        .getState()
        .objects.filter((r) => r.kind === 'Pod')
        .map((r) => `${r.name} ${r.detail} ${r.status}`);
    const at10 = podsAt();
    store.getState().seek(20_000);
    const liveBefore = store.cluster;
    store.getState().act({ action: 'scale', kind: 'Deployment', namespace: 'default', name: 'web', replicas: 6 });
    store.getState().seek(60_000);
    expect(podsAt().length).toBe(at10.length + 3);
    store.getState().seek(10_000);
    expect(store.getState().playing).toBe(false);
    expect(store.getState().now).toBe(10_000);
    expect(store.cluster).not.toBe(liveBefore);
    expect(podsAt()).toEqual(at10);
    // The scale is still ahead on this branch.
    expect(store.getState().timeline.map((a) => a.action)).toEqual(['scale']);
    // Acting at 10 s drops the scale at 20 s, and says so.
    store.getState().act({ action: 'cordon', node: 'node-1' });
    expect(store.getState().timeline.map((a) => a.action)).toEqual(['cordon']);
    expect(store.getState().notices.at(-1)!.text).toMatch(/history forked at 00:10\.000: the later action was dropped \(scale at 00:20\.000\)/);
    store.getState().seek(60_000);
    expect(store.getState().objects.find((r) => r.kind === 'Deployment')!.status).toBe('3/3 ready');
  });

  it('shows the same objects after a rewind as when the instant was first seen', () => {
    const store = storeWith({ paused: true });
    store.getState().seek(30_000);
    const first = store.getState().objects.map((r) => `${r.key} ${r.resourceVersion} ${r.status}`);
    const firstWorkers = JSON.stringify(store.getState().workers);
    store.getState().seek(90_000);
    store.getState().seek(30_000);
    expect(store.getState().objects.map((r) => `${r.key} ${r.resourceVersion} ${r.status}`)).toEqual(first);
    expect(JSON.stringify(store.getState().workers)).toBe(firstWorkers);
    expect(store.getState().end).toBe(90_000);
  });

  it('opens another session in place, replayed to its instant, and keeps the current one when the new one is invalid', () => {
    const store = storeWith({ startAt: 5_000 });
    const scenario = 'apiVersion: kubeviz.dev/v1alpha1\nkind: Scenario\nmetadata: {name: two-nodes}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: b}\n';
    expect(store.getState().openSession({ scenario, actions: [{ at: 1_000, action: 'cordon', node: 'b' }], at: 3_000 })).toBeNull();
    const s = store.getState();
    expect(s.load).toEqual({ ok: true, scenarioName: 'two-nodes' });
    expect(s.now).toBe(3_000);
    expect(s.playing).toBe(false);
    expect(s.workers.map((w) => `${w.name}${w.cordoned ? ' cordoned' : ''}`)).toEqual(['a', 'b cordoned']);
    expect(s.timeline.map((a) => a.action)).toEqual(['cordon']);
    const error = store.getState().openSession({ scenario: 'kind: Nope\n' });
    expect(error).toMatch(/could not be opened; the current one is unchanged/);
    expect(store.getState().load).toEqual({ ok: true, scenarioName: 'two-nodes' });
    expect(store.getState().notices.at(-1)!.tone).toBe('error');
    // The store follows the new cluster as it runs.
    store.getState().seek(10_000);
    expect(store.getState().now).toBe(10_000);
  });
});
