// The worker boundary end to end, in Node: the main thread's mirror
// (remote-store.ts) and the simulation's server (sim-server.ts) joined by a
// real MessageChannel, so every message is structured-cloned as between a
// page and its worker. The mirror must show what a store on the main thread
// shows at the same instant, and the state hash must be the same.
import { afterEach, describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { History } from '../../scenario/history';
import type { BootSource } from '../session/boot';
import { createClusterStore, UI_CLUSTER_OPTIONS, type ClusterStore } from '../store/cluster-store';
import type { StartOptions } from '../url-params';
import type { FromWorker, ToWorker } from './protocol';
import { createRemoteStore } from './remote-store';
import { SimServer } from './sim-server';
import { querySim, actOn } from './remote-host';

const SCHEDULING = readFileSync(new URL('../../scenario/examples/scheduling.yaml', import.meta.url), 'utf8');
const open: MessagePort[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

function pair(yaml: string, start: Partial<StartOptions> = {}, cardsPerMessage?: number): { remote: ClusterStore; local: ClusterStore } {
  const full: StartOptions = { startAt: 0, paused: true, speed: 1, notices: [], ...start };
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  // Wall time does not move in these tests: nothing depends on it but "as fast as possible".
  const server = new SimServer((m) => port2.postMessage(m), { now: () => 0, later: () => undefined }, cardsPerMessage);
  port2.on('message', (m: ToWorker) => server.handle(m));
  const source: BootSource = { kind: 'scenario', yaml, saved: null };
  const remote = createRemoteStore({
    port: { post: (m) => port1.postMessage(m), listen: (h) => port1.on('message', (m: FromWorker) => h(m)) },
    source,
    start: full,
  });
  const local = createClusterStore({ open: () => new History(yaml, UI_CLUSTER_OPTIONS), start: full, wallClock: () => 0 });
  return { remote, local };
}

/** Every message sent before this one has been answered (the channel keeps order). */
const settle = async (s: ClusterStore) => querySim(s, 'stateHash', []);

/** The view as a person sees it: the data fields, without the methods and the main-side choices. */
function view(s: ClusterStore) {
  const st = s.getState();
  return {
    now: st.now,
    revision: st.revision,
    rowWindow: st.rowWindow,
    counts: st.counts,
    workers: st.workers,
    etcd: st.etcd,
    scheduler: st.scheduler,
    wire: st.wire,
    recentWire: st.recentWire,
    markers: st.markers,
    timeline: st.timeline,
    nextEventAt: st.nextEventAt,
    messageCount: st.messageCount,
    scenarioText: st.scenarioText,
  };
}

describe('the simulation behind the worker boundary', () => {
  it('opens at ?t= and shows what the main thread shows, with the same state hash', async () => {
    const { remote, local } = pair(DEFAULT_SCENARIO_YAML, { startAt: 30_000 });
    const hash = await settle(remote);
    expect(remote.cluster).toBeNull();
    expect(view(remote)).toEqual(view(local));
    expect(remote.getState().rowWindow.total).toBeGreaterThan(10);
    // The rows stay in the worker: the page holds the window it shows.
    expect(remote.getState().objects).toEqual([]);
    expect(hash).toBe(local.cluster!.stateHash());
  });

  it('plays frame by frame, one advance in flight, and stays equal to the main thread', async () => {
    const { remote, local } = pair(DEFAULT_SCENARIO_YAML);
    await settle(remote);
    remote.getState().play();
    local.getState().play();
    await settle(remote);
    // Three frames while the first advance is in flight are carried into the next one: 16 + 48 ms.
    remote.getState().advance(16);
    remote.getState().advance(16);
    remote.getState().advance(16);
    remote.getState().advance(16);
    await settle(remote);
    remote.getState().advance(16);
    await settle(remote);
    for (const ms of [16, 48, 16]) local.getState().advance(ms);
    expect(remote.getState().now).toBe(80);
    expect(view(remote)).toEqual(view(local));
    // Further on at 100x: seconds of cluster life, deltas of the objects and cards each frame.
    remote.getState().setSpeed(100);
    local.getState().setSpeed(100);
    for (let i = 0; i < 40; i++) {
      remote.getState().advance(50);
      await settle(remote);
      local.getState().advance(50);
    }
    expect(remote.getState().now).toBe(local.getState().now);
    expect(view(remote)).toEqual(view(local));
    expect(await settle(remote)).toBe(local.cluster!.stateHash());
  });

  it('acts, rewinds and steps extension points as the main thread does', async () => {
    const { remote, local } = pair(SCHEDULING, { startAt: 5_000 });
    await settle(remote);
    const action = { action: 'scale', kind: 'Deployment', name: 'web', replicas: 5 } as const;
    const outcomes = await actOn(remote, action);
    expect(outcomes).toEqual(local.getState().act(action));
    remote.getState().seek(2_000);
    local.getState().seek(2_000);
    await settle(remote);
    expect(view(remote)).toEqual(view(local));
    expect(remote.getState().clusterEpoch).toBe(local.getState().clusterEpoch);
    remote.getState().stepPoint();
    local.getState().stepPoint();
    await settle(remote);
    expect(remote.getState().stopReason).toBe(local.getState().stopReason);
    expect(remote.getState().selection).toEqual(local.getState().selection);
    expect(remote.getState().inspectorTab).toBe('scheduling');
    expect(await settle(remote)).toBe(local.cluster!.stateHash());
  });

  it('sends the node cards in slices the main thread reads one task each, and shows them as one list', async () => {
    const yaml = readFileSync(new URL('../../scenario/examples/scale-50-nodes.yaml', import.meta.url), 'utf8');
    // The worker's side: 16 cards a message, each but the last saying more follow.
    const sent: FromWorker[] = [];
    const server = new SimServer((m) => sent.push(m), { now: () => 0, later: () => undefined }, 16);
    server.handle({ type: 'boot', source: { kind: 'scenario', yaml, saved: null }, start: { startAt: 1_000, paused: true, speed: 1, notices: [] } });
    const slices = sent.flatMap((m) => (m.type === 'state' && m.workers ? [[m.workers.upserts.length, m.more ?? false]] : []));
    expect(slices).toEqual([[16, true], [16, true], [16, true], [2, false]]);
    // The page's side: the whole list in one change, so the canvas lays it out and draws it once.
    const { remote, local } = pair(yaml, { startAt: 1_000 }, 16);
    const sizes: number[] = [];
    remote.subscribe((s, prev) => {
      if (s.workers !== prev.workers) sizes.push(s.workers.length);
    });
    await settle(remote);
    expect(sizes[0]).toBe(50);
    expect(view(remote)).toEqual(view(local));
    // A rewind replaces the cluster; the cards that look the same keep their identity and are not sent again.
    const before = remote.getState().workers;
    remote.getState().seek(500);
    local.getState().seek(500);
    await settle(remote);
    expect(view(remote)).toEqual(view(local));
    const kept = remote.getState().workers.filter((w, i) => w === before[i]).length;
    expect(kept).toBeGreaterThan(0);
  });

  it('sends the objects table only the rows it shows, and the rows of a new window when it scrolls', async () => {
    const { remote, local } = pair(DEFAULT_SCENARIO_YAML, { startAt: 30_000 });
    await settle(remote);
    const all = local.getState().objects;
    // The default window (100 rows) holds the whole of a small table.
    expect(remote.getState().rowWindow).toEqual({ start: 0, total: all.length, rows: all.slice(0, 100) });
    remote.getState().showRows(3, 7);
    local.getState().showRows(3, 7);
    await settle(remote);
    expect(remote.getState().rowWindow).toEqual({ start: 3, total: all.length, rows: all.slice(3, 7) });
    expect(view(remote)).toEqual(view(local));
    // Played on, the window follows the rows' changes; past the end it is cut short.
    remote.getState().showRows(all.length - 2, all.length + 10);
    local.getState().showRows(all.length - 2, all.length + 10);
    await settle(remote);
    expect(remote.getState().rowWindow.rows).toHaveLength(2);
    expect(remote.getState().rowWindow.rows).toEqual(local.getState().objects.slice(-2));
  });

  it('keeps the selection the user made while the worker was still answering an older one', async () => {
    const { remote } = pair(DEFAULT_SCENARIO_YAML);
    await settle(remote);
    remote.getState().select({ type: 'component', name: 'etcd-1' });
    remote.getState().select({ type: 'component', name: 'kube-scheduler' });
    expect(remote.getState().selection).toEqual({ type: 'component', name: 'kube-scheduler' });
    await settle(remote);
    expect(remote.getState().selection).toEqual({ type: 'component', name: 'kube-scheduler' });
  });

  it('runs queries where the cluster is, and their errors come back as errors', async () => {
    const { remote, local } = pair(DEFAULT_SCENARIO_YAML, { startAt: 10_000 });
    const key = local.getState().objects.find((r) => r.kind === 'Pod')!.key;
    const seen = await querySim(remote, 'inspectObject', [key]);
    expect(seen).toEqual(await querySim(local, 'inspectObject', [key]));
    await expect(querySim(remote, 'explainPod', ['Pod/no/such', undefined]).then(() => 'ok')).resolves.toBeDefined();
  });

  it('the kubectl console runs in the worker and prints here', async () => {
    const { remote } = pair(DEFAULT_SCENARIO_YAML, { startAt: 10_000 });
    await settle(remote);
    const con = remote.host!.console;
    let changes = 0;
    con.subscribe(() => changes++);
    con.run('get nodes');
    await settle(remote);
    const text = con
      .getState()
      .scrollback.lines.map((l) => l.text)
      .join('\n');
    expect(text).toContain('NAME');
    expect(text).toMatch(/Ready/);
    expect(changes).toBeGreaterThan(0);
    expect(con.previous('')).toBe('get nodes');
    const completion = await con.complete('get no', 6);
    expect(completion.line).toBe('get nodes ');
  });

  it('a scenario that does not parse is refused at once and the session stays', async () => {
    const { remote } = pair(DEFAULT_SCENARIO_YAML, { startAt: 1_000 });
    await settle(remote);
    const before = remote.getState().scenarioText;
    const error = remote.getState().openSession({ scenario: 'kind: [' });
    expect(error).toMatch(/could not be opened/);
    await settle(remote);
    expect(remote.getState().scenarioText).toBe(before);
    expect(remote.getState().notices.some((n) => n.text.includes('could not be opened'))).toBe(true);
  });
});

describe('the first moments, while the worker builds the session', () => {
  it('what the user opened or selected before the worker answered stays open', async () => {
    const { remote } = pair(DEFAULT_SCENARIO_YAML);
    // Before any answer: the Apply YAML button and a click on a component.
    remote.getState().openEditor({ text: '' });
    remote.getState().select({ type: 'component', name: 'kube-scheduler' });
    await settle(remote);
    expect(remote.getState().editor).toEqual({ text: '' });
    expect(remote.getState().selection).toEqual({ type: 'component', name: 'kube-scheduler' });
    expect(remote.getState().scenarioText).toBe(DEFAULT_SCENARIO_YAML);
  });
});

describe('opening another session', () => {
  it('says it is not ready until the worker built it, then ready again', async () => {
    const { remote } = pair(DEFAULT_SCENARIO_YAML);
    await settle(remote);
    expect(remote.getState().ready).toBe(true);
    expect(remote.getState().openSession({ scenario: SCHEDULING })).toBeNull();
    expect(remote.getState().ready).toBe(false);
    await settle(remote);
    expect(remote.getState().ready).toBe(true);
    expect(remote.getState().scenarioText).toBe(SCHEDULING);
  });
});
