// Which objects a command's arguments name, as cli-runtime's resource
// Builder reads them (ResourceTypeOrNameArgs): "TYPE[,TYPE] [NAME ...]" or
// "TYPE/NAME ..."; with a label selector when no names are given; NotFound
// errors for names that do not exist, the found objects still printed.
import type { KubeObject } from '../../sim/api/types';
import { parseSelector, SelectorParseError } from '../../sim/api/selector-parse';
import type { Selector } from '../../sim/api/selector';
import { ALL_CATEGORY, findResource, groupResource, type KubectlResource } from '../resources';
import { errorLine, notFound } from '../result';
import type { CommandContext } from './command';

export interface Target {
  resource: KubectlResource;
  /** Unset: every object of the type (in scope, matching the selector). */
  name?: string;
}

export function resolveType(typed: string): KubectlResource {
  const r = findResource(typed);
  if (!r) throw errorLine(`the server doesn't have a resource type ${JSON.stringify(typed)}`);
  return r;
}

/** Reads the arguments; `all` expands to the "all" category. */
export function parseTargets(args: readonly string[]): Target[] {
  if (args.length === 0) return [];
  if (args[0].includes('/')) {
    return args.map((a) => {
      const slash = a.indexOf('/');
      if (slash < 0)
        throw errorLine(
          "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
        );
      const name = a.slice(slash + 1);
      if (!name) throw errorLine(`arguments in resource/name form must have a single resource and name`);
      return { resource: resolveType(a.slice(0, slash)), name };
    });
  }
  if (args.slice(1).some((a) => a.includes('/')))
    throw errorLine(
      "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
    );
  const types = args[0]
    .split(',')
    .filter(Boolean)
    .flatMap((t) => (t.toLowerCase() === 'all' ? ALL_CATEGORY : [t]))
    .map(resolveType);
  const names = args.slice(1);
  if (names.length === 0) return types.map((resource) => ({ resource }));
  return types.flatMap((resource) => names.map((name) => ({ resource, name })));
}

/** -l/--selector parsed as labels.Parse does. */
export function selectorFlag(ctx: CommandContext): Selector | undefined {
  const text = ctx.flags.str('selector');
  if (!ctx.flags.has('selector')) return undefined;
  try {
    return parseSelector(text);
  } catch (e) {
    if (e instanceof SelectorParseError) throw errorLine(e.message.replace(/ \(at position \d+\)$/, ''));
    throw e;
  }
}

export interface Fetched {
  /** In argument order, each type's objects in the apiserver's order. */
  items: Array<{ resource: KubectlResource; obj: KubeObject }>;
  /** kubectl's error lines for names that were not found. */
  errors: string[];
}

export interface FetchOptions {
  allNamespaces: boolean;
  selector?: Selector;
}

export function fetchTargets(ctx: CommandContext, targets: readonly Target[], opts: FetchOptions): Fetched {
  const out: Fetched = { items: [], errors: [] };
  if (opts.selector && targets.some((t) => t.name)) throw errorLine('name cannot be provided when a selector is specified');
  for (const t of targets) {
    const ns = t.resource.info.namespaced ? ctx.namespace : undefined;
    if (t.name !== undefined) {
      const obj = ctx.reader.get(t.resource, ns, t.name);
      if (obj) out.items.push({ resource: t.resource, obj });
      else out.errors.push(notFound(groupResource(t.resource), t.name));
      continue;
    }
    const scope = opts.allNamespaces || !t.resource.info.namespaced ? undefined : ctx.namespace;
    for (const obj of ctx.reader.list(t.resource, scope)) if (!opts.selector || opts.selector.matches(obj.metadata.labels)) out.items.push({ resource: t.resource, obj });
  }
  return out;
}
