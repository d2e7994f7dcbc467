// apps/v1 workloads: Deployment, ReplicaSet and DaemonSet
// (pkg/apis/apps/validation plus the apps/v1 strategies' selector immutability).
import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { FieldError } from '../field-errors';
import { forbidden, invalid, notSupported, required } from '../field-errors';
import { FIELD_IMMUTABLE } from '../messages';
import { nameIsDNSSubdomain } from '../names';
import type { Selector } from '../selector';
import { labelSelectorAsSelector, validateLabelSelector } from '../selector';
import { validateOptionalNonnegative } from './common';
import { semanticEqual } from './equal';
import { goIntOrString, goLabelSelector, goStrategy, goStringMap } from './go-format';
import { intOrPercentValue, isNotMoreThan100Percent, validatePositiveIntOrPercent } from './intorpercent';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validatePodTemplateSpec } from './pod';

export const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

function asSelector(sel: LabelSelector | undefined): Selector | undefined {
  try {
    return labelSelectorAsSelector(sel);
  } catch {
    return undefined;
  }
}

/** A required, non-empty selector, strictly validated (Deployment and ReplicaSet; both say "for deployment" upstream). */
function validateRequiredSelector(sel: LabelSelector | undefined, emptyMessage: string): FieldError[] {
  if (sel == null) return [required('spec.selector', '')];
  const errs = validateLabelSelector(sel, 'spec.selector');
  if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
    errs.push(invalid('spec.selector', goLabelSelector(sel), emptyMessage));
  }
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet: labels match the selector, restartPolicy Always, no deadline. */
function validateTemplateForReplicaSet(tpl: PodTemplateSpec | undefined, selector: Selector, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  const labels = tpl?.metadata?.labels;
  if (!selector.empty && !selector.matches(labels)) errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), SELECTOR_MISMATCH));
  errs.push(...validatePodTemplateSpec(tpl, 'spec.template'));
  const rp = tpl?.spec?.restartPolicy;
  if (rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp ?? '', ['Always']));
  if (tpl?.spec?.activeDeadlineSeconds != null) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errs;
}

function validateReplicaSetLikeSpec(spec: { selector?: LabelSelector; template?: PodTemplateSpec } | undefined, kind: string): FieldError[] {
  const errs = validateRequiredSelector(spec?.selector, 'empty selector is invalid for deployment');
  const selector = asSelector(spec?.selector);
  if (!selector) errs.push(invalid('spec.selector', goLabelSelector(spec?.selector), 'invalid label selector'));
  else errs.push(...validateTemplateForReplicaSet(spec?.template, selector, kind));
  return errs;
}

function validateDeploymentStrategy(strategy: NonNullable<Deployment['spec']>['strategy']): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'spec.strategy';
  switch (strategy?.type) {
    case 'Recreate':
      if (strategy.rollingUpdate != null) errs.push(forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (ru == null) {
        errs.push(required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil'));
        break;
      }
      const p = `${path}.rollingUpdate`;
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(invalid(`${p}.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      break;
    }
    default:
      errs.push(notSupported(path, goStrategy('apps.DeploymentStrategy', strategy), ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

function validateDeploymentSpec(d: Deployment): FieldError[] {
  const spec = d.spec;
  const errs = validateOptionalNonnegative(spec?.replicas, 'spec.replicas');
  errs.push(...validateReplicaSetLikeSpec(spec, 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(spec?.strategy));
  errs.push(...validateOptionalNonnegative(spec?.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateOptionalNonnegative(spec?.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const pds = spec?.progressDeadlineSeconds;
  if (pds != null) {
    const e = validateOptionalNonnegative(pds, 'spec.progressDeadlineSeconds');
    errs.push(...e);
    if (!e.length && pds <= (spec?.minReadySeconds ?? 0)) errs.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export function validateDeployment(d: Deployment): FieldError[] {
  return [...validateObjectMeta(d.metadata, true, nameIsDNSSubdomain), ...validateDeploymentSpec(d)];
}

/** apps/v1 forbids changing a selector (it would orphan the pods); upstream checks it in the strategy. */
function selectorImmutable(next: LabelSelector | undefined, prev: LabelSelector | undefined): FieldError[] {
  return semanticEqual(next, prev) ? [] : [invalid('spec.selector', goLabelSelector(next), FIELD_IMMUTABLE)];
}

export function validateDeploymentUpdate(d: Deployment, old: Deployment): FieldError[] {
  return [...validateObjectMetaUpdate(d.metadata, old.metadata), ...validateDeploymentSpec(d), ...selectorImmutable(d.spec?.selector, old.spec?.selector)];
}

function validateReplicaSetSpec(rs: ReplicaSet): FieldError[] {
  const spec = rs.spec;
  return [
    ...validateOptionalNonnegative(spec?.replicas, 'spec.replicas'),
    ...validateOptionalNonnegative(spec?.minReadySeconds, 'spec.minReadySeconds'),
    ...validateReplicaSetLikeSpec(spec, 'ReplicaSet'),
  ];
}

export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  return [...validateObjectMeta(rs.metadata, true, nameIsDNSSubdomain), ...validateReplicaSetSpec(rs)];
}

export function validateReplicaSetUpdate(rs: ReplicaSet, old: ReplicaSet): FieldError[] {
  return [...validateObjectMetaUpdate(rs.metadata, old.metadata), ...validateReplicaSetSpec(rs), ...selectorImmutable(rs.spec?.selector, old.spec?.selector)];
}

function validateDaemonSetStrategy(strategy: NonNullable<DaemonSet['spec']>['updateStrategy']): FieldError[] {
  const path = 'spec.updateStrategy';
  switch (strategy?.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (ru == null) return [required(`${path}.rollingUpdate`, '')];
      const p = `${path}.rollingUpdate`;
      const errs = [
        ...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`),
        ...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`),
        ...isNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`),
        ...isNotMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`),
      ];
      // Exactly one of the two may be non-zero.
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge) errs.push(invalid(`${p}.maxSurge`, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
      else if (!hasUnavailable && !hasSurge) errs.push(required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      return errs;
    }
    default:
      return [notSupported(path, goStrategy('apps.DaemonSetUpdateStrategy', strategy), ['RollingUpdate', 'OnDelete'])];
  }
}

function validateDaemonSetSpec(ds: DaemonSet): FieldError[] {
  const spec = ds.spec;
  const sel = spec?.selector;
  // Upstream has no Required check here: a missing selector shows as a mismatch.
  const errs = validateLabelSelector(sel, 'spec.selector');
  const selector = asSelector(sel);
  const labels = spec?.template?.metadata?.labels;
  if (selector && !selector.matches(labels)) errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), SELECTOR_MISMATCH));
  if (sel != null && Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
    errs.push(invalid('spec.selector', goLabelSelector(sel), 'empty selector is invalid for daemonset'));
  }
  errs.push(...validatePodTemplateSpec(spec?.template, 'spec.template'));
  const rp = spec?.template?.spec?.restartPolicy;
  if (rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp ?? '', ['Always']));
  if (spec?.template?.spec?.activeDeadlineSeconds != null) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  errs.push(...validateOptionalNonnegative(spec?.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateDaemonSetStrategy(spec?.updateStrategy));
  errs.push(...validateOptionalNonnegative(spec?.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

export function validateDaemonSet(ds: DaemonSet): FieldError[] {
  return [...validateObjectMeta(ds.metadata, true, nameIsDNSSubdomain), ...validateDaemonSetSpec(ds)];
}

export function validateDaemonSetUpdate(ds: DaemonSet, old: DaemonSet): FieldError[] {
  return [...validateObjectMetaUpdate(ds.metadata, old.metadata), ...validateDaemonSetSpec(ds), ...selectorImmutable(ds.spec?.selector, old.spec?.selector)];
}
