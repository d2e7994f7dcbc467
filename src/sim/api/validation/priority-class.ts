// scheduling.k8s.io/v1 PriorityClass, as pkg/apis/scheduling/validation
// checks it: "system-" names are reserved for the built-in classes, user
// classes go up to 1,000,000,000, value and preemptionPolicy are immutable.
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { FieldError } from '../field-errors';
import { forbidden, invalid, notSupported } from '../field-errors';
import { nameIsDNSSubdomain } from '../names';
import { PREEMPTION_POLICIES } from './pod';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';

export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;

/** The classes every cluster has, as the apiserver creates them at start-up. */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

/** IsKnownSystemPriorityClass: the reason a "system-" class is not one of the built-ins, or undefined. */
function systemClassError(pc: PriorityClass): string | undefined {
  const name = pc.metadata?.name ?? '';
  const value = SYSTEM_PRIORITY_CLASSES[name];
  if (value === undefined) return `${name} is not a known system priority class`;
  if (pc.value !== value) return `value of ${name} PriorityClass must be ${value}`;
  if (pc.globalDefault) return `${name} PriorityClass is not allowed to be global default`;
  return undefined;
}

export function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs = validateObjectMeta(pc.metadata, false, nameIsDNSSubdomain);
  const name = pc.metadata?.name ?? '';
  if (typeof pc.value !== 'number' || !Number.isInteger(pc.value) || pc.value < -2147483648 || pc.value > 2147483647) {
    errs.push(invalid('value', pc.value, 'must be a 32-bit integer'));
  } else if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const why = systemClassError(pc);
    if (why) errs.push(forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${why}`));
  } else if (pc.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (pc.preemptionPolicy != null && !PREEMPTION_POLICIES.includes(pc.preemptionPolicy)) errs.push(notSupported('preemptionPolicy', pc.preemptionPolicy, PREEMPTION_POLICIES));
  return errs;
}

export function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errs = validateObjectMetaUpdate(pc.metadata, old.metadata);
  if (pc.value !== old.value) errs.push(forbidden('value', 'may not be changed in an update.'));
  if ((pc.preemptionPolicy ?? null) !== (old.preemptionPolicy ?? null)) errs.push(invalid('preemptionPolicy', pc.preemptionPolicy, 'field is immutable'));
  return errs;
}
