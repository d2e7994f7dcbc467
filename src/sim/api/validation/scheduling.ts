// Scheduling fields of a pod spec: tolerations, taint effects (shared with
// Node), affinity and topology spread, as core validation checks them.
import type { Affinity, NodeSelector, NodeSelectorRequirement, PodAffinityTerm, Toleration, TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import type { FieldError } from '../field-errors';
import { duplicate, forbidden, invalid, notSupported, required } from '../field-errors';
import { isValidLabelValue, validateLabelName, validateLabelSelector } from '../labels';
import { IS_NOT_POSITIVE_ERROR } from '../messages';
import { nameIsDNSLabel } from '../names';
import { isInteger, list } from './common';
import { goToleration } from './go-format';

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateTaintEffect(effect: unknown, allowEmpty: boolean, path: string): FieldError[] {
  if (!allowEmpty && !effect) return [required(path, '')];
  return typeof effect === 'string' && TAINT_EFFECTS.includes(effect) ? [] : [notSupported(path, effect, TAINT_EFFECTS)];
}

export function validateTolerations(tolerations: readonly Toleration[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(tolerations).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = t?.key ?? '';
    if (key) errs.push(...validateLabelName(key, `${p}.key`));
    // An empty key with Exists matches every taint; with Equal it matches nothing sensible.
    if (!key && t?.operator !== 'Exists') {
      errs.push(invalid(`${p}.operator`, t?.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t?.tolerationSeconds != null && t.effect !== 'NoExecute') {
      errs.push(invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (t?.operator ?? '') {
      case 'Equal':
      case '': {
        // Upstream reports a bad value at the operator's path.
        const msgs = isValidLabelValue(t?.value ?? '');
        if (msgs.length) errs.push(invalid(`${p}.operator`, t?.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) errs.push(invalid(`${p}.operator`, goToleration(t), "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    }
    if (t?.effect) errs.push(...validateTaintEffect(t.effect, true, `${p}.effect`));
  });
  return errs;
}

function validateNodeSelectorRequirement(rq: NodeSelectorRequirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = list(rq?.values);
  switch (rq?.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalid(`${path}.operator`, rq?.operator ?? '', 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(rq?.key ?? '', `${path}.key`));
  return errs;
}

function validateNodeSelectorTerm(term: { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(term?.matchExpressions).forEach((rq, j) => errs.push(...validateNodeSelectorRequirement(rq, `${path}.matchExpressions[${j}]`)));
  list(term?.matchFields).forEach((rq, j) => {
    const p = `${path}.matchFields[${j}]`;
    if (rq?.key !== 'metadata.name') errs.push(invalid(`${p}.key`, rq?.key ?? '', 'not a valid field selector key'));
    if ((rq?.operator === 'In' || rq?.operator === 'NotIn') && list(rq.values).length !== 1) {
      errs.push(required(`${p}.values`, 'must be only one value when `operator` is \'In\' or \'NotIn\' for node field selector'));
    }
  });
  return errs;
}

function validateNodeSelector(sel: NodeSelector, path: string): FieldError[] {
  const terms = list(sel?.nodeSelectorTerms);
  if (terms.length === 0) return [required(`${path}.nodeSelectorTerms`, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(t, `${path}.nodeSelectorTerms[${i}]`));
}

const weightErrors = (w: unknown, path: string): FieldError[] =>
  isInteger(w) && w >= 1 && w <= 100 ? [] : [invalid(path, w ?? 0, 'must be in the range 1-100')];

function validatePodAffinityTerm(term: PodAffinityTerm, path: string): FieldError[] {
  const errs = validateLabelSelector(term?.labelSelector, `${path}.labelSelector`);
  errs.push(...validateLabelSelector(term?.namespaceSelector, `${path}.namespaceSelector`));
  // Upstream reports namespaces at the singular path "namespace".
  for (const ns of list(term?.namespaces)) for (const msg of nameIsDNSLabel(ns, false)) errs.push(invalid(`${path}.namespace`, ns, msg));
  if (!term?.topologyKey) errs.push(required(`${path}.topologyKey`, 'can not be empty'));
  else errs.push(...validateLabelName(term.topologyKey, `${path}.topologyKey`));
  return errs;
}

function validatePodAffinity(a: Affinity['podAffinity'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(a?.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) =>
    errs.push(...validatePodAffinityTerm(t, `${path}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`)),
  );
  list(a?.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    const p = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    errs.push(...weightErrors(t?.weight, `${p}.weight`));
    errs.push(...validatePodAffinityTerm(t?.podAffinityTerm, `${p}.podAffinityTerm`));
  });
  return errs;
}

export function validateAffinity(affinity: Affinity | undefined, path: string): FieldError[] {
  if (affinity == null) return [];
  const errs: FieldError[] = [];
  const na = affinity.nodeAffinity;
  if (na?.requiredDuringSchedulingIgnoredDuringExecution) {
    errs.push(...validateNodeSelector(na.requiredDuringSchedulingIgnoredDuringExecution, `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`));
  }
  list(na?.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    const p = `${path}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    errs.push(...weightErrors(t?.weight, `${p}.weight`));
    errs.push(...validateNodeSelectorTerm(t?.preference, `${p}.preference`));
  });
  if (affinity.podAffinity) errs.push(...validatePodAffinity(affinity.podAffinity, `${path}.podAffinity`));
  if (affinity.podAntiAffinity) errs.push(...validatePodAffinity(affinity.podAntiAffinity, `${path}.podAntiAffinity`));
  return errs;
}

const SCHEDULE_ACTIONS = ['DoNotSchedule', 'ScheduleAnyway'];

export function validateTopologySpreadConstraints(constraints: readonly TopologySpreadConstraint[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const all = list(constraints);
  all.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!isInteger(c?.maxSkew) || c.maxSkew <= 0) errs.push(invalid(`${p}.maxSkew`, c?.maxSkew ?? 0, IS_NOT_POSITIVE_ERROR));
    if (!c?.topologyKey) errs.push(required(`${p}.topologyKey`, 'can not be empty'));
    if (!SCHEDULE_ACTIONS.includes(c?.whenUnsatisfiable)) errs.push(notSupported(`${p}.whenUnsatisfiable`, c?.whenUnsatisfiable ?? '', SCHEDULE_ACTIONS));
    // {topologyKey, whenUnsatisfiable} names one kind of constraint; it may appear once.
    if (all.slice(i + 1).some((o) => o?.topologyKey === c?.topologyKey && o?.whenUnsatisfiable === c?.whenUnsatisfiable)) {
      errs.push(duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${c?.topologyKey}, ${c?.whenUnsatisfiable}}`));
    }
    if (c?.minDomains != null) {
      if (!isInteger(c.minDomains) || c.minDomains <= 0) errs.push(invalid(`${p}.minDomains`, c.minDomains, IS_NOT_POSITIVE_ERROR));
      else if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        errs.push(invalid(`${p}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable}`));
      }
    }
    errs.push(...validateLabelSelector(c?.labelSelector, `${p}.labelSelector`));
  });
  return errs;
}
