// Two mutating admission plugins every cluster runs on pod create, which
// fill in fields users see on every pod: Priority (spec.priority,
// spec.preemptionPolicy) and DefaultTolerationSeconds (300s tolerations
// for the not-ready and unreachable taints). They run after defaulting and
// before validation; the result is a new pod or upstream's Forbidden reason.
import type { Pod, Toleration } from 'kubernetes-types/core/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from './taints';

export type AdmissionResult<T> = { ok: true; obj: T } | { ok: false; message: string };

/** The PriorityClasses in storage, as the Priority plugin's lister sees them. */
export interface PriorityClasses {
  get(name: string): PriorityClass | undefined;
  list(): Iterable<PriorityClass>;
}

/** getDefaultPriorityClass: of the globalDefault classes, the one with the lowest value. */
export function defaultPriorityClass(classes: PriorityClasses): PriorityClass | undefined {
  let best: PriorityClass | undefined;
  for (const pc of classes.list()) if (pc.globalDefault && (!best || best.value > pc.value)) best = pc;
  return best;
}

export const DEFAULT_TOLERATION_SECONDS = 300;

/**
 * Priority admission on pod create: priority and preemptionPolicy come from
 * the named class, or from the global default class (priority 0 and
 * PreemptLowerPriority when there is none); a pod may not state others.
 */
export function admitPriority(pod: Pod, classes: PriorityClasses): AdmissionResult<Pod> {
  const spec = pod.spec ?? { containers: [] };
  let className = spec.priorityClassName ?? '';
  let priority = 0;
  let preemptionPolicy: string | undefined = 'PreemptLowerPriority';
  if (!className) {
    const dpc = defaultPriorityClass(classes);
    if (dpc) {
      className = dpc.metadata?.name ?? '';
      priority = dpc.value;
      preemptionPolicy = dpc.preemptionPolicy;
    }
  } else {
    const pc = classes.get(className);
    if (!pc) return { ok: false, message: `no PriorityClass with name ${className} was found` };
    priority = pc.value;
    preemptionPolicy = pc.preemptionPolicy;
  }
  if (spec.priority != null && spec.priority !== priority) {
    return {
      ok: false,
      message: `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    };
  }
  if (preemptionPolicy != null && spec.preemptionPolicy != null && spec.preemptionPolicy !== preemptionPolicy) {
    return {
      ok: false,
      message: `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
    };
  }
  const policy = preemptionPolicy ?? spec.preemptionPolicy;
  const name = className || spec.priorityClassName;
  if (spec.priority === priority && spec.preemptionPolicy === policy && spec.priorityClassName === name) return { ok: true, obj: pod };
  return { ok: true, obj: { ...pod, spec: { ...spec, priority, ...(policy ? { preemptionPolicy: policy } : {}), ...(name ? { priorityClassName: name } : {}) } } };
}

const tolerates = (t: Toleration, key: string) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect);

/** DefaultTolerationSeconds: pods stay 300s on a node that went not-ready or unreachable, unless they say otherwise. */
export function admitDefaultTolerations(pod: Pod): Pod {
  const tolerations = pod.spec?.tolerations ?? [];
  const add: Toleration[] = [];
  for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]) {
    if (!tolerations.some((t) => tolerates(t, key))) {
      add.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  if (add.length === 0 || !pod.spec) return pod;
  return { ...pod, spec: { ...pod.spec, tolerations: [...tolerations, ...add] } };
}

/** Both plugins, in the order the apiserver runs them. */
export function admitPod(pod: Pod, classes: PriorityClasses): AdmissionResult<Pod> {
  const r = admitPriority(pod, classes);
  return r.ok ? { ok: true, obj: admitDefaultTolerations(r.obj) } : r;
}
