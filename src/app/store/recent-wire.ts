// The window of recent wire messages the canvas animates (canvas/message-flight.ts).
// Wider than any flight (300 ms x the top speed, 100x = 30 s) and capped, so
// the message layer can filter background traffic and still find enough.
import type { WireMessage } from '../../sim/kernel/trace';

/** 300 ms of flight at 100x. */
export const RECENT_WINDOW_MS = 30_000;
export const RECENT_LIMIT = 3_000;

/**
 * The window after `fresh` (newer messages, oldest first) arrived at `now`:
 * the same array when nothing entered or left it, so the layer does not redraw.
 */
export function recentWire(prev: readonly WireMessage[], fresh: readonly WireMessage[], now: number): readonly WireMessage[] {
  const oldest = now - RECENT_WINDOW_MS;
  const all = fresh.length > 0 ? [...prev, ...fresh] : prev;
  let start = Math.max(0, all.length - RECENT_LIMIT);
  while (start < all.length && all[start].t < oldest) start++;
  if (start === 0) return all;
  return all.slice(start);
}
