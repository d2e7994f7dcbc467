// A pod's resource requests as kube-scheduler counts them, and the Resource
// arithmetic the cache and the resource plugins share. Upstream:
// k8s.io/component-helpers/resource (PodRequests), pkg/scheduler/framework
// (Resource.Add / SetMaxResource, PodInfo.calculateResource,
// getNonMissingContainerRequests) and pkg/scheduler/util (IsScalarResourceName).
//
// Quantities are summed exactly (in milli-units, as resource.Quantity adds)
// and rounded up once at the end: MilliValue for cpu, Value for the rest.
import type { Pod } from '../../api/types';
import type { Container } from 'kubernetes-types/core/v1';
import { isQualifiedName } from '../../api/labels';
import { tryParseQuantity } from '../../api/quantity';
import type { PodInfo, Resource } from './types';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST } from './types';

export const RESOURCE_CPU = 'cpu';
export const RESOURCE_MEMORY = 'memory';
export const RESOURCE_EPHEMERAL_STORAGE = 'ephemeral-storage';
export const RESOURCE_PODS = 'pods';

type ResourceList = Record<string, string> | undefined;

// ---------------------------------------------------------------------------
// Resource names (pkg/apis/core/v1/helper, pkg/scheduler/util)

const HUGEPAGES_PREFIX = 'hugepages-';
const ATTACHABLE_VOLUMES_PREFIX = 'attachable-volumes-';
const DEFAULT_NAMESPACE_PREFIX = 'kubernetes.io/';
const REQUESTS_PREFIX = 'requests.';

/** IsPrefixedNativeResource: the name is in the *kubernetes.io/ namespace. */
export const isPrefixedNativeResource = (name: string): boolean => name.includes(DEFAULT_NAMESPACE_PREFIX);
/** IsNativeResource: no domain, or a kubernetes.io one. */
export const isNativeResource = (name: string): boolean => !name.includes('/') || isPrefixedNativeResource(name);
export const isHugePageResourceName = (name: string): boolean => name.startsWith(HUGEPAGES_PREFIX);
export const isAttachableVolumeResourceName = (name: string): boolean => name.startsWith(ATTACHABLE_VOLUMES_PREFIX);

const extendedCache = new Map<string, boolean>();
const scalarCache = new Map<string, boolean>();

/**
 * IsExtendedResourceName: not native, not "requests."-prefixed, and a
 * qualified name once prefixed with "requests." (as quota names it), e.g. "example.com/foo".
 */
export function isExtendedResourceName(name: string): boolean {
  let v = extendedCache.get(name);
  if (v === undefined) {
    v = !isNativeResource(name) && !name.startsWith(REQUESTS_PREFIX) && isQualifiedName(REQUESTS_PREFIX + name).length === 0;
    extendedCache.set(name, v);
  }
  return v;
}

/** IsScalarResourceName: extended, hugepages-*, *kubernetes.io/* or attachable-volumes-*; kept in Resource.scalar. */
export function isScalarResourceName(name: string): boolean {
  let v = scalarCache.get(name);
  if (v === undefined) {
    v =
      isExtendedResourceName(name) ||
      isHugePageResourceName(name) ||
      isPrefixedNativeResource(name) ||
      isAttachableVolumeResourceName(name);
    scalarCache.set(name, v);
  }
  return v;
}

// ---------------------------------------------------------------------------
// Milli-unit arithmetic

/** A quantity's exact value in milli-units (0 when it does not parse; the apiserver rejects such pods). */
function milliOf(q: string | undefined): number {
  if (q === undefined) return 0;
  return tryParseQuantity(q)?.milli ?? 0;
}

const ceilAway = (x: number) => (x < 0 ? -Math.ceil(-x) : Math.ceil(x));

/** Drops the float fuzz that sums of sub-milli (nano precision) values pick up. */
function cleanMilli(m: number): number {
  if (Number.isInteger(m) || Math.abs(m) >= 1e9) return m;
  const nanos = Math.round(m * 1e6);
  return Math.abs(m * 1e6 - nanos) < 1e-3 ? nanos / 1e6 : m;
}

/** Quantity.MilliValue of a milli amount: rounded up, away from zero. */
export function milliValueOf(milli: number): number {
  const m = cleanMilli(milli);
  return Number.isInteger(m) ? m : ceilAway(m);
}

/** Quantity.Value of a milli amount: whole units, rounded up, away from zero. */
export function valueOf(milli: number): number {
  const m = cleanMilli(milli);
  return m % 1000 === 0 ? m / 1000 : ceilAway(m / 1000);
}

/** The int64 upstream keeps for a resource: milli-CPU for cpu, whole units (bytes, counts) otherwise. */
export const scalarValue = (name: string, milli: number): number => (name === RESOURCE_CPU ? milliValueOf(milli) : valueOf(milli));

// ---------------------------------------------------------------------------
// Resource

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} };
}

/** NewResource(list): Resource.Add of each entry; names that are neither native nor scalar are dropped. */
export function resourceFromList(list: ResourceList): Resource {
  const r = emptyResource();
  if (!list) return r;
  for (const name in list) addNamed(r, name, milliOf(list[name]));
  return r;
}

/** Resource.Add of one entry, given in milli-units. */
function addNamed(r: Resource, name: string, milli: number): void {
  switch (name) {
    case RESOURCE_CPU:
      r.milliCPU += milliValueOf(milli);
      return;
    case RESOURCE_MEMORY:
      r.memory += valueOf(milli);
      return;
    case RESOURCE_PODS:
      r.allowedPodNumber += valueOf(milli);
      return;
    case RESOURCE_EPHEMERAL_STORAGE:
      r.ephemeralStorage += valueOf(milli);
      return;
    default:
      if (isScalarResourceName(name)) r.scalar[name] = (r.scalar[name] ?? 0) + valueOf(milli);
  }
}

function combine(a: Resource, b: Resource, sign: 1 | -1): Resource {
  const scalar: Record<string, number> = {};
  for (const k in a.scalar) scalar[k] = a.scalar[k];
  for (const k in b.scalar) scalar[k] = (scalar[k] ?? 0) + sign * b.scalar[k];
  return {
    milliCPU: a.milliCPU + sign * b.milliCPU,
    memory: a.memory + sign * b.memory,
    ephemeralStorage: a.ephemeralStorage + sign * b.ephemeralStorage,
    allowedPodNumber: a.allowedPodNumber + sign * b.allowedPodNumber,
    scalar,
  };
}

/** a + b, field by field (scalars by name); a new object. */
export const addResource = (a: Resource, b: Resource): Resource => combine(a, b, 1);

/** a - b, as NodeInfo.update(pod, -1) does: scalars stay (at 0) once seen; a new object. */
export const subtractResource = (a: Resource, b: Resource): Resource => combine(a, b, -1);

// ---------------------------------------------------------------------------
// PodRequests (component-helpers/resource)

/** The non-zero scoring defaults (schedutil.DefaultMilliCPURequest / DefaultMemoryRequest) in milli-units. */
const DEFAULT_CPU_MILLI = DEFAULT_MILLI_CPU_REQUEST;
const DEFAULT_MEMORY_MILLI = DEFAULT_MEMORY_REQUEST * 1000;

export interface PodRequestsOptions {
  /**
   * NonMissingContainerRequests: containers (and init containers) that do not
   * set cpu / memory get 100m / 200Mi for it; an explicit value, even 0, is kept.
   */
  nonMissingCPU?: boolean;
  nonMissingMemory?: boolean;
  /** ExcludeOverhead. */
  excludeOverhead?: boolean;
}

/** Pod-level resources (spec.resources, PodLevelResources, on by default since v1.34); not in kubernetes-types 1.30. */
function podLevelRequests(pod: Pod): ResourceList {
  return (pod.spec as { resources?: { requests?: Record<string, string> } } | undefined)?.resources?.requests;
}

const isSupportedPodLevelResource = (name: string) => name === RESOURCE_CPU || name === RESOURCE_MEMORY || isHugePageResourceName(name);

/** IsPodLevelRequestsSet: spec.resources.requests names cpu, memory or a hugepages size. */
export function isPodLevelRequestsSet(pod: Pod): boolean {
  const reqs = podLevelRequests(pod);
  if (!reqs) return false;
  for (const name in reqs) if (isSupportedPodLevelResource(name)) return true;
  return false;
}

/** A container's requests, with the non-missing defaults applied, added into `into` (milli-units). */
function addContainer(into: Map<string, number>, c: Container, opts: PodRequestsOptions): void {
  const reqs = c.resources?.requests;
  if (reqs) for (const name in reqs) into.set(name, (into.get(name) ?? 0) + milliOf(reqs[name]));
  if (opts.nonMissingCPU && reqs?.[RESOURCE_CPU] === undefined) into.set(RESOURCE_CPU, (into.get(RESOURCE_CPU) ?? 0) + DEFAULT_CPU_MILLI);
  if (opts.nonMissingMemory && reqs?.[RESOURCE_MEMORY] === undefined)
    into.set(RESOURCE_MEMORY, (into.get(RESOURCE_MEMORY) ?? 0) + DEFAULT_MEMORY_MILLI);
}

function maxInto(into: Map<string, number>, from: Map<string, number>): void {
  for (const [name, v] of from) {
    const cur = into.get(name);
    if (cur === undefined || v > cur) into.set(name, v);
  }
}

/**
 * PodRequests as a list of exact milli amounts by resource name: regular
 * containers summed; each restartable init container (sidecar,
 * restartPolicy Always) added to that sum; and the result at least what the
 * pod needs while each init container runs, i.e. a regular init container
 * plus the sidecars started before it, or the sidecars so far. Then pod-level
 * requests (cpu, memory, hugepages) replace the containers' total, and the
 * overhead is added. A name is present when any container names it, even at 0.
 */
export function podRequestsList(pod: Pod, opts: PodRequestsOptions = {}): Map<string, number> {
  const spec = pod.spec;
  const result = new Map<string, number>();
  if (!spec) return result;
  for (const c of spec.containers ?? []) addContainer(result, c, opts);

  const inits = spec.initContainers;
  if (inits && inits.length) {
    const sidecars = new Map<string, number>();
    const initMax = new Map<string, number>();
    for (const c of inits) {
      const own = new Map<string, number>();
      addContainer(own, c, opts);
      if (c.restartPolicy === 'Always') {
        for (const [k, v] of own) {
          result.set(k, (result.get(k) ?? 0) + v);
          sidecars.set(k, (sidecars.get(k) ?? 0) + v);
        }
        maxInto(initMax, sidecars);
      } else {
        for (const [k, v] of sidecars) own.set(k, (own.get(k) ?? 0) + v);
        maxInto(initMax, own);
      }
    }
    maxInto(result, initMax);
  }

  const podLevel = podLevelRequests(pod);
  if (podLevel && isPodLevelRequestsSet(pod)) {
    for (const name in podLevel) if (isSupportedPodLevelResource(name)) result.set(name, milliOf(podLevel[name]));
  }

  const overhead = spec.overhead;
  if (overhead && !opts.excludeOverhead) {
    for (const name in overhead) result.set(name, (result.get(name) ?? 0) + milliOf(overhead[name]));
  }
  return result;
}

/** The pod's requests as a Resource (upstream's computePodResourceRequest / PodInfo.calculateResource). */
export function podRequests(pod: Pod): Resource {
  const r = emptyResource();
  for (const [name, milli] of podRequestsList(pod)) if (name !== RESOURCE_PODS) addNamed(r, name, milli);
  return r;
}

/**
 * The pod's requests with the scoring defaults, as NodeInfo.NonZeroRequested
 * counts them: every container (and init container) that omits cpu or memory
 * counts 100m / 200Mi. With pod-level requests set, a default applies only to
 * a resource that neither the pod level nor any container sets.
 */
export function podNonZeroRequests(pod: Pod): { milliCPU: number; memory: number } {
  let nonMissingCPU = true;
  let nonMissingMemory = true;
  if (isPodLevelRequestsSet(pod)) {
    const plain = podRequestsList(pod);
    nonMissingCPU = !plain.has(RESOURCE_CPU);
    nonMissingMemory = !plain.has(RESOURCE_MEMORY);
  }
  const list = podRequestsList(pod, { nonMissingCPU, nonMissingMemory });
  return { milliCPU: milliValueOf(list.get(RESOURCE_CPU) ?? 0), memory: valueOf(list.get(RESOURCE_MEMORY) ?? 0) };
}

/**
 * True when two versions of a pod ask for the same resources because the
 * parts of the spec requests are computed from (containers, init
 * containers, overhead, pod-level resources) are the same objects, as
 * copy-on-write keeps them through a bind or a status write.
 */
export function sameRequestInputs(a: Pod, b: Pod): boolean {
  const x = a.spec;
  const y = b.spec;
  if (x === y) return true;
  if (!x || !y) return false;
  type WithResources = { resources?: unknown };
  return x.containers === y.containers && x.initContainers === y.initContainers && x.overhead === y.overhead && (x as WithResources).resources === (y as WithResources).resources;
}

/** A PodInfo: the pod and its requests, computed once. */
export function newPodInfo(pod: Pod): PodInfo {
  return { pod, requests: podRequests(pod), nonZeroRequests: podNonZeroRequests(pod) };
}
