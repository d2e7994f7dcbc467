// Import a real cluster: the output of `kubectl get nodes,pods,deployments,
// replicasets,daemonsets,statefulsets,jobs,services -A -o yaml` (or -o json,
// or several such outputs one after another) becomes a scenario of that
// cluster as it stands. Not an upstream component: it does what restoring a
// cluster's objects onto a fresh control plane would need, given how the
// simulated apiserver stores a scenario (src/sim/cluster/starting-state.ts):
// - Every object gets a new uid, resourceVersion and creationTimestamp
//   (rest.FillObjectMetaSystemFields) and a fresh status (each registry's
//   PrepareForCreate); Node status is kept, as a registered kubelet's.
// - So ownerReferences are removed: they name the real cluster's uids, and
//   the garbage collector deletes a dependent whose owner uid does not exist
//   (pkg/controller/garbagecollector/garbagecollector.go, isDangling). The
//   controllers adopt their objects again by selector (ControllerRef
//   adoption, pkg/controller/controller_ref_manager.go), before they create
//   anything: a Deployment finds its ReplicaSet by template
//   (deploymentutil.EqualIgnoreHash), a DaemonSet's pods match by
//   pod-template-generation, a Job's by the selector it keeps (made manual,
//   since it names the old uid), a PersistentVolume's claim by name.
// - Pods bound to a node stay there; the kubelet takes them as running. So
//   finished pods and Jobs are left out: they would run again.
// Whatever the simulation cannot model is left out or kept unused, and said
// in a note. Input is data: nothing in it is executed, and it never crashes
// the import (bad input is an ImportError with a clear message, or a note).
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Job, Node, Pod, PriorityClass, Service } from '../sim/api/types';
import { admitPriority, type PriorityClasses } from '../sim/api/admission';
import { applyDefaults } from '../sim/api/defaults';
import { formatFieldError } from '../sim/api/field-errors';
import { prepareForCreate } from '../sim/api/strategy';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from '../sim/api/taints';
import { resourceForKind, type KubeObject, type ResourceInfo } from '../sim/api/types';
import { validateCreate } from '../sim/api/validation';
import { SYSTEM_PRIORITY_CLASSES } from '../sim/api/validation/priority-class';
import { parseIp, SERVICE_CIDR } from '../sim/apiserver/service-ips';
import { DEFAULT_CAPACITY, registeredNode } from '../sim/cluster/node-defaults';
import { SYSTEM_NAMESPACES } from '../sim/cluster/system-objects';
import { timestamp } from '../sim/kernel/time';
import { isPlainObject } from './manifest-check';
import { objectYaml } from './object-yaml';
import { SCENARIO_API_VERSION } from './scenario-document';

/** What the import did about an object (or about the whole input). */
export type ImportAction = 'removed' | 'changed' | 'added' | 'left-out' | 'not-modelled';

export interface ImportNote {
  /** The object, as `Kind namespace/name` (or `Kind name` when cluster-scoped); absent for a note on the whole import. */
  object?: string;
  action: ImportAction;
  /** Why, in a sentence a user can act on. */
  message: string;
}

export interface ImportCounts {
  /** Objects found in the input: the items of every List, and single objects. */
  read: number;
  /** Objects of the input that are in the scenario. */
  imported: number;
  /** Objects the import added because the input lacked them (Namespaces, PriorityClasses). */
  added: number;
  /** Objects of the input left out of the scenario (each has a note). */
  leftOut: number;
  /** The scenario's objects by kind. */
  byKind: Record<string, number>;
}

export interface ImportResult {
  /** A scenario file (YAML) that loadScenario reads: a Scenario document, then the manifests. */
  scenario: string;
  /** The Scenario document's name: imported-<n>-nodes. */
  name: string;
  notes: ImportNote[];
  counts: ImportCounts;
}

/** The input cannot be read at all (not YAML or JSON, no Kubernetes objects in it). */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** Larger than any cluster this app can simulate; a guard against pasting the wrong file. */
export const MAX_IMPORT_CHARS = 64 * 1024 * 1024;
/** Nesting deeper than any Kubernetes object: what a hostile document would need to exhaust the stack. */
const MAX_DEPTH = 64;
/** As parse.ts: guards against YAML alias bombs. */
const MAX_ALIAS_COUNT = 100;

const HOW_TO = 'paste the output of `kubectl get nodes,pods,deployments,replicasets,daemonsets,statefulsets,jobs,services -A -o yaml` (or -o json)';

// ---- reading the input ---------------------------------------------------------

interface RawItem {
  value: unknown;
  /** Where it was: "document 2, items[5]". */
  where: string;
}

/** Values of a text of JSON documents written one after another (`kubectl get ... -o json` twice into one file). */
function splitJsonValues(text: string): unknown[] | undefined {
  const values: unknown[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i])) i++;
    if (i >= n) break;
    if (text[i] !== '{' && text[i] !== '[') return undefined;
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    if (depth !== 0) return undefined;
    try {
      values.push(JSON.parse(text.slice(start, i)));
    } catch {
      return undefined;
    }
  }
  return values;
}

function readDocuments(text: string): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let jsonError: string | undefined;
    try {
      return [JSON.parse(text)];
    } catch (e) {
      jsonError = (e as Error).message;
    }
    const several = splitJsonValues(text);
    if (several) return several;
    // Flow-style YAML also starts with a brace; JSON's own message is the clearer one if YAML fails too.
    try {
      return readYaml(text);
    } catch {
      throw new ImportError(`the input is not valid JSON: ${jsonError}`);
    }
  }
  return readYaml(text);
}

function readYaml(text: string): unknown[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const out: unknown[] = [];
  list.forEach((doc, i) => {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line;
      throw new ImportError(`the input is not valid YAML or JSON: document ${i + 1}, line ${line}: ${err.message.split('\n')[0]}`);
    }
    if (doc.contents === null) return;
    try {
      out.push(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
    } catch (e) {
      throw new ImportError(`document ${i + 1} cannot be read: ${(e as Error).message}`);
    }
  });
  return out;
}

/** The items of every List and every single object, in input order. */
function readItems(text: string, notes: ImportNote[]): RawItem[] {
  if (typeof text !== 'string' || text.trim() === '') throw new ImportError(`the input is empty: ${HOW_TO}`);
  if (text.length > MAX_IMPORT_CHARS) throw new ImportError(`the input is ${text.length} characters, more than the ${MAX_IMPORT_CHARS} an import reads`);
  const docs = readDocuments(text);
  const items: RawItem[] = [];
  const several = docs.length > 1;
  docs.forEach((doc, d) => {
    const where = several ? `document ${d + 1}` : 'the input';
    const at = (field: string) => (several ? `${where}, ${field}` : field);
    if (doc === null || doc === undefined) return;
    if (Array.isArray(doc)) {
      doc.forEach((value, j) => items.push({ value, where: at(`[${j}]`) }));
      return;
    }
    if (!isPlainObject(doc)) {
      notes.push({ action: 'left-out', message: `${where} is not a Kubernetes object or List (it is a ${typeof doc})` });
      return;
    }
    const kind = doc.kind;
    if (Array.isArray(doc.items) && (kind === undefined || (typeof kind === 'string' && kind.endsWith('List')))) {
      // A typed list from the API (PodList, ...) leaves kind and apiVersion off its items.
      const itemKind = typeof kind === 'string' && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
      doc.items.forEach((value, j) => {
        const implied = itemKind && isPlainObject(value) && value.kind === undefined ? { apiVersion: doc.apiVersion, kind: itemKind, ...value } : value;
        items.push({ value: implied, where: at(`items[${j}]`) });
      });
      return;
    }
    items.push({ value: doc, where });
  });
  if (items.length === 0) {
    const why = notes.length ? notes.map((n) => n.message).join('; ') : 'the List has no items';
    throw new ImportError(`found no Kubernetes objects (${why}): ${HOW_TO}`);
  }
  return items;
}

class TooDeep extends Error {}

/** A plain copy of parsed data without `__proto__` keys, so nothing downstream can reach a prototype. */
function cleanData(v: unknown, path: string, depth: number, dropped: string[]): unknown {
  if (depth > MAX_DEPTH) throw new TooDeep();
  if (Array.isArray(v)) return v.map((x, i) => cleanData(x, `${path}[${i}]`, depth + 1, dropped));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '__proto__') {
        dropped.push(path ? `${path}.__proto__` : '__proto__');
        continue;
      }
      out[k] = cleanData(x, path ? `${path}.${k}` : k, depth + 1, dropped);
    }
    return out;
  }
  if (typeof v === 'bigint') return Number(v);
  return v;
}

// ---- what the simulation has and has not --------------------------------------------

/** Built-in kinds kubeviz does not simulate, with what that means for the user. */
const NOT_SIMULATED: Record<string, string> = {
  StatefulSet: 'StatefulSets are not simulated (kubeviz has no StatefulSet controller); its pods are kept as plain pods bound to their nodes, which nothing re-creates if they go',
  CronJob: 'CronJobs are not simulated (no CronJob controller): the Jobs it made are kept, no new ones start',
  ReplicationController: 'ReplicationControllers are not simulated (use a ReplicaSet)',
  ControllerRevision: 'ControllerRevisions are not simulated (DaemonSet revisions are their template hash)',
  Endpoints: 'v1 Endpoints are not simulated: the EndpointSlice controller derives slices from the Services',
  PersistentVolumeClaim: 'volumes are not simulated: pods run without them',
  PersistentVolume: 'volumes are not simulated: pods run without them',
  StorageClass: 'volumes are not simulated',
  CustomResourceDefinition: 'custom resources are not simulated',
};

/** API groups of upstream's built-in kinds; anything else is a custom resource. */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'discovery.k8s.io',
  'coordination.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'rbac.authorization.k8s.io',
  'apiextensions.k8s.io',
  'admissionregistration.k8s.io',
  'apiregistration.k8s.io',
  'certificates.k8s.io',
  'events.k8s.io',
  'node.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
  'storagemigration.k8s.io',
  'internal.apiserver.k8s.io',
]);

/** Finalizers a simulated controller removes; any other would keep a deleted object Terminating forever. */
const KNOWN_FINALIZERS = new Set([
  'batch.kubernetes.io/job-tracking',
  'foregroundDeletion',
  'orphan',
  'kubernetes',
  // StorageObjectInUseProtection's, where kubeviz has the kinds (and so their protection controllers).
  ...(resourceForKind('PersistentVolumeClaim') ? ['kubernetes.io/pvc-protection'] : []),
  ...(resourceForKind('PersistentVolume') ? ['kubernetes.io/pv-protection'] : []),
]);

/** Taints the node lifecycle controller sets from the Node's conditions: the simulation derives its own. */
const CONDITION_TAINTS = new Set([
  TAINT_NODE_NOT_READY,
  TAINT_NODE_UNREACHABLE,
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/pid-pressure',
]);

/** Metadata the apiserver owns: it sets these itself when the scenario loads. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'selfLink', 'managedFields', 'deletionGracePeriodSeconds'] as const;

const SERVICE_RANGE = { base: parseIp(SERVICE_CIDR.split('/')[0])!, size: 2 ** (32 - Number(SERVICE_CIDR.split('/')[1])) };
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const ENDPOINTSLICE_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';

// ---- the import --------------------------------------------------------------------

interface Candidate {
  obj: KubeObject;
  info: ResourceInfo;
  id: string;
  /** Index in input order (added objects come first). */
  order: number;
}

const ref = (kind: string, namespace: string | undefined, name: string) => (namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`);
const key = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;

function isTrue(conditions: unknown, types: string[]): string | undefined {
  if (!Array.isArray(conditions)) return undefined;
  const c = conditions.find((x) => isPlainObject(x) && types.includes(x.type as string) && x.status === 'True');
  return c ? (c.type as string) : undefined;
}

/** Removes a top-level field from an object, saying whether there was one. */
function drop(o: Record<string, unknown>, field: string): boolean {
  if (!(field in o)) return false;
  delete o[field];
  return true;
}

export function importCluster(text: string): ImportResult {
  /** Notes on objects, placed by the object's place in the input (added objects and the input's own problems first). */
  const notes: Array<ImportNote & { order: number }> = [];
  const readNotes: ImportNote[] = [];
  const raw = readItems(text, readNotes);
  for (const n of readNotes) notes.push({ ...n, order: -2 });
  let leftOut = readNotes.length;
  const leftOutIds = new Set<string>();
  /** Objects left out by the kind-full (Events, Leases): one note for each kind. */
  const grouped = new Map<string, { count: number; noun: string; message: string }>();
  const leave = (order: number, object: string | undefined, message: string, action: ImportAction = 'left-out') => {
    leftOut++;
    if (object) leftOutIds.add(object);
    notes.push({ object, action, message, order });
  };
  const leaveGrouped = (kind: string, message: string) => {
    leftOut++;
    const g = grouped.get(kind) ?? { count: 0, noun: kind, message };
    g.count++;
    grouped.set(kind, g);
  };

  // Pass 1: read each item and decide whether it goes in.
  const kept: Candidate[] = [];
  const seen = new Set<string>();
  raw.forEach(({ value, where }, order) => {
    const dropped: string[] = [];
    let data: unknown;
    try {
      data = cleanData(value, '', 0, dropped);
    } catch (e) {
      if (!(e instanceof TooDeep)) throw e;
      return leave(order, undefined, `${where} is nested more than ${MAX_DEPTH} levels deep: not a Kubernetes object`);
    }
    if (!isPlainObject(data)) return leave(order, undefined, `${where} is not a Kubernetes object (a ${Array.isArray(data) ? 'list' : data === null ? 'null' : typeof data})`);
    const kind = data.kind;
    if (typeof kind !== 'string' || kind === '') return leave(order, undefined, `${where} has no kind`);
    const meta = data.metadata;
    const name = isPlainObject(meta) ? meta.name : undefined;
    if (typeof name !== 'string' || name === '') return leave(order, undefined, `${where} (${kind}) has no metadata.name`);
    const apiVersion = typeof data.apiVersion === 'string' ? data.apiVersion : '';
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const info = resourceForKind(kind);
    const namespace = isPlainObject(meta) && typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : undefined;
    const id = ref(kind, info && !info.namespaced ? undefined : (namespace ?? (info ? 'default' : undefined)), name);
    if (dropped.length) notes.push({ object: id, action: 'removed', message: `${dropped.join(', ')} removed: not a Kubernetes field`, order });

    if (!BUILT_IN_GROUPS.has(group)) return leave(order, id, `a custom resource (${apiVersion}): kubeviz simulates only built-in kinds`, 'not-modelled');
    if (!info) return leave(order, id, NOT_SIMULATED[kind] ?? `kind ${kind} is not simulated by kubeviz`, 'not-modelled');
    if (apiVersion !== info.apiVersion) return leave(order, id, `apiVersion ${JSON.stringify(apiVersion)}: kubeviz reads ${kind} as ${info.apiVersion}`, 'not-modelled');
    const m = meta as Record<string, unknown>;
    if (m.deletionTimestamp) return leave(order, id, `was being deleted (deletionTimestamp ${String(m.deletionTimestamp)}): left out, as it will be gone`);
    if (kind === 'Event') return leaveGrouped(kind, 'left out: they are history; the simulation records its own');
    if (kind === 'Lease') return leaveGrouped(kind, 'left out: the simulated kubelets and components hold their own');
    if (kind === 'EndpointSlice' && isPlainObject(m.labels) && m.labels[ENDPOINTSLICE_MANAGED_BY] === 'endpointslice-controller.k8s.io')
      return leaveGrouped(kind, 'of the EndpointSlice controller left out: the simulated controller derives them from the Services');
    if (kind === 'Service' && namespace === 'default' && name === 'kubernetes') return leave(order, id, 'the simulated apiserver has its own `kubernetes` Service');
    if (kind === 'PriorityClass' && name in SYSTEM_PRIORITY_CLASSES) return leave(order, id, 'a built-in PriorityClass: the simulated apiserver has it');
    if (kind === 'Pod') {
      const phase = isPlainObject(data.status) ? data.status.phase : undefined;
      if (phase === 'Succeeded' || phase === 'Failed')
        return leave(order, id, `${phase}: a finished pod is left out (the simulation starts every imported pod afresh, so it would run again)`);
    }
    if (kind === 'Job') {
      const done = isTrue(isPlainObject(data.status) ? data.status.conditions : undefined, ['Complete', 'Failed', 'SuccessCriteriaMet', 'FailureTarget']);
      if (done) return leave(order, id, `a finished Job (${done}) is left out: its status and finished pods cannot be carried over, so it would run again`);
    }
    const k = key(kind, info.namespaced ? (namespace ?? 'default') : undefined, name);
    if (seen.has(k)) return leave(order, id, 'appears twice in the input: the first one is kept');
    seen.add(k);
    kept.push({ obj: data as unknown as KubeObject, info, id, order });
  });

  const present = new Set(kept.map((c) => key(c.info.kind, c.info.namespaced ? (c.obj.metadata.namespace ?? 'default') : undefined, c.obj.metadata.name!)));
  const nodeNames = new Set(kept.filter((c) => c.info.kind === 'Node').map((c) => c.obj.metadata.name!));
  const flags = { status: false, owners: false, bootID: false };
  const serverFields = new Set<string>();
  /** Each object's controller (or first owner) in the input, to say so when it is not in the scenario. */
  const ownerOf = new Map<number, { id: string; key: string }>();

  // Pass 2: make each object one the simulated apiserver takes as it stands.
  const out: Candidate[] = [];
  for (const c of kept) {
    const note = (action: ImportAction, message: string) => notes.push({ object: c.id, action, message, order: c.order });
    const obj = structuredClone(c.obj);
    const meta = obj.metadata as Record<string, unknown>;
    for (const f of SERVER_METADATA) if (drop(meta, f)) serverFields.add(f);
    if (c.info.namespaced) meta.namespace = (meta.namespace as string | undefined) || 'default';
    else delete meta.namespace;

    const owners = Array.isArray(meta.ownerReferences) ? (meta.ownerReferences as Array<Record<string, unknown>>).filter(isPlainObject) : [];
    if (drop(meta, 'ownerReferences') && owners.length) {
      flags.owners = true;
      const controller = owners.find((o) => o.controller === true) ?? owners[0];
      const ns = c.info.namespaced ? (meta.namespace as string) : undefined;
      // A mirror pod's owner is its Node: said with the static pod below.
      if (!(controller.kind === 'Node' && c.info.kind === 'Pod'))
        ownerOf.set(c.order, { id: ref(String(controller.kind), ns, String(controller.name)), key: key(String(controller.kind), ns, String(controller.name)) });
    }

    const finalizers = Array.isArray(meta.finalizers) ? (meta.finalizers as unknown[]) : [];
    const unknownFinalizers = finalizers.filter((f) => !KNOWN_FINALIZERS.has(String(f)));
    if (unknownFinalizers.length) {
      const rest = finalizers.filter((f) => KNOWN_FINALIZERS.has(String(f)));
      if (rest.length) meta.finalizers = rest;
      else delete meta.finalizers;
      note('removed', `finalizers ${unknownFinalizers.map((f) => JSON.stringify(f)).join(', ')} removed: no simulated controller would ever remove them, so a delete would never finish`);
    }

    // The registries reset status on create; a Node's is what its kubelet posted, and the kubelet goes on from it.
    if (c.info.kind !== 'Node') flags.status = drop(obj, 'status') || flags.status;
    switch (c.info.kind) {
      case 'Node':
        importNode(obj as Node, note, flags);
        break;
      case 'Pod':
        importPod(obj as Pod, note, nodeNames, owners, present);
        break;
      case 'Job':
        importJob(c.obj as Job, obj as Job, note);
        break;
      case 'Service':
        importService(obj as Service, note);
        break;
      case 'PersistentVolume':
        importVolume(obj, note);
        break;
      default:
        break;
    }
    out.push({ ...c, obj });
  }

  // Namespaces and PriorityClasses the objects need but the input did not list.
  const added: Candidate[] = [];
  const declared = new Set([...SYSTEM_NAMESPACES, ...out.filter((c) => c.info.kind === 'Namespace').map((c) => c.obj.metadata.name!)]);
  for (const c of out) {
    const ns = c.obj.metadata.namespace;
    if (!ns || declared.has(ns)) continue;
    declared.add(ns);
    const obj: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } };
    added.push({ obj, info: resourceForKind('Namespace')!, id: ref('Namespace', undefined, ns), order: -1 });
    notes.push({ object: ref('Namespace', undefined, ns), action: 'added', message: 'added: the input has objects in it but not the Namespace itself', order: -1 });
  }
  const classes = new Map<string, PriorityClass>();
  for (const [name, value] of Object.entries(SYSTEM_PRIORITY_CLASSES)) classes.set(name, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
  for (const c of out) if (c.info.kind === 'PriorityClass') classes.set(c.obj.metadata.name!, c.obj as unknown as PriorityClass);
  for (const c of out) {
    const spec = podSpecOf(c.obj);
    const name = spec?.priorityClassName;
    if (!spec || typeof name !== 'string' || !name || classes.has(name)) continue;
    // A pod carries its class's value (Priority admission wrote it); a template does not.
    const fromPod = c.info.kind === 'Pod' && typeof spec.priority === 'number';
    const pc: PriorityClass = {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name },
      value: fromPod ? (spec.priority as number) : 0,
      ...(typeof spec.preemptionPolicy === 'string' ? { preemptionPolicy: spec.preemptionPolicy } : {}),
    };
    classes.set(name, pc);
    added.push({ obj: pc as unknown as KubeObject, info: resourceForKind('PriorityClass')!, id: ref('PriorityClass', undefined, name), order: -1 });
    notes.push({
      object: ref('PriorityClass', undefined, name),
      action: 'added',
      message: fromPod
        ? `added with value ${pc.value} (from ${c.id}'s spec.priority): the input names it but does not list PriorityClasses`
        : `added with value 0: ${c.id} names it, and no pod in the input says its value`,
      order: -1,
    });
  }

  // The last word is the simulated apiserver's: what it would refuse is left out, with its reason.
  const lister: PriorityClasses = { get: (n) => classes.get(n), list: () => classes.values() };
  const scenarioObjects: Candidate[] = [];
  for (const c of [...added, ...out]) {
    const problem = refusal(c.obj, lister);
    if (problem) leave(c.order, c.id, `the simulated apiserver would refuse it: ${problem}`);
    else scenarioObjects.push(c);
  }

  // Owners that did not make it into the scenario: the dependent stays, on its own.
  const inScenario = new Set(scenarioObjects.map((c) => key(c.info.kind, c.obj.metadata.namespace, c.obj.metadata.name!)));
  for (const c of scenarioObjects) {
    const owner = ownerOf.get(c.order);
    if (!owner || inScenario.has(owner.key)) continue;
    const gone = leftOutIds.has(owner.id) ? 'left out (see its note)' : 'not in the input';
    const pod = c.info.kind === 'Pod' ? ', bound to its node as it was; nothing re-creates it if it goes' : '';
    notes.push({ object: c.id, action: 'changed', message: `its owner ${owner.id} is ${gone}: kept without an owner${pod}`, order: c.order - 0.5 });
  }

  const general: ImportNote[] = [];
  if (serverFields.size)
    general.push({
      action: 'removed',
      message: `metadata ${SERVER_METADATA.filter((f) => serverFields.has(f)).join(', ')} removed: the apiserver owns these fields, and the simulated one sets its own when the scenario loads (every object is created at the scenario's start)`,
    });
  if (flags.status)
    general.push({
      action: 'removed',
      message: 'status removed from every object but Nodes: the simulation derives it (pods start Running on their nodes with new IPs and no restarts; the workload controllers count their pods again); Node status is kept',
    });
  if (flags.owners)
    general.push({
      action: 'removed',
      message:
        "ownerReferences removed: they name the real cluster's uids, and the garbage collector deletes dependents whose owner uid does not exist; the workload controllers adopt their objects again by selector as the scenario starts (a Deployment its ReplicaSets, a ReplicaSet, DaemonSet or Job its pods)",
    });
  if (flags.bootID) general.push({ action: 'changed', message: 'Node status.nodeInfo.bootID cleared: the simulated kubelet boots afresh, and a different id would be reported as a reboot' });
  for (const g of grouped.values()) general.push({ action: 'left-out', message: `${plural(g.count, g.noun)} ${g.message}` });

  const ordered = scenarioObjects.sort((a, b) => rank(a.info.kind) - rank(b.info.kind) || a.order - b.order);
  const byKind: Record<string, number> = {};
  for (const c of ordered) byKind[c.info.kind] = (byKind[c.info.kind] ?? 0) + 1;
  const nodeCount = byKind.Node ?? 0;
  const name = `imported-${nodeCount}-${nodeCount === 1 ? 'node' : 'nodes'}`;
  const counts: ImportCounts = {
    read: raw.length,
    imported: ordered.filter((c) => c.order >= 0).length,
    added: ordered.filter((c) => c.order < 0).length,
    leftOut,
    byKind,
  };
  // A stable sort: an object's notes keep the order they were made in.
  const placed = notes.sort((a, b) => a.order - b.order).map(({ order: _order, ...n }) => n);
  const allNotes = [...general, ...placed];
  return { scenario: scenarioText(name, ordered, counts, allNotes), name, notes: allNotes, counts };
}

/** PriorityClasses and Namespaces first (Priority admission and namespaced objects need them), then Nodes, then input order. */
function rank(kind: string): number {
  return kind === 'PriorityClass' ? 0 : kind === 'Namespace' ? 1 : kind === 'Node' ? 2 : 3;
}

type PodSpecLike = { priorityClassName?: unknown; priority?: unknown; preemptionPolicy?: unknown };

function podSpecOf(obj: KubeObject): PodSpecLike | undefined {
  const spec = obj.spec as Record<string, unknown> | undefined;
  if (!isPlainObject(spec)) return undefined;
  if (obj.kind === 'Pod') return spec as PodSpecLike;
  const template = spec.template;
  return isPlainObject(template) && isPlainObject(template.spec) ? (template.spec as PodSpecLike) : undefined;
}

function importNode(node: Node, note: (a: ImportAction, m: string) => void, flags: { bootID: boolean }): void {
  const status = node.status as Record<string, unknown> | undefined;
  if (!isPlainObject(status) || !isPlainObject(status.capacity)) note('changed', `has no status.capacity: it gets the simulation's default of ${DEFAULT_CAPACITY.cpu} CPUs, ${DEFAULT_CAPACITY.memory} memory and ${DEFAULT_CAPACITY.pods} pods`);
  const info = isPlainObject(status) ? status.nodeInfo : undefined;
  if (isPlainObject(info) && info.bootID) {
    info.bootID = '';
    flags.bootID = true;
  }
  const ready = isPlainObject(status) && Array.isArray(status.conditions) ? status.conditions.find((c) => isPlainObject(c) && c.type === 'Ready') : undefined;
  if (isPlainObject(ready) && ready.status !== 'True')
    note('changed', `was not Ready in the input (Ready=${String(ready.status)}): its simulated kubelet runs and reports Ready; add a powerOff action to the timeline to have it down`);
  const spec = node.spec as Record<string, unknown> | undefined;
  if (isPlainObject(spec) && Array.isArray(spec.taints)) {
    const taints = spec.taints as Array<Record<string, unknown>>;
    const derived = taints.filter((t) => isPlainObject(t) && CONDITION_TAINTS.has(String(t.key)));
    if (derived.length) {
      const rest = taints.filter((t) => !derived.includes(t));
      if (rest.length) spec.taints = rest;
      else delete spec.taints;
      note('removed', `taints ${derived.map((t) => `${String(t.key)}:${String(t.effect)}`).join(', ')} removed: the node lifecycle controller sets them from the Node's conditions, and will again if the node goes down`);
    }
  }
}

function importPod(pod: Pod, note: (a: ImportAction, m: string) => void, nodes: Set<string>, owners: Array<Record<string, unknown>>, present: Set<string>): void {
  const spec = pod.spec as Record<string, unknown> | undefined;
  const annotations = pod.metadata?.annotations;
  const controller = owners.find((o) => o.controller === true);
  if (isPlainObject(annotations) && MIRROR_ANNOTATION in annotations) {
    note('not-modelled', 'a static pod (the mirror of a manifest on its node): kept as an ordinary pod bound to that node; the simulated kubelet has no static pod manifests, so nothing re-creates it');
  } else if (controller?.kind === 'Node') {
    note('changed', 'owned by its Node: kept as an ordinary pod bound to that node');
  }
  if (!isPlainObject(spec)) return;
  const nodeName = spec.nodeName;
  if (typeof nodeName === 'string' && nodeName && !nodes.has(nodeName))
    note('changed', `bound to node ${JSON.stringify(nodeName)}, which is not in the input: the pod garbage collector will delete it as an orphan`);
  if (drop(spec, 'ephemeralContainers')) note('removed', 'spec.ephemeralContainers removed: ephemeral containers are not simulated (and cannot be set on create)');
  if (Array.isArray(spec.volumes)) {
    const claims = spec.volumes.filter((v) => isPlainObject(v) && isPlainObject(v.persistentVolumeClaim)).map((v) => (v as { persistentVolumeClaim: { claimName?: unknown } }).persistentVolumeClaim.claimName);
    const quoted = (list: unknown[]) => list.map((c) => JSON.stringify(c)).join(', ');
    if (claims.length && !resourceForKind('PersistentVolumeClaim'))
      note('not-modelled', `volumes are not simulated: its PersistentVolumeClaims (${quoted(claims)}) are kept in the spec but do not hold it to a node or a zone`);
    const missing = claims.filter((c) => !present.has(key('PersistentVolumeClaim', pod.metadata?.namespace, String(c))));
    if (missing.length && resourceForKind('PersistentVolumeClaim'))
      note('not-modelled', `its PersistentVolumeClaims (${quoted(missing)}) are not in the input: add persistentvolumeclaims,persistentvolumes to the kubectl command to bring them`);
  }
}

/** Labels of the selector upstream generates for a Job (batch/v1 generateSelector). */
const JOB_UID_LABELS = ['batch.kubernetes.io/controller-uid', 'controller-uid'];

function importJob(original: Job, job: Job, note: (a: ImportAction, m: string) => void): void {
  const spec = job.spec as Record<string, unknown> | undefined;
  if (!isPlainObject(spec)) return;
  const selector = spec.selector;
  const generated = isPlainObject(selector) && isPlainObject(selector.matchLabels) && JOB_UID_LABELS.some((l) => l in (selector.matchLabels as object));
  if (generated && spec.manualSelector !== true) {
    spec.manualSelector = true;
    note('changed', 'spec.manualSelector set to true: its selector names the real cluster\'s Job uid, which the simulation cannot give it, and keeping the selector keeps its running pods its own');
  }
  const succeeded = (original.status as { succeeded?: unknown } | undefined)?.succeeded;
  if (typeof succeeded === 'number' && succeeded > 0)
    note('changed', `${succeeded} of its pods had succeeded: finished pods are left out and the simulated Job counts from 0, so it runs that many again`);
}

function importService(svc: Service, note: (a: ImportAction, m: string) => void): void {
  const spec = svc.spec as Record<string, unknown> | undefined;
  if (!isPlainObject(spec)) return;
  const ip = spec.clusterIP;
  if (typeof ip === 'string' && ip && ip !== 'None') {
    const n = parseIp(ip);
    const inRange = n !== undefined && n - SERVICE_RANGE.base > 0 && n - SERVICE_RANGE.base < SERVICE_RANGE.size - 1;
    if (!inRange) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
      note('changed', `clusterIP ${ip} is outside the simulated service range ${SERVICE_CIDR}: it gets a new one`);
    }
  }
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports as Array<Record<string, unknown>>) {
      if (isPlainObject(p) && typeof p.nodePort === 'number' && (p.nodePort < 30000 || p.nodePort > 32767)) {
        note('changed', `nodePort ${p.nodePort} is outside the simulated range 30000-32767: it gets a new one`);
        delete p.nodePort;
      }
    }
  }
  if (spec.type === 'LoadBalancer') note('not-modelled', 'there is no cloud load balancer in the simulation: it works as a NodePort Service, without an external address');
}

/** A PersistentVolume's claimRef names the claim's uid in the real cluster; by name alone it is pre-bound to that claim. */
function importVolume(pv: KubeObject, note: (a: ImportAction, m: string) => void): void {
  const claimRef = isPlainObject(pv.spec) ? pv.spec.claimRef : undefined;
  if (!isPlainObject(claimRef) || !('uid' in claimRef)) return;
  delete claimRef.uid;
  delete claimRef.resourceVersion;
  note('changed', 'spec.claimRef.uid removed: it is the real cluster\'s; by namespace and name the volume stays bound to its claim');
}

/** Why the simulated apiserver would refuse the object at load (defaulting, Priority admission, validation), or undefined. */
function refusal(input: KubeObject, classes: PriorityClasses): string | undefined {
  try {
    let obj = input.kind === 'Node' ? (registeredNode(input as Node, 0, 0) as KubeObject) : input;
    obj = { ...obj, metadata: { ...obj.metadata, uid: '00000000-0000-4000-8000-000000000000', creationTimestamp: timestamp(0) } };
    obj = prepareForCreate(applyDefaults(obj));
    if (obj.kind === 'Pod') {
      const admitted = admitPriority(obj as Pod, classes);
      if (!admitted.ok) return admitted.message;
      obj = admitted.obj as KubeObject;
    }
    const errors = validateCreate(obj);
    return errors.length ? errors.map(formatFieldError).join('; ') : undefined;
  } catch (e) {
    // Defaulting met a shape it cannot read (a string where a list belongs, ...).
    return `cannot be read as a ${input.kind}: ${(e as Error).message}`;
  }
}

/** A comment line that stays a comment whatever the input put in names: no line breaks or control characters. */
function commentLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `# ${s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')}`.trimEnd();
}

/** "1 Node", "3 Nodes", "2 PriorityClasses". */
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : noun.endsWith('s') ? 'es' : 's'}`;

function scenarioText(name: string, objects: Candidate[], counts: ImportCounts, notes: ImportNote[]): string {
  const summary = Object.entries(counts.byKind)
    .map(([kind, n]) => plural(n, kind))
    .join(', ');
  const firstWorker = objects.find((c) => c.info.kind === 'Node' && !(c.obj.spec as Node['spec'])?.taints?.some((t) => t.effect === 'NoSchedule' && t.key === 'node-role.kubernetes.io/control-plane'));
  const header = [
    `Imported from a real cluster by kubeviz: ${plural(counts.read, 'object')} read, ${counts.imported} imported, ${counts.added} added, ${counts.leftOut} left out.`,
    `The scenario: ${summary || 'no objects'}.`,
    'Notes:',
    ...notes.map((n) => `- ${n.action}: ${n.object ? `${n.object}: ` : ''}${n.message}`),
  ].map(commentLine);
  const scenario = {
    apiVersion: SCENARIO_API_VERSION,
    kind: 'Scenario',
    metadata: {
      name,
      annotations: {
        'kubeviz.dev/title': `Imported cluster: ${summary || 'empty'}`,
        'kubeviz.dev/description': `A real cluster as kubectl printed it: ${plural(counts.imported, 'object')} imported, ${counts.leftOut} left out (see the notes at the top of the file).`,
        ...(firstWorker
          ? { 'kubeviz.dev/try': `What if a node dies? Add a timeline entry {at: 30s, action: powerOff, node: ${firstWorker.obj.metadata.name}}: 40 s later the node is Unknown, and after the pods' 300 s toleration they are evicted and replaced elsewhere.` }
          : {}),
      },
    },
    spec: { seed: 1 },
  };
  return `${header.join('\n')}\n${[scenario, ...objects.map((c) => c.obj)].map(objectYaml).join('---\n')}`;
}
