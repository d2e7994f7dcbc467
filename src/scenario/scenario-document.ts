// Reads the one `kind: Scenario` document (apiVersion kubeviz.dev/v1alpha1):
// seed, control-plane shape, timing settings, node pools and the timeline.
// Every mistake becomes a problem with its field path and line.
import type { KubeObject, Node, Pod } from '../sim/api/types';
import { parseImageRef } from '../sim/api/image';
import { tryParseQuantity } from '../sim/api/quantity';
import { DurationError, parseDuration } from '../sim/kernel/duration';
import {
  ACTION_VERBS,
  controlPlaneComponents,
  DEFAULT_SETTINGS,
  type Action,
  DEFAULT_CLOUD,
  type AddonsModel,
  type CloudModel,
  type ClusterSettings,
  type ControlPlaneShape,
  type NodePool,
  type PoolWorkload,
  type NodeVerb,
  type RegistryModel,
  type TimelineEntry,
} from '../sim/model';
import { checkManifest, isPlainObject } from './manifest-check';
import type { ScenarioProblem } from './problems';
import { splitFieldPath, type YamlSource } from './yaml-source';

export const SCENARIO_API_VERSION = 'kubeviz.dev/v1alpha1';

export interface ScenarioParts {
  name?: string;
  seed: number | string;
  controlPlane: ControlPlaneShape;
  settings: ClusterSettings;
  nodePools: NodePool[];
  timeline: TimelineEntry[];
  registry?: RegistryModel;
  cloud?: CloudModel;
  addons?: AddonsModel;
}

const SPEC_KEYS = ['seed', 'controlPlane', 'settings', 'nodePools', 'timeline', 'registry', 'cloud', 'addons'];
const NODE_VERBS = ['cordon', 'uncordon', 'drain', 'powerOff', 'powerOn', 'stopKubelet', 'startKubelet', 'partition', 'heal', 'fillMemory', 'freeMemory', 'deleteMachine'];
/** The fields each verb takes besides `at` and `action`. */
const VERB_FIELDS: Record<string, { required: string[]; optional: string[] }> = {
  apply: { required: ['manifest'], optional: [] },
  delete: { required: ['kind', 'name'], optional: ['namespace'] },
  scale: { required: ['kind', 'name', 'replicas'], optional: ['namespace'] },
  stopComponent: { required: ['component'], optional: [] },
  startComponent: { required: ['component'], optional: [] },
  ...Object.fromEntries(NODE_VERBS.map((v) => [v, { required: ['node'], optional: [] }])),
};

export function readScenarioDocument(value: Record<string, unknown>, src: YamlSource, document: number, problems: ScenarioProblem[]): ScenarioParts {
  const problem = (field: string, message: string) => problems.push({ document, line: src.line(field), field, message, object: 'Scenario' });
  const parts: ScenarioParts = { seed: 1, controlPlane: { etcdMembers: 3, nodes: 1 }, settings: { ...DEFAULT_SETTINGS }, nodePools: [], timeline: [] };
  if (isPlainObject(value.metadata) && typeof value.metadata.name === 'string') parts.name = value.metadata.name;
  const spec = value.spec ?? {};
  if (!isPlainObject(spec)) {
    problem('spec', 'must be a mapping');
    return parts;
  }
  for (const k of Object.keys(spec)) if (!SPEC_KEYS.includes(k)) problem(`spec.${k}`, `unknown field (known: ${SPEC_KEYS.join(', ')})`);

  if (spec.seed !== undefined) {
    if ((typeof spec.seed === 'number' && Number.isInteger(spec.seed)) || (typeof spec.seed === 'string' && spec.seed !== '')) parts.seed = spec.seed;
    else problem('spec.seed', `Invalid value: ${JSON.stringify(spec.seed)}: must be an integer or a non-empty string`);
  }

  const cp = spec.controlPlane;
  if (cp !== undefined) {
    if (!isPlainObject(cp)) problem('spec.controlPlane', 'must be a mapping');
    else {
      for (const k of Object.keys(cp)) if (k !== 'etcdMembers' && k !== 'nodes') problem(`spec.controlPlane.${k}`, 'unknown field (known: etcdMembers, nodes)');
      const count = (field: 'etcdMembers' | 'nodes'): number | undefined => {
        const n = cp[field];
        if (n === undefined) return undefined;
        if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 7) return n;
        problem(`spec.controlPlane.${field}`, `Invalid value: ${JSON.stringify(n)}: must be an integer from 1 to 7`);
        return undefined;
      };
      const nodes = count('nodes') ?? 1;
      // Stacked etcd: with several control-plane machines, one member on each unless told otherwise.
      parts.controlPlane = { etcdMembers: count('etcdMembers') ?? (nodes > 1 ? nodes : 3), nodes };
    }
  }

  const settings = spec.settings;
  if (settings !== undefined) {
    if (!isPlainObject(settings)) problem('spec.settings', 'must be a mapping');
    else
      for (const [k, v] of Object.entries(settings)) {
        const field = `spec.settings.${k}`;
        if (!(k in DEFAULT_SETTINGS)) {
          problem(field, `unknown setting (known: ${Object.keys(DEFAULT_SETTINGS).join(', ')})`);
          continue;
        }
        const ms = duration(v, (m) => problem(field, m));
        if (ms === undefined) continue;
        if (ms <= 0) problem(field, `Invalid value: ${JSON.stringify(v)}: must be greater than 0`);
        else (parts.settings as unknown as Record<string, number>)[k] = ms;
      }
  }

  if (spec.nodePools !== undefined) {
    if (!Array.isArray(spec.nodePools)) problem('spec.nodePools', 'must be a list');
    else spec.nodePools.forEach((p, i) => readPool(p, `spec.nodePools[${i}]`, src, document, problems, parts));
  }

  if (spec.timeline !== undefined) {
    if (!Array.isArray(spec.timeline)) problem('spec.timeline', 'must be a list');
    else spec.timeline.forEach((e, i) => readTimelineEntry(e, `spec.timeline[${i}]`, src, document, problems, parts, parts.controlPlane));
    // Actions at the same instant keep their file order.
    parts.timeline = parts.timeline.map((e, i) => [e, i] as const).sort((a, b) => a[0].at - b[0].at || a[1] - b[1]).map(([e]) => e);
  }

  if (spec.registry !== undefined) parts.registry = readRegistry(spec.registry, problem);
  if (spec.cloud !== undefined) parts.cloud = readCloud(spec.cloud, problem);
  if (spec.addons !== undefined) parts.addons = readAddons(spec.addons, problem);
  return parts;
}

/** spec.cloud: {} or {loadBalancerRange: CIDR}: its presence puts the cluster on the simulated cloud. */
function readCloud(c: unknown, problem: (field: string, message: string) => void): CloudModel | undefined {
  const path = 'spec.cloud';
  if (c === null) return { ...DEFAULT_CLOUD };
  if (!isPlainObject(c)) return void problem(path, 'must be a mapping (an empty one, {}, takes the defaults)');
  for (const k of Object.keys(c)) if (k !== 'loadBalancerRange') problem(`${path}.${k}`, 'unknown field (known: loadBalancerRange)');
  const out = { ...DEFAULT_CLOUD };
  if (c.loadBalancerRange !== undefined) {
    const v = c.loadBalancerRange;
    const m = typeof v === 'string' ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v) : null;
    const valid = m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) >= 8 && Number(m[5]) <= 30;
    if (valid) out.loadBalancerRange = v as string;
    else problem(`${path}.loadBalancerRange`, `Invalid value: ${JSON.stringify(v)}: must be an IPv4 CIDR from /8 to /30, such as "203.0.113.0/24"`);
  }
  return out;
}

/** spec.addons: {dns: true, metricsServer: true}; an addon left out does not run. */
function readAddons(a: unknown, problem: (field: string, message: string) => void): AddonsModel | undefined {
  const path = 'spec.addons';
  if (!isPlainObject(a)) return void problem(path, 'must be a mapping such as {dns: true, metricsServer: true}');
  const out: AddonsModel = { dns: false, metricsServer: false };
  for (const [k, v] of Object.entries(a)) {
    if (k !== 'dns' && k !== 'metricsServer') {
      problem(`${path}.${k}`, 'unknown addon (known: dns, metricsServer)');
      continue;
    }
    if (typeof v !== 'boolean') problem(`${path}.${k}`, `Invalid value: ${JSON.stringify(v)}: must be true or false`);
    else out[k] = v;
  }
  return out;
}

/**
 * spec.registry: {pullRate: BYTES_PER_SECOND, images: [{name, sizeBytes}], missing: [IMAGE, ...]}.
 * Byte counts are integers or quantities ("20M", "150Mi").
 */
function readRegistry(r: unknown, problem: (field: string, message: string) => void): RegistryModel | undefined {
  const path = 'spec.registry';
  if (!isPlainObject(r)) return void problem(path, 'must be a mapping with pullRate, images and missing');
  const known = ['pullRate', 'images', 'missing'];
  for (const k of Object.keys(r)) if (!known.includes(k)) problem(`${path}.${k}`, `unknown field (known: ${known.join(', ')})`);
  const out: RegistryModel = {};
  const bytes = (v: unknown, field: string, what: string): number | undefined => {
    const q = typeof v === 'number' || typeof v === 'string' ? tryParseQuantity(v) : undefined;
    const n = q ? Math.ceil(q.milli / 1000) : NaN;
    if (!(n > 0)) problem(field, `Invalid value: ${JSON.stringify(v)}: must be a positive number of ${what}, such as 20000000 or "20M"`);
    return n > 0 ? n : undefined;
  };
  const image = (v: unknown, field: string): string | undefined => {
    if (typeof v === 'string' && parseImageRef(v)) return v;
    problem(field, `Invalid value: ${JSON.stringify(v)}: must be an image reference such as "nginx:1.27"`);
    return undefined;
  };
  if (r.pullRate !== undefined) out.pullRate = bytes(r.pullRate, `${path}.pullRate`, 'bytes per second');
  if (r.images !== undefined) {
    if (!Array.isArray(r.images)) problem(`${path}.images`, 'must be a list of {name, sizeBytes}');
    else
      out.images = r.images.flatMap((img, i) => {
        const at = `${path}.images[${i}]`;
        if (!isPlainObject(img)) {
          problem(at, 'must be a mapping with name and sizeBytes');
          return [];
        }
        for (const k of Object.keys(img)) if (k !== 'name' && k !== 'sizeBytes') problem(`${at}.${k}`, 'unknown field (known: name, sizeBytes)');
        const name = image(img.name, `${at}.name`);
        let sizeBytes: number | undefined;
        if (img.sizeBytes === undefined) problem(`${at}.sizeBytes`, 'Required value: the image size in bytes');
        else sizeBytes = bytes(img.sizeBytes, `${at}.sizeBytes`, 'bytes');
        return name && sizeBytes ? [{ name, sizeBytes }] : [];
      });
  }
  if (r.missing !== undefined) {
    if (!Array.isArray(r.missing)) problem(`${path}.missing`, 'must be a list of image references');
    else out.missing = r.missing.flatMap((m, i) => image(m, `${path}.missing[${i}]`) ?? []);
  }
  return out;
}

function duration(v: unknown, problem: (m: string) => void): number | undefined {
  if (v === 0) return 0;
  if (typeof v !== 'string') {
    problem(`Invalid value: ${JSON.stringify(v)}: must be a duration such as "90s", "5m" or "1h30m"`);
    return undefined;
  }
  try {
    return parseDuration(v);
  } catch (e) {
    if (e instanceof DurationError) problem(`Invalid value: ${JSON.stringify(v)}: ${e.message} (use a duration such as "90s", "5m" or "1h30m")`);
    else throw e;
    return undefined;
  }
}

function readPool(p: unknown, path: string, src: YamlSource, document: number, problems: ScenarioProblem[], parts: ScenarioParts): void {
  const problem = (field: string, message: string) => problems.push({ document, line: src.line(field), field, message, object: 'Scenario' });
  if (!isPlainObject(p)) return void problem(path, 'must be a mapping with name, count and template');
  const known = ['name', 'count', 'zones', 'template', 'pods', 'workloads'];
  for (const k of Object.keys(p)) if (!known.includes(k)) problem(`${path}.${k}`, `unknown field (known: ${known.join(', ')})`);
  const name = p.name ?? 'node';
  if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 40)
    problem(`${path}.name`, `Invalid value: ${JSON.stringify(name)}: must be a lowercase DNS label of at most 40 characters (node names are NAME-1, NAME-2, ...)`);
  const count = p.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 10_000)
    problem(`${path}.count`, `Invalid value: ${JSON.stringify(count)}: must be an integer from 0 to 10000`);
  const zones = p.zones;
  if (zones !== undefined && (!Array.isArray(zones) || zones.some((z) => typeof z !== 'string' || !z)))
    problem(`${path}.zones`, 'must be a list of zone names');
  const template = p.template ?? {};
  if (!isPlainObject(template)) problem(`${path}.template`, 'must be a Node manifest (metadata, spec, status)');
  let pods: NodePool['pods'];
  if (p.pods !== undefined) {
    const pp = p.pods;
    if (!isPlainObject(pp)) problem(`${path}.pods`, 'must be a mapping with perNode and template');
    else {
      if (typeof pp.perNode !== 'number' || !Number.isInteger(pp.perNode) || pp.perNode < 0)
        problem(`${path}.pods.perNode`, `Invalid value: ${JSON.stringify(pp.perNode)}: must be a non-negative integer`);
      if (!isPlainObject(pp.template) || !isPlainObject(pp.template.spec)) problem(`${path}.pods.template`, 'must be a Pod template with metadata and spec');
      else {
        const probe = { apiVersion: 'v1', kind: 'Pod', ...pp.template, metadata: { name: 'probe', ...(pp.template.metadata as object) } };
        problems.push(...checkManifest(probe, src.at(...splitFieldPath(`${path}.pods.template`)), document, `${path}.pods.template.`));
        pods = { perNode: pp.perNode as number, template: pp.template as Pod };
      }
    }
  }
  if (isPlainObject(template)) {
    const probe = { ...template, apiVersion: 'v1', kind: 'Node', metadata: { ...(template.metadata as object), name: `${String(name)}-1` } };
    problems.push(...checkManifest(probe, src.at(...splitFieldPath(`${path}.template`)), document, `${path}.template.`));
  }
  const workloads = p.workloads === undefined ? undefined : readPoolWorkloads(p.workloads, `${path}.workloads`, problem);
  parts.nodePools.push({ name: String(name), count: Number(count), template: template as Node, zones: zones as string[] | undefined, pods, ...(workloads ? { workloads } : {}) });
}

/** A pool's workloads: [{kind: Deployment | DaemonSet, name, namespace}], each one of the file's objects (the cluster build checks that). */
function readPoolWorkloads(w: unknown, path: string, problem: (field: string, message: string) => void): PoolWorkload[] | undefined {
  if (!Array.isArray(w)) return void problem(path, 'must be a list such as [{kind: Deployment, name: web}]');
  const out: PoolWorkload[] = [];
  w.forEach((e, i) => {
    const at = `${path}[${i}]`;
    if (!isPlainObject(e)) return void problem(at, 'must be a mapping with kind, name and (optionally) namespace');
    for (const k of Object.keys(e)) if (!['kind', 'name', 'namespace'].includes(k)) problem(`${at}.${k}`, 'unknown field (known: kind, name, namespace)');
    if (e.kind !== 'Deployment' && e.kind !== 'DaemonSet') return void problem(`${at}.kind`, `Unsupported value: ${JSON.stringify(e.kind ?? null)}: supported values: "Deployment", "DaemonSet"`);
    if (typeof e.name !== 'string' || !e.name) return void problem(`${at}.name`, 'Required value: the name of one of the scenario\'s Deployments or DaemonSets');
    if (e.namespace !== undefined && (typeof e.namespace !== 'string' || !e.namespace)) return void problem(`${at}.namespace`, `Invalid value: ${JSON.stringify(e.namespace)}: must be a namespace name`);
    out.push({ kind: e.kind, name: e.name, ...(e.namespace ? { namespace: e.namespace as string } : {}) });
  });
  return out;
}

/** One timeline entry (a scenario's or, from a share link, a user's): checked, then added to parts.timeline. */
export function readTimelineEntry(
  e: unknown,
  path: string,
  src: YamlSource,
  document: number,
  problems: ScenarioProblem[],
  parts: ScenarioParts,
  controlPlane: ControlPlaneShape,
): void {
  const problem = (field: string, message: string) => problems.push({ document, line: src.line(field), field, message, object: 'Scenario' });
  if (!isPlainObject(e)) return void problem(path, 'must be a mapping such as {at: 30s, action: powerOff, node: node-2}');
  const verb = e.action;
  if (typeof verb !== 'string' || !(ACTION_VERBS as readonly string[]).includes(verb))
    return void problem(`${path}.action`, `Unsupported value: ${JSON.stringify(verb ?? null)}: supported values: ${ACTION_VERBS.map((v) => JSON.stringify(v)).join(', ')}`);
  const at = e.at === undefined ? undefined : duration(e.at, (m) => problem(`${path}.at`, m));
  if (e.at === undefined) problem(`${path}.at`, 'Required value: when the action happens, e.g. "30s"');
  else if (at !== undefined && at < 0) problem(`${path}.at`, `Invalid value: ${JSON.stringify(e.at)}: must not be negative`);
  const fields = VERB_FIELDS[verb];
  const allowed = ['at', 'action', ...fields.required, ...fields.optional];
  for (const k of Object.keys(e)) if (!allowed.includes(k)) problem(`${path}.${k}`, `unknown field for ${verb} (takes: ${[...fields.required, ...fields.optional].join(', ')})`);
  let bad = false;
  for (const k of fields.required)
    if (e[k] === undefined || e[k] === null || e[k] === '') {
      problem(`${path}.${k}`, `Required value: ${verb} needs ${k}`);
      bad = true;
    }
  for (const k of ['kind', 'name', 'namespace', 'node', 'component'])
    if (e[k] !== undefined && typeof e[k] !== 'string') {
      problem(`${path}.${k}`, `Invalid value: ${JSON.stringify(e[k])}: must be a string`);
      bad = true;
    }
  if (bad || at === undefined) return;
  let action: Action;
  if (verb === 'apply') {
    const list = Array.isArray(e.manifest) ? e.manifest : [e.manifest];
    list.forEach((m, j) => {
      const mp = Array.isArray(e.manifest) ? `${path}.manifest[${j}]` : `${path}.manifest`;
      problems.push(...checkManifest(m, src.at(...splitFieldPath(mp)), document, `${mp}.`));
    });
    action = { action: 'apply', manifests: list as KubeObject[] };
  } else if (verb === 'scale') {
    if (typeof e.replicas !== 'number' || !Number.isInteger(e.replicas) || e.replicas < 0)
      return void problem(`${path}.replicas`, `Invalid value: ${JSON.stringify(e.replicas)}: must be greater than or equal to 0`);
    action = { action: 'scale', kind: e.kind as string, name: e.name as string, namespace: e.namespace as string | undefined, replicas: e.replicas };
  } else if (verb === 'delete') action = { action: 'delete', kind: e.kind as string, name: e.name as string, namespace: e.namespace as string | undefined };
  else if (verb === 'stopComponent' || verb === 'startComponent') {
    // cloud-controller-manager runs only with spec.cloud; without one the action reports that it has no such component.
    const known = [...controlPlaneComponents(controlPlane), 'cloud-controller-manager'];
    if (!known.includes(e.component as string))
      return void problem(`${path}.component`, `Unsupported value: ${JSON.stringify(e.component)}: supported values: ${known.map((k) => JSON.stringify(k)).join(', ')}`);
    action = { action: verb, component: e.component as string };
  } else action = { action: verb as NodeVerb, node: e.node as string };
  parts.timeline.push({ ...action, at } as TimelineEntry);
}
