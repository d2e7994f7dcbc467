// While the browser is idle, build the checkpoints that make rewinding fast
// (scenario/history.ts). Small slices of simulated time, so a frame is never
// held up: the slice shrinks when one took too long (a big cluster's busy
// minute) and grows back when slices are cheap. It stops asking once every
// checkpoint exists, and looks again every few seconds as the timeline grows.
import { useEffect } from 'react';
import type { ClusterStore } from './cluster-store';

/** Simulated ms per slice: the first guess, and the bounds it adapts within. */
const FIRST_SLICE_MS = 10_000;
const MIN_SLICE_MS = 100;
const MAX_SLICE_MS = 60_000;
/** Wall ms one slice should take: well inside an idle period (about 50 ms). */
const SLICE_WALL_MS = 5;
/** When nothing is missing, look again after this long (wall ms). */
const RECHECK_MS = 3_000;

type IdleDeadline = { timeRemaining(): number };
type IdleApi = { request(cb: (d: IdleDeadline) => void): number; cancel(h: number): void };

const idle: IdleApi =
  typeof window !== 'undefined' && 'requestIdleCallback' in window
    ? { request: (cb) => window.requestIdleCallback(cb, { timeout: 1_000 }), cancel: (h) => window.cancelIdleCallback(h) }
    : { request: (cb) => window.setTimeout(() => cb({ timeRemaining: () => 8 }), 50), cancel: (h) => window.clearTimeout(h) };

export function useCheckpointFill(store: ClusterStore): void {
  useEffect(() => {
    let handle: number | null = null;
    let timer: number | null = null;
    let slice = FIRST_SLICE_MS;
    const work = (deadline: IdleDeadline) => {
      handle = null;
      let more = true;
      while (more && deadline.timeRemaining() > 6) {
        const t0 = performance.now();
        more = store.getState().fillCheckpoints(slice);
        const took = performance.now() - t0;
        if (took > SLICE_WALL_MS) slice = Math.max(MIN_SLICE_MS, slice / 2);
        else if (took < SLICE_WALL_MS / 4) slice = Math.min(MAX_SLICE_MS, slice * 2);
      }
      if (more) handle = idle.request(work);
      else timer = window.setTimeout(() => ((timer = null), (handle = idle.request(work))), RECHECK_MS);
    };
    handle = idle.request(work);
    return () => {
      if (handle !== null) idle.cancel(handle);
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [store]);
}
