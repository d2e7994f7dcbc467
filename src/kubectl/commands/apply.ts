// kubectl apply -f -: with no input the console's YAML editor opens
// (result.editor); with the editor's text as stdin every document is
// applied with the scenario's apply verb and reported as kubectl does,
// "deployment.apps/web created|configured|unchanged". There are no files
// inside the simulation, so -f FILE says so.
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../sim/api/types';
import { findResource, kindPrefix } from '../resources';
import { errorLine } from '../result';
import type { Command, CommandContext } from './command';
import { failureOf } from './mutate';

function documents(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw errorLine(`error parsing STDIN: error converting YAML to JSON: ${doc.errors[0].message.split('\n')[0]}`);
    const value = doc.toJS() as unknown;
    if (value == null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw errorLine('error parsing STDIN: error unmarshaling JSON: the document is not an object');
    const obj = value as KubeObject;
    if (obj.kind === 'List' && Array.isArray(obj.items)) out.push(...(obj.items as KubeObject[]));
    else out.push(obj);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What kubectl apply's patch leaves on the server: the manifest's fields over
 * the live object's, so fields the manifest does not mention (defaults the
 * apiserver filled in, tolerations admission added) stay; list items with a
 * name (containers, env, volumes) merge with the live item of that name, as
 * the strategic merge patch merges them; null removes a field.
 */
export function mergeOnto(live: unknown, manifest: unknown): unknown {
  if (isObject(live) && isObject(manifest)) {
    const out: Record<string, unknown> = { ...live };
    for (const [k, v] of Object.entries(manifest)) {
      if (v === null) delete out[k];
      else out[k] = k in live ? mergeOnto(live[k], v) : v;
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(manifest) && manifest.every((m) => isObject(m) && typeof m.name === 'string')) {
    return manifest.map((m) => {
      const match = live.find((l) => isObject(l) && l.name === (m as { name: string }).name);
      return match ? mergeOnto(match, m) : m;
    });
  }
  return manifest;
}

function apply(ctx: CommandContext, stdin: string | undefined): void {
  const file = ctx.flags.str('filename');
  if (!ctx.flags.has('filename')) throw errorLine('must specify one of -f and -k');
  if (file !== '-')
    throw errorLine(`the path ${JSON.stringify(file)} cannot be read: this kubectl runs inside the simulation, which has no files; use "kubectl apply -f -" to open the YAML editor`);
  if (stdin === undefined) {
    ctx.inv.editor = { text: '' };
    return;
  }
  ctx.inv.requireServer();
  const objs = documents(stdin);
  if (objs.length === 0) throw errorLine('no objects passed to apply');
  for (const obj of objs) {
    const missing = [!obj.apiVersion && 'apiVersion not set', !obj.kind && 'kind not set'].filter(Boolean);
    if (missing.length) throw errorLine(`error validating "STDIN": error validating data: [${missing.join(', ')}]; if you choose to ignore these errors, turn validation off with --validate=false`);
    const r = findResource(obj.kind);
    if (!r) throw errorLine(`resource mapping not found for name: ${JSON.stringify(obj.metadata?.name ?? '')} namespace: ${JSON.stringify(obj.metadata?.namespace ?? '')} from "STDIN": no matches for kind ${JSON.stringify(obj.kind)} in version ${JSON.stringify(obj.apiVersion)}\nensure CRDs are installed first`);
    const meta = { ...(obj.metadata ?? {}) };
    if (r.info.namespaced) {
      if (meta.namespace && ctx.namespaceSet && meta.namespace !== ctx.namespace)
        throw errorLine(`the namespace from the provided object ${JSON.stringify(meta.namespace)} does not match the namespace ${JSON.stringify(ctx.namespace)}. You must pass '--namespace=${meta.namespace}' to perform this operation.`);
      meta.namespace ??= ctx.namespace;
    }
    const before = meta.name ? ctx.reader.get(r, meta.namespace, meta.name) : undefined;
    const desired = { ...obj, metadata: meta };
    let manifest = desired;
    if (before) {
      const { resourceVersion: _rv, ...liveMeta } = before.metadata;
      void _rv;
      manifest = mergeOnto({ ...before, metadata: liveMeta }, desired) as KubeObject;
    }
    const failure = failureOf(ctx.inv.act({ action: 'apply', manifests: [manifest] }));
    if (failure) {
      ctx.inv.fail(failure);
      continue;
    }
    const after = meta.name ? ctx.reader.get(r, meta.namespace, meta.name) : undefined;
    const verb = !before ? 'created' : after?.metadata.resourceVersion === before.metadata.resourceVersion ? 'unchanged' : 'configured';
    ctx.inv.println(`${kindPrefix(obj.kind)}/${meta.name ?? after?.metadata.name ?? ''} ${verb}`);
  }
}

export function applyCommandWith(stdin: string | undefined): Command {
  return {
    name: 'apply',
    group: 'Advanced Commands',
    short: 'Apply a configuration to a resource by file name or stdin',
    usage: 'kubectl apply (-f FILENAME | -k DIRECTORY) [options]',
    examples: ['# Apply the YAML you write in the editor\n  kubectl apply -f -'],
    flags: [{ name: 'filename', shorthand: 'f', type: 'string', usage: 'The files that contain the configurations to apply.' }],
    run: (ctx) => apply(ctx, stdin),
  };
}

