// Small checks shared by the kind validators, with upstream's messages
// (k8s.io/apimachinery/pkg/util/validation and apivalidation helpers).
import type { FieldError } from '../field-errors';
import { invalid } from '../field-errors';
import { IS_NEGATIVE_ERROR, IS_NOT_INTEGER_ERROR, inclusiveRangeError, maxLenError, regexError } from '../messages';
import { isDNS1123Label, isDNS1123Subdomain } from '../names';

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

const portNameCharsetRe = /^[-a-z0-9]+$/;
const portNameOneLetterRe = /[a-z]/;

/** IsValidPortName (IANA_SVC_NAME): at most 15 of [-a-z0-9] with a letter, no "--", no dash at either end. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!portNameCharsetRe.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!portNameOneLetterRe.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port[0] === '-' || port[port.length - 1] === '-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

const PERCENT_FMT = '[0-9]+%';
const percentRe = new RegExp(`^${PERCENT_FMT}$`);

export function isValidPercent(percent: string): string[] {
  return percentRe.test(percent)
    ? []
    : [regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, '1%', '93%')];
}

const ENV_VAR_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarNameRe = new RegExp(`^${ENV_VAR_NAME_FMT}$`);

/** IsEnvVarName (strict form; RelaxedEnvironmentVariableValidation is off in v1.30). */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!envVarNameRe.test(value)) {
    errs.push(
      regexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        ENV_VAR_NAME_FMT,
        'my.env-name',
        'MY_ENV.NAME',
        'MyEnvName1',
      ),
    );
  }
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * ValidateNonnegativeField. A value of the wrong type can not reach upstream
 * validation (decoding rejects it); here it gets a clear Invalid instead.
 */
export function validateNonnegative(value: unknown, path: string): FieldError[] {
  if (!isInteger(value)) return [invalid(path, value, IS_NOT_INTEGER_ERROR)];
  return value < 0 ? [invalid(path, value, IS_NEGATIVE_ERROR)] : [];
}

/** Like validateNonnegative but for optional fields: nothing when absent. */
export function validateOptionalNonnegative(value: unknown, path: string): FieldError[] {
  return value === undefined || value === null ? [] : validateNonnegative(value, path);
}

export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => invalid(path, value, msg));
}

export function validateDNS1123Subdomain(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((msg) => invalid(path, value, msg));
}

/** Arrays and maps from user input may be missing or of the wrong shape; never crash on them. */
export function list<T>(v: readonly T[] | null | undefined): readonly T[] {
  return Array.isArray(v) ? v : [];
}

export function record<T>(v: Readonly<Record<string, T>> | null | undefined): Readonly<Record<string, T>> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}
