// Checks one manifest the way the apiserver would on create (defaulting,
// then validation) so a scenario's mistakes are found at load with their line.
import { applyDefaults } from '../sim/api/defaults';
import { formatFieldError } from '../sim/api/field-errors';
import { prepareForCreate } from '../sim/api/strategy';
import { RESOURCES, resourceForKind, type KubeObject } from '../sim/api/types';
import { validateCreate } from '../sim/api/validation';
import type { ScenarioProblem } from './problems';
import type { YamlSource } from './yaml-source';

export function describeObject(o: Partial<KubeObject>): string | undefined {
  const name = o?.metadata?.name ?? o?.metadata?.generateName;
  return typeof o?.kind === 'string' && typeof name === 'string' ? `${o.kind} ${JSON.stringify(name)}` : undefined;
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Upstream reports some fields under a path other than where they are
 * written (Node taints as "metadata.taints"); the message keeps upstream's
 * path, the line points where the user wrote it.
 */
const WRITTEN_AT: Array<[RegExp, string]> = [[/^metadata\.taints/, 'spec.taints']];

function writtenAt(field: string): string {
  for (const [re, to] of WRITTEN_AT) if (re.test(field)) return field.replace(re, to);
  return field;
}

/** Problems with one manifest; an empty list means the apiserver would accept it. */
export function checkManifest(value: unknown, src: YamlSource, document: number, prefix = ''): ScenarioProblem[] {
  const at = (field: string, message: string): ScenarioProblem => ({
    document,
    line: src.line(writtenAt(field)),
    field: prefix + field,
    message,
    object: isPlainObject(value) ? describeObject(value as Partial<KubeObject>) : undefined,
  });
  if (!isPlainObject(value)) return [{ document, line: src.line(), field: prefix || undefined, message: 'must be a mapping (a Kubernetes object with apiVersion, kind and metadata)' }];
  const o = value as Partial<KubeObject>;
  if (typeof o.kind !== 'string' || !o.kind) return [at('kind', 'Required value: every manifest needs a kind')];
  if (typeof o.apiVersion !== 'string' || !o.apiVersion) return [at('apiVersion', 'Required value: every manifest needs an apiVersion')];
  const info = resourceForKind(o.kind);
  if (!info)
    return [at('kind', `kind ${JSON.stringify(o.kind)} is not simulated by kubeviz (supported kinds: ${RESOURCES.map((r) => r.kind).join(', ')})`)];
  if (o.apiVersion !== info.apiVersion)
    return [at('apiVersion', `no matches for kind ${JSON.stringify(o.kind)} in version ${JSON.stringify(o.apiVersion)} (use ${info.apiVersion})`)];
  if (!isPlainObject(o.metadata)) return [at('metadata', 'Required value: metadata must be a mapping with a name')];
  if (!o.metadata.name && !o.metadata.generateName) return [at('metadata.name', 'Required value: name or generateName is required')];
  let obj = o as KubeObject;
  if (info.namespaced && !obj.metadata.namespace) obj = { ...obj, metadata: { ...obj.metadata, namespace: 'default' } };
  if (!info.namespaced && obj.metadata.namespace !== undefined) {
    const { namespace: _ns, ...metadata } = obj.metadata;
    void _ns;
    obj = { ...obj, metadata };
  }
  if (!obj.metadata.name) obj = { ...obj, metadata: { ...obj.metadata, name: `${obj.metadata.generateName}xxxxx` } };
  try {
    const errors = validateCreate(prepareForCreate(applyDefaults(obj)));
    return errors.map((e) => at(e.field, formatFieldError(e)));
  } catch (e) {
    // Defaulting met a shape it cannot read (a string where a list belongs, ...).
    return [at('', `cannot be read as a ${o.kind}: ${(e as Error).message}`)];
  }
}
