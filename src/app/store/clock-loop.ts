// The one animation loop: each frame turns the wall time since the last
// frame into sim time (the store multiplies by the speed and runs the
// cluster there). Paused frames advance nothing.
import type { ClusterStore } from './cluster-store';

export interface FrameScheduler {
  request(cb: (wallMs: number) => void): number;
  cancel(handle: number): void;
}

const browserFrames: FrameScheduler = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (h) => cancelAnimationFrame(h),
};

export interface ClockLoop {
  start(): void;
  stop(): void;
}

export function createClockLoop(store: ClusterStore, frames: FrameScheduler = browserFrames): ClockLoop {
  let handle: number | null = null;
  let last: number | null = null;
  const frame = (wallMs: number) => {
    const elapsed = last === null ? 0 : wallMs - last;
    last = wallMs;
    store.getState().advance(elapsed);
    handle = frames.request(frame);
  };
  return {
    start() {
      if (handle !== null) return;
      last = null;
      handle = frames.request(frame);
    },
    stop() {
      if (handle !== null) frames.cancel(handle);
      handle = null;
    },
  };
}
