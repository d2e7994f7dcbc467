// Object timestamps. Virtual time 0 is a fixed instant so that
// creationTimestamp and friends are the same in every run.
export const EPOCH_MS = Date.UTC(2026, 0, 1, 0, 0, 0);

/** metav1.Time: RFC 3339 with second precision, as the apiserver serializes it. */
export function timestamp(virtualMs: number): string {
  return new Date(EPOCH_MS + Math.floor(virtualMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.MicroTime (Leases, Events): microsecond precision. */
export function microTimestamp(virtualMs: number): string {
  const iso = new Date(EPOCH_MS + Math.floor(virtualMs)).toISOString();
  return `${iso.slice(0, 23)}000Z`;
}

/** Virtual ms of an RFC 3339 timestamp written by timestamp(). */
export function virtualMs(ts: string): number {
  return Date.parse(ts) - EPOCH_MS;
}
