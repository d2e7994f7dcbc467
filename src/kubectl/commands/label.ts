// kubectl label and annotate, after staging/src/k8s.io/kubectl/pkg/cmd/label/label.go
// and annotate/annotate.go: "key=value" sets, "key-" removes, an existing
// key needs --overwrite; the object is written back whole with the apply
// verb. Messages: "pod/web labeled", "unlabeled", "not labeled", "annotated".
import { isQualifiedName, isValidLabelValue } from '../../sim/api/labels';
import { objectName } from '../resources';
import { errorLine } from '../result';
import { SELECTOR_FLAG, type Command, type CommandContext } from './command';
import { applyObject, editable } from './mutate';
import { namedObjects } from './objects';

/** GetResourcesAndPairs: resources first, then key=value / key- pairs. */
function splitPairs(args: readonly string[], what: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const a of args) {
    const isPair = a.includes('=') || a.endsWith('-');
    if (isPair) pairs.push(a);
    else if (pairs.length) throw errorLine(`all resources must be specified before ${what} changes: ${a}`);
    else resources.push(a);
  }
  return { resources, pairs };
}

function parsePairs(pairs: readonly string[], kind: 'label' | 'annotation'): { set: Map<string, string>; remove: string[] } {
  const set = new Map<string, string>();
  const remove: string[] = [];
  for (const p of pairs) {
    if (p.includes('=')) {
      const eq = p.indexOf('=');
      const key = p.slice(0, eq);
      const value = p.slice(eq + 1);
      if (kind === 'label') {
        if (value.includes('=')) throw errorLine(`invalid label spec: ${p}`);
        const bad = isValidLabelValue(value);
        if (bad.length) throw errorLine(`invalid label value: ${JSON.stringify(p)}: ${bad.join(';')}`);
      }
      const keyErrs = isQualifiedName(key);
      if (keyErrs.length) throw errorLine(`invalid ${kind} spec: ${p}, ${keyErrs.join('; ')}`);
      set.set(key, value);
    } else {
      remove.push(p.slice(0, -1));
    }
  }
  if (remove.some((k) => set.has(k))) throw errorLine(`can not both modify and remove ${kind === 'label' ? 'a label' : 'an annotation'} in the same command`);
  return { set, remove };
}

function change(ctx: CommandContext, kind: 'label' | 'annotation'): void {
  const field = kind === 'label' ? 'labels' : 'annotations';
  const { resources, pairs } = splitPairs(ctx.args, kind);
  if (resources.length === 0) throw errorLine('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  if (pairs.length === 0) throw errorLine(`at least one ${kind} update is required`);
  const { set, remove } = parsePairs(pairs, kind);
  const overwrite = ctx.flags.bool('overwrite');
  for (const { obj } of namedObjects(ctx, resources, { allowSelector: true })) {
    const current: Record<string, string> = { ...obj.metadata[field] };
    if (!overwrite) {
      const clash = [...set.keys()].filter((k) => k in current);
      if (clash.length) {
        const errs = clash.map((k) => `'${k}' already has a value (${current[k]}), and --overwrite is false`);
        throw errorLine(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
      }
    }
    if (kind === 'label') for (const k of remove) if (!(k in current)) ctx.inv.println(`label ${JSON.stringify(k)} not found.`);
    const next = { ...current };
    for (const [k, v] of set) next[k] = v;
    for (const k of remove) delete next[k];
    const changed = JSON.stringify(Object.entries(next).sort()) !== JSON.stringify(Object.entries(current).sort());
    if (changed) {
      const updated = editable(obj);
      updated.metadata[field] = next;
      if (Object.keys(next).length === 0) delete updated.metadata[field];
      applyObject(ctx, updated);
    }
    let message = 'annotated';
    if (kind === 'label') message = !changed ? 'not labeled' : !overwrite && Object.keys(next).length < Object.keys(current).length ? 'unlabeled' : 'labeled';
    ctx.inv.println(`${objectName(obj)} ${message}`);
  }
}

const pairFlags = (what: string) => [
  { name: 'all', type: 'bool', default: 'false', usage: 'Select all resources, in the namespace of the specified resource types' },
  { name: 'overwrite', type: 'bool', default: 'false', usage: `If true, allow ${what}s to be overwritten, otherwise reject ${what} updates that overwrite existing ${what}s.` },
  SELECTOR_FLAG,
] as const;

export const labelCommand: Command = {
  name: 'label',
  group: 'Settings Commands',
  short: 'Update the labels on a resource',
  usage: 'kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  examples: ["# Update pod 'foo' with the label 'unhealthy' and the value 'true'\n  kubectl label pods foo unhealthy=true", "# Remove a label named 'bar' if it exists\n  kubectl label pods foo bar-"],
  flags: pairFlags('label'),
  run: (ctx) => change(ctx, 'label'),
  completeArgs: 'resources',
};

export const annotateCommand: Command = {
  name: 'annotate',
  group: 'Settings Commands',
  short: 'Update the annotations on a resource',
  usage: 'kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  examples: ["# Update pod 'foo' with the annotation 'description' and the value 'my frontend'\n  kubectl annotate pods foo description='my frontend'"],
  flags: pairFlags('annotation'),
  run: (ctx) => change(ctx, 'annotation'),
  completeArgs: 'resources',
};

