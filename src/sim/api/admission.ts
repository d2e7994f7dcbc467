// Two mutating admission plugins every cluster runs on pod create, which
// fill in fields users see on every pod: Priority (spec.priority,
// spec.preemptionPolicy) and DefaultTolerationSeconds (300s tolerations
// for the not-ready and unreachable taints). They run after defaulting and
// before validation; the result is a new pod or upstream's Forbidden reason.
import type { Pod, Toleration } from 'kubernetes-types/core/v1';

export type AdmissionResult<T> = { ok: true; obj: T } | { ok: false; message: string };

/** The built-in priority classes; the simulation has no PriorityClass objects of its own. */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

export const DEFAULT_TOLERATION_SECONDS = 300;
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

/** Priority admission: the priority comes from the class; a pod may not state a different one. */
export function admitPriority(pod: Pod): AdmissionResult<Pod> {
  const spec = pod.spec ?? { containers: [] };
  const className = spec.priorityClassName ?? '';
  let priority = 0;
  if (className) {
    const known = SYSTEM_PRIORITY_CLASSES[className];
    if (known === undefined) return { ok: false, message: `no PriorityClass with name ${className} was found` };
    priority = known;
  }
  if (spec.priority != null && spec.priority !== priority) {
    return {
      ok: false,
      message: `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    };
  }
  const preemptionPolicy = spec.preemptionPolicy ?? 'PreemptLowerPriority';
  if (spec.priority === priority && spec.preemptionPolicy === preemptionPolicy) return { ok: true, obj: pod };
  return { ok: true, obj: { ...pod, spec: { ...spec, priority, preemptionPolicy } } };
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
export function admitPod(pod: Pod): AdmissionResult<Pod> {
  const r = admitPriority(pod);
  return r.ok ? { ok: true, obj: admitDefaultTolerations(r.obj) } : r;
}
