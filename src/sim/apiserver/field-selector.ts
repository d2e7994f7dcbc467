// Field selectors as the apiserver supports them per resource
// (`spec.nodeName=node-1,status.phase!=Running`). Unknown fields are a 400,
// as upstream answers "field label not supported".
import type { KubeObject } from '../api/types';

type Getter = (o: KubeObject) => string;

const meta: Record<string, Getter> = {
  'metadata.name': (o) => o.metadata.name ?? '',
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

const spec = (o: KubeObject) => (o.spec ?? {}) as Record<string, unknown>;
const status = (o: KubeObject) => (o.status ?? {}) as Record<string, unknown>;
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

const perResource: Record<string, Record<string, Getter>> = {
  pods: {
    'spec.nodeName': (o) => str(spec(o).nodeName),
    'spec.restartPolicy': (o) => str(spec(o).restartPolicy),
    'spec.schedulerName': (o) => str(spec(o).schedulerName),
    'spec.serviceAccountName': (o) => str(spec(o).serviceAccountName),
    'spec.hostNetwork': (o) => String(spec(o).hostNetwork === true),
    'status.phase': (o) => str(status(o).phase),
    'status.podIP': (o) => str(status(o).podIP),
    'status.nominatedNodeName': (o) => str(status(o).nominatedNodeName),
  },
  nodes: { 'spec.unschedulable': (o) => String(spec(o).unschedulable === true) },
  namespaces: { 'status.phase': (o) => str(status(o).phase) },
  events: {
    'involvedObject.kind': (o) => str((o.involvedObject as Record<string, unknown> | undefined)?.kind),
    'involvedObject.name': (o) => str((o.involvedObject as Record<string, unknown> | undefined)?.name),
    'involvedObject.namespace': (o) => str((o.involvedObject as Record<string, unknown> | undefined)?.namespace),
    'involvedObject.uid': (o) => str((o.involvedObject as Record<string, unknown> | undefined)?.uid),
    reason: (o) => str(o.reason),
    type: (o) => str(o.type),
  },
};

/** Every resource's fields with the metadata ones, merged once (kubelets parse a selector each, 5,000 of them at config-max). */
const gettersByResource = new Map<string, Record<string, Getter>>();
function gettersOf(resource: string): Record<string, Getter> {
  let g = gettersByResource.get(resource);
  if (!g) gettersByResource.set(resource, (g = { ...meta, ...(perResource[resource] ?? {}) }));
  return g;
}

/** One requirement: `field=value` (or `==`), `field!=value`. */
const REQUIREMENT = /^\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*?)\s*$/;

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  requirements: FieldRequirement[];
  matches(o: KubeObject): boolean;
  /** The node a `spec.nodeName=X` selector pins, so watches can be indexed by it. */
  nodeName?: string;
}

export class FieldSelectorError extends Error {}

export function parseFieldSelector(resource: string, text: string | undefined): FieldSelector | undefined {
  if (!text || !text.trim()) return undefined;
  const getters = gettersOf(resource);
  const requirements: FieldRequirement[] = [];
  const checks: Array<[Getter, '=' | '!=', string]> = [];
  for (const part of text.split(',')) {
    const m = REQUIREMENT.exec(part);
    if (!m) throw new FieldSelectorError(`invalid selector: '${text}'; can't understand '${part}'`);
    const [, field, rawOp, value] = m;
    const get = getters[field];
    if (!get) throw new FieldSelectorError(`field label not supported: ${field}`);
    const op = rawOp === '!=' ? '!=' : '=';
    requirements.push({ field, op, value });
    checks.push([get, op, value]);
  }
  const pinned = requirements.find((r) => r.field === 'spec.nodeName' && r.op === '=');
  return {
    requirements,
    nodeName: resource === 'pods' ? pinned?.value : undefined,
    matches: (o) => checks.every(([get, op, value]) => (get(o) === value) === (op === '=')),
  };
}
