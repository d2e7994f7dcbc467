// Container resources (requests and limits), as ValidateResourceRequirements
// checks them, and resource lists such as node capacity.
import type { ResourceRequirements } from 'kubernetes-types/core/v1';
import type { FieldError } from '../field-errors';
import { invalid, required } from '../field-errors';
import { isQualifiedName } from '../labels';
import { IS_NEGATIVE_ERROR, IS_NOT_INTEGER_ERROR } from '../messages';
import type { Quantity } from '../quantity';
import { QuantityError, compareQuantity, formatQuantity, milliValue, parseQuantity } from '../quantity';
import { record } from './common';

const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'requests.storage',
]);
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const INTEGER_RESOURCES = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);
const HUGEPAGES_PREFIX = 'hugepages-';

const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
const isHugePages = (name: string) => name.startsWith(HUGEPAGES_PREFIX);

/** Extended resources ("example.com/gpu") are integers that can not be overcommitted. */
export function isExtendedResourceName(name: string): boolean {
  if (isNative(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** Requests may be below limits only for native, non-hugepages resources. */
export const isOvercommitAllowed = (name: string): boolean => isNative(name) && !isHugePages(name);

function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalid(path, name, msg));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    if (!isHugePages(name) && !STANDARD_RESOURCES.has(name)) errs.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
    if (!isHugePages(name) && !STANDARD_CONTAINER_RESOURCES.has(name)) errs.push(invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && !isExtendedResourceName(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** A quantity from user input; quantity errors become Invalid at the path (upstream rejects them while decoding). */
function parseAt(raw: unknown, path: string, errs: FieldError[]): Quantity | undefined {
  try {
    return parseQuantity(typeof raw === 'string' ? raw.trim() : (raw as number));
  } catch (e) {
    errs.push(invalid(path, raw, e instanceof QuantityError ? e.message : String(e)));
    return undefined;
  }
}

/** ValidateResourceQuantityValue: non-negative, and whole for integer resources. */
function validateQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.milli < 0) errs.push(invalid(path, formatQuantity(q), IS_NEGATIVE_ERROR));
  if ((INTEGER_RESOURCES.has(name) || isExtendedResourceName(name)) && milliValue(q) % 1000 !== 0) {
    errs.push(invalid(path, formatQuantity(q), IS_NOT_INTEGER_ERROR));
  }
  return errs;
}

/** A resource list such as node capacity: every value a valid, non-negative quantity. Paths are "status.capacity.cpu". */
export function validateResourceList(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, raw] of Object.entries(record(list as Record<string, unknown>))) {
    const q = parseAt(raw, `${path}.${name}`, errs);
    if (q) errs.push(...validateQuantityValue(name, q, `${path}.${name}`));
  }
  return errs;
}

export function validateResourceRequirements(res: ResourceRequirements | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  const limits = new Map<string, Quantity>();
  const lims = record(res?.limits);
  for (const [name, raw] of Object.entries(lims)) {
    const p = `${limPath}[${name}]`;
    errs.push(...validateContainerResourceName(name, p));
    const q = parseAt(raw, p, errs);
    if (!q) continue;
    limits.set(name, q);
    errs.push(...validateQuantityValue(name, q, p));
  }
  for (const [name, raw] of Object.entries(record(res?.requests))) {
    const p = `${reqPath}[${name}]`;
    errs.push(...validateContainerResourceName(name, p));
    const q = parseAt(raw, p, errs);
    if (!q) continue;
    errs.push(...validateQuantityValue(name, q, p));
    const limit = limits.get(name);
    if (limit) {
      const cmp = compareQuantity(q, limit);
      if (cmp !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(limit)}`));
      } else if (cmp > 0) {
        errs.push(invalid(reqPath, formatQuantity(q), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`));
      }
    } else if (!(name in lims) && !isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}
