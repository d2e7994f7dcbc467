// ObjectMeta rules every kind shares (apimachinery/pkg/api/validation/objectmeta.go
// and the core wrapper that also checks finalizer names).
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { FieldError } from '../field-errors';
import { forbidden, goLiteral, invalid, required, tooLong } from '../field-errors';
import { isQualifiedName, validateLabels } from '../labels';
import { FIELD_IMMUTABLE, byteLength } from '../messages';
import type { NameValidator } from '../names';
import { nameIsDNSLabel } from '../names';
import { list, validateOptionalNonnegative } from './common';
import { goStringSlice, goTime } from './go-format';

export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  if (annotations == null) return [];
  if (typeof annotations !== 'object' || Array.isArray(annotations)) return [invalid(path, annotations, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations as Record<string, unknown>)) {
    // Annotation keys are qualified names, except that case does not matter.
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, msg));
    total += byteLength(k) + (typeof v === 'string' ? byteLength(v) : 0);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(tooLong(path, '', TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

function validateOwnerReferences(refs: ObjectMeta['ownerReferences'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of list(refs)) {
    const version = typeof ref?.apiVersion === 'string' ? ref.apiVersion.split('/').pop() : '';
    if (!version) errs.push(invalid(`${path}.apiVersion`, ref?.apiVersion ?? '', 'version must not be empty'));
    if (!ref?.kind) errs.push(invalid(`${path}.kind`, ref?.kind ?? '', 'must not be empty'));
    if (!ref?.name) errs.push(invalid(`${path}.name`, ref?.name ?? '', 'must not be empty'));
    if (!ref?.uid) errs.push(invalid(`${path}.uid`, ref?.uid ?? '', 'must not be empty'));
    if (ref?.apiVersion === 'v1' && ref.kind === 'Event') errs.push(invalid(path, goLiteral('v1.OwnerReference{...}'), '/v1, Kind=Event is disallowed from being an owner'));
    if (ref?.controller === true) {
      const cur = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          invalid(path, goLiteral('[]v1.OwnerReference{...}'), `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`),
        );
      } else firstController = cur;
    }
  }
  return errs;
}

function validateFinalizers(finalizers: ObjectMeta['finalizers'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = list(finalizers);
  for (const f of names) {
    for (const msg of isQualifiedName(f)) errs.push(invalid(path, f, msg));
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) errs.push(invalid(path, f, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  if (names.includes('orphan') && names.includes('foregroundDeletion')) {
    errs.push(invalid(path, names, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** The parts checked the same way on create and update. */
/**
 * The rules every ObjectMeta follows. `stored`: on update, the metadata in
 * storage, which passed them when written: a map or list the update carries
 * over as the very same value (stored objects are never mutated) is not
 * checked again; a Lease renewal keeps its owner references and labels.
 */
function validateMetaCommon(meta: ObjectMeta, path: string, stored?: ObjectMeta): FieldError[] {
  const errs: FieldError[] = meta.generation === undefined ? [] : validateOptionalNonnegative(meta.generation, `${path}.generation`);
  // A map or list the object does not have has nothing to check (each validator passes null and undefined).
  if (meta.labels != null && meta.labels !== stored?.labels) pushAll(errs, validateLabels(meta.labels, `${path}.labels`));
  if (meta.annotations != null && meta.annotations !== stored?.annotations) pushAll(errs, validateAnnotations(meta.annotations, `${path}.annotations`));
  if (meta.ownerReferences != null && meta.ownerReferences !== stored?.ownerReferences) pushAll(errs, validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`));
  if (meta.finalizers != null && meta.finalizers !== stored?.finalizers) pushAll(errs, validateFinalizers(meta.finalizers, `${path}.finalizers`));
  return errs;
}

function pushAll(errs: FieldError[], more: readonly FieldError[]): void {
  for (const e of more) errs.push(e);
}

/**
 * ValidateObjectMeta on create. A generateName without a name is accepted:
 * the apiserver generates the name before storing (upstream does it first).
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, namespaced: boolean, nameFn: NameValidator, path = 'metadata'): FieldError[] {
  if (meta == null || typeof meta !== 'object') return [required(path, '')];
  const errs: FieldError[] = [];
  const { name, generateName, namespace } = meta;
  if (generateName) for (const msg of nameFn(generateName, true)) errs.push(invalid(`${path}.generateName`, generateName, msg));
  if (!name) {
    if (!generateName) errs.push(required(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const msg of nameFn(name, false)) errs.push(invalid(`${path}.name`, name, msg));
  }
  if (namespaced) {
    if (!namespace) errs.push(required(`${path}.namespace`, ''));
    else for (const msg of nameIsDNSLabel(namespace, false)) errs.push(invalid(`${path}.namespace`, namespace, msg));
  } else if (namespace) {
    errs.push(forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  pushAll(errs, validateMetaCommon(meta, path));
  return errs;
}

/**
 * ValidateObjectMetaUpdate. System fields the update leaves out (uid,
 * creationTimestamp) are not errors: the apiserver carries them over from
 * the stored object, as rest.BeforeUpdate does.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, path = 'metadata'): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const before = new Set(list(o.finalizers));
    const extra = [...new Set(list(m.finalizers))].filter((f) => !before.has(f)).sort();
    if (extra.length) errs.push(forbidden(`${path}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`));
  }
  if (typeof m.generation === 'number' && typeof o.generation === 'number' && m.generation < o.generation) {
    errs.push(invalid(`${path}.generation`, m.generation, 'must not be decremented'));
  }
  // The value is shown the way Go prints it, worked out only for the error. (Plain checks, no closures:
  // every update of every object passes here, a Lease renewal 500 times a second at 5,000 nodes.)
  if (changed(m.name, o.name, false)) errs.push(invalid(`${path}.name`, m.name ?? '', FIELD_IMMUTABLE));
  if (changed(m.namespace, o.namespace, false)) errs.push(invalid(`${path}.namespace`, m.namespace ?? '', FIELD_IMMUTABLE));
  if (changed(m.uid, o.uid, true)) errs.push(invalid(`${path}.uid`, m.uid ?? '', FIELD_IMMUTABLE));
  if (changed(m.creationTimestamp, o.creationTimestamp, true)) errs.push(invalid(`${path}.creationTimestamp`, goTime(m.creationTimestamp), FIELD_IMMUTABLE));
  if (changed(m.deletionTimestamp, o.deletionTimestamp, false))
    errs.push(invalid(`${path}.deletionTimestamp`, m.deletionTimestamp == null ? null : goTime(m.deletionTimestamp), FIELD_IMMUTABLE));
  if (changed(m.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds != null))
    errs.push(invalid(`${path}.deletionGracePeriodSeconds`, m.deletionGracePeriodSeconds ?? null, FIELD_IMMUTABLE));
  pushAll(errs, validateMetaCommon(m, path, old));
  return errs;
}

/** An immutable field that differs from storage; `optional`: a value the update leaves out (undefined or "") is no change. */
function changed(value: unknown, stored: unknown, optional: boolean): boolean {
  if (optional && (value === undefined || value === '')) return false;
  return (value ?? '') !== (stored ?? '');
}
