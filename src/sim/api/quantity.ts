// resource.Quantity as k8s.io/apimachinery parses and prints it ("500m", "1Gi", "1e3").
// A Quantity is its value in milli-units plus the format its suffix had;
// upstream keeps nano precision, so sub-milli values are fractional milli.
// Plain doubles are exact for every value a cluster uses (below 2^53 milli,
// about 8 PiB); beyond that they keep 15-16 significant digits.

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export interface Quantity {
  /** The value in thousandths: 500 for "500m", 1073741824000 for "1Gi". */
  readonly milli: number;
  readonly format: QuantityFormat;
}

const SPLIT_RE_STRING = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE_STRING}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  override name = 'QuantityError';
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

const SUFFIXES = new Map<string, Suffix>([
  ['', { base: 10, exponent: 0, format: 'DecimalSI' }],
  ['n', { base: 10, exponent: -9, format: 'DecimalSI' }],
  ['u', { base: 10, exponent: -6, format: 'DecimalSI' }],
  ['m', { base: 10, exponent: -3, format: 'DecimalSI' }],
  ['k', { base: 10, exponent: 3, format: 'DecimalSI' }],
  ['M', { base: 10, exponent: 6, format: 'DecimalSI' }],
  ['G', { base: 10, exponent: 9, format: 'DecimalSI' }],
  ['T', { base: 10, exponent: 12, format: 'DecimalSI' }],
  ['P', { base: 10, exponent: 15, format: 'DecimalSI' }],
  ['E', { base: 10, exponent: 18, format: 'DecimalSI' }],
  ['Ki', { base: 2, exponent: 10, format: 'BinarySI' }],
  ['Mi', { base: 2, exponent: 20, format: 'BinarySI' }],
  ['Gi', { base: 2, exponent: 30, format: 'BinarySI' }],
  ['Ti', { base: 2, exponent: 40, format: 'BinarySI' }],
  ['Pi', { base: 2, exponent: 50, format: 'BinarySI' }],
  ['Ei', { base: 2, exponent: 60, format: 'BinarySI' }],
]);

const DECIMAL_SUFFIX_BY_EXPONENT = new Map<number, string>([
  [-9, 'n'],
  [-6, 'u'],
  [-3, 'm'],
  [0, ''],
  [3, 'k'],
  [6, 'M'],
  [9, 'G'],
  [12, 'T'],
  [15, 'P'],
  [18, 'E'],
]);
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SUFFIX_CHARS = 'eEinumkKMGTP';
const EXPONENT_RE = /^[+-]?[0-9]+$/;
const ZEROS_RE = /^0*$/;
/** BinarySI values are capped at 2^63-1 as upstream does (2^63 is the nearest double). */
const MAX_BINARY_MILLI = 2 ** 63 * 1000;

const isDigit = (c: number) => c >= 48 && c <= 57;

interface Scanned {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

/** Mirrors upstream's parseQuantityString scanner, including what it lets through ("1.", "-"). */
function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (end > 0) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };

  const numStart = pos;
  while (pos < end && isDigit(str.charCodeAt(pos))) pos++;
  const num = str.slice(numStart, pos) || '0';
  if (pos >= end) return { positive, num, denom: '', suffix: '' };

  let denom = '';
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (pos < end && isDigit(str.charCodeAt(pos))) pos++;
    denom = str.slice(denomStart, pos);
    if (pos >= end) return { positive, num, denom, suffix: '' };
  }

  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str.charCodeAt(pos))) pos++;
  if (pos < end) throw new QuantityError(ERR_FORMAT_WRONG);
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

function interpret(suffix: string): Suffix {
  const known = SUFFIXES.get(suffix);
  if (known) return known;
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && EXPONENT_RE.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Number.isSafeInteger(exponent)) return { base: 10, exponent, format: 'DecimalExponent' };
  }
  throw new QuantityError(ERR_SUFFIX);
}

/** Digits (no leading zeros) and power of ten of a non-negative decimal. */
function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits[i] === '0') i++;
  return digits.slice(i);
}

/** Rounds digits*10^exp up (away from zero) to nano precision, as ParseQuantity does. */
function roundUpToNano(digits: string, exp: number): { digits: string; exp: number } {
  if (exp >= -9) return { digits, exp };
  const drop = -9 - exp;
  const keep = digits.length - drop;
  const kept = keep > 0 ? digits.slice(0, keep) : '0';
  const dropped = keep > 0 ? digits.slice(keep) : digits;
  const exact = ZEROS_RE.test(dropped);
  return { digits: exact ? kept : (BigInt(kept) + 1n).toString(), exp: -9 };
}

// Parsing is on the hot path (scheduler, kubelet, validation) and the same
// few strings recur, so parsed values are kept; the cap bounds the memory.
const cache = new Map<string, Quantity>();
const CACHE_LIMIT = 4096;

/** Parses a quantity as resource.ParseQuantity does, throwing QuantityError with upstream's message. */
export function parseQuantity(input: string | number): Quantity {
  const str = typeof input === 'number' ? numberToQuantityString(input) : input;
  if (typeof str !== 'string') throw new QuantityError(ERR_FORMAT_WRONG);
  const hit = cache.get(str);
  if (hit) return hit;
  const q = Object.freeze(parseUncached(str));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(str, q);
  return q;
}

function numberToQuantityString(n: number): string {
  if (!Number.isFinite(n)) throw new QuantityError(ERR_FORMAT_WRONG);
  return String(n);
}

function parseUncached(str: string): Quantity {
  if (str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG);
  if (str === '0') return { milli: 0, format: 'DecimalSI' };
  const { positive, num, denom, suffix } = scan(str);
  const { base, exponent, format } = interpret(suffix);
  const sign = positive ? 1 : -1;
  const digits = stripLeadingZeros(num + denom);
  if (ZEROS_RE.test(digits)) return { milli: 0, format };

  if (base === 10) {
    const r = roundUpToNano(digits, exponent - denom.length);
    const milli = Number(`${r.digits}e${r.exp + 3}`);
    if (!Number.isFinite(milli)) throw new QuantityError(ERR_NUMERIC);
    return { milli: sign * milli, format };
  }

  // Binary suffix: decimal mantissa times 2^exponent, rounded up to nano, capped at 2^63-1.
  const scale = denom.length;
  let milli: number;
  if (scale <= 9) {
    milli = Number(`${digits}e${3 - scale}`) * 2 ** exponent;
  } else {
    const product = BigInt(digits) * 2n ** BigInt(exponent);
    const divisor = 10n ** BigInt(scale - 9);
    let nanos = product / divisor;
    if (product % divisor !== 0n) nanos += 1n;
    milli = Number(`${nanos}e-6`);
  }
  if (milli > MAX_BINARY_MILLI) milli = MAX_BINARY_MILLI;
  // Fractions of one can not be shown with a binary suffix.
  const fmt: QuantityFormat = milli < 1000 ? 'DecimalSI' : format;
  return { milli: sign * milli, format: fmt };
}

export function tryParseQuantity(input: string | number): Quantity | undefined {
  try {
    return parseQuantity(input);
  } catch {
    return undefined;
  }
}

export function isQuantity(input: string | number): boolean {
  return tryParseQuantity(input) !== undefined;
}

export function quantityFromMilli(milli: number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { milli, format };
}

const ceilAway = (x: number) => (x < 0 ? -Math.ceil(-x) : Math.ceil(x));

/** Value() upstream: the value rounded up, away from zero, to a whole unit. */
export function value(q: Quantity): number {
  if (q.milli % 1000 === 0) return q.milli / 1000;
  return ceilAway(q.milli / 1000);
}

/** MilliValue() upstream: the value in milli-units rounded up, away from zero. */
export function milliValue(q: Quantity): number {
  return Number.isInteger(q.milli) ? q.milli : ceilAway(q.milli);
}

export function compareQuantity(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.milli < b.milli ? -1 : a.milli > b.milli ? 1 : 0;
}

/** Sum keeping the first non-zero operand's format, as Quantity.Add does. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { milli: a.milli + b.milli, format: a.milli === 0 ? b.format : a.format };
}

/** Integer nanos of a milli value; arithmetic fuzz below a nano is dropped, real remainders round up. */
function toNanos(milli: number): number {
  const n = milli * 1e6;
  const r = Math.round(n);
  return Math.abs(n - r) <= Math.max(1e-3, Math.abs(n) * 4 * Number.EPSILON) ? r : Math.ceil(n);
}

/** Decimal digits (no leading or trailing zeros) and exponent of a positive finite number. */
function decimalParts(x: number): { digits: string; exp: number } {
  const s = x.toString();
  let mant = s;
  let exp = 0;
  const e = s.indexOf('e');
  if (e >= 0) {
    mant = s.slice(0, e);
    exp = Number(s.slice(e + 1));
  }
  const dot = mant.indexOf('.');
  if (dot >= 0) {
    exp -= mant.length - dot - 1;
    mant = mant.slice(0, dot) + mant.slice(dot + 1);
  }
  let start = 0;
  while (start < mant.length - 1 && mant[start] === '0') start++;
  let end = mant.length;
  while (end - 1 > start && mant[end - 1] === '0') {
    end--;
    exp++;
  }
  return { digits: mant.slice(start, end), exp };
}

/** The canonical string, as Quantity.String(): "1536Mi" for 1.5Gi, "500m" for 0.5, "1k" for 1000. */
export function formatQuantity(q: Quantity): string {
  if (q.milli === 0 || !Number.isFinite(q.milli)) return '0';
  const sign = q.milli < 0 ? '-' : '';
  const abs = Math.abs(q.milli);
  let format = q.format;
  if (format === 'BinarySI' && (abs < 1024000 || abs % 1000 !== 0)) format = 'DecimalSI';

  if (format === 'BinarySI') {
    let units = abs / 1000;
    let power = 0;
    while (power < 6 && units % 1024 === 0) {
      units /= 1024;
      power++;
    }
    const { digits, exp } = decimalParts(units);
    return sign + digits + '0'.repeat(exp) + BINARY_SUFFIXES[power];
  }

  // Sub-milli values are expressed in nanos so the digits stay exact.
  let parts: { digits: string; exp: number };
  if (Number.isInteger(abs)) {
    parts = decimalParts(abs);
    parts.exp -= 3;
  } else {
    parts = decimalParts(toNanos(abs));
    parts.exp -= 9;
  }
  let { digits, exp } = parts;
  const shift = ((exp % 3) + 3) % 3;
  digits += '0'.repeat(shift);
  exp -= shift;
  if (format !== 'DecimalExponent') {
    if (exp > 18) {
      digits += '0'.repeat(exp - 18);
      exp = 18;
    }
    return sign + digits + (DECIMAL_SUFFIX_BY_EXPONENT.get(exp) ?? '');
  }
  return sign + digits + (exp === 0 ? '' : `e${exp}`);
}

/** Parses and prints in canonical form; the input unchanged when it is not a quantity. */
export function canonicalQuantity(input: string | number): string | number {
  const q = tryParseQuantity(typeof input === 'string' ? input.trim() : input);
  return q ? formatQuantity(q) : input;
}
