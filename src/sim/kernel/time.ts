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

/** The second ("2026-01-01T00:00:10") last parsed, and its virtual ms: readers parse a burst of one second's stamps. */
let parsedSecond = '';
let parsedSecondMs = NaN;

/** Virtual ms of the whole second an ISO-shaped stamp starts with (NaN when it is no date); parsed once per second. */
function secondMs(ts: string): number {
  if (parsedSecond === '' || !ts.startsWith(parsedSecond)) {
    const second = ts.slice(0, 19);
    const ms = Date.parse(`${second}Z`);
    if (Number.isNaN(ms)) return NaN;
    parsedSecond = second;
    parsedSecondMs = ms - EPOCH_MS;
  }
  return parsedSecondMs;
}

/** The value of the three decimal digits at ts[from..from+3), or -1. */
function threeDigits(ts: string, from: number): number {
  let v = 0;
  for (let i = from; i < from + 3; i++) {
    const d = ts.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Virtual ms of an RFC 3339 timestamp written by timestamp() or
 * microTimestamp() cut to milliseconds ("...:10Z", "...:10.123Z"). The
 * date and time of day are parsed once per second; anything else goes to
 * Date.parse.
 */
export function virtualMs(ts: string): number {
  const len = ts.length;
  if (len === 20 && ts.charCodeAt(19) === 90 /* Z */ && isoShaped(ts)) {
    const ms = secondMs(ts);
    if (!Number.isNaN(ms)) return ms;
  } else if (len === 24 && ts.charCodeAt(19) === 46 /* . */ && ts.charCodeAt(23) === 90 && isoShaped(ts)) {
    const fraction = threeDigits(ts, 20);
    const ms = fraction < 0 ? NaN : secondMs(ts);
    if (!Number.isNaN(ms)) return ms + fraction;
  }
  return Date.parse(ts) - EPOCH_MS;
}

/**
 * metav1.MicroTime (or Time) to virtual ms: JavaScript dates keep
 * milliseconds, so the rest of the fraction goes. microTimestamp()'s
 * stamps ("...:10.123000Z") are read without building the cut string.
 */
export function microVirtualMs(ts: string): number {
  const dot = ts.indexOf('.');
  if (dot < 0) return virtualMs(ts);
  let end = dot + 1;
  while (end < ts.length && ts.charCodeAt(end) >= 48 && ts.charCodeAt(end) <= 57) end++;
  if (end - dot - 1 <= 3) return virtualMs(ts);
  if (dot === 19 && end === ts.length - 1 && ts.charCodeAt(end) === 90 && isoShaped(ts)) {
    const ms = secondMs(ts);
    if (!Number.isNaN(ms)) return ms + threeDigits(ts, 20);
  }
  return virtualMs(ts.slice(0, dot + 4) + ts.slice(end));
}

/** "YYYY-MM-DDTHH:MM:SS" up to the separators (the digits are Date.parse's to judge). */
function isoShaped(ts: string): boolean {
  return ts.charCodeAt(4) === 45 && ts.charCodeAt(7) === 45 && ts.charCodeAt(10) === 84 && ts.charCodeAt(13) === 58 && ts.charCodeAt(16) === 58;
}
