// kubectl cordon, uncordon and drain, after staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go
// and pkg/drain/filters.go. drain cordons, then sorts the node's pods as
// upstream's filters do: DaemonSet pods need --ignore-daemonsets (then are
// left alone), pods with emptyDir need --delete-emptydir-data, pods no
// controller owns need --force; any refusal leaves the node cordoned and
// nothing evicted. The evictions are the scenario's drain verb. kubectl
// waits until the evicted pods are gone; here the command returns at once
// and the pods terminate as the simulation runs on.
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../sim/api/types';
import { findResource } from '../resources';
import { KubectlError, errorLine, notFound } from '../result';
import type { Command, CommandContext } from './command';
import { failureOf } from './mutate';

const NODES = findResource('nodes')!;
const PODS = findResource('pods')!;

function nodeArg(ctx: CommandContext): KubeObject {
  ctx.inv.requireServer();
  if (ctx.args.length === 0) throw errorLine(`USAGE: ${ctx.path} NODE [flags]\nSee 'kubectl ${ctx.path} -h' for help and examples`);
  let name = ctx.args[0];
  const slash = name.indexOf('/');
  if (slash >= 0) {
    if (findResource(name.slice(0, slash))?.info.kind !== 'Node') throw errorLine(`expected resource of type node, got ${JSON.stringify(name.slice(0, slash))}`);
    name = name.slice(slash + 1);
  }
  const node = ctx.reader.get(NODES, undefined, name);
  if (!node) throw new KubectlError(notFound('nodes', name));
  return node;
}

/** RunCordonOrUncordon: "node/x cordoned", or "already cordoned" without a request. */
function cordon(ctx: CommandContext, node: KubeObject, desired: boolean): void {
  const verb = desired ? 'cordon' : 'uncordon';
  const name = node.metadata.name!;
  if (((node.spec as { unschedulable?: boolean })?.unschedulable ?? false) === desired) {
    ctx.inv.println(`node/${name} already ${verb}ed`);
    return;
  }
  const failure = failureOf(ctx.inv.act({ action: verb, node: name }));
  if (failure) throw new KubectlError(`error: unable to ${verb} node ${JSON.stringify(name)}: ${failure}`);
  ctx.inv.println(`node/${name} ${verb}ed`);
}

export const cordonCommand: Command = {
  name: 'cordon',
  group: 'Cluster Management Commands',
  short: 'Mark node as unschedulable',
  usage: 'kubectl cordon NODE [options]',
  examples: ['# Mark node "foo" as unschedulable\n  kubectl cordon foo'],
  flags: [],
  run: (ctx) => cordon(ctx, nodeArg(ctx), true),
  completeArgs: { names: 'nodes' },
};

export const uncordonCommand: Command = {
  name: 'uncordon',
  group: 'Cluster Management Commands',
  short: 'Mark node as schedulable',
  usage: 'kubectl uncordon NODE [options]',
  examples: ['# Mark node "foo" as schedulable\n  kubectl uncordon foo'],
  flags: [],
  run: (ctx) => cordon(ctx, nodeArg(ctx), false),
  completeArgs: { names: 'nodes' },
};

type Verdict = { kind: 'delete' } | { kind: 'skip' } | { kind: 'warn'; delete: boolean; message: string } | { kind: 'error'; message: string };

const finished = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** The filters of GetPodsForDeletion, in upstream's order; the first that keeps a pod decides. */
function verdictFor(ctx: CommandContext, obj: KubeObject, opts: { force: boolean; ignoreDaemonSets: boolean; deleteEmptyDir: boolean }): Verdict {
  const pod = obj as unknown as Pod;
  const owner = (obj.metadata.ownerReferences ?? []).find((o) => o.controller);
  let last: Verdict = { kind: 'delete' };
  // daemonSetFilter
  if (owner?.kind === 'DaemonSet' && !finished(pod)) {
    const ds = ctx.reader.get(findResource('daemonsets')!, obj.metadata.namespace, owner.name);
    if (!ds) {
      if (!opts.force) return { kind: 'error', message: `daemonsets.apps ${JSON.stringify(owner.name)} not found` };
      last = { kind: 'warn', delete: true, message: `daemonsets.apps ${JSON.stringify(owner.name)} not found` };
    } else if (!opts.ignoreDaemonSets) return { kind: 'error', message: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' };
    else return { kind: 'warn', delete: false, message: 'ignoring DaemonSet-managed Pods' };
  }
  // mirrorPodFilter
  if (obj.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return { kind: 'skip' };
  // localStorageFilter
  if ((pod.spec?.volumes ?? []).some((v) => v.emptyDir) && !finished(pod)) {
    if (!opts.deleteEmptyDir) return { kind: 'error', message: 'Pods with local storage (use --delete-emptydir-data to override)' };
    last = { kind: 'warn', delete: true, message: 'deleting Pods with local storage' };
  }
  // unreplicatedFilter
  if (!finished(pod) && !owner) {
    if (!opts.force) return { kind: 'error', message: 'cannot delete Pods that declare no controller (use --force to override)' };
    last = { kind: 'warn', delete: true, message: 'deleting Pods that declare no controller' };
  }
  return last;
}

/** "msg: ns/a, ns/b" per message, in the order first seen. */
function grouped(entries: Array<[string, KubeObject]>): Array<[string, string]> {
  const by = new Map<string, string[]>();
  for (const [msg, pod] of entries) {
    const list = by.get(msg) ?? [];
    list.push(`${pod.metadata.namespace}/${pod.metadata.name}`);
    by.set(msg, list);
  }
  return [...by].map(([msg, pods]) => [msg, pods.join(', ')]);
}

function drain(ctx: CommandContext): void {
  const node = nodeArg(ctx);
  const name = node.metadata.name!;
  const opts = { force: ctx.flags.bool('force'), ignoreDaemonSets: ctx.flags.bool('ignore-daemonsets'), deleteEmptyDir: ctx.flags.bool('delete-emptydir-data') };
  cordon(ctx, node, true);
  const pods = ctx.reader.list(PODS).filter((p) => (p.spec as Pod['spec'])?.nodeName === name);
  const errors: Array<[string, KubeObject]> = [];
  const warnings: Array<[string, KubeObject]> = [];
  const evict: KubeObject[] = [];
  for (const p of pods) {
    const v = verdictFor(ctx, p, opts);
    if (v.kind === 'error') errors.push([v.message, p]);
    else if (v.kind === 'warn') {
      warnings.push([v.message, p]);
      if (v.delete) evict.push(p);
    } else if (v.kind === 'delete') evict.push(p);
  }
  if (errors.length) {
    const messages = grouped(errors).map(([msg, list]) => (msg.toLowerCase().startsWith('cannot delete') ? `${msg}: ${list}` : `cannot delete ${msg}: ${list}`));
    const aggregate = messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
    ctx.inv.fail(`error: unable to drain node ${JSON.stringify(name)} due to error: ${aggregate}, continuing command...`);
    ctx.inv.fail(`There are pending nodes to be drained:\n ${name}`);
    for (const m of messages) ctx.inv.fail(m);
    return;
  }
  const warningText = grouped(warnings)
    .map(([msg, list]) => `${msg}: ${list}`)
    .join('; ');
  if (warningText) ctx.inv.warn(`Warning: ${warningText}`);
  const outcomes = ctx.inv.act({ action: 'drain', node: name });
  for (const p of evict) ctx.inv.println(`evicting pod ${p.metadata.namespace}/${p.metadata.name}`);
  // The drain verb evicts each pod; a refused eviction (or request) fails the drain.
  const failure = failureOf(outcomes);
  if (failure) {
    ctx.inv.fail(`error: unable to drain node ${JSON.stringify(name)} due to error: ${failure}, continuing command...`);
    ctx.inv.fail(`There are pending nodes to be drained:\n ${name}`);
    ctx.inv.fail(failure);
    return;
  }
  for (const p of evict) ctx.inv.println(`pod/${p.metadata.name} evicted`);
  ctx.inv.println(`node/${name} drained`);
}

export const drainCommand: Command = {
  name: 'drain',
  group: 'Cluster Management Commands',
  short: 'Drain node in preparation for maintenance',
  usage: 'kubectl drain NODE [options]',
  examples: ['# Drain node "foo", even if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set on it\n  kubectl drain foo --force'],
  flags: [
    { name: 'delete-emptydir-data', type: 'bool', default: 'false', usage: 'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).' },
    { name: 'force', type: 'bool', default: 'false', usage: 'Continue even if there are pods that do not declare a controller.' },
    { name: 'ignore-daemonsets', type: 'bool', default: 'false', usage: 'Ignore DaemonSet-managed pods.' },
  ],
  run: drain,
  completeArgs: { names: 'nodes' },
};
