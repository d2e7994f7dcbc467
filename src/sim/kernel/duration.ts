// Durations as Go's time.ParseDuration reads and time.Duration.String writes
// them: "90s", "1m30s", "1h30m", "250ms", "1.5h". Values are milliseconds.

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export class DurationError extends Error {}

export function parseDuration(input: string): number {
  const s = input.trim();
  if (s === '0') return 0;
  if (s === '') throw new DurationError('invalid duration ""');
  let rest = s;
  let sign = 1;
  if (rest[0] === '-' || rest[0] === '+') {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/;
  let total = 0;
  if (rest === '') throw new DurationError(`invalid duration ${JSON.stringify(input)}`);
  while (rest.length > 0) {
    const m = part.exec(rest);
    if (!m) {
      const unitless = /^(\d+(?:\.\d*)?|\.\d+)$/.test(rest);
      throw new DurationError(
        unitless ? `missing unit in duration ${JSON.stringify(input)}` : `invalid duration ${JSON.stringify(input)}`,
      );
    }
    total += parseFloat(m[1]) * UNITS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** Go's Duration.String for whole milliseconds: 90000 -> "1m30s", 250 -> "250ms". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let v = Math.abs(ms);
  if (v < 1000) return `${neg ? '-' : ''}${trim(v)}ms`;
  const h = Math.floor(v / 3_600_000);
  v -= h * 3_600_000;
  const m = Math.floor(v / 60_000);
  v -= m * 60_000;
  const sec = v / 1000;
  let out = '';
  if (h > 0) out += `${h}h`;
  if (h > 0 || m > 0) out += `${m}m`;
  out += `${trim(sec)}s`;
  return (neg ? '-' : '') + out;
}

function trim(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}
