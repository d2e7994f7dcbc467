import { useEffect } from 'react';
import { createClockLoop } from './clock-loop';
import type { ClusterStore } from './cluster-store';

/** Mounts the clock loop for as long as the component lives. */
export function useClockLoop(store: ClusterStore): void {
  useEffect(() => {
    const loop = createClockLoop(store);
    loop.start();
    return () => loop.stop();
  }, [store]);
}
