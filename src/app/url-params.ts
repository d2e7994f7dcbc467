// URL parameters for sharing a moment and for deterministic tests:
//   ?t=30s     run the simulation to that virtual instant at load, start paused there
//   ?paused    start paused at 0
//   ?speed=10  start at that speed (0.1, 0.5, 1, 2, 5, 10, 25 or 100), or ?speed=max: as fast as possible
//   ?scenario=NAME  open that built-in scenario (src/scenario/gallery) instead of the default
//   #scenario=NAME  the same, in the fragment (what the gallery menu puts in the address bar)
//   #s=...     a share link: a whole session (src/scenario/share-codec.ts, opened by src/app/session/boot.ts)
// A bad value never blocks the app: it becomes a notice naming the parameter.
import { parseDuration } from '../sim/kernel/duration';

export const SPEEDS = [0.1, 0.5, 1, 2, 5, 10, 25, 100] as const;
export type Speed = (typeof SPEEDS)[number];

/** Past this, loading would keep the tab busy for too long before the first frame. */
export const MAX_START_AT = 3_600_000;

export interface StartOptions {
  /** Virtual ms to run to before the first frame. */
  startAt: number;
  paused: boolean;
  speed: Speed;
  /** ?speed=max: run as much as fits in each frame (present only when asked for). */
  fastest?: true;
  /** One line per parameter that could not be used. */
  notices: string[];
}

const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

export function readStartOptions(search: string): StartOptions {
  const params = new URLSearchParams(search);
  const notices: string[] = [];
  let startAt = 0;
  let paused = false;
  let speed: Speed = 1;
  let fastest = false;

  const t = params.get('t');
  if (t !== null) {
    const parsed = parseStartAt(t);
    if (typeof parsed === 'number') {
      startAt = parsed;
      paused = true;
    } else notices.push(`URL parameter t=${JSON.stringify(t)} ignored: ${parsed.error}. Use a duration such as t=30s, t=1m30s or t=2h; starting at 0.`);
  }

  const p = params.get('paused');
  if (p !== null) paused = !FALSE_WORDS.has(p.trim().toLowerCase());

  const sp = params.get('speed');
  if (sp !== null) {
    const n = Number(sp.trim().replace(/x$/i, ''));
    const match = SPEEDS.find((s) => s === n);
    if (match !== undefined) speed = match;
    else if (/^max$/i.test(sp.trim())) fastest = true;
    else notices.push(`URL parameter speed=${JSON.stringify(sp)} ignored: speed is one of ${SPEEDS.join(', ')} or max; using 1.`);
  }

  return { startAt, paused, speed, ...(fastest ? { fastest: true as const } : {}), notices };
}

/**
 * The built-in scenario the URL names, trimmed: `#scenario=NAME` in the
 * fragment (the form a gallery link has) or `?scenario=NAME`; the fragment
 * wins when both do. Null when it names none.
 */
export function readScenarioParam(search: string, hash = ''): string | null {
  const fromHash = new URLSearchParams(hash.replace(/^#/, '')).get('scenario')?.trim();
  if (fromHash) return fromHash;
  const name = new URLSearchParams(search).get('scenario')?.trim();
  return name ? name : null;
}

function parseStartAt(value: string): number | { error: string } {
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (!Number.isFinite(ms) || ms < 0) return { error: 'it must not be negative' };
  if (ms > MAX_START_AT) return { error: `it must be at most ${MAX_START_AT / 3_600_000}h` };
  return Math.round(ms);
}

/**
 * Where the simulation runs: in a Web Worker (the default), or on the main thread with `?worker=0`
 * (for comparing the two, and for browsers without module workers).
 */
export function simulationInWorker(search: string, workersAvailable: boolean): boolean {
  const w = new URLSearchParams(search).get('worker');
  if (w !== null && FALSE_WORDS.has(w.trim().toLowerCase())) return false;
  return workersAvailable;
}
