// The session's own verbs, for the header's Share button and Scenarios menu,
// the file drop and the dialogs: open a session in place of the current one
// (asking first when that would lose work), save it as a file, export the
// state, share it as a link, import a real cluster. It reads the session off
// the store's view state (the scenario text, the branch's actions, the
// instant), asks the simulation only to export its objects (the
// `exportState` query, wherever it runs), and drives the cluster store only
// through openSession; its own UI state (the confirm and import
// dialogs, what was last saved) is a small zustand store of its own, apart
// from the cluster's. The browser (downloads, clipboard, address bar) comes
// in as BrowserEnv so this file runs in tests and on the server render.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { findScenario, scenarioGallery, type GalleryEntry } from '../../scenario/gallery';
import { ImportError, importCluster, type ImportResult } from '../../scenario/import-cluster';
import { ScenarioError } from '../../scenario/problems';
import type { Session } from '../../scenario/session';
import { writeSessionFile, readSessionFile } from '../../scenario/session-file';
import { encodeShareFragment } from '../../scenario/share-codec';
import type { TimelineEntry } from '../../sim/model';
import { querySim } from '../host/remote-host';
import type { ClusterStore, Notice } from '../store/cluster-store';
import type { AutosaveData } from './autosave';
import type { OpenRequest, UrlAfterOpen } from './boot';
import { classifyFile } from './file-kind';
import { sessionFingerprint } from './fingerprint';
import { linkFit, sessionUrl, type LinkFit } from './share-url';
import { hasUnsavedWork } from './unsaved-work';

/** What the controller needs of the browser; every part has a harmless default for tests and the server render. */
export interface BrowserEnv {
  /** Offers `text` as a file download named `name`. */
  download(name: string, text: string, type: string): void;
  /** Copies to the clipboard; false when the browser refused. */
  copy(text: string): Promise<boolean>;
  href(): string;
  replaceUrl(url: string): void;
}

const NO_BROWSER: BrowserEnv = {
  download: () => {},
  copy: async () => false,
  href: () => 'http://localhost/',
  replaceUrl: () => {},
};

export interface SessionUiState {
  /** A session waiting for the user's answer: replacing the current one would lose work. */
  confirm: OpenRequest | null;
  /** The import dialog, with the text it opens with; null: closed. */
  importDialog: { text: string } | null;
  /** Fingerprint of the work last saved elsewhere (a file, a link) or opened from there. */
  saved: string | null;
}

export type ShareResult =
  | { kind: 'none' }
  /** Too long to open as a link: offer the file. */
  | { kind: 'too-long'; length: number }
  | { kind: 'link'; url: string; length: number; fit: LinkFit; copied: boolean };

export type OpenOutcome = 'opened' | 'asking' | 'failed';

export class SessionController {
  readonly ui: StoreApi<SessionUiState>;
  private readonly env: BrowserEnv;
  private filePicker: (() => void) | null = null;

  constructor(
    readonly store: ClusterStore,
    env: Partial<BrowserEnv> = {},
    saved: string | null = null,
    private readonly gallery: readonly GalleryEntry[] = scenarioGallery(),
  ) {
    this.env = { ...NO_BROWSER, ...env };
    this.ui = createStore<SessionUiState>()(() => ({ confirm: null, importDialog: null, saved }));
  }

  /** The session for autosave: the whole branch (actions after a rewind included), at the live instant. */
  autosaveData(): AutosaveData | null {
    const h = this.branch();
    if (!h) return null;
    return { scenario: h.scenario, actions: h.actions, at: h.at, saved: this.ui.getState().saved };
  }

  hasUnsavedWork(): boolean {
    const h = this.branch();
    return h ? hasUnsavedWork({ scenario: h.scenario, actions: h.actions }, this.ui.getState().saved, this.gallery) : false;
  }

  /** Opens `request` in place of the current session, or asks first when that would lose work. */
  requestOpen(request: OpenRequest): OpenOutcome {
    const h = this.branch();
    const same = h && sessionFingerprint(h.scenario, h.actions) === sessionFingerprint(request.session.scenario, request.session.actions);
    if (!same && this.hasUnsavedWork()) {
      this.ui.setState({ confirm: request });
      return 'asking';
    }
    return this.perform(request) ? 'opened' : 'failed';
  }

  /** Asks the user about `request` (a link that arrived with the page while the autosave held unsaved work). */
  ask(request: OpenRequest): void {
    this.ui.setState({ confirm: request });
  }

  /** The user's answer to the confirm dialog. */
  resolveConfirm(choice: 'save' | 'replace' | 'cancel'): void {
    const request = this.ui.getState().confirm;
    if (!request) return;
    this.ui.setState({ confirm: null });
    if (choice === 'cancel') {
      // The address bar names what is shown, not the link that was turned down.
      if (request.url.kind === 'keep') this.env.replaceUrl(sessionUrl(this.env.href(), null));
      return;
    }
    if (choice === 'save') this.saveSession();
    this.perform(request);
  }

  openGallery(entry: GalleryEntry): OpenOutcome {
    return this.requestOpen({ what: `“${entry.name}”`, session: { scenario: entry.yaml, actions: [], at: 0 }, url: { kind: 'gallery', name: entry.name } });
  }

  /** "New session": the default scenario from its start. */
  newSession(): OpenOutcome {
    const entry = findScenario(null, this.gallery).entry;
    return this.requestOpen({ what: 'a new session on the default scenario', session: { scenario: entry.yaml, actions: [], at: 0 }, url: { kind: 'clear' } });
  }

  /** A file the user opened or dropped: a saved session, a scenario, or kubectl output (to the import dialog). */
  openText(text: string, fileName: string): OpenOutcome {
    const kind = classifyFile(text);
    if (kind === 'kubectl') {
      this.openImport(text);
      return 'asking';
    }
    let session;
    try {
      session = readSessionFile(text);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      this.notify('error', `“${fileName}” is not a scenario kubeviz can open; the current session is unchanged.\n${e.message}`);
      return 'failed';
    }
    return this.requestOpen({ what: `“${fileName}”`, session, url: { kind: 'clear' } });
  }

  /** Imports kubectl output; the dialog shows the result before anything opens. */
  importText(text: string): { ok: true; result: ImportResult } | { ok: false; error: string } {
    try {
      return { ok: true, result: importCluster(text) };
    } catch (e) {
      if (e instanceof ImportError) return { ok: false, error: `This cannot be imported: ${e.message}` };
      return { ok: false, error: `This cannot be imported: ${(e as Error).message}` };
    }
  }

  openImport(text = ''): void {
    this.ui.setState({ importDialog: { text } });
  }

  closeImport(): void {
    this.ui.setState({ importDialog: null });
  }

  /** Downloads the session as a scenario file with a Session document (src/scenario/session-file.ts). */
  saveSession(): void {
    const session = this.standing();
    if (!session) return;
    const name = this.scenarioName();
    this.env.download(`${slug(name)}-session.yaml`, writeSessionFile(session, name), 'application/yaml');
    // Actions ahead after a rewind are not in the file (it holds the session as it stands).
    this.ui.setState({ saved: sessionFingerprint(session.scenario, session.actions) });
  }

  /** Downloads a scenario file (an imported cluster). */
  downloadScenario(name: string, text: string): void {
    this.env.download(name, text, 'application/yaml');
  }

  /** Downloads the objects as they are now as a new scenario (export-state.ts), named for the instant the simulation is at. */
  async exportCurrentState(): Promise<void> {
    const h = this.branch();
    if (!h) return;
    try {
      const out = await querySim(this.store, 'exportState', [h.scenario, this.scenarioName()]);
      this.env.download(`${out.name}.yaml`, out.scenario, 'application/yaml');
    } catch (e) {
      this.notify('error', `The state could not be exported: ${(e as Error).message}`);
    }
  }

  /** Puts the session in the address bar as a share link and copies it. */
  async share(): Promise<ShareResult> {
    const session = this.standing();
    if (!session) return { kind: 'none' };
    const url = sessionUrl(this.env.href(), encodeShareFragment(session));
    const fit = linkFit(url.length);
    if (fit === 'too-long') return { kind: 'too-long', length: url.length };
    this.env.replaceUrl(url);
    this.ui.setState({ saved: sessionFingerprint(session.scenario, session.actions) });
    const copied = await this.env.copy(url);
    return { kind: 'link', url, length: url.length, fit, copied };
  }

  /** Registered by the component that owns the hidden file input. */
  setFilePicker(open: (() => void) | null): void {
    this.filePicker = open;
  }

  chooseFile(): void {
    this.filePicker?.();
  }

  /** A message in the app's notices. */
  notify(tone: Notice['tone'], text: string): void {
    this.store.getState().notify(tone, text);
  }

  /**
   * The first session was built (by the simulation's worker, after this controller was made): what it was saved
   * as elsewhere, unless the user opened something else meanwhile (that one's fingerprint stands).
   */
  firstSessionBuilt(saved: string | null, laterNotices: readonly string[]): void {
    if (!this.performed) this.ui.setState({ saved });
    for (const text of laterNotices) this.notify('error', text);
  }

  private performed = false;

  private perform(request: OpenRequest): boolean {
    const error = this.store.getState().openSession(request.session);
    if (error !== null) return false;
    this.performed = true;
    this.ui.setState({ saved: sessionFingerprint(request.session.scenario, request.session.actions), confirm: null });
    this.updateUrl(request.url);
    return true;
  }

  private updateUrl(after: UrlAfterOpen): void {
    if (after.kind === 'keep') return;
    this.env.replaceUrl(sessionUrl(this.env.href(), after.kind === 'gallery' ? `scenario=${encodeURIComponent(after.name)}` : null));
  }

  /** The whole branch (actions after a rewind included) at the live instant, as the view state holds it; null when nothing is loaded. */
  private branch(): { scenario: string; actions: readonly TimelineEntry[]; at: number } | null {
    const s = this.store.getState();
    // No text yet: the worker has not built the session (autosave must not save an empty one over the user's).
    return s.load.ok && s.scenarioText !== '' ? { scenario: s.scenarioText, actions: s.timeline, at: s.now } : null;
  }

  /** The session as it stands (History.session()): the past actions only, at the live instant. */
  private standing(): Session | null {
    const b = this.branch();
    if (!b) return null;
    return { scenario: b.scenario, actions: b.actions.slice(0, this.store.getState().timelineApplied).map((a) => ({ ...a })), at: b.at };
  }

  private scenarioName(): string {
    const load = this.store.getState().load;
    return load.ok ? load.scenarioName : 'scenario';
  }
}

/** A file-name-safe form of a scenario name. */
function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'scenario';
}
