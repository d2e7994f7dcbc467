// Arguments that name objects to change (scale, rollout, set image, label,
// delete, expose): "TYPE NAME ...", "TYPE/NAME ...", or a type with -l/--all.
import type { KubeObject } from '../../sim/api/types';
import { groupResource, type KubectlResource } from '../resources';
import { KubectlError, errorLine, notFound } from '../result';
import type { CommandContext } from './command';
import { fetchTargets, parseTargets, selectorFlag } from './targets';

export const NO_RESOURCES =
  "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

export interface Named {
  resource: KubectlResource;
  obj: KubeObject;
}

/**
 * The objects the arguments name; NotFound for a missing name ends the
 * command unless `continueOnError` (then its error is printed and the rest done).
 */
export function namedObjects(
  ctx: CommandContext,
  args: readonly string[],
  opts: { allowSelector?: boolean; continueOnError?: boolean; ignoreNotFound?: boolean } = {},
): Named[] {
  ctx.inv.requireServer();
  if (args.length === 0) throw new KubectlError(NO_RESOURCES);
  const targets = parseTargets(args);
  const selector = opts.allowSelector ? selectorFlag(ctx) : undefined;
  const all = opts.allowSelector && ctx.flags.bool('all');
  if (!selector && !all && targets.some((t) => t.name === undefined)) throw errorLine('resource(s) were provided, but no name was specified');
  const found = fetchTargets(ctx, targets, { allNamespaces: false, selector });
  if (found.errors.length && !opts.ignoreNotFound) {
    if (!opts.continueOnError) throw new KubectlError(found.errors[0]);
    for (const e of found.errors) ctx.inv.fail(e);
  }
  return found.items;
}

/** Exactly one object of the given kinds (rollout, expose). */
export function oneObject(ctx: CommandContext, kinds: readonly string[], unsupported: (r: KubectlResource, name: string) => string): Named {
  const items = namedObjects(ctx, ctx.args.slice(0, ctx.args[0]?.includes('/') ? 1 : 2));
  const item = items[0];
  if (!kinds.includes(item.obj.kind)) throw errorLine(unsupported(item.resource, item.obj.metadata.name ?? ''));
  return item;
}

export const notFoundOf = (r: KubectlResource, name: string): KubectlError => new KubectlError(notFound(groupResource(r), name));
