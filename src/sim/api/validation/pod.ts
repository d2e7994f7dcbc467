// Pods and pod templates (ValidatePodCreate, ValidatePodSpec,
// ValidatePodTemplateSpec, ValidatePodUpdate upstream).
import type { Container, Pod, PodSpec, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1';
import type { FieldError } from '../field-errors';
import { duplicate, forbidden, invalid, notSupported, required } from '../field-errors';
import { isQualifiedName, validateLabels } from '../labels';
import { inclusiveRangeError } from '../messages';
import { nameIsDNSSubdomain } from '../names';
import { isInteger, list, validateDNS1123Label } from './common';
import { validateContainers, validateInitContainers } from './containers';
import { semanticEqual } from './equal';
import { validateAnnotations, validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validateAffinity, validateTolerations, validateTopologySpreadConstraints } from './scheduling';

const MAX_INT32 = 2147483647;
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
export const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

function validateVolumes(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list(spec.volumes).forEach((v, i) => {
    const p = `${path}[${i}].name`;
    if (!v?.name) errs.push(required(p, ''));
    else errs.push(...validateDNS1123Label(v.name, p));
    if (v?.name && names.has(v.name)) errs.push(duplicate(p, v.name));
    else if (v?.name) names.add(v.name);
  });
  return errs;
}

function validateNameField(value: string | undefined, path: string): FieldError[] {
  return value ? nameIsDNSSubdomain(value, false).map((msg) => invalid(path, value, msg)) : [];
}

function validateSchedulingGates(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  list(spec.schedulingGates).forEach((g, i) => {
    const p = `${path}[${i}].name`;
    for (const msg of isQualifiedName(g?.name ?? '')) errs.push(invalid(p, g?.name ?? '', msg));
    if (seen.has(g?.name)) errs.push(duplicate(p, g.name));
    else seen.add(g?.name);
  });
  return errs;
}

/** With host networking a container's host port is its container port (defaulting makes it so). */
function validateHostNetworkDeps(spec: PodSpec, path: string): FieldError[] {
  if (!spec.hostNetwork) return [];
  const errs: FieldError[] = [];
  const check = (ctrs: readonly Container[] | undefined, field: string) =>
    list(ctrs).forEach((c, i) =>
      list(c?.ports).forEach((port, j) => {
        if (port.hostPort !== port.containerPort) {
          errs.push(invalid(`${path}.${field}[${i}].ports[${j}].hostPort`, port.hostPort ?? 0, 'must match `containerPort` when `hostNetwork` is true'));
        }
      }),
    );
  check(spec.containers, 'containers');
  check(spec.initContainers, 'initContainers');
  return errs;
}

export function validatePodSpec(specIn: PodSpec | undefined, path: string): FieldError[] {
  const spec: PodSpec = specIn ?? ({} as PodSpec);
  const errs: FieldError[] = [];
  if (spec.terminationGracePeriodSeconds == null) errs.push(required(`${path}.terminationGracePeriodSeconds`, ''));
  errs.push(...validateVolumes(spec, `${path}.volumes`));
  errs.push(...validateContainers(spec.containers, `${path}.containers`));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, `${path}.initContainers`));
  errs.push(...validateHostNetworkDeps(spec, path));
  const rp = spec.restartPolicy;
  if (!rp) errs.push(required(`${path}.restartPolicy`, ''));
  else if (!RESTART_POLICIES.includes(rp)) errs.push(notSupported(`${path}.restartPolicy`, rp, RESTART_POLICIES));
  const dns = spec.dnsPolicy;
  if (!dns) errs.push(required(`${path}.dnsPolicy`, ''));
  else if (!DNS_POLICIES.includes(dns)) errs.push(notSupported(`${path}.dnsPolicy`, dns, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validateAffinity(spec.affinity, `${path}.affinity`));
  errs.push(...validateSchedulingGates(spec, `${path}.schedulingGates`));
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, `${path}.topologySpreadConstraints`));
  errs.push(...validateNameField(spec.serviceAccountName, `${path}.serviceAccountName`));
  errs.push(...validateNameField(spec.nodeName, `${path}.nodeName`));
  const ads = spec.activeDeadlineSeconds;
  if (ads != null && (!isInteger(ads) || ads < 1 || ads > MAX_INT32)) {
    errs.push(invalid(`${path}.activeDeadlineSeconds`, ads, inclusiveRangeError(1, MAX_INT32)));
  }
  if (spec.hostname) errs.push(...validateDNS1123Label(spec.hostname, `${path}.hostname`));
  if (spec.subdomain) errs.push(...validateDNS1123Label(spec.subdomain, `${path}.subdomain`));
  if (list(spec.tolerations).length) errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  errs.push(...validateNameField(spec.priorityClassName, `${path}.priorityClassName`));
  if (spec.preemptionPolicy != null && !PREEMPTION_POLICIES.includes(spec.preemptionPolicy)) {
    errs.push(notSupported(`${path}.preemptionPolicy`, spec.preemptionPolicy, PREEMPTION_POLICIES));
  }
  return errs;
}

/** Template labels are reported at "template.labels" (not metadata.labels), as upstream does. */
export function validatePodTemplateSpec(tpl: PodTemplateSpec | undefined, path: string): FieldError[] {
  const errs = [
    ...validateLabels(tpl?.metadata?.labels, `${path}.labels`),
    ...validateAnnotations(tpl?.metadata?.annotations, `${path}.annotations`),
    ...validatePodSpec(tpl?.spec, `${path}.spec`),
  ];
  if (list(tpl?.spec?.ephemeralContainers).length) {
    errs.push(forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

function validatePodMetadataAndSpec(pod: Pod): FieldError[] {
  const errs = [...validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain), ...validatePodSpec(pod.spec, 'spec')];
  // Only pods, not templates, reject padded image names (backwards compatibility).
  for (const field of ['containers', 'initContainers'] as const) {
    list(pod.spec?.[field]).forEach((c, i) => {
      if (typeof c?.image === 'string' && c.image.trim() !== c.image) {
        errs.push(invalid(`spec.${field}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  return errs;
}

export function validatePod(pod: Pod): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  if (list(pod.spec?.ephemeralContainers).length) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (pod.spec?.nodeName && list(pod.spec.schedulingGates).length) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,' +
  '`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function validateContainerUpdates(next: readonly Container[], prev: readonly Container[], path: string): { errs: FieldError[]; stop: boolean } {
  if (next.length !== prev.length) return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  next.forEach((c, i) => {
    if (!c?.image) errs.push(required(`${path}[${i}].image`, ''));
    else if (c.image.trim() !== c.image) errs.push(invalid(`${path}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

/** Existing tolerations stay (only their tolerationSeconds may change); new ones may be added. */
function validateOnlyAddedTolerations(next: readonly Toleration[], prev: readonly Toleration[], path: string): FieldError[] {
  for (const old of prev) {
    const found = next.some((t) => semanticEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, path);
}

const goFieldName = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);

/** A short cmp.Diff-like listing of the spec fields that changed. */
function specDiff(prev: PodSpec, next: PodSpec): string {
  const keys = [...new Set([...Object.keys(prev), ...Object.keys(next)])].sort();
  const rec = (s: PodSpec) => s as unknown as Record<string, unknown>;
  const lines = ['  core.PodSpec{'];
  for (const k of keys) {
    const a = rec(prev)[k];
    const b = rec(next)[k];
    if (semanticEqual(a, b)) continue;
    if (a !== undefined) lines.push(`- \t${goFieldName(k)}: ${JSON.stringify(a)},`);
    if (b !== undefined) lines.push(`+ \t${goFieldName(k)}: ${JSON.stringify(b)},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = [...validateObjectMetaUpdate(pod.metadata, old.metadata), ...validatePodMetadataAndSpec(pod)];
  const spec: PodSpec = pod.spec ?? ({} as PodSpec);
  const prev: PodSpec = old.spec ?? ({} as PodSpec);
  if (spec === prev) return errs;

  const ctrs = validateContainerUpdates(list(spec.containers), list(prev.containers), 'spec.containers');
  errs.push(...ctrs.errs);
  if (ctrs.stop) return errs;
  const inits = validateContainerUpdates(list(spec.initContainers), list(prev.initContainers), 'spec.initContainers');
  errs.push(...inits.errs);
  if (inits.stop) return errs;

  // activeDeadlineSeconds may be set, or lowered, but never raised or removed.
  const ads = spec.activeDeadlineSeconds;
  if (ads != null) {
    if (!isInteger(ads) || ads < 0 || ads > MAX_INT32) {
      errs.push(invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, MAX_INT32)));
      return errs;
    }
    if (prev.activeDeadlineSeconds != null && prev.activeDeadlineSeconds < ads) {
      errs.push(invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (prev.activeDeadlineSeconds != null) {
    errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }

  errs.push(...validateOnlyAddedTolerations(list(spec.tolerations), list(prev.tolerations), 'spec.tolerations'));
  const oldGates = new Set(list(prev.schedulingGates).map((g) => g.name));
  for (const g of list(spec.schedulingGates)) {
    if (!oldGates.has(g.name)) errs.push(forbidden('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${g.name}'`));
  }

  // Everything else must be unchanged: copy the mutable fields from the old spec and compare.
  const withOldImages = (next: readonly Container[], before: readonly Container[]) => next.map((c, i) => ({ ...c, image: before[i]?.image }));
  const munged: PodSpec = {
    ...spec,
    containers: withOldImages(list(spec.containers), list(prev.containers)),
    activeDeadlineSeconds: prev.activeDeadlineSeconds,
    tolerations: prev.tolerations,
    schedulingGates: prev.schedulingGates,
  };
  if (spec.initContainers || prev.initContainers) munged.initContainers = withOldImages(list(spec.initContainers), list(prev.initContainers));
  const oldGrace = prev.terminationGracePeriodSeconds;
  if (oldGrace != null && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  if (!semanticEqual(munged, prev)) errs.push(forbidden('spec', `${POD_UPDATE_FORBIDDEN}\n${specDiff(prev, munged)}`));
  return errs;
}
