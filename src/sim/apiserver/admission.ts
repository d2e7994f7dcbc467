// Admission plugins from kube-apiserver's default set that touch the kinds
// we simulate. Mutating plugins run before validation, validating ones after,
// as in the real request pipeline.
import type { KubeObject, Pod, Node } from '../api/types';
import { forbidden, notFound, type Failure } from './status';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionContext {
  op: Operation;
  resource: string;
  /** Looks up a namespace's current state in storage. */
  namespace(name: string): KubeObject | undefined;
}

/** Upstream's built-in priority classes (pkg/apis/scheduling). */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';
/** --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

export function mutate(obj: KubeObject, ctx: AdmissionContext): KubeObject | Failure {
  if (ctx.resource === 'pods' && ctx.op === 'CREATE') {
    const withPriority = priority(obj as Pod);
    if ('code' in withPriority) return withPriority;
    return defaultTolerationSeconds(withPriority) as KubeObject;
  }
  if (ctx.resource === 'nodes' && ctx.op === 'CREATE') return taintNodesByCondition(obj as Node) as KubeObject;
  return obj;
}

export function validate(obj: KubeObject, ctx: AdmissionContext): Failure | undefined {
  return namespaceLifecycle(obj, ctx);
}

/** DefaultTolerationSeconds: every pod tolerates an unready or unreachable node for 300 s unless it says otherwise. */
function defaultTolerationSeconds(pod: Pod): Pod {
  const tolerations = pod.spec?.tolerations ?? [];
  const has = (key: string) =>
    tolerations.some((t) => (t.key === key || (t.operator === 'Exists' && !t.key)) && (!t.effect || t.effect === 'NoExecute'));
  const add = [NOT_READY, UNREACHABLE]
    .filter((k) => !has(k))
    .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS }));
  if (add.length === 0) return pod;
  return { ...pod, spec: { ...pod.spec!, tolerations: [...tolerations, ...add] } };
}

/** Priority: resolves priorityClassName to spec.priority. */
function priority(pod: Pod): Pod | Failure {
  const name = pod.spec?.priorityClassName;
  if (!name) return pod.spec?.priority === undefined ? { ...pod, spec: { ...pod.spec!, priority: 0 } } : pod;
  const value = SYSTEM_PRIORITY_CLASSES[name];
  if (value === undefined) return forbidden('pods', pod.metadata?.name ?? '', `no PriorityClass with name ${name} was found`);
  return { ...pod, spec: { ...pod.spec!, priority: value, preemptionPolicy: pod.spec?.preemptionPolicy ?? 'PreemptLowerPriority' } };
}

/** TaintNodesByCondition: a node registers as not-ready until the node lifecycle controller sees it Ready. */
function taintNodesByCondition(node: Node): Node {
  const taints = node.spec?.taints ?? [];
  if (taints.some((t) => t.key === NOT_READY && t.effect === 'NoSchedule')) return node;
  return { ...node, spec: { ...node.spec, taints: [...taints, { key: NOT_READY, effect: 'NoSchedule' }] } };
}

/** NamespaceLifecycle: no new objects in a namespace that does not exist or is being deleted. */
function namespaceLifecycle(obj: KubeObject, ctx: AdmissionContext): Failure | undefined {
  const ns = obj.metadata.namespace;
  if (ctx.op !== 'CREATE' || !ns || ctx.resource === 'namespaces') return undefined;
  const found = ctx.namespace(ns);
  if (!found) return notFound('namespaces', ns);
  if (found.metadata.deletionTimestamp)
    return forbidden(
      ctx.resource,
      obj.metadata.name ?? '',
      `unable to create new content in namespace ${ns} because it is being terminated`,
    );
  return undefined;
}
