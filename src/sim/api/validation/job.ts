// batch/v1 Job (pkg/apis/batch/validation): counts, completion mode, a
// template whose pods end (restartPolicy OnFailure or Never), and the
// generated selector that ties the Job to its pods.
import type { Job } from 'kubernetes-types/batch/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { FieldError } from '../field-errors';
import { invalid, notSupported, required } from '../field-errors';
import { FIELD_IMMUTABLE } from '../messages';
import { isDNS1123Label, nameIsDNSSubdomain } from '../names';
import { labelSelectorAsSelector, validateLabelSelector } from '../selector';
import { goStringMap, goLabelSelector, goPodTemplateSpec } from './go-format';
import { semanticEqual } from './equal';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validatePodTemplateSpec } from './pod';
import { validateOptionalNonnegative } from './common';
import { SELECTOR_MISMATCH } from './workloads';

export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

const MAX_PARALLELISM_FOR_INDEXED_JOB = 100000;
const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const POD_REPLACEMENT_POLICIES = ['TerminatingOrFailed', 'Failed'];

function hasLabel(meta: ObjectMeta | undefined, path: string, key: string, expected: string): FieldError[] {
  const labels = meta?.labels;
  if (!labels || !(key in labels)) return [required(`${path}.labels[${key}]`, `must be '${expected}'`)];
  return labels[key] === expected ? [] : [invalid(`${path}.labels[${key}]`, goStringMap(labels), `must be '${expected}'`)];
}

/** ValidateGeneratedSelector: unless manualSelector, the template carries the generated labels and the selector matches them. */
function validateGeneratedSelector(job: Job, prefixedLabels: boolean): FieldError[] {
  const spec = job.spec;
  if (spec?.manualSelector === true || spec?.selector == null) return [];
  const errs: FieldError[] = [];
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  if (!uid) errs.push(required('metadata.uid', ''));
  const tplMeta = spec.template?.metadata;
  const path = 'spec.template.metadata';
  errs.push(...hasLabel(tplMeta, path, LEGACY_CONTROLLER_UID_LABEL, uid), ...hasLabel(tplMeta, path, LEGACY_JOB_NAME_LABEL, name));
  const expected: Record<string, string> = { [LEGACY_CONTROLLER_UID_LABEL]: uid, [LEGACY_JOB_NAME_LABEL]: name };
  if (prefixedLabels) {
    errs.push(...hasLabel(tplMeta, path, CONTROLLER_UID_LABEL, uid), ...hasLabel(tplMeta, path, JOB_NAME_LABEL, name));
    expected[CONTROLLER_UID_LABEL] = uid;
    expected[JOB_NAME_LABEL] = name;
  }
  try {
    if (!labelSelectorAsSelector(spec.selector).matches(expected)) errs.push(invalid('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
  } catch {
    // an invalid selector is reported by the spec checks
  }
  return errs;
}

function validateJobSpec(job: Job): FieldError[] {
  const spec = job.spec;
  const errs: FieldError[] = [
    ...validateOptionalNonnegative(spec?.parallelism, 'spec.parallelism'),
    ...validateOptionalNonnegative(spec?.completions, 'spec.completions'),
    ...validateOptionalNonnegative(spec?.activeDeadlineSeconds, 'spec.activeDeadlineSeconds'),
    ...validateOptionalNonnegative(spec?.backoffLimit, 'spec.backoffLimit'),
    ...validateOptionalNonnegative(spec?.ttlSecondsAfterFinished, 'spec.ttlSecondsAfterFinished'),
  ];
  const mode = spec?.completionMode;
  if (mode != null) {
    if (!COMPLETION_MODES.includes(mode)) errs.push(notSupported('spec.completionMode', mode, COMPLETION_MODES));
    if (mode === 'Indexed') {
      if (spec?.completions == null) errs.push(required('spec.completions', 'when completion mode is Indexed'));
      if ((spec?.parallelism ?? 0) > MAX_PARALLELISM_FOR_INDEXED_JOB) {
        errs.push(invalid('spec.parallelism', spec?.parallelism, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`));
      }
    }
  }
  if (spec?.podReplacementPolicy != null && !POD_REPLACEMENT_POLICIES.includes(spec.podReplacementPolicy)) {
    errs.push(notSupported('spec.podReplacementPolicy', spec.podReplacementPolicy, POD_REPLACEMENT_POLICIES));
  }
  const rp = spec?.template?.spec?.restartPolicy;
  if (rp !== 'OnFailure' && rp !== 'Never') errs.push(notSupported('spec.template.spec.restartPolicy', rp ?? '', ['OnFailure', 'Never']));
  errs.push(...validatePodTemplateSpec(spec?.template, 'spec.template'));

  if (spec?.selector == null) errs.push(required('spec.selector', ''));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  try {
    const labels = spec?.template?.metadata?.labels;
    if (!labelSelectorAsSelector(spec?.selector).matches(labels)) errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), SELECTOR_MISMATCH));
  } catch {
    // reported above
  }
  return errs;
}

function validateJobWith(job: Job, prefixedLabels: boolean): FieldError[] {
  const errs = validateObjectMeta(job.metadata, true, nameIsDNSSubdomain);
  // Indexed pods get "<job>-<index>" hostnames, which must be DNS labels.
  const spec = job.spec;
  if (spec?.completionMode === 'Indexed' && typeof spec.completions === 'number' && spec.completions > 0 && job.metadata?.name) {
    const host = `${job.metadata.name}-${spec.completions - 1}`;
    if (isDNS1123Label(host).length) errs.push(invalid('metadata.name', job.metadata.name, `will not able to create pod with invalid DNS label: ${host}`));
  }
  errs.push(...validateGeneratedSelector(job, prefixedLabels));
  errs.push(...validateJobSpec(job));
  return errs;
}

export const validateJob = (job: Job): FieldError[] => validateJobWith(job, true);

/**
 * Completions, selector, completion mode and the template are fixed once the
 * Job exists; a suspended Job that never started may still change where its
 * pods run (node affinity, node selector, tolerations, template labels and
 * annotations, scheduling gates).
 */
export function validateJobUpdate(job: Job, old: Job): FieldError[] {
  const oldLabels = old.spec?.template?.metadata?.labels ?? {};
  const prefixed = JOB_NAME_LABEL in oldLabels && CONTROLLER_UID_LABEL in oldLabels;
  const errs = [...validateJobWith(job, prefixed), ...validateObjectMetaUpdate(job.metadata, old.metadata)];
  const spec = job.spec;
  const prev = old.spec;
  const indexed = spec?.completionMode === 'Indexed';
  if (!semanticEqual(spec?.completions, prev?.completions)) {
    // Elastic Indexed Jobs may scale completions together with parallelism.
    if (!indexed) errs.push(invalid('spec.completions', spec?.completions ?? null, FIELD_IMMUTABLE));
    else if (spec?.completions != null && spec.completions !== spec.parallelism) {
      errs.push(invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  }
  if (!semanticEqual(spec?.selector, prev?.selector)) errs.push(invalid('spec.selector', goLabelSelector(spec?.selector), FIELD_IMMUTABLE));

  const tpl = spec?.template;
  let oldTpl = prev?.template;
  const mutableScheduling = prev?.suspend === true && old.status?.startTime == null;
  if (mutableScheduling && oldTpl && tpl) {
    oldTpl = {
      ...oldTpl,
      metadata: { ...oldTpl.metadata, labels: tpl.metadata?.labels, annotations: tpl.metadata?.annotations },
      spec: {
        ...oldTpl.spec!,
        nodeSelector: tpl.spec?.nodeSelector,
        tolerations: tpl.spec?.tolerations,
        schedulingGates: tpl.spec?.schedulingGates,
        affinity: tpl.spec?.affinity?.nodeAffinity || oldTpl.spec?.affinity ? { ...oldTpl.spec?.affinity, nodeAffinity: tpl.spec?.affinity?.nodeAffinity } : undefined,
      },
    };
  }
  if (!semanticEqual(tpl, oldTpl)) errs.push(invalid('spec.template', goPodTemplateSpec(), FIELD_IMMUTABLE));
  if (!semanticEqual(spec?.completionMode, prev?.completionMode)) errs.push(invalid('spec.completionMode', spec?.completionMode ?? null, FIELD_IMMUTABLE));
  if (!semanticEqual(spec?.podFailurePolicy, prev?.podFailurePolicy)) errs.push(invalid('spec.podFailurePolicy', null, FIELD_IMMUTABLE));
  return errs;
}
