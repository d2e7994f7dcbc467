// What the DaemonSet controller does to its pods' template and reads back
// from its pods, as pkg/controller/daemon/util/daemonset_util.go does it:
// the default tolerations, the controller-revision-hash label, the required
// node affinity on metadata.name that pins a pod to its node, the target
// node of a pod not yet bound, and the surge / unavailability budgets of a
// rolling update. Also the template hash (controller.ComputeHash) and the
// failed-pod backoff (client-go flowcontrol.Backoff).
import {
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
} from '../api/taints';
import type { Affinity, Pod, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1';
import type { DaemonSet } from '../api/types';
import { OBJECT_NAME_FIELD } from '../api/node-affinity';
import { hashString } from '../kernel/rng';
import { virtualMs } from '../kernel/time';

/** apps.DefaultDaemonSetUniqueLabelKey (= ControllerRevisionHashLabelKey). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';
/** extensions.DaemonSetTemplateGenerationKey: the pre-hash way to tell template versions apart. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** apps.DeprecatedTemplateGeneration. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

// ---- template hash ------------------------------------------------------------

/** k8s.io/apimachinery/pkg/util/rand.SafeEncodeString's alphabet: no vowels, no look-alike digits. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** JSON with object keys sorted, so equal templates print the same whatever the key order. */
function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/**
 * controller.ComputeHash: FNV-32a of the template (upstream hashes Go's
 * object dump, which we cannot reproduce byte for byte; we hash the
 * canonical JSON), the collision count mixed in when set, printed in the
 * safe alphabet.
 */
export function templateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let text = canonicalJson(template ?? {});
  if (collisionCount != null) text += `#${collisionCount}`;
  return safeEncodeString(String(hashString(text)));
}

// ---- the pod template -----------------------------------------------------------

const DAEMON_TOLERATIONS: Toleration[] = [
  { key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute' },
  { key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' },
  { key: TAINT_NODE_DISK_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
  { key: TAINT_NODE_MEMORY_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
  { key: TAINT_NODE_PID_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
  { key: TAINT_NODE_UNSCHEDULABLE, operator: 'Exists', effect: 'NoSchedule' },
];
const NETWORK_UNAVAILABLE: Toleration = { key: TAINT_NODE_NETWORK_UNAVAILABLE, operator: 'Exists', effect: 'NoSchedule' };

/** Toleration.MatchToleration: the same key, operator, value and effect (tolerationSeconds may differ). */
const sameToleration = (a: Toleration, b: Toleration) =>
  (a.key ?? '') === (b.key ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');

/** v1helper.AddOrUpdateTolerationInPodSpec: replaces a matching toleration, else appends. */
function addOrUpdateToleration(list: Toleration[], t: Toleration): Toleration[] {
  const i = list.findIndex((old) => sameToleration(old, t));
  if (i < 0) return [...list, t];
  if (list[i].tolerationSeconds == null) return list;
  const out = list.slice();
  out[i] = t;
  return out;
}

/**
 * AddOrUpdateDaemonPodTolerations: DaemonSet pods survive node problems
 * (no eviction for not-ready/unreachable) and ignore the pressure,
 * unschedulable and (for hostNetwork pods) network-unavailable taints.
 */
export function daemonPodTolerations(tolerations: readonly Toleration[] | undefined, hostNetwork: boolean | undefined): Toleration[] {
  let out = [...(tolerations ?? [])];
  for (const t of DAEMON_TOLERATIONS) out = addOrUpdateToleration(out, t);
  if (hostNetwork) out = addOrUpdateToleration(out, NETWORK_UNAVAILABLE);
  return out;
}

/** util.GetTemplateGeneration: the deprecated annotation's number, if present and numeric. */
export function templateGeneration(ds: DaemonSet): number | undefined {
  const v = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** util.CreatePodTemplate: the template with the daemon tolerations and the generation and hash labels. */
export function createPodTemplate(template: PodTemplateSpec, generation: number | undefined, hash: string): PodTemplateSpec {
  const labels: Record<string, string> = { ...template.metadata?.labels };
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = String(generation);
  if (hash) labels[CONTROLLER_REVISION_HASH_LABEL] = hash;
  const spec = template.spec!;
  return {
    ...template,
    metadata: { ...template.metadata, labels },
    spec: { ...spec, tolerations: daemonPodTolerations(spec.tolerations, spec.hostNetwork) },
  };
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity
 * becomes one term matching metadata.name, so kube-scheduler can only bind
 * the pod to its node. Preferred terms are kept.
 */
export function nodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const required = { nodeSelectorTerms: [{ matchFields: [{ key: OBJECT_NAME_FIELD, operator: 'In', values: [nodeName] }] }] };
  const na = affinity?.nodeAffinity;
  return { ...affinity, nodeAffinity: { ...na, requiredDuringSchedulingIgnoredDuringExecution: { ...na?.requiredDuringSchedulingIgnoredDuringExecution, ...required } } };
}

/**
 * util.GetTargetNodeName: spec.nodeName once bound, else the node named by
 * the metadata.name In term of the required node affinity.
 */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === OBJECT_NAME_FIELD && f.operator === 'In') return f.values?.length === 1 ? f.values[0] : undefined;
    }
  }
  return undefined;
}

/** util.IsPodUpdated: the pod carries the current hash (or, for old pods, the current template generation). */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  const templateMatches = generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === String(generation);
  return (hash.length > 0 && labels[CONTROLLER_REVISION_HASH_LABEL] === hash) || templateMatches;
}

/** podByCreationTimestampAndPhase: bound pods first, then the oldest, then by name. */
export function compareByCreationAndPhase(a: Pod, b: Pod): number {
  const ba = !!a.spec?.nodeName;
  const bb = !!b.spec?.nodeName;
  if (ba !== bb) return ba ? -1 : 1;
  const ta = a.metadata?.creationTimestamp ? virtualMs(a.metadata.creationTimestamp) : 0;
  const tb = b.metadata?.creationTimestamp ? virtualMs(b.metadata.creationTimestamp) : 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

// ---- rolling update budgets -----------------------------------------------------

/** intstr.GetScaledValueFromIntOrPercent, rounding up as the DaemonSet budgets do; undefined when malformed. */
export function scaledValue(v: number | string | undefined, total: number): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]+%$/.test(v)) return Math.ceil((Number(v.slice(0, -1)) * total) / 100);
  return undefined;
}

const isRollingUpdate = (ds: DaemonSet) => ds.spec?.updateStrategy?.type === 'RollingUpdate';

/** util.SurgeCount: 0 unless a RollingUpdate asks for surge. */
export function surgeCount(ds: DaemonSet, numberToSchedule: number): number | undefined {
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  if (!isRollingUpdate(ds) || ru?.maxSurge == null) return 0;
  return scaledValue(ru.maxSurge, numberToSchedule);
}

/** util.UnavailableCount. */
export function unavailableCount(ds: DaemonSet, numberToSchedule: number): number | undefined {
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  if (!isRollingUpdate(ds) || !ru) return 0;
  return scaledValue(ru.maxUnavailable, numberToSchedule);
}

/** util.AllowsSurge: more than one pod per node may run during an update. */
export const allowsSurge = (ds: DaemonSet): boolean => (surgeCount(ds, 1) ?? 0) > 0;

// ---- failed pod backoff -----------------------------------------------------------

interface BackoffEntry {
  delay: number;
  lastUpdate: number;
}

/**
 * flowcontrol.Backoff as kube-controller-manager builds it for the DaemonSet
 * controller (1 s doubling to 15 min): deleting a failed daemon pod again
 * and again would fight a kubelet that keeps rejecting it.
 */
export class FailedPodsBackoff {
  static readonly INITIAL_MS = 1000;
  static readonly MAX_MS = 15 * 60_000;
  private readonly entries = new Map<string, BackoffEntry>();

  /** IsInBackOffSinceUpdate. */
  inBackoff(key: string, now: number): boolean {
    const e = this.entries.get(key);
    return !!e && now - e.lastUpdate < e.delay;
  }

  get(key: string): number {
    return this.entries.get(key)?.delay ?? 0;
  }

  /** Next: the first failure (or one long after the last) starts at 1 s; later ones double. */
  next(key: string, now: number): void {
    const e = this.entries.get(key);
    if (!e || now - e.lastUpdate > 2 * FailedPodsBackoff.MAX_MS) this.entries.set(key, { delay: FailedPodsBackoff.INITIAL_MS, lastUpdate: now });
    else {
      e.delay = Math.min(e.delay * 2, FailedPodsBackoff.MAX_MS);
      e.lastUpdate = now;
    }
  }

  /** GC: forget entries that have not moved for twice the maximum. */
  gc(now: number): void {
    for (const [k, e] of [...this.entries]) if (now - e.lastUpdate > 2 * FailedPodsBackoff.MAX_MS) this.entries.delete(k);
  }
}
