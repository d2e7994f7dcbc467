// Admission plugins from kube-apiserver's default set that touch the kinds
// we simulate. Mutating plugins run before validation, validating ones after,
// as in the real request pipeline.
import { admitPod, type PriorityClasses } from '../api/admission';
import { TAINT_NODE_NOT_READY as NOT_READY } from '../api/taints';
import type { KubeObject, Pod, Node, PriorityClass } from '../api/types';
import { forbidden, notFound, type Failure } from './status';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionContext {
  op: Operation;
  resource: string;
  /** Looks up a namespace's current state in storage. */
  namespace(name: string): KubeObject | undefined;
  /** The PriorityClasses in storage (the Priority plugin's lister). */
  priorityClasses: PriorityClasses;
}

export function mutate(obj: KubeObject, ctx: AdmissionContext): KubeObject | Failure {
  if (ctx.resource === 'pods' && ctx.op === 'CREATE') {
    // Priority, then DefaultTolerationSeconds (300 s for not-ready and unreachable).
    const r = admitPod(obj as Pod, ctx.priorityClasses);
    return r.ok ? (r.obj as KubeObject) : forbidden('pods', obj.metadata.name ?? '', r.message);
  }
  if (ctx.resource === 'nodes' && ctx.op === 'CREATE') return taintNodesByCondition(obj as Node) as KubeObject;
  return obj;
}

export function validate(obj: KubeObject, ctx: AdmissionContext): Failure | undefined {
  return namespaceLifecycle(obj, ctx) ?? oneGlobalDefault(obj, ctx);
}

/** Priority admission on PriorityClass writes: at most one class is the global default. */
function oneGlobalDefault(obj: KubeObject, ctx: AdmissionContext): Failure | undefined {
  if (ctx.resource !== 'priorityclasses' || ctx.op === 'DELETE' || !(obj as unknown as PriorityClass).globalDefault) return undefined;
  for (const pc of ctx.priorityClasses.list())
    if (pc.globalDefault && pc.metadata?.name !== obj.metadata.name)
      return forbidden('priorityclasses', obj.metadata.name ?? '', `PriorityClass ${pc.metadata?.name} is already marked as default. Only one default can exist`);
  return undefined;
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
