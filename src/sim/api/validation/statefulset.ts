// apps/v1 StatefulSet and ControllerRevision (pkg/apis/apps/validation,
// v1.30: ValidateStatefulSet, ValidateStatefulSetUpdate,
// ValidateControllerRevision). As upstream, a StatefulSet's pod template is
// checked only for its labels, annotations and restart policy: its pods get
// their volumes from the claim templates, so the full pod validation runs
// when each pod is created.
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1';
import type { FieldError } from '../field-errors';
import { forbidden, goLiteral, invalid, notSupported, required } from '../field-errors';
import { validateLabels } from '../labels';
import { FIELD_IMMUTABLE } from '../messages';
import { nameIsDNSLabel, nameIsDNSSubdomain } from '../names';
import { labelSelectorAsSelector, validateLabelSelector, type Selector } from '../selector';
import { validateOptionalNonnegative } from './common';
import { semanticEqual } from './equal';
import { goLabelSelector, goStringMap } from './go-format';
import { validateAnnotations, validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { SELECTOR_MISMATCH } from './workloads';

type Spec = NonNullable<StatefulSet['spec']>;

const RETENTION_POLICIES = ['Retain', 'Delete'];

export const STATEFULSET_SPEC_UPDATE_FORBIDDEN =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

function goUpdateStrategy(s: Spec['updateStrategy']) {
  const ru = s?.rollingUpdate == null ? '(*apps.RollingUpdateStatefulSetStrategy)(nil)' : '&apps.RollingUpdateStatefulSetStrategy{...}';
  return goLiteral(`apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(s?.type ?? '')}, RollingUpdate:${ru}}`);
}

function validateUpdateStrategy(s: Spec['updateStrategy']): FieldError[] {
  const path = 'spec.updateStrategy';
  switch (s?.type) {
    case undefined:
    case '':
      return [required(path, '')];
    case 'OnDelete':
      return s.rollingUpdate != null ? [invalid(`${path}.rollingUpdate`, goLiteral('&apps.RollingUpdateStatefulSetStrategy{...}'), "only allowed for updateStrategy 'RollingUpdate'")] : [];
    case 'RollingUpdate':
      return s.rollingUpdate != null ? validateOptionalNonnegative(s.rollingUpdate.partition, `${path}.rollingUpdate.partition`) : [];
    default:
      return [invalid(path, goUpdateStrategy(s), "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

function validateRetentionPolicy(p: Spec['persistentVolumeClaimRetentionPolicy']): FieldError[] {
  if (p == null) return [];
  const path = 'spec.persistentVolumeClaimRetentionPolicy';
  const errs: FieldError[] = [];
  if (!RETENTION_POLICIES.includes(p.whenDeleted ?? '')) errs.push(notSupported(`${path}.whenDeleted`, p.whenDeleted ?? '', RETENTION_POLICIES));
  if (!RETENTION_POLICIES.includes(p.whenScaled ?? '')) errs.push(notSupported(`${path}.whenScaled`, p.whenScaled ?? '', RETENTION_POLICIES));
  return errs;
}

function validateSelector(spec: Spec | undefined): { errs: FieldError[]; selector?: Selector } {
  const sel = spec?.selector;
  if (sel == null) return { errs: [required('spec.selector', '')] };
  const errs = validateLabelSelector(sel, 'spec.selector');
  if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0)
    errs.push(invalid('spec.selector', goLabelSelector(sel), 'empty selector is invalid for statefulset'));
  try {
    return { errs, selector: labelSelectorAsSelector(sel) };
  } catch {
    return { errs: [...errs, invalid('spec.selector', goLabelSelector(sel), '')] };
  }
}

/** ValidateStatefulSetSpec. */
function validateSpec(sts: StatefulSet): FieldError[] {
  const spec = sts.spec;
  const errs: FieldError[] = [];
  const policy = spec?.podManagementPolicy;
  if (!policy) errs.push(required('spec.podManagementPolicy', ''));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') errs.push(invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...validateUpdateStrategy(spec?.updateStrategy));
  errs.push(...validateRetentionPolicy(spec?.persistentVolumeClaimRetentionPolicy));
  errs.push(...validateOptionalNonnegative(spec?.replicas, 'spec.replicas'));
  errs.push(...validateOptionalNonnegative(spec?.minReadySeconds, 'spec.minReadySeconds'));
  if (spec?.ordinals != null) errs.push(...validateOptionalNonnegative(spec.ordinals.start ?? 0, 'spec.ordinals.start'));
  const { errs: selErrs, selector } = validateSelector(spec);
  errs.push(...selErrs);
  const tpl = spec?.template;
  if (selector) {
    // ValidatePodTemplateSpecForStatefulSet.
    if (tpl == null) errs.push(required('spec.template', ''));
    else {
      if (!selector.empty && !selector.matches(tpl.metadata?.labels)) errs.push(invalid('spec.template.metadata.labels', goStringMap(tpl.metadata?.labels), SELECTOR_MISMATCH));
      errs.push(...validateLabels(tpl.metadata?.labels, 'spec.template.labels'));
      errs.push(...validateAnnotations(tpl.metadata?.annotations, 'spec.template.annotations'));
    }
  }
  const rp = tpl?.spec?.restartPolicy;
  if (rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp ?? '', ['Always']));
  if (tpl?.spec?.activeDeadlineSeconds != null) errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  return errs;
}

export function validateStatefulSet(sts: StatefulSet): FieldError[] {
  return [...validateObjectMeta(sts.metadata, true, nameIsDNSLabel), ...validateSpec(sts)];
}

/** The fields an update may change: everything else of the spec must stay as it was. */
const MUTABLE: ReadonlyArray<keyof Spec> = ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy'];

export function validateStatefulSetUpdate(sts: StatefulSet, old: StatefulSet): FieldError[] {
  const errs = [...validateObjectMetaUpdate(sts.metadata, old.metadata), ...validateSpec(sts)];
  const next: Record<string, unknown> = { ...sts.spec };
  const prev: Record<string, unknown> = { ...old.spec };
  for (const k of MUTABLE) {
    delete next[k];
    delete prev[k];
  }
  if (!semanticEqual(next, prev)) errs.push(forbidden('spec', STATEFULSET_SPEC_UPDATE_FORBIDDEN));
  return errs;
}

export function validateControllerRevision(cr: ControllerRevision): FieldError[] {
  const errs = validateObjectMeta(cr.metadata, true, nameIsDNSSubdomain);
  if (cr.data == null) errs.push(required('data', 'data is mandatory'));
  errs.push(...validateOptionalNonnegative(cr.revision ?? 0, 'revision'));
  return errs;
}

export function validateControllerRevisionUpdate(cr: ControllerRevision, old: ControllerRevision): FieldError[] {
  const errs = [...validateObjectMetaUpdate(cr.metadata, old.metadata), ...validateControllerRevision(cr)];
  if (!semanticEqual(cr.data, old.data)) errs.push(invalid('data', goLiteral('runtime.RawExtension{...}'), FIELD_IMMUTABLE));
  return errs;
}
