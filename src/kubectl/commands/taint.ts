// kubectl taint nodes NODE key=value:Effect | key:Effect- | key-, after
// staging/src/k8s.io/kubectl/pkg/cmd/taint/taint.go and utils.go: new taints
// first, then the old ones they do not replace; a taint already there with
// the same effect needs --overwrite. "node/x tainted", "untainted" or
// "modified"; the Node is written back whole with the apply verb.
import type { Node, Taint } from 'kubernetes-types/core/v1';
import { isQualifiedName, isValidLabelValue } from '../../sim/api/labels';
import { findResource } from '../resources';
import { KubectlError, errorLine, notFound } from '../result';
import { SELECTOR_FLAG, type Command, type CommandContext } from './command';
import { applyObject, editable } from './mutate';
import { taintString } from '../describe/sections';
import { selectorFlag } from './targets';

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  let key = spec;
  let value: string | undefined;
  let effect: string | undefined;
  if (parts.length === 2) {
    effect = parts[1];
    if (!EFFECTS.has(effect)) throw new Error(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0].split('=');
    if (kv.length > 2) throw new Error(`invalid taint spec: ${spec}`);
    key = kv[0];
    if (kv.length === 2) {
      value = kv[1];
      const bad = isValidLabelValue(value);
      if (bad.length) throw new Error(`invalid taint spec: ${spec}, ${bad.join('; ')}`);
    }
  } else if (parts.length !== 1) {
    throw new Error(`invalid taint spec: ${spec}`);
  }
  const bad = isQualifiedName(key);
  if (bad.length) throw new Error(`invalid taint spec: ${spec}, ${bad.join('; ')}`);
  return { key, ...(value !== undefined ? { value } : {}), effect: (effect ?? '') as Taint['effect'] };
}

const sameTaint = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

function taint(ctx: CommandContext): void {
  ctx.inv.requireServer();
  const resources: string[] = [];
  const specs: string[] = [];
  for (const a of ctx.args) {
    const isTaint = a.includes('=') || a.includes(':') || a.endsWith('-');
    if (isTaint) specs.push(a);
    else if (specs.length) throw errorLine(`all resources must be specified before taint changes: ${a}`);
    else resources.push(a);
  }
  if (resources.length < 1) throw errorLine('one or more resources must be specified as <resource> <name>');
  if (specs.length < 1) throw errorLine('at least one taint update is required');
  const add: Taint[] = [];
  const remove: Taint[] = [];
  try {
    for (const s of specs) {
      if (s.endsWith('-')) remove.push(parseTaint(s.slice(0, -1)));
      else {
        const t = parseTaint(s);
        if (!t.effect) throw new Error(`invalid taint spec: ${s}`);
        if (add.some((x) => sameTaint(x, t))) throw new Error(`duplicated taints with the same key and effect: ${JSON.stringify(t)}`);
        add.push(t);
      }
    }
  } catch (e) {
    throw new KubectlError(`error: ${(e as Error).message}\nSee 'kubectl taint -h' for help and examples`);
  }
  const type = resources[0].toLowerCase();
  if (findResource(type)?.info.kind !== 'Node') {
    if (!findResource(type)) throw errorLine(`the server doesn't have a resource type ${JSON.stringify(type)}`);
    throw errorLine(`invalid resource type ${type}, only node types are supported`);
  }
  const conflicts = add.flatMap((a) => remove.filter((r) => r.key === a.key && (!r.effect || r.effect === a.effect)).map((r) => `{"${r.key}":"${r.effect}"}`));
  if (conflicts.length) throw errorLine(`can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`);
  const all = ctx.flags.bool('all');
  if (!all && !ctx.flags.has('selector') && resources.length < 2) throw errorLine("at least one resource name must be specified since 'all' parameter is not set");
  const overwrite = ctx.flags.bool('overwrite');
  const nodesRes = findResource('nodes')!;
  const names = all || ctx.flags.has('selector') ? null : resources.slice(1);
  let nodes = ctx.reader.list(nodesRes);
  if (names) {
    const missing = names.find((n) => !nodes.some((x) => x.metadata.name === n));
    if (missing) throw new KubectlError(notFound('nodes', missing));
    nodes = names.map((n) => nodes.find((x) => x.metadata.name === n)!);
  } else if (ctx.flags.has('selector')) {
    const sel = selectorFlag(ctx)!;
    nodes = nodes.filter((n) => sel.matches(n.metadata.labels));
  }
  for (const obj of nodes) {
    const node = obj as unknown as Node;
    const old = node.spec?.taints ?? [];
    if (!overwrite) {
      const exists = add.filter((t) => old.some((o) => sameTaint(o, t))).map((t) => t.key);
      if (exists.length) throw errorLine(`node ${node.metadata?.name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`);
    }
    // reorganizeTaints: the new taints, then the old ones not replaced, then removals.
    let next: Taint[] = [...add, ...old.filter((o) => !add.some((t) => sameTaint(t, o)))];
    const added = next.length !== old.length;
    let deleted = false;
    const missing: string[] = [];
    for (const r of remove) {
      const before = next.length;
      next = next.filter((t) => (r.effect ? !sameTaint(t, r) : t.key !== r.key));
      deleted = next.length !== before;
      if (!deleted) missing.push(`taint ${JSON.stringify(taintString(r).replace(/:$/, ''))} not found`);
    }
    if (missing.length) throw errorLine(missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`);
    const operation = (added && deleted) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
    const updated = editable(obj);
    const spec = { ...(updated.spec as Node['spec']) };
    if (next.length) spec.taints = next;
    else delete spec.taints;
    updated.spec = spec;
    applyObject(ctx, updated);
    ctx.inv.println(`node/${node.metadata?.name} ${operation}`);
  }
}

export const taintCommand: Command = {
  name: 'taint',
  group: 'Cluster Management Commands',
  short: 'Update the taints on one or more nodes',
  usage: 'kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]',
  examples: [
    "# Update node 'foo' with a taint with key 'dedicated' and value 'special-user' and effect 'NoSchedule'\n  kubectl taint nodes foo dedicated=special-user:NoSchedule",
    "# Remove from node 'foo' the taint with key 'dedicated' and effect 'NoSchedule' if one exists\n  kubectl taint nodes foo dedicated:NoSchedule-",
  ],
  flags: [
    { name: 'all', type: 'bool', default: 'false', usage: 'Select all nodes in the cluster' },
    { name: 'overwrite', type: 'bool', default: 'false', usage: 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.' },
    SELECTOR_FLAG,
  ],
  run: taint,
  completeArgs: { typedNames: ['nodes'] },
};

