// Ages as kubectl prints them ("45s", "3m12s", "2d5h"): apimachinery's
// duration.HumanDuration (k8s.io/apimachinery/pkg/util/duration/duration.go),
// which kubectl uses for AGE, LAST SEEN and the Events of `kubectl describe`.
// About two significant figures: seconds below 2 minutes, minutes and seconds
// below 10 minutes, minutes below 3 hours, and so on up to years.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A duration in milliseconds as kubectl's HumanDuration prints it. */
export function humanDuration(ms: number): string {
  // Go truncates toward zero; up to a second in the future still reads as now (clock skew).
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** The age of something that happened at virtual ms `at`, seen at `now`. */
export function age(at: number, now: number): string {
  return humanDuration(now - at);
}
