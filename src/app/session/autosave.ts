// Autosave: the working session (scenario text, the user's actions on this
// branch, the instant) kept in the browser's storage as it changes, so a
// reload or a crash loses nothing. Not an upstream component.
//
// Two keys: the scenario text, written only when it changes (it can be
// megabytes for an imported cluster), and a small record (actions, instant,
// what was last saved elsewhere) written at most once a second: on every
// action, every few seconds of simulated time while playing, and on every
// step or seek while paused. The record names its scenario by fingerprint, so
// a half-written pair is noticed instead of restoring the wrong actions.
// A full or disabled storage becomes one message, never an exception.
import { parseScenarioFile } from '../../scenario/parse';
import { ScenarioError } from '../../scenario/problems';
import { readActions, timelineEntryDocument } from '../../scenario/session';
import type { TimelineEntry } from '../../sim/model';
import type { ClusterStore } from '../store/cluster-store';
import { AUTOSAVE_KEY, AUTOSAVE_SCENARIO_KEY } from './autosave-keys';
import { sessionFingerprint } from './fingerprint';

export { AUTOSAVE_KEY, AUTOSAVE_SCENARIO_KEY };
/** Never more often than this (wall ms). */
export const MIN_SAVE_INTERVAL_MS = 1_000;
/** While playing, a save every this much simulated time (virtual ms). */
export const PLAYING_SAVE_EVERY_MS = 5_000;
/** An autosave never asks to replay more than a day of simulated time (as a share link). */
const MAX_AT_MS = 24 * 3_600_000;

export interface AutosaveData {
  scenario: string;
  /** Every action of the branch, past and (after a rewind) still ahead. */
  actions: readonly TimelineEntry[];
  at: number;
  /** The fingerprint (fingerprint.ts) of the work last saved elsewhere (a file, a share link) or opened from there; null: none. */
  saved: string | null;
}

export type AutosaveRead = { ok: true; data: AutosaveData } | { ok: false; error: string };

type ReadStorage = Pick<Storage, 'getItem'>;
type WriteStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

interface StoredScenario {
  id: string;
  text: string;
}

interface StoredRecord {
  v: 1;
  scenario: string;
  actions: unknown[];
  at: number;
  saved: string | null;
}

/** The autosaved session; null when there is none. A record that cannot be used says why. */
export function readAutosave(storage: ReadStorage | null): AutosaveRead | null {
  let recordText: string | null;
  let scenarioText: string | null;
  try {
    recordText = storage?.getItem(AUTOSAVE_KEY) ?? null;
    scenarioText = storage?.getItem(AUTOSAVE_SCENARIO_KEY) ?? null;
  } catch {
    return null; // storage disabled: nothing was saved
  }
  if (recordText === null) return null;
  const fail = (why: string): AutosaveRead => ({ ok: false, error: `The session saved in this browser could not be restored: ${why}.` });
  let record: unknown;
  let scenario: unknown;
  try {
    record = JSON.parse(recordText, noProto);
    scenario = scenarioText === null ? null : JSON.parse(scenarioText, noProto);
  } catch {
    return fail('its data is damaged');
  }
  if (!isRecord(record)) return fail('its data is damaged');
  if (!isStoredScenario(scenario) || scenario.id !== record.scenario || sessionFingerprint(scenario.text, []) !== scenario.id) return fail('its scenario was not saved completely');
  let actions: TimelineEntry[];
  try {
    actions = readActions(record.actions, parseScenarioFile(scenario.text).model.controlPlane);
  } catch (e) {
    if (e instanceof ScenarioError) return fail(e.message.split('\n')[0]);
    throw e;
  }
  return { ok: true, data: { scenario: scenario.text, actions, at: record.at, saved: record.saved } };
}

export function clearAutosave(storage: WriteStorage | null): void {
  try {
    storage?.removeItem(AUTOSAVE_KEY);
    storage?.removeItem(AUTOSAVE_SCENARIO_KEY);
  } catch {
    // Nothing to clear then.
  }
}

/** Wall-clock timers, injected so tests drive them. */
export interface Timers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface AutosaverOptions {
  storage: WriteStorage | null;
  /** The session as it stands; null when there is none to save (the scenario did not load). */
  current: () => AutosaveData | null;
  timers: Timers;
  /** Told once when saving starts failing (storage full or disabled), and again only after a save succeeded. */
  onError: (message: string) => void;
  minIntervalMs?: number;
}

export class Autosaver {
  private timer: unknown = null;
  private lastWrite = -Infinity;
  private writtenScenario: string | null = null;
  private writtenScenarioId: string | null = null;
  private failing = false;
  private disposed = false;
  /** The instant of the last record written (virtual ms). */
  savedAt: number | null = null;
  private readonly minInterval: number;

  constructor(private readonly options: AutosaverOptions) {
    this.minInterval = options.minIntervalMs ?? MIN_SAVE_INTERVAL_MS;
  }

  /** Saves soon: now if the last save is a second old, else when it will be. Requests in between make one save. */
  request(): void {
    if (this.disposed || this.timer !== null) return;
    const { timers } = this.options;
    const wait = Math.max(0, this.lastWrite + this.minInterval - timers.now());
    this.timer = timers.set(() => {
      this.timer = null;
      this.write();
    }, wait);
  }

  /** Saves now (the page is being hidden or unloaded), whatever the interval. */
  flush(): void {
    if (this.disposed) return;
    if (this.timer !== null) {
      this.options.timers.clear(this.timer);
      this.timer = null;
    }
    this.write();
  }

  dispose(): void {
    if (this.timer !== null) this.options.timers.clear(this.timer);
    this.timer = null;
    this.disposed = true;
  }

  private write(): void {
    const data = this.options.current();
    const storage = this.options.storage;
    if (!data || !storage) return;
    this.lastWrite = this.options.timers.now();
    try {
      if (data.scenario !== this.writtenScenario) {
        const id = sessionFingerprint(data.scenario, []);
        // The record of the old scenario goes first: a failure below leaves nothing rather than a mismatched pair.
        storage.removeItem(AUTOSAVE_KEY);
        storage.setItem(AUTOSAVE_SCENARIO_KEY, JSON.stringify({ id, text: data.scenario } satisfies StoredScenario));
        this.writtenScenario = data.scenario;
        this.writtenScenarioId = id;
      }
      const record: StoredRecord = { v: 1, scenario: this.writtenScenarioId!, actions: data.actions.map(timelineEntryDocument), at: data.at, saved: data.saved };
      storage.setItem(AUTOSAVE_KEY, JSON.stringify(record));
      this.savedAt = data.at;
      this.failing = false;
    } catch (e) {
      this.writtenScenario = null;
      if (this.failing) return;
      this.failing = true;
      this.options.onError(storageErrorText(e, data.scenario.length));
    }
  }
}

/**
 * Saves the store's session as it changes: on an action or a new session at
 * once (within the interval), while playing every PLAYING_SAVE_EVERY_MS of
 * simulated time, while paused on every step or seek. Returns the unsubscribe.
 */
export function watchStore(store: ClusterStore, saver: Autosaver, playingEveryMs = PLAYING_SAVE_EVERY_MS): () => void {
  return store.subscribe((s, prev) => {
    if (s.timeline !== prev.timeline || s.load !== prev.load || s.playing !== prev.playing) return saver.request();
    if (s.now === prev.now) return;
    const savedAt = saver.savedAt;
    if (!s.playing || savedAt === null || Math.abs(s.now - savedAt) >= playingEveryMs) saver.request();
  });
}

function storageErrorText(e: unknown, scenarioChars: number): string {
  const name = (e as { name?: string } | null)?.name;
  const size = scenarioChars > 1024 * 1024 ? ` (its scenario is ${(scenarioChars / (1024 * 1024)).toFixed(1)} MB)` : '';
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || (e as { code?: number } | null)?.code === 22)
    return `Autosave stopped: this browser's storage for kubeviz is full${size}. Your work is not lost yet: save it as a file (Scenarios menu, Save session) before you close the tab.`;
  return `Autosave is off: this browser does not let kubeviz keep data (${(e as Error)?.message || name || 'storage refused'}). Save your work as a file (Scenarios menu, Save session) to keep it.`;
}

/** Drops `__proto__` keys, so nothing read back can reach a prototype. */
function noProto(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

function isStoredScenario(v: unknown): v is StoredScenario {
  return typeof v === 'object' && v !== null && typeof (v as StoredScenario).id === 'string' && typeof (v as StoredScenario).text === 'string';
}

function isRecord(v: unknown): v is StoredRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as StoredRecord;
  return (
    r.v === 1 &&
    typeof r.scenario === 'string' &&
    Array.isArray(r.actions) &&
    typeof r.at === 'number' &&
    Number.isInteger(r.at) &&
    r.at >= 0 &&
    r.at <= MAX_AT_MS &&
    (r.saved === null || typeof r.saved === 'string')
  );
}
