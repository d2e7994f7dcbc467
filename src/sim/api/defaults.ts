// Defaulting, as the apiserver applies it when it decodes a request
// (pkg/apis/{core,apps,batch,discovery}/v1/defaults.go). applyDefaults never
// mutates its input: it returns a new object that shares every sub-object
// it did not need to change (the input itself when nothing changed).
import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Namespace, Node, Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { isObject, mapShared, withChanges } from './copy-on-write';
import { defaultPodSpec, defaultPodTemplate, defaultResourceList } from './defaults-pod';
import { defaultStatefulSet } from './defaults-statefulset';
import { defaultPersistentVolume, defaultPersistentVolumeClaim, defaultStorageClass } from './defaults-storage';
import type { KubeObject } from './types';

export { defaultPodSpec, defaultPodTemplate, defaultResourceList } from './defaults-pod';

/** A defaulted spec back on its object, sharing the object when the spec is unchanged. */
function withSpec<T extends { spec?: S }, S>(obj: T, spec: S | undefined): T {
  return spec === obj.spec ? obj : { ...obj, spec };
}

function defaultPod(pod: Pod): Pod {
  return withSpec(pod, defaultPodSpec(pod.spec, true));
}

function defaultReplicaSet(rs: ReplicaSet): ReplicaSet {
  const spec = rs.spec;
  if (!isObject(spec)) return rs;
  const ch: Partial<typeof spec> = {};
  if (spec.replicas == null) ch.replicas = 1;
  const template = defaultPodTemplate(spec.template);
  if (template !== spec.template) ch.template = template;
  return withSpec(rs, withChanges(spec, ch));
}

function defaultDeployment(d: Deployment): Deployment {
  const spec = d.spec;
  if (!isObject(spec)) return d;
  const ch: Partial<typeof spec> = {};
  if (spec.replicas == null) ch.replicas = 1;
  const strategy = spec.strategy ?? {};
  const type = strategy.type || 'RollingUpdate';
  if (type === 'RollingUpdate') {
    const ru = strategy.rollingUpdate ?? {};
    if (strategy.type !== type || ru.maxUnavailable == null || ru.maxSurge == null) {
      ch.strategy = { ...strategy, type, rollingUpdate: { ...ru, maxUnavailable: ru.maxUnavailable ?? '25%', maxSurge: ru.maxSurge ?? '25%' } };
    }
  } else if (strategy !== spec.strategy) ch.strategy = strategy;
  if (spec.revisionHistoryLimit == null) ch.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds == null) ch.progressDeadlineSeconds = 600;
  const template = defaultPodTemplate(spec.template);
  if (template !== spec.template) ch.template = template;
  return withSpec(d, withChanges(spec, ch));
}

function defaultDaemonSet(ds: DaemonSet): DaemonSet {
  const spec = ds.spec;
  if (!isObject(spec)) return ds;
  const ch: Partial<typeof spec> = {};
  const strategy = spec.updateStrategy ?? {};
  const type = strategy.type || 'RollingUpdate';
  if (type === 'RollingUpdate') {
    const ru = strategy.rollingUpdate ?? {};
    if (strategy.type !== type || ru.maxUnavailable == null || ru.maxSurge == null) {
      ch.updateStrategy = { ...strategy, type, rollingUpdate: { ...ru, maxUnavailable: ru.maxUnavailable ?? 1, maxSurge: ru.maxSurge ?? 0 } };
    }
  } else if (strategy !== spec.updateStrategy) ch.updateStrategy = strategy;
  if (spec.revisionHistoryLimit == null) ch.revisionHistoryLimit = 10;
  const template = defaultPodTemplate(spec.template);
  if (template !== spec.template) ch.template = template;
  return withSpec(ds, withChanges(spec, ch));
}

const MAX_INT32 = 2147483647;

function defaultJob(job: Job): Job {
  const spec = job.spec;
  if (!isObject(spec)) return job;
  const ch: Partial<typeof spec> = {};
  // A Job with neither completions nor parallelism runs one pod to completion.
  if (spec.completions == null && spec.parallelism == null) ch.completions = 1;
  if (spec.parallelism == null) ch.parallelism = 1;
  if (spec.backoffLimit == null) ch.backoffLimit = spec.backoffLimitPerIndex != null ? MAX_INT32 : 6;
  if (spec.completionMode == null) ch.completionMode = 'NonIndexed';
  if (spec.suspend == null) ch.suspend = false;
  if (spec.podReplacementPolicy == null) ch.podReplacementPolicy = spec.podFailurePolicy != null ? 'Failed' : 'TerminatingOrFailed';
  if (spec.manualSelector == null) ch.manualSelector = false;
  const template = defaultPodTemplate(spec.template);
  if (template !== spec.template) ch.template = template;
  const nextSpec = withChanges(spec, ch);
  let out = withSpec(job, nextSpec);
  // A Job without labels takes its template's; upstream shares the very map,
  // which is why the generated selector labels later show on the Job too.
  const tplLabels = nextSpec.template?.metadata?.labels;
  if (tplLabels && Object.keys(job.metadata?.labels ?? {}).length === 0) {
    out = { ...out, metadata: { ...job.metadata, labels: tplLabels } };
  }
  return out;
}

function defaultServicePort(sp: ServicePort): ServicePort {
  if (!isObject(sp)) return sp;
  const ch: Partial<ServicePort> = {};
  if (!sp.protocol) ch.protocol = 'TCP';
  if (sp.targetPort === undefined || sp.targetPort === 0 || sp.targetPort === '') ch.targetPort = sp.port;
  return withChanges(sp, ch);
}

function defaultService(svc: Service): Service {
  const spec = svc.spec;
  if (!isObject(spec)) return svc;
  const ch: Partial<typeof spec> = {};
  const affinity = spec.sessionAffinity || 'None';
  if (affinity !== spec.sessionAffinity) ch.sessionAffinity = affinity;
  if (affinity === 'None' && spec.sessionAffinityConfig !== undefined) ch.sessionAffinityConfig = undefined;
  if (affinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    ch.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  const type = spec.type || 'ClusterIP';
  if (type !== spec.type) ch.type = type;
  const ports = mapShared(spec.ports, defaultServicePort);
  if (ports !== spec.ports) ch.ports = ports;
  const externallyAccessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
  if (externallyAccessible && !spec.externalTrafficPolicy) ch.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy == null && (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP')) ch.internalTrafficPolicy = 'Cluster';
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null) ch.allocateLoadBalancerNodePorts = true;
  let next = withChanges(spec, ch);
  if ('sessionAffinityConfig' in ch && ch.sessionAffinityConfig === undefined) {
    const { sessionAffinityConfig: _dropped, ...rest } = next;
    next = rest;
  }
  return withSpec(svc, next);
}

const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';

function defaultNamespace(ns: Namespace): Namespace {
  let out = ns;
  const name = ns.metadata?.name;
  // Nameless (generateName) namespaces get the label when the name is generated.
  if (name && ns.metadata?.labels?.[METADATA_NAME_LABEL] !== name) {
    out = { ...out, metadata: { ...ns.metadata, labels: { ...ns.metadata?.labels, [METADATA_NAME_LABEL]: name } } };
  }
  if (!ns.status?.phase) out = { ...out, status: { ...ns.status, phase: 'Active' } };
  return out;
}

function defaultNode(node: Node): Node {
  const status = node.status;
  if (!isObject(status)) return node;
  const ch: Partial<typeof status> = {};
  const capacity = defaultResourceList(status.capacity);
  if (capacity !== status.capacity) ch.capacity = capacity;
  // Allocatable defaults to capacity when the kubelet reports none.
  const allocatable = status.allocatable == null ? capacity : defaultResourceList(status.allocatable);
  if (allocatable !== status.allocatable) ch.allocatable = allocatable;
  const next = withChanges(status, ch);
  return next === status ? node : { ...node, status: next };
}

function defaultEndpointSlice(slice: EndpointSlice): EndpointSlice {
  const ports = mapShared(slice.ports, (p) => (isObject(p) && (p.name == null || p.protocol == null) ? { ...p, name: p.name ?? '', protocol: p.protocol ?? 'TCP' } : p));
  return ports === slice.ports ? slice : { ...slice, ports };
}

/** SetDefaults_PriorityClass: preemptionPolicy PreemptLowerPriority. */
function defaultPriorityClass(pc: PriorityClass): PriorityClass {
  return pc.preemptionPolicy == null ? { ...pc, preemptionPolicy: 'PreemptLowerPriority' } : pc;
}

type Defaulter = (obj: never) => unknown;
const byKind = new Map<string, Defaulter>([
  ['Namespace', defaultNamespace],
  ['Node', defaultNode],
  ['Pod', defaultPod],
  ['Service', defaultService],
  ['ReplicaSet', defaultReplicaSet],
  ['Deployment', defaultDeployment],
  ['DaemonSet', defaultDaemonSet],
  ['Job', defaultJob],
  ['EndpointSlice', defaultEndpointSlice],
  ['PriorityClass', defaultPriorityClass],
  ['StatefulSet', defaultStatefulSet],
  ['PersistentVolumeClaim', defaultPersistentVolumeClaim],
  ['PersistentVolume', defaultPersistentVolume],
  ['StorageClass', defaultStorageClass],
] as [string, Defaulter][]);

/** Upstream defaulting for the kinds the simulation serves; Event and Lease have none. */
export function applyDefaults<T extends KubeObject>(obj: T): T {
  if (!isObject(obj)) return obj;
  const fn = byKind.get(obj.kind);
  return fn ? (fn(obj as never) as T) : obj;
}
