// What identifies a piece of work: the scenario text and the user's actions
// (their instants included), not the instant being looked at, which any
// replay reaches again. Two sessions with the same fingerprint are the same
// work, so opening one over the other loses nothing.
import type { TimelineEntry } from '../../sim/model';

/** Two FNV-1a hashes (different offsets) of the scenario and the actions, as 16 hex digits. */
export function sessionFingerprint(scenario: string, actions: readonly TimelineEntry[]): string {
  const text = `${scenario}\u0000${canonical(actions)}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h2 >>> 15);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/** JSON with keys sorted and undefined fields left out: the same action reads the same however it was built. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
