// storage.k8s.io/v1 StorageClass (pkg/apis/storage/validation, v1.30:
// ValidateStorageClass, ValidateStorageClassUpdate).
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { FieldError } from '../field-errors';
import { forbidden, invalid, notSupported, required } from '../field-errors';
import { isQualifiedName, validateLabelName } from '../labels';
import { FIELD_IMMUTABLE } from '../messages';
import { nameIsDNSSubdomain } from '../names';
import { list } from './common';
import { semanticEqual } from './equal';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

function validateAllowedTopologies(sc: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  list(sc.allowedTopologies).forEach((term, i) => {
    const p = `allowedTopologies[${i}]`;
    const exprs = list(term?.matchLabelExpressions);
    if (exprs.length === 0) errs.push(required(`${p}.matchLabelExpressions`, 'must have at least one label expression'));
    exprs.forEach((e, j) => {
      const ep = `${p}.matchLabelExpressions[${j}]`;
      errs.push(...validateLabelName(e?.key ?? '', `${ep}.key`));
      if (list(e?.values).length === 0) errs.push(required(`${ep}.values`, 'must specify as least one value'));
    });
  });
  return errs;
}

export function validateStorageClass(sc: StorageClass): FieldError[] {
  const errs = validateObjectMeta(sc.metadata, false, nameIsDNSSubdomain);
  const provisioner = sc.provisioner ?? '';
  if (!provisioner) errs.push(required('provisioner', provisioner));
  else for (const msg of isQualifiedName(provisioner.toLowerCase())) errs.push(invalid('provisioner', provisioner, msg));
  if (sc.reclaimPolicy && !RECLAIM_POLICIES.includes(sc.reclaimPolicy)) errs.push(notSupported('reclaimPolicy', sc.reclaimPolicy, RECLAIM_POLICIES));
  if (sc.volumeBindingMode == null) errs.push(required('volumeBindingMode', ''));
  else if (!BINDING_MODES.includes(sc.volumeBindingMode)) errs.push(notSupported('volumeBindingMode', sc.volumeBindingMode, BINDING_MODES));
  errs.push(...validateAllowedTopologies(sc));
  return errs;
}

export function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const errs = [...validateObjectMetaUpdate(sc.metadata, old.metadata), ...validateStorageClass(sc)];
  if (!semanticEqual(sc.parameters, old.parameters)) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if (sc.volumeBindingMode !== old.volumeBindingMode) errs.push(invalid('volumeBindingMode', sc.volumeBindingMode ?? null, FIELD_IMMUTABLE));
  return errs;
}
