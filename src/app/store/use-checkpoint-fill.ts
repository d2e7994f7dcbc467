// While the browser is idle, build the checkpoints that make rewinding fast
// (scenario/history.ts). Small slices of simulated time, so a frame is never
// held up; it stops asking once every checkpoint exists, and looks again
// every few seconds as the timeline grows.
import { useEffect } from 'react';
import type { ClusterStore } from './cluster-store';

/** Simulated ms per slice: about 5-20 ms of work for the default scenario. */
const SLICE_MS = 10_000;
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
    const work = (deadline: IdleDeadline) => {
      handle = null;
      let more = true;
      while (more && deadline.timeRemaining() > 6) more = store.getState().fillCheckpoints(SLICE_MS);
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
