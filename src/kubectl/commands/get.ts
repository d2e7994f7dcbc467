// kubectl get, after staging/src/k8s.io/kubectl/pkg/cmd/get/get.go: tables
// (one per kind, a blank line between them, `kind/name` when several kinds
// are printed), -o wide|yaml|json|name, -n, -A, -l, --show-labels,
// --no-headers, --ignore-not-found; "No resources found in NS namespace."
// on stderr when nothing matched. -w prints the table once here; the
// console follows changes with watchKubectl.
import type { KubeObject } from '../../sim/api/types';
import { listOf, tableFor, toJson, toNames, toYaml } from '../printers';
import { renderTables, type TableGroup } from '../printers/render';
import { KubectlError, errorLine } from '../result';
import { ALL_NAMESPACES_FLAG, SELECTOR_FLAG, type Command, type CommandContext } from './command';
import { fetchTargets, parseTargets, selectorFlag, type Fetched, type Target } from './targets';

export const OUTPUT_FORMATS = ['wide', 'yaml', 'json', 'name'] as const;
const ALLOWED_FORMATS =
  'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

export function checkOutput(format: string): void {
  if (format === '' || (OUTPUT_FORMATS as readonly string[]).includes(format)) return;
  const base = format.split('=')[0];
  if (ALLOWED_FORMATS.split(',').includes(base)) throw errorLine(`--output=${base} is not available in this simulated kubectl; use -o wide, yaml, json or name`);
  throw errorLine(`unable to match a printer suitable for the output format ${JSON.stringify(format)}, allowed formats are: ${ALLOWED_FORMATS}`);
}

export interface GetRequest {
  targets: Target[];
  output: string;
  allNamespaces: boolean;
  /** `get pod web` and `get pod/web`: -o yaml prints the object, not a List. */
  singleItem: boolean;
}

/** Reads and checks what `get` was asked; shared with the watch. */
export function getRequest(ctx: CommandContext): GetRequest {
  const output = ctx.flags.str('output');
  checkOutput(output);
  if (ctx.args.length === 0) {
    throw new KubectlError(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
        `error: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl ${ctx.path} -h' for help and examples`,
    );
  }
  if (ctx.flags.bool('show-labels') && output !== '' && output !== 'wide') throw errorLine(`--show-labels option cannot be used with ${output} printer`);
  const targets = parseTargets(ctx.args);
  const named = targets.filter((t) => t.name !== undefined);
  const singleItem = named.length === 1 && targets.length === 1;
  return { targets, output, allNamespaces: ctx.flags.bool('all-namespaces'), singleItem };
}

/** True when the objects found are of more than one kind (multipleGVKsRequested). */
const severalKinds = (items: Fetched['items']): boolean => new Set(items.map((i) => i.obj.kind)).size > 1;

/** The tables for found objects: consecutive objects of one kind share a table. */
export function tableGroups(items: Fetched['items'], allNamespaces: boolean): TableGroup[] {
  const groups: TableGroup[] = [];
  for (const { resource, obj } of items) {
    const last = groups[groups.length - 1];
    if (last && last.objects[0].kind === obj.kind) (last.objects as KubeObject[]).push(obj);
    else groups.push({ table: tableFor(obj.kind), objects: [obj], withNamespace: allNamespaces && resource.info.namespaced });
  }
  return groups;
}

function runGet(ctx: CommandContext): void {
  ctx.inv.requireServer();
  const req = getRequest(ctx);
  const found = fetchTargets(ctx, req.targets, { allNamespaces: req.allNamespaces, selector: selectorFlag(ctx) });
  const ignoreNotFound = ctx.flags.bool('ignore-not-found');
  const errors = ignoreNotFound ? [] : found.errors;
  const objs = found.items.map((i) => i.obj);
  let text: string;
  if (req.output === 'yaml' || req.output === 'json') {
    if (req.singleItem && objs.length === 0 && errors.length) throw new KubectlError(errors.join('\n'));
    const body = req.singleItem && objs.length === 1 ? objs[0] : listOf(objs);
    text = req.singleItem && objs.length === 0 ? '' : req.output === 'yaml' ? toYaml(body) : toJson(body);
  } else if (req.output === 'name') {
    text = toNames(objs);
  } else {
    text = renderTables(tableGroups(found.items, req.allNamespaces), {
      now: ctx.cluster.now,
      wide: req.output === 'wide',
      withKind: severalKinds(found.items) || ctx.flags.bool('show-kind'),
      showLabels: ctx.flags.bool('show-labels'),
      noHeaders: ctx.flags.bool('no-headers'),
    });
  }
  ctx.inv.print(text);
  // Nothing printed and nothing failed: say so, as kubectl does on stderr.
  if (!text && errors.length === 0 && !ignoreNotFound) ctx.inv.warn(req.allNamespaces ? 'No resources found' : `No resources found in ${ctx.namespace} namespace.`);
  for (const e of errors) ctx.inv.fail(e);
}

export const getCommand: Command = {
  name: 'get',
  group: 'Basic Commands (Intermediate)',
  short: 'Display one or many resources',
  usage:
    'kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
  examples: [
    '# List all pods in ps output format\n  kubectl get pods',
    '# List all pods in ps output format with more information (such as node name)\n  kubectl get pods -o wide',
    '# List deployments and services together\n  kubectl get deployments,services',
    '# Watch pods change\n  kubectl get pods -w',
  ],
  flags: [
    ALL_NAMESPACES_FLAG,
    { name: 'ignore-not-found', type: 'bool', default: 'false', usage: 'If set to true, suppresses NotFound error for specific objects that do not exist.' },
    { name: 'no-headers', type: 'bool', default: 'false', usage: "When using the default or custom-column output format, don't print headers (default print headers)." },
    { name: 'output', shorthand: 'o', type: 'string', usage: 'Output format. One of: (json, yaml, name, wide).', values: OUTPUT_FORMATS },
    SELECTOR_FLAG,
    { name: 'show-kind', type: 'bool', default: 'false', usage: 'If present, list the resource type for the requested object(s).' },
    { name: 'show-labels', type: 'bool', default: 'false', usage: 'When printing, show all labels as the last column (default hide labels column)' },
    { name: 'watch', shorthand: 'w', type: 'bool', default: 'false', usage: 'After listing/getting the requested object, watch for changes.' },
  ],
  run: runGet,
  completeArgs: 'resources',
};
