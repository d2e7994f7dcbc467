// The simulated clock as people read it: "02:05.250" under an hour,
// "1h02m03s" from there on (milliseconds stop mattering at that scale).

export function formatClock(ms: number): string {
  const v = Math.max(0, Math.floor(ms));
  const h = Math.floor(v / 3_600_000);
  const m = Math.floor((v % 3_600_000) / 60_000);
  const s = Math.floor((v % 60_000) / 1000);
  if (h > 0) return `${h}h${pad(m, 2)}m${pad(s, 2)}s`;
  return `${pad(m, 2)}:${pad(s, 2)}.${pad(v % 1000, 3)}`;
}

/** A wire message's instant, compact: "30.100s", "1m05.000s". */
export function formatInstant(ms: number): string {
  const v = Math.max(0, Math.floor(ms));
  const m = Math.floor(v / 60_000);
  const s = ((v % 60_000) / 1000).toFixed(3);
  return m > 0 ? `${m}m${s.padStart(6, '0')}s` : `${s}s`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
