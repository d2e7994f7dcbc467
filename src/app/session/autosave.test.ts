import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { History } from '../../scenario/history';
import { createClusterStore, UI_CLUSTER_OPTIONS } from '../store/cluster-store';
import { AUTOSAVE_KEY, AUTOSAVE_SCENARIO_KEY, Autosaver, readAutosave, watchStore, type AutosaveData, type Timers } from './autosave';

/** localStorage as the browser has it, with a quota in characters, counting writes. */
class FakeStorage {
  items = new Map<string, string>();
  writes: string[] = [];
  constructor(private readonly quota = Infinity) {}
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    const used = [...this.items].reduce((n, [key, val]) => n + (key === k ? 0 : key.length + val.length), 0);
    if (used + k.length + v.length > this.quota) throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    this.items.set(k, v);
    this.writes.push(k);
  }
  removeItem(k: string): void {
    this.items.delete(k);
  }
}

/** Wall time that moves only when the test says. */
class FakeTimers implements Timers {
  t = 0;
  private queue: Array<{ at: number; fn: () => void; id: number }> = [];
  private ids = 0;
  now() {
    return this.t;
  }
  set(fn: () => void, ms: number) {
    const id = ++this.ids;
    this.queue.push({ at: this.t + ms, fn, id });
    return id;
  }
  clear(id: unknown) {
    this.queue = this.queue.filter((q) => q.id !== id);
  }
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

function session(over: Partial<AutosaveData> = {}): AutosaveData {
  return { scenario: DEFAULT_SCENARIO_YAML, actions: [{ at: 31_000, action: 'cordon', node: 'node-2' }], at: 45_000, saved: null, ...over };
}

function saverWith(current: () => AutosaveData | null, storage = new FakeStorage()) {
  const timers = new FakeTimers();
  const errors: string[] = [];
  const saver = new Autosaver({ storage, current, timers, onError: (m) => errors.push(m) });
  return { saver, storage, timers, errors };
}

describe('autosave', () => {
  it('what it saves reads back: scenario, actions, instant', () => {
    const { saver, storage } = saverWith(() => session());
    saver.flush();
    expect(readAutosave(storage)).toEqual({ ok: true, data: session() });
  });

  it('saves at most once a second however often it is asked', () => {
    let at = 0;
    const { saver, storage, timers } = saverWith(() => session({ at }));
    // 60 frames of a second each asking for a save: the first at once, then one when the second is up.
    for (let i = 0; i < 60; i++) {
      at += 16;
      saver.request();
      timers.advance(16);
    }
    const records = () => storage.writes.filter((k) => k === AUTOSAVE_KEY).length;
    // 60 x 16 ms = 960 ms: the save at 0 ms, then the one due at 1000 ms has not happened yet.
    expect(records()).toBe(1);
    timers.advance(40);
    expect(records()).toBe(2);
    // The second save has the instant of when it ran, not of when it was asked.
    expect(readAutosave(storage)).toMatchObject({ ok: true, data: { at: 960 } });
  });

  it('writes the scenario text only when it changes', () => {
    let current = session();
    const { saver, storage, timers } = saverWith(() => current);
    saver.flush();
    current = session({ at: 50_000 });
    timers.advance(1_000);
    saver.flush();
    expect(storage.writes.filter((k) => k === AUTOSAVE_SCENARIO_KEY)).toHaveLength(1);
    current = session({ scenario: DEFAULT_SCENARIO_YAML.replace('replicas: 3', 'replicas: 4') });
    saver.flush();
    expect(storage.writes.filter((k) => k === AUTOSAVE_SCENARIO_KEY)).toHaveLength(2);
    expect(readAutosave(storage)).toMatchObject({ ok: true, data: { scenario: current.scenario } });
  });

  it('a full storage is one message, no exception, and the next success clears it', () => {
    const small = new FakeStorage(DEFAULT_SCENARIO_YAML.length + 2_000);
    let current = session({ scenario: DEFAULT_SCENARIO_YAML + '#'.repeat(5_000) });
    const { saver, errors, timers } = saverWith(() => current, small);
    expect(() => saver.flush()).not.toThrow();
    timers.advance(1_000);
    saver.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Autosave stopped: this browser's storage for kubeviz is full\..*save it as a file/);
    current = session();
    saver.flush();
    expect(readAutosave(small)).toMatchObject({ ok: true });
  });

  it('a disabled storage (private mode) is a message too', () => {
    const refusing = { getItem: () => null, setItem: () => { throw Object.assign(new Error('The operation is insecure.'), { name: 'SecurityError' }); }, removeItem: () => {} };
    const errors: string[] = [];
    const saver = new Autosaver({ storage: refusing, current: () => session(), timers: new FakeTimers(), onError: (m) => errors.push(m) });
    saver.flush();
    expect(errors).toEqual(['Autosave is off: this browser does not let kubeviz keep data (The operation is insecure.). Save your work as a file (Scenarios menu, Save session) to keep it.']);
  });

  it('damaged, mismatched or hostile records are refused with a reason', () => {
    const storage = new FakeStorage();
    const { saver } = saverWith(() => session(), storage);
    saver.flush();
    const good = storage.getItem(AUTOSAVE_KEY)!;
    const goodScenario = storage.getItem(AUTOSAVE_SCENARIO_KEY)!;

    storage.items.set(AUTOSAVE_KEY, good.slice(0, 20));
    expect(readAutosave(storage)).toEqual({ ok: false, error: 'The session saved in this browser could not be restored: its data is damaged.' });

    storage.items.set(AUTOSAVE_KEY, good);
    storage.items.set(AUTOSAVE_SCENARIO_KEY, JSON.stringify({ id: 'ffff', text: DEFAULT_SCENARIO_YAML }));
    expect(readAutosave(storage)).toMatchObject({ ok: false, error: expect.stringContaining('its scenario was not saved completely') });

    storage.items.set(AUTOSAVE_SCENARIO_KEY, goodScenario);
    const bad = JSON.parse(good);
    bad.actions = [{ at: '1s', action: 'stopComponent', component: 'etcd-9' }];
    storage.items.set(AUTOSAVE_KEY, JSON.stringify(bad));
    expect(readAutosave(storage)).toMatchObject({ ok: false, error: expect.stringContaining('Unsupported value: "etcd-9"') });

    storage.items.set(AUTOSAVE_KEY, good.replace('{"v":1', '{"__proto__":{"polluted":true},"v":1'));
    expect(readAutosave(storage)).toMatchObject({ ok: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('nothing saved reads as none', () => {
    expect(readAutosave(new FakeStorage())).toBeNull();
    expect(readAutosave(null)).toBeNull();
  });
});

describe('watchStore', () => {
  function watched() {
    const store = createClusterStore({ open: () => new History(DEFAULT_SCENARIO_YAML, UI_CLUSTER_OPTIONS), start: { startAt: 30_000, paused: true } });
    const requests: number[] = [];
    const saver = { request: () => requests.push(store.getState().now), savedAt: 30_000 } as unknown as Autosaver;
    watchStore(store, saver);
    return { store, requests };
  }

  it('asks for a save on an action and on a step while paused', () => {
    const { store, requests } = watched();
    store.getState().act({ action: 'cordon', node: 'node-1' });
    expect(requests).toEqual([30_000]);
    store.getState().step();
    expect(requests.length).toBeGreaterThan(1);
  });

  it('while playing, only every 5 s of simulated time', () => {
    const { store, requests } = watched();
    store.getState().play();
    requests.length = 0;
    // 4.9 s of sim time in 49 frames of 100 ms at 1x: no save; 5 s since the last save (30 s) asks for one.
    for (let i = 0; i < 49; i++) store.getState().advance(100);
    expect(requests).toEqual([]);
    store.getState().advance(100);
    expect(requests).toEqual([35_000]);
  });
});
