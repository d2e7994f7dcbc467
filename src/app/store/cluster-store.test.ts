import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { loadScenario } from '../../scenario/load';
import { createClusterStore, MAX_FRAME_MS, UI_CLUSTER_OPTIONS, WIRE_LIMIT, type CreateClusterStoreInput } from './cluster-store';

const open = () => loadScenario(DEFAULT_SCENARIO_YAML, UI_CLUSTER_OPTIONS).cluster;
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

  it('step runs to the next event and pauses', () => {
    const store = storeWith();
    const next = store.cluster!.nextEventTime()!;
    store.getState().step();
    expect(store.getState().playing).toBe(false);
    expect(store.getState().now).toBe(next);
  });

  it('keeps snapshots whose content did not change, so their readers do not re-render', () => {
    const store = storeWith({ startAt: 30_000 });
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
    store.cluster!.act({ action: 'scale', kind: 'Deployment', namespace: 'default', name: 'web', replicas: 5 });
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
});
