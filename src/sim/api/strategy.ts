// What the apiserver's REST strategies do around validation
// (pkg/registry/*/strategy.go and rest.BeforeUpdate): status reset on
// create, generated Job selectors, generation bookkeeping, and fields an
// update may not touch. Every function returns a new object and shares
// what it did not change. Call prepareForCreate after the apiserver has set
// metadata.name (generateName), uid and creationTimestamp, as upstream does.
import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Namespace, Pod, PodCondition, Service } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { podQOSClass } from './qos';
import type { KubeObject } from './types';
import { semanticEqual } from './validation/equal';
import { CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL } from './validation/job';

type Obj = KubeObject & { spec?: unknown; status?: unknown };
type MutableMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

const SCHEDULING_GATED: PodCondition = {
  type: 'PodScheduled',
  status: 'False',
  reason: 'SchedulingGated',
  message: 'Scheduling is blocked due to non-empty scheduling gates',
};

function preparePod(pod: Pod): Pod {
  const status: Pod['status'] = { phase: 'Pending', qosClass: podQOSClass(pod) };
  if ((pod.spec?.schedulingGates?.length ?? 0) > 0) status.conditions = [SCHEDULING_GATED];
  return { ...pod, status };
}

function prepareNamespace(ns: Namespace): Namespace {
  // The "kubernetes" finalizer is added on create only; it may be removed later.
  const finalizers = ns.spec?.finalizers ?? [];
  const spec = finalizers.includes('kubernetes') ? ns.spec : { ...ns.spec, finalizers: [...finalizers, 'kubernetes'] };
  return { ...ns, spec, status: { phase: 'Active' } };
}

/** clusterIP and clusterIPs kept in step, as normalizeClusterIPs does. */
function normalizeClusterIPs(svc: Service): Service {
  const spec = svc.spec;
  if (!spec || spec.type === 'ExternalName') return svc;
  const ips = spec.clusterIPs ?? [];
  if (spec.clusterIP && ips.length === 0) return { ...svc, spec: { ...spec, clusterIPs: [spec.clusterIP] } };
  if (!spec.clusterIP && ips.length > 0) return { ...svc, spec: { ...spec, clusterIP: ips[0] } };
  return svc;
}

function prepareService(svc: Service): Service {
  let out: Service = { ...normalizeClusterIPs(svc), status: { loadBalancer: {} } };
  const spec = out.spec;
  const headlessNoSelector = spec?.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
  // A single-stack IPv4 cluster: what the IP allocator records for ordinary services.
  if (spec && spec.type !== 'ExternalName' && !headlessNoSelector && spec.ipFamilyPolicy == null && spec.ipFamilies == null) {
    out = { ...out, spec: { ...spec, ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] } };
  }
  return out;
}

/** generateSelector: pods of this Job carry its name and uid, and the selector picks the uid. */
function generateJobSelector(job: Job): Job {
  const spec = job.spec;
  if (!spec || spec.manualSelector === true) return job;
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  const tplLabels = spec.template?.metadata?.labels;
  const labels: Record<string, string> = { ...tplLabels };
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(key in labels)) labels[key] = name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(key in labels)) labels[key] = uid;
  const matchLabels = { ...spec.selector?.matchLabels };
  if (!(CONTROLLER_UID_LABEL in matchLabels)) matchLabels[CONTROLLER_UID_LABEL] = uid;
  const template = { ...spec.template, metadata: { ...spec.template?.metadata, labels } };
  let out: Job = { ...job, spec: { ...spec, template, selector: { ...spec.selector, matchLabels } } };
  // Job labels defaulted from the template are the same map upstream, so they gain the generated labels too.
  if (tplLabels && job.metadata?.labels === tplLabels) out = { ...out, metadata: { ...out.metadata, labels } };
  return out;
}

const first = <T extends Obj>(obj: T, status: unknown): T => ({ ...obj, status, metadata: { ...obj.metadata, generation: 1 } });

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

/**
 * The StorageObjectInUseProtection admission plugin's finalizers (pvc-protection,
 * pv-protection), added on create; the protection controllers remove them
 * once nothing uses the object.
 */
function withFinalizer<T extends Obj>(obj: T, finalizer: string): T {
  const finalizers = obj.metadata?.finalizers ?? [];
  return finalizers.includes(finalizer) ? obj : { ...obj, metadata: { ...obj.metadata, finalizers: [...finalizers, finalizer] } };
}

/** PersistentVolume PrepareForCreate: phase Pending since now (PersistentVolumeLastPhaseTransitionTime, GA in v1.31). */
const preparePersistentVolume = (pv: Obj): Obj =>
  withFinalizer({ ...pv, status: { phase: 'Pending', ...(pv.metadata?.creationTimestamp ? { lastPhaseTransitionTime: pv.metadata.creationTimestamp } : {}) } }, PV_PROTECTION_FINALIZER);

const creators: Record<string, (obj: never) => unknown> = {
  Pod: preparePod,
  Namespace: prepareNamespace,
  Service: prepareService,
  Deployment: (d: Deployment) => first(d as Obj, {}),
  ReplicaSet: (rs: ReplicaSet) => first(rs as Obj, { replicas: 0 }),
  DaemonSet: (ds: DaemonSet) => first(ds as Obj, { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }),
  Job: (job: Job) => first(generateJobSelector(job) as Obj, {}),
  StatefulSet: (sts: Obj) => first(sts, { replicas: 0, availableReplicas: 0 }),
  PersistentVolumeClaim: (pvc: Obj) => withFinalizer({ ...pvc, status: { phase: 'Pending' } }, PVC_PROTECTION_FINALIZER),
  PersistentVolume: preparePersistentVolume,
};

/** The create strategy's PrepareForCreate for the object's kind. */
export function prepareForCreate<T extends KubeObject>(obj: T): T {
  const fn = creators[obj?.kind];
  return fn ? (fn(obj as never) as T) : obj;
}

/** rest.BeforeUpdate: generation is the server's, and system fields left out are carried over. */
function carryMeta(meta: ObjectMeta | undefined, old: ObjectMeta | undefined): MutableMeta {
  const m: MutableMeta = { ...meta };
  if (old?.generation !== undefined) m.generation = old.generation;
  else delete m.generation;
  if (!m.uid && old?.uid) m.uid = old.uid;
  if (old?.creationTimestamp) m.creationTimestamp = old.creationTimestamp;
  if (m.deletionGracePeriodSeconds == null && old?.deletionGracePeriodSeconds != null) m.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  return m;
}

const SPEC_GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'Job', 'StatefulSet']);
const STATUS_KEPT_KINDS = new Set([
  'Pod',
  'Node',
  'Service',
  'Namespace',
  'Deployment',
  'ReplicaSet',
  'DaemonSet',
  'Job',
  'StatefulSet',
  'PersistentVolumeClaim',
  'PersistentVolume',
]);

/** Service updates that omit allocated values keep them (the REST layer's patchAllocatedValues). */
function carryServiceAllocations(svc: Service, old: Service): Service {
  const spec = svc.spec;
  const prev = old.spec;
  if (!spec || !prev || spec.type === 'ExternalName' || prev.type === 'ExternalName') return svc;
  const next = { ...spec };
  if (!next.clusterIP && prev.clusterIP) next.clusterIP = prev.clusterIP;
  const ipsUntouched = !next.clusterIPs?.length || semanticEqual(next.clusterIPs, prev.clusterIPs);
  // A changed clusterIP with untouched clusterIPs rebases them, so validation sees the change.
  if (next.clusterIP !== prev.clusterIP && ipsUntouched) next.clusterIPs = next.clusterIP ? [next.clusterIP] : [];
  else if (!next.clusterIPs?.length && prev.clusterIPs?.length) next.clusterIPs = prev.clusterIPs;
  if (next.ipFamilies == null && prev.ipFamilies != null) next.ipFamilies = prev.ipFamilies;
  if (next.ipFamilyPolicy == null && prev.ipFamilyPolicy != null) next.ipFamilyPolicy = prev.ipFamilyPolicy;
  if ((next.type === 'NodePort' || next.type === 'LoadBalancer') && next.ports) {
    next.ports = next.ports.map((p) => {
      if (p.nodePort) return p;
      const was = prev.ports?.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      return was?.nodePort ? { ...p, nodePort: was.nodePort } : p;
    });
  }
  return normalizeClusterIPs({ ...svc, spec: next });
}

/**
 * PrepareForUpdate for a main-resource update: status is the stored one (it
 * changes through prepareForStatusUpdate), and spec changes bump generation.
 */
export function prepareForUpdate<T extends KubeObject>(obj: T, old: T): T {
  const metadata = carryMeta(obj.metadata, old.metadata);
  let out = { ...obj, metadata } as T & Obj;
  const prev = old as T & Obj;
  if (STATUS_KEPT_KINDS.has(obj.kind)) out.status = prev.status;
  if (obj.kind === 'Namespace') out.spec = { ...(out.spec as object), finalizers: (prev.spec as Namespace['spec'])?.finalizers };
  if (obj.kind === 'Service') out = carryServiceAllocations(out as Service, prev as Service) as T & Obj;
  if (SPEC_GENERATION_KINDS.has(obj.kind)) {
    // Deployments also count annotation changes: they are copied to the ReplicaSets.
    const changed = !semanticEqual(out.spec, prev.spec) || (obj.kind === 'Deployment' && !semanticEqual(out.metadata.annotations, prev.metadata?.annotations));
    if (changed) out = { ...out, metadata: { ...out.metadata, generation: (prev.metadata?.generation ?? 0) + 1 } };
  }
  if (obj.kind === 'DaemonSet') out = carryTemplateGeneration(out, prev) as T & Obj;
  return out;
}

/** apps/v1's spelling of the DaemonSet's spec.templateGeneration (extensions.DaemonSetTemplateGenerationKey). */
const DS_TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

/**
 * The DaemonSet strategy's TemplateGeneration on update: the stored value, one
 * more when the pod template changed; an update cannot set it. (Only for a
 * DaemonSet that has one: upstream sets 1 on create, which kubeviz does not.)
 */
function carryTemplateGeneration(ds: Obj, old: Obj): Obj {
  const was = old.metadata?.annotations?.[DS_TEMPLATE_GENERATION];
  if (was === undefined || !/^\d+$/.test(was)) return ds;
  const changed = !semanticEqual((ds.spec as DaemonSet['spec'])?.template, (old.spec as DaemonSet['spec'])?.template);
  const value = changed ? String(Number(was) + 1) : was;
  if (ds.metadata?.annotations?.[DS_TEMPLATE_GENERATION] === value) return ds;
  return { ...ds, metadata: { ...ds.metadata, annotations: { ...ds.metadata?.annotations, [DS_TEMPLATE_GENERATION]: value } } };
}

/** PrepareForUpdate of the status subresource: only status changes; spec (and, for pods, owners) stay as stored. */
export function prepareForStatusUpdate<T extends KubeObject>(obj: T, old: T): T {
  const metadata = carryMeta(obj.metadata, old.metadata);
  const prev = old as T & Obj;
  if (obj.kind === 'Pod') metadata.ownerReferences = prev.metadata?.ownerReferences;
  if (SPEC_GENERATION_KINDS.has(obj.kind)) metadata.labels = prev.metadata?.labels;
  const out = { ...obj, metadata } as T & Obj;
  if ('spec' in prev || 'spec' in out) out.spec = prev.spec;
  return out;
}
