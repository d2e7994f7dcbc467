import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findScenario } from '../../scenario/gallery';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { History } from '../../scenario/history';
import { readSessionFile, writeSessionFile } from '../../scenario/session-file';
import { decodeShareFragment } from '../../scenario/share-codec';
import { createClusterStore, UI_CLUSTER_OPTIONS } from '../store/cluster-store';
import { createRemoteStore } from '../host/remote-store';
import { SessionController, type BrowserEnv } from './session-controller';
import { CHAT_LINK_CHARS } from './share-url';

const KUBECTL_DUMP = readFileSync(new URL('../../scenario/fixtures/kubectl-get-all.yaml', import.meta.url), 'utf8');

/** The default cluster paused at 30 s, with a browser that records what it was asked to do. */
function setup(scenario = DEFAULT_SCENARIO_YAML) {
  const store = createClusterStore({ open: () => new History(scenario, UI_CLUSTER_OPTIONS), start: { startAt: 30_000, paused: true } });
  const downloads: Array<{ name: string; text: string }> = [];
  const copied: string[] = [];
  let href = 'https://kubeviz.example/app/?t=30s';
  const env: BrowserEnv = {
    download: (name, text) => downloads.push({ name, text }),
    copy: async (t) => (copied.push(t), true),
    href: () => href,
    replaceUrl: (u) => (href = u),
  };
  const session = new SessionController(store, env);
  return { store, session, downloads, copied, href: () => href };
}

/** Text zlib cannot shrink (a hex stream from an LCG), to make a scenario of a given size. */
function incompressible(chars: number): string {
  let x = 12345;
  let out = '';
  while (out.length < chars) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += (x >>> 8).toString(36);
  }
  return out.slice(0, chars);
}

describe('SessionController', () => {
  it('opens a gallery scenario in place when nothing would be lost, and names it in the address bar', () => {
    const { store, session, href } = setup();
    expect(session.openGallery(findScenario('crash-loop').entry)).toBe('opened');
    expect(store.getState().load).toEqual({ ok: true, scenarioName: 'crash-loop' });
    expect(store.getState().now).toBe(0);
    expect(store.getState().playing).toBe(false);
    expect(href()).toBe('https://kubeviz.example/app/#scenario=crash-loop');
  });

  it('asks before replacing unsaved work: Cancel keeps it, Replace opens, Save it first downloads the session then opens', () => {
    const { store, session, downloads } = setup();
    store.getState().act({ action: 'cordon', node: 'node-1' });
    const entry = findScenario('node-failure').entry;
    expect(session.openGallery(entry)).toBe('asking');
    expect(session.ui.getState().confirm?.what).toBe('“node-failure”');
    session.resolveConfirm('cancel');
    expect(store.getState().load).toMatchObject({ scenarioName: 'default' });
    expect(store.history!.actions).toHaveLength(1);

    session.openGallery(entry);
    session.resolveConfirm('save');
    expect(downloads.map((d) => d.name)).toEqual(['default-session.yaml']);
    expect(readSessionFile(downloads[0].text).actions).toEqual([{ at: 30_000, action: 'cordon', node: 'node-1' }]);
    expect(store.getState().load).toMatchObject({ scenarioName: 'node-failure' });

    // node-failure with no actions is the gallery's: nothing to ask about.
    expect(session.newSession()).toBe('opened');
    expect(store.getState().load).toMatchObject({ scenarioName: 'default' });
  });

  it('once saved or shared, the same work opens over without asking', async () => {
    const { store, session } = setup();
    store.getState().act({ action: 'cordon', node: 'node-1' });
    expect(session.hasUnsavedWork()).toBe(true);
    session.saveSession();
    expect(session.hasUnsavedWork()).toBe(false);
    store.getState().act({ action: 'uncordon', node: 'node-1' });
    expect(session.hasUnsavedWork()).toBe(true);
    await session.share();
    expect(session.hasUnsavedWork()).toBe(false);
  });

  it('shares: the link in the address bar (session parameters dropped) and on the clipboard, opening to the same instant', async () => {
    const { store, session, copied, href } = setup();
    store.getState().act({ action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 5 });
    store.getState().seek(42_000);
    const result = await session.share();
    if (result.kind !== 'link') throw new Error(`expected a link, got ${result.kind}`);
    expect(result.copied).toBe(true);
    expect(result.fit).toBe('ok');
    expect(copied).toEqual([result.url]);
    expect(href()).toBe(result.url);
    expect(result.url).toMatch(/^https:\/\/kubeviz\.example\/app\/#s=[A-Za-z0-9_-]+$/);
    expect(result.length).toBe(result.url.length);
    const back = decodeShareFragment(new URL(result.url).hash);
    expect(back).toEqual({ scenario: DEFAULT_SCENARIO_YAML, actions: [{ at: 30_000, action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 5 }], at: 42_000 });
  });

  it('a link past 8,000 characters is marked long; past the maximum it is not made, the file is offered', async () => {
    // Base-36 digits carry about 5.2 bits each: 12,000 of them pack to about 7,800 bytes, 10,400 characters of base64url.
    const long = setup(`${DEFAULT_SCENARIO_YAML}# ${incompressible(12_000)}\n`);
    const r = await long.session.share();
    expect(r).toMatchObject({ kind: 'link', fit: 'long' });
    if (r.kind === 'link') expect(r.length).toBeGreaterThan(CHAT_LINK_CHARS);
    const huge = setup(`${DEFAULT_SCENARIO_YAML}# ${incompressible(200_000)}\n`);
    const before = huge.href();
    expect(await huge.session.share()).toMatchObject({ kind: 'too-long' });
    expect(huge.href()).toBe(before);
    expect(huge.copied).toEqual([]);
  });

  it('opens a saved session file at its instant with its actions', () => {
    const { store, session } = setup();
    const file = writeSessionFile({ scenario: findScenario('node-failure').entry.yaml, actions: [{ at: 2_000, action: 'cordon', node: 'node-2' }], at: 7_000 });
    expect(session.openText(file, 'mine.yaml')).toBe('opened');
    expect(store.getState().load).toMatchObject({ scenarioName: 'node-failure' });
    expect(store.getState().now).toBe(7_000);
    expect(store.getState().timeline).toEqual([{ at: 2_000, action: 'cordon', node: 'node-2' }]);
  });

  it('sends kubectl output to the import dialog, and a broken file to a notice, leaving the session', () => {
    const { store, session } = setup();
    expect(session.openText(KUBECTL_DUMP, 'dump.yaml')).toBe('asking');
    expect(session.ui.getState().importDialog?.text).toBe(KUBECTL_DUMP);
    expect(session.openText('apiVersion: v1\nkind: [Pod\n', 'broken.yaml')).toBe('failed');
    const notice = store.getState().notices.at(-1)!;
    expect(notice.tone).toBe('error');
    expect(notice.text).toMatch(/^“broken\.yaml” is not a scenario kubeviz can open; the current session is unchanged\.\ndocument 1, line \d+: YAML syntax error/);
    expect(store.getState().load).toMatchObject({ scenarioName: 'default' });
    expect(store.getState().now).toBe(30_000);
  });

  it('imports kubectl output and opens it as a scenario', () => {
    const { store, session } = setup();
    const out = session.importText(KUBECTL_DUMP);
    if (!out.ok) throw new Error(out.error);
    expect(out.result.counts.byKind.Node).toBeGreaterThan(0);
    expect(session.requestOpen({ what: 'the imported cluster', session: { scenario: out.result.scenario, actions: [], at: 0 }, url: { kind: 'clear' } })).toBe('opened');
    expect(store.getState().load).toMatchObject({ scenarioName: out.result.name });
    expect(session.importText('not: [a cluster')).toMatchObject({ ok: false, error: expect.stringMatching(/^This cannot be imported: the input is not valid YAML or JSON/) });
  });

  it('exports the state at the current instant as a file named for it', async () => {
    const { session, downloads } = setup();
    await session.exportCurrentState();
    expect(downloads.map((d) => d.name)).toEqual(['default-at-00-30-000.yaml']);
    expect(downloads[0].text).toMatch(/^# Exported by kubeviz from the scenario "default" at 00:30\.000/);
  });
});

describe('while the Web Worker is still building the session', () => {
  it('has nothing to autosave, share or save, so an autosave is never overwritten by an empty session', async () => {
    // A worker that has not answered yet: the mirror holds no scenario text.
    const store = createRemoteStore({
      port: { post: () => undefined, listen: () => undefined },
      source: { kind: 'scenario', yaml: DEFAULT_SCENARIO_YAML, saved: null },
      start: { startAt: 0, paused: true, speed: 1, notices: [] },
    });
    const downloads: string[] = [];
    const session = new SessionController(store, { download: (name) => downloads.push(name), copy: async () => true, href: () => 'https://kubeviz.example/', replaceUrl: () => undefined });
    expect(session.autosaveData()).toBeNull();
    expect(session.hasUnsavedWork()).toBe(false);
    expect(await session.share()).toEqual({ kind: 'none' });
    session.saveSession();
    expect(downloads).toEqual([]);
  });
});

describe('the worker answering after the user already opened something', () => {
  it('keeps the fingerprint of what the user opened, so it is not taken for unsaved work', () => {
    const { session } = setup();
    // The user opens a gallery scenario before the worker said what the first session was saved as.
    expect(session.openGallery(findScenario('crash-loop').entry)).toBe('opened');
    const saved = session.ui.getState().saved;
    session.firstSessionBuilt('fingerprint-of-the-default-scenario', []);
    expect(session.ui.getState().saved).toBe(saved);
    expect(session.hasUnsavedWork()).toBe(false);
  });

  it('takes the first session’s fingerprint when nothing else was opened, and shows its notices', () => {
    const { session } = setup();
    session.firstSessionBuilt('abc', ['The shared scenario could not be opened']);
    expect(session.ui.getState().saved).toBe('abc');
  });
});
