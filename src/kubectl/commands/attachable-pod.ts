// polymorphichelpers.AttachablePodForObject, which kubectl logs and exec
// share: a pod by name, or for TYPE/NAME the first pod its selector matches
// (a Service's selector is a plain label map, a workload's a LabelSelector),
// Running pods first.
import type { Pod } from 'kubernetes-types/core/v1';
import { compileLabelSelector, selectorFromSet } from '../../sim/api/selector';
import type { KubeObject } from '../../sim/api/types';
import { findResource } from '../resources';
import { KubectlError, errorLine, notFound } from '../result';
import type { CommandContext } from './command';

export interface AttachablePod {
  pod: Pod;
  /** How many pods the object's selector matched (1 for a pod named directly). */
  matched: number;
}

const PODS = () => findResource('pods')!;

/** `noSelector`: the command's error for an object it cannot find pods of. */
export function attachablePod(ctx: CommandContext, arg: string, noSelector: (kind: string) => string): AttachablePod {
  const slash = arg.indexOf('/');
  const r = slash < 0 ? PODS() : findResource(arg.slice(0, slash));
  const name = slash < 0 ? arg : arg.slice(slash + 1);
  if (!r) throw errorLine(`the server doesn't have a resource type ${JSON.stringify(arg.slice(0, slash))}`);
  const obj = ctx.reader.get(r, r.info.namespaced ? ctx.namespace : undefined, name);
  if (!obj) throw new KubectlError(notFound(r.info.group ? `${r.plural}.${r.info.group}` : r.plural, name));
  if (obj.kind === 'Pod') return { pod: obj as unknown as Pod, matched: 1 };
  const selector = (obj.spec as { selector?: unknown } | undefined)?.selector;
  const matches = !selector
    ? undefined
    : obj.kind === 'Service'
      ? (labels?: Readonly<Record<string, string>> | null) => selectorFromSet(selector as Record<string, string>).matches(labels ?? {})
      : compileLabelSelector(selector as Parameters<typeof compileLabelSelector>[0]);
  if (!matches) throw errorLine(noSelector(obj.kind));
  const pods = ctx.reader.list(PODS(), obj.metadata.namespace).filter((p: KubeObject) => matches(p.metadata.labels));
  if (pods.length === 0) throw errorLine('timed out waiting for the condition');
  const running = pods.filter((p) => (p as unknown as Pod).status?.phase === 'Running');
  return { pod: (running.length ? running : pods)[0] as unknown as Pod, matched: pods.length };
}
