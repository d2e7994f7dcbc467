// How kubectl writes times and small collections, after
// k8s.io/apimachinery/pkg/util/duration (HumanDuration), the printers'
// translateTimestampSince and Go's time.RFC1123Z, and
// k8s.io/apimachinery/pkg/labels FormatLabels. Ages come from the simulated
// clock: `now` is virtual ms, timestamps are what the apiserver stored.
import { EPOCH_MS, virtualMs } from '../sim/kernel/time';

/** duration.HumanDuration: about 2-3 significant figures ("45s", "3m20s", "15m", "5h3m", "2d3h", "400d"). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // Up to a second or two of clock skew counts as now.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: the age of a stored timestamp at virtual instant `now`, "<unknown>" when unset. */
export function since(ts: string | null | undefined, now: number): string {
  if (!ts) return '<unknown>';
  const t = virtualMs(ts);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now - t);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** time.RFC1123Z in UTC, as describe prints times: "Thu, 01 Jan 2026 00:00:04 +0000". */
export function rfc1123z(ts: string | null | undefined): string {
  const d = new Date(ts ? Date.parse(ts) : EPOCH_MS);
  if (Number.isNaN(d.getTime())) return String(ts);
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** The zero time.Time, as describe prints an unset timestamp. */
export const ZERO_TIME_RFC1123Z = 'Mon, 01 Jan 0001 00:00:00 +0000';

/** labels.FormatLabels: "a=1,b=2" in key order, "<none>" when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | null | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** Go's sort.Strings order (bytewise), which is JavaScript's default sort for ASCII. */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
