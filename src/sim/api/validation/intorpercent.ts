// maxSurge / maxUnavailable: an integer or a percentage string (apps validation).
import type { FieldError } from '../field-errors';
import { invalid } from '../field-errors';
import { isValidPercent, validateNonnegative } from './common';
import { goIntOrString } from './go-format';

const PERCENT_RE = /^[0-9]+%$/;
const ATOI_RE = /^[+-]?[0-9]+$/;

export function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return isValidPercent(v).map((msg) => invalid(path, goIntOrString(v), msg));
  if (typeof v === 'number') return validateNonnegative(v, path);
  return [invalid(path, v, "must be an integer or percentage (e.g '5%')")];
}

function percentValue(v: unknown): number | undefined {
  return typeof v === 'string' && PERCENT_RE.test(v) ? Number(v.slice(0, -1)) : undefined;
}

/** getIntOrPercentValue: the percentage's number, or the integer (strings via Atoi, 0 when not numeric). */
export function intOrPercentValue(v: unknown): number {
  const pct = percentValue(v);
  if (pct !== undefined) return pct;
  if (typeof v === 'number') return v;
  return typeof v === 'string' && ATOI_RE.test(v) ? Number(v) : 0;
}

export function isNotMoreThan100Percent(v: unknown, path: string): FieldError[] {
  const pct = percentValue(v);
  return pct === undefined || pct <= 100 ? [] : [invalid(path, goIntOrString(v), 'must not be greater than 100%')];
}
