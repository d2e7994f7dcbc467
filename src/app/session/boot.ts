// Which session the page opens with. In order:
// - a reload restores the autosaved session (a reload is the user's own tab);
// - a link in the URL (a share link `#s=`, a gallery `#scenario=` or
//   `?scenario=`, an instant `?t=`) opens what it names, unless the autosave
//   holds unsaved work that differs: then the autosave opens and the link
//   waits for the user's answer (Save it first / Replace / Cancel);
// - else the autosaved session, else the default scenario.
// A link or an autosave that cannot be opened gives a message and the best
// of what is left, so the app always works. Pure: the caller passes the URL,
// whether it is a reload, and what the autosave read.
import { findScenario, scenarioGallery, type GalleryEntry } from '../../scenario/gallery';
import { History, type HistoryOptions } from '../../scenario/history';
import type { Session } from '../../scenario/session';
import { decodeShareFragment, ShareLinkError, shareDataOf } from '../../scenario/share-codec';
import { errorText } from '../store/cluster-store';
import { readScenarioParam, readStartOptions, type StartOptions } from '../url-params';
import { readAutosave, type AutosaveRead } from './autosave';
import { savedStorage, type LaunchInputs } from './launch-inputs';
import { sessionFingerprint } from './fingerprint';
import { hasUnsavedWork } from './unsaved-work';

/** What the address bar shows once a session is open. */
export type UrlAfterOpen = { kind: 'keep' } | { kind: 'gallery'; name: string } | { kind: 'clear' };

/** A session to open in place of the current one (asking first when that would lose work). */
export interface OpenRequest {
  /** How the confirm dialog names it: "the shared scenario", "“node-failure”", "“cluster.yaml”". */
  what: string;
  session: Session;
  url: UrlAfterOpen;
}

export type LaunchLink =
  | { kind: 'share'; data: string }
  | { kind: 'gallery'; name: string }
  /** ?t= alone: the default scenario at an instant. */
  | { kind: 'instant' }
  | { kind: 'none' };

/** What the URL asks to open. */
export function readLaunchLink(search: string, hash: string): LaunchLink {
  const data = shareDataOf(hash);
  if (data !== undefined) return { kind: 'share', data };
  const name = readScenarioParam(search, hash);
  if (name !== null) return { kind: 'gallery', name };
  if (new URLSearchParams(search).has('t')) return { kind: 'instant' };
  return { kind: 'none' };
}

export interface BootInput {
  search: string;
  hash: string;
  /** The page was reloaded (not opened from a link or typed). */
  reload: boolean;
  autosave: AutosaveRead | null;
  options: HistoryOptions;
  gallery?: readonly GalleryEntry[];
}

/**
 * What the first session is, as data (the Web Worker builds it: sim-server.ts): a scenario from its
 * start, or a saved/shared session with the default scenario to fall back on.
 */
export type BootSource =
  | { kind: 'scenario'; yaml: string; saved: string | null }
  | { kind: 'session'; session: Session; what: string; saved: string | null; fallback: string };

export interface BootPlan {
  /** Builds the first session; falls back to the default scenario (with a notice) if it does not build. */
  open: () => History;
  /** What open() builds, as data. */
  source: BootSource;
  start: StartOptions;
  /** A link to open once the user agrees (the autosave held unsaved work). */
  pending: OpenRequest | null;
  /** The fingerprint of the opened work as saved elsewhere (its link, its file, the gallery); set by open(). */
  saved: string | null;
  /** Messages open() produced; shown once the store exists. */
  laterNotices: string[];
}

export function planBoot(input: BootInput): BootPlan {
  const gallery = input.gallery ?? scenarioGallery();
  const start = readStartOptions(input.search);
  const fallback = findScenario(null, gallery).entry;
  const plan: BootPlan = {
    open: () => {
      const opened = openBootSource(plan.source, input.options);
      plan.saved = opened.saved;
      plan.laterNotices.push(...opened.notices);
      return opened.history;
    },
    source: { kind: 'scenario', yaml: fallback.yaml, saved: null },
    start,
    pending: null,
    saved: null,
    laterNotices: [],
  };
  const restored = input.autosave?.ok ? input.autosave.data : null;
  if (input.autosave && !input.autosave.ok) start.notices.push(input.autosave.error);

  /** Opens `session` paused at its instant, or the default scenario with a message. */
  const openSession = (session: Session, what: string, saved: string | null) => {
    start.startAt = 0;
    start.paused = true;
    plan.source = { kind: 'session', session, what, saved, fallback: fallback.yaml };
  };
  const restore = () => restored && openSession({ scenario: restored.scenario, actions: [...restored.actions], at: restored.at }, 'The session saved in this browser', restored.saved);
  /** The autosave holds work that opening `session` would replace. */
  const worthKeeping = (session: Session) =>
    restored !== null && hasUnsavedWork(restored, restored.saved, gallery) && sessionFingerprint(restored.scenario, restored.actions) !== sessionFingerprint(session.scenario, session.actions);

  if (input.reload && restored) {
    restore();
    return plan;
  }
  const link = readLaunchLink(input.search, input.hash);
  if (link.kind === 'share') {
    let session: Session;
    try {
      session = decodeShareFragment(`s=${link.data}`);
    } catch (e) {
      if (!(e instanceof ShareLinkError)) throw e;
      start.notices.push(`${e.message} ${restored ? 'Your last session is open instead.' : 'The default scenario is open instead.'}`);
      if (restored) restore();
      return plan;
    }
    const request: OpenRequest = { what: 'the shared scenario', session, url: { kind: 'keep' } };
    if (worthKeeping(session)) {
      restore();
      plan.pending = request;
    } else openSession(session, 'The shared scenario', sessionFingerprint(session.scenario, session.actions));
    return plan;
  }
  if (link.kind === 'gallery' || link.kind === 'instant') {
    const found = findScenario(link.kind === 'gallery' ? link.name : null, gallery);
    if (!found.ok) {
      start.notices.push(found.notice);
      if (restored) restore();
      return plan;
    }
    const entry = found.entry;
    const session: Session = { scenario: entry.yaml, actions: [], at: start.startAt };
    if (worthKeeping(session)) {
      const at = start.startAt;
      restore();
      plan.pending = { what: `“${entry.name}”`, session: { ...session, at }, url: link.kind === 'gallery' ? { kind: 'gallery', name: entry.name } : { kind: 'keep' } };
      return plan;
    }
    // As before sessions existed: the store runs to ?t= and starts paused there (or plays from 0).
    plan.source = { kind: 'scenario', yaml: entry.yaml, saved: sessionFingerprint(entry.yaml, []) };
    return plan;
  }
  if (restored) restore();
  return plan;
}

/** planBoot from what the page's entry read (launch-inputs.ts): the page and the worker both plan so, and name the same session. */
export function planLaunch(launch: LaunchInputs, options: HistoryOptions): BootPlan {
  return planBoot({ ...launch, autosave: readAutosave(savedStorage(launch)), options });
}

/** Builds the first session (on whichever thread runs the simulation): a session that does not open falls back to the default scenario, saying why. */
export function openBootSource(source: BootSource, options: HistoryOptions): { history: History; saved: string | null; notices: string[] } {
  if (source.kind === 'scenario') return { history: new History(source.yaml, options), saved: source.saved, notices: [] };
  try {
    return { history: History.open(source.session, options), saved: source.saved, notices: [] };
  } catch (e) {
    return {
      history: new History(source.fallback, options),
      saved: null,
      notices: [`${source.what} could not be opened, so the default scenario is open instead. ${errorText(e)}`],
    };
  }
}
