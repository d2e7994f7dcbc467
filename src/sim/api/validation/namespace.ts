// core/v1 Namespace: a DNS-1123 label name and known or qualified finalizers.
import type { Namespace } from 'kubernetes-types/core/v1';
import type { FieldError } from '../field-errors';
import { invalid } from '../field-errors';
import { isQualifiedName } from '../labels';
import { nameIsDNSLabel } from '../names';
import { list } from './common';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';

function validateSpecFinalizers(ns: Namespace): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'spec.finalizers';
  for (const f of list(ns.spec?.finalizers)) {
    for (const msg of isQualifiedName(f)) errs.push(invalid(path, f, msg));
    if (!f.includes('/') && f !== 'kubernetes') errs.push(invalid(path, f, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

export function validateNamespace(ns: Namespace): FieldError[] {
  return [...validateObjectMeta(ns.metadata, false, nameIsDNSLabel), ...validateSpecFinalizers(ns)];
}

/** Spec finalizers change only through the finalize subresource; a plain update keeps the stored ones. */
export function validateNamespaceUpdate(ns: Namespace, old: Namespace): FieldError[] {
  return validateObjectMetaUpdate(ns.metadata, old.metadata);
}
