// coordination.k8s.io/v1 Lease (node heartbeats, leader election).
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { FieldError } from '../field-errors';
import { invalid } from '../field-errors';
import { nameIsDNSSubdomain } from '../names';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';

function validateLeaseSpec(lease: Lease): FieldError[] {
  const errs: FieldError[] = [];
  const spec = lease.spec;
  if (spec?.leaseDurationSeconds != null && !(spec.leaseDurationSeconds > 0)) {
    errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec?.leaseTransitions != null && !(spec.leaseTransitions >= 0)) {
    errs.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  return errs;
}

export function validateLease(lease: Lease): FieldError[] {
  return [...validateObjectMeta(lease.metadata, true, nameIsDNSSubdomain), ...validateLeaseSpec(lease)];
}

/** ValidateLeaseUpdate: the metadata update rules and the spec (a renewal rewrites spec.renewTime 500 times a second at 5,000 nodes). */
export function validateLeaseUpdate(lease: Lease, old: Lease): FieldError[] {
  const errs = validateObjectMetaUpdate(lease.metadata, old.metadata);
  for (const e of validateLeaseSpec(lease)) errs.push(e);
  return errs;
}
