// Object timestamps. Virtual time 0 is a fixed instant so that
// creationTimestamp and friends are the same in every run.
export const EPOCH_MS = Date.UTC(2026, 0, 1, 0, 0, 0);

/** "2026-01-01T00:00:10" for the second of virtual ms, remembered for the last second asked (writes come in bursts per instant). */
let lastSecond = NaN;
let lastSecondText = '';
function secondText(virtualMs: number): string {
  const sec = Math.floor(virtualMs / 1000);
  if (sec !== lastSecond) {
    lastSecond = sec;
    lastSecondText = new Date(EPOCH_MS + sec * 1000).toISOString().slice(0, 19);
  }
  return lastSecondText;
}

/** metav1.Time: RFC 3339 with second precision, as the apiserver serializes it. */
export function timestamp(virtualMs: number): string {
  return `${secondText(virtualMs)}Z`;
}

/** metav1.MicroTime (Leases, Events): microsecond precision. */
export function microTimestamp(virtualMs: number): string {
  const ms = Math.floor(virtualMs) - Math.floor(virtualMs / 1000) * 1000;
  return `${secondText(virtualMs)}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}000Z`;
}

/** Virtual ms of an RFC 3339 timestamp written by timestamp(). */
export function virtualMs(ts: string): number {
  return Date.parse(ts) - EPOCH_MS;
}
