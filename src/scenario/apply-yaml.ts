// `kubectl apply -f -` for the YAML editor, as a pure plan: parse the text
// (multi-document, `kind: List` expanded), do kubectl's client-side checks,
// then send every document to the apiserver with dryRun=All (kubectl's
// --dry-run=server) and map each refusal to the line of its field. Nothing
// is applied here: only when every document passes does the caller record
// `{ action: 'apply', manifests }`, which performs the real requests.
//
// Follows kubectl's apply (staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go:
// applyOneObject) for the messages and the summary lines, simplified:
// - An existing object is replaced by the document (kubectl computes a
//   three-way patch from the last-applied-configuration annotation, which
//   kubeviz does not write). What the document leaves out is kept as apply
//   would keep it: status and server-set metadata (the apiserver's own
//   update strategy), and labels, annotations, ownerReferences and
//   finalizers when the document has no such key at all. A field deleted
//   from the text is deleted, as `kubectl edit` would do.
// - Documents are checked against the cluster as it is, not against the
//   documents before them; the one dependency handled is a Namespace
//   created earlier in the same text. The same object twice is refused.
// - The dry runs leave no wire message (see WriteOptions.dryRun).
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { resourceForKind, RESOURCES, storageKey, type KubeObject, type ResourceInfo } from '../sim/api/types';
import { semanticEqual } from '../sim/api/validation/equal';
import type { ApiResult } from '../sim/apiserver/apiserver';
import type { Failure } from '../sim/apiserver/status';
import type { Cluster } from '../sim/cluster';
import { isPlainObject } from './manifest-check';
import { YamlSource, type PathSegment } from './yaml-source';

export type DiagnosticSeverity = 'error' | 'warning';

export interface ApplyDiagnostic {
  /** 1-based line in the text. */
  line: number;
  /** 1-based column, when the problem has an exact position (YAML syntax errors). */
  column?: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  severity: DiagnosticSeverity;
  /** 1-based document (`---` section) the problem is in. */
  document: number;
  /** A 409 Conflict: the object moved on since this text was loaded; reloading it is the way out. */
  conflict?: true;
  /** For a conflict: the stored object, as the store keys it ("Deployment/default/web"). */
  objectKey?: string;
  /** For a conflict: the document's text (offsets into the text), to replace with the stored object; unset for an item of a List. */
  span?: { from: number; to: number };
}

export type ApplyPlan =
  | {
      ok: true;
      /** What `{ action: 'apply', manifests }` should carry: the documents that create or change something, in order. */
      manifests: KubeObject[];
      /** kubectl's line per object: "deployment.apps/web configured", "pod/debug created", "node/node-1 unchanged". */
      summary: string[];
      /** Problems that do not stop the apply (e.g. a renamed object becomes a new one). */
      warnings: ApplyDiagnostic[];
    }
  | { ok: false; diagnostics: ApplyDiagnostic[] };

export interface PlanOptions {
  /** The stored object the text was loaded from ("Deployment/default/web"), if any. */
  sourceKey?: string;
}

/** Guards against YAML alias bombs in pasted text, as the scenario parser does. */
const MAX_ALIAS_COUNT = 100;

/** The client kubectl's requests carry (the same name as the apply action's). */
const CLIENT = 'kubectl';

/** Metadata that others write (controllers, kubectl label/annotate): kept from storage when the document has no such key. */
const CARRIED_METADATA = ['labels', 'annotations', 'ownerReferences', 'finalizers'] as const;

/**
 * Upstream reports some fields under a path other than where they are
 * written (Node taints as "metadata.taints"); the line points where the
 * user wrote it. The same rule as manifest-check.ts's.
 */
const WRITTEN_AT: Array<[RegExp, string]> = [[/^metadata\.taints/, 'spec.taints']];

/** One object of the text, where it was written. */
interface Entry {
  value: unknown;
  src: YamlSource;
  document: number;
  /** The document's text, when the document is this one object (not an item of a List). */
  span?: { from: number; to: number };
}

export function planApply(cluster: Cluster, text: string, opts: PlanOptions = {}): ApplyPlan {
  const lines = new LineCounter();
  const diagnostics: ApplyDiagnostic[] = [];
  const entries: Entry[] = [];
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false }) as Document.Parsed[];
  } catch (e) {
    return { ok: false, diagnostics: [{ line: 1, message: `YAML cannot be read: ${(e as Error).message}`, severity: 'error', document: 1 }] };
  }
  if (!Array.isArray(docs)) docs = [];

  docs.forEach((doc, i) => {
    const document = i + 1;
    if (doc.errors.length) {
      for (const err of doc.errors) {
        const start = lines.linePos(err.pos[0]);
        const end = lines.linePos(Math.max(err.pos[1], err.pos[0]));
        diagnostics.push({
          line: start.line,
          column: start.col,
          endLine: end.line,
          endColumn: end.col,
          message: `YAML syntax error: ${err.message.split('\n')[0]}`,
          severity: 'error',
          document,
        });
      }
      return;
    }
    if (doc.contents === null) return; // only comments, or nothing between two `---`
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      diagnostics.push({ line: lines.linePos(doc.range[0]).line, message: `YAML cannot be read: ${(e as Error).message}`, severity: 'error', document });
      return;
    }
    const src = new YamlSource(doc, lines);
    const span = documentSpan(text, doc);
    if (isPlainObject(value) && value.kind === 'List' && Array.isArray(value.items)) {
      value.items.forEach((item, j) => entries.push({ value: item, src: src.at('items', j), document }));
    } else entries.push({ value, src, document, span });
  });
  // Syntax first: a text that does not parse says so and nothing else, wherever the error is.
  if (diagnostics.length) return { ok: false, diagnostics };

  const manifests: KubeObject[] = [];
  const summary: string[] = [];
  const warnings: ApplyDiagnostic[] = [];
  const seen = new Map<string, number>();
  const namespacesCreated = new Set<string>();
  for (const entry of entries) {
    const checked = clientSideCheck(entry);
    if ('message' in checked) {
      diagnostics.push(checked);
      continue;
    }
    const { info, obj } = checked;
    const name = obj.metadata.name!;
    const namespace = info.namespaced ? obj.metadata.namespace || 'default' : undefined;
    const key = `${info.kind}/${namespace ?? ''}/${name}`;
    const at = (path: string | PathSegment[], message: string, extra: Partial<ApplyDiagnostic> = {}): ApplyDiagnostic => ({
      line: entry.src.line(path) ?? entry.src.line() ?? 1,
      message,
      severity: 'error',
      document: entry.document,
      ...extra,
    });
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      diagnostics.push(at('metadata.name', `${kubectlName(info, name)} is already in this text (document ${earlier}); each object may appear once`));
      continue;
    }
    seen.set(key, entry.document);
    if (opts.sourceKey && key !== opts.sourceKey && entries.length === 1)
      warnings.push({ ...at('metadata.name', `this creates or changes ${kubectlName(info, name)}; the object this text was loaded from stays as it is`), severity: 'warning' });

    const stored = cluster.etcd.store.get(storageKey(info, namespace, name))?.value as KubeObject | undefined;
    const manifest = stored ? withCarriedMetadata(obj, stored) : obj;
    const rv = obj.metadata.resourceVersion;
    if (!stored && rv) {
      // kubectl apply creates what is missing, and storage refuses a create that names a revision (a stale text of a deleted object).
      diagnostics.push(at('metadata.resourceVersion', 'Internal error occurred: resourceVersion should not be set on objects to be created'));
      continue;
    }
    let r: ApiResult;
    try {
      r = stored ? cluster.apiserver.update(CLIENT, manifest, { dryRun: true }) : cluster.apiserver.create(CLIENT, manifest, { dryRun: true });
    } catch (e) {
      // A shape the simulation cannot read (a map where a list belongs, ...): upstream's decoder refuses such a body with 400.
      diagnostics.push(at('', `${info.kind} in version ${JSON.stringify(info.apiVersion)} cannot be handled as a ${info.kind}: ${(e as Error).message}`));
      continue;
    }
    if (!r.ok) {
      // NamespaceLifecycle cannot know about a Namespace this same text creates first.
      if (!stored && info.namespaced && namespace && namespacesCreated.has(namespace) && isMissingNamespace(r.status, namespace)) {
        manifests.push(withoutResourceVersion(manifest));
        summary.push(`${kubectlName(info, name)} created`);
        continue;
      }
      diagnostics.push(...failureDiagnostics(r.status, entry, at, key));
      continue;
    }
    if (info.kind === 'Namespace' && !stored) namespacesCreated.add(name);
    if (stored && (r.object === stored || semanticEqual(r.object, stored))) {
      summary.push(`${kubectlName(info, name)} unchanged`);
      continue;
    }
    manifests.push(withoutResourceVersion(manifest));
    summary.push(`${kubectlName(info, name)} ${stored ? 'configured' : 'created'}`);
  }
  if (diagnostics.length) return { ok: false, diagnostics: [...diagnostics, ...warnings] };
  return { ok: true, manifests, summary, warnings };
}

/** kubectl's own checks before it sends anything: a mapping with apiVersion, a known kind, metadata and a name. */
function clientSideCheck(entry: Entry): { info: ResourceInfo; obj: KubeObject } | ApplyDiagnostic {
  const { value, src, document } = entry;
  const at = (path: string, message: string): ApplyDiagnostic => ({ line: src.line(path) ?? src.line() ?? 1, message, severity: 'error', document });
  if (!isPlainObject(value)) return at('', 'must be a mapping (a Kubernetes object with apiVersion, kind and metadata)');
  const o = value as Partial<KubeObject>;
  const kindSet = typeof o.kind === 'string' && o.kind !== '';
  const versionSet = typeof o.apiVersion === 'string' && o.apiVersion !== '';
  // kubectl's schema check lists both when both are missing.
  if (!kindSet || !versionSet)
    return at(kindSet ? 'kind' : '', `error validating data: ${[!versionSet && 'apiVersion not set', !kindSet && 'kind not set'].filter(Boolean).join(', ')}`);
  const kind = o.kind!;
  const info = resourceForKind(kind);
  if (!info || o.apiVersion !== info.apiVersion) {
    const hint = info ? `use apiVersion ${info.apiVersion}` : `kubeviz simulates ${RESOURCES.map((r) => r.kind).join(', ')}`;
    return at(info ? 'apiVersion' : 'kind', `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(o.apiVersion)} (${hint})`);
  }
  if (!isPlainObject(o.metadata)) return at('metadata', 'resource name may not be empty');
  const { name, generateName } = o.metadata as { name?: unknown; generateName?: unknown };
  if (typeof name !== 'string' || name === '') {
    if (typeof generateName === 'string' && generateName !== '') return at('metadata.generateName', `from ${generateName}: cannot use generate name with apply`);
    return at('metadata', 'resource name may not be empty');
  }
  return { info, obj: value as unknown as KubeObject };
}

/** The apiserver's refusal, at the line of each field it names (422), or where the document says what the refusal is about. */
function failureDiagnostics(
  s: Failure,
  entry: Entry,
  at: (path: string, message: string, extra?: Partial<ApplyDiagnostic>) => ApplyDiagnostic,
  objectKey: string,
): ApplyDiagnostic[] {
  if (s.reason === 'Conflict') return [at('metadata.resourceVersion', s.message, { conflict: true, objectKey, ...(entry.span ? { span: entry.span } : {}) })];
  const causes = (s.details?.causes ?? []).filter((c) => typeof c.field === 'string');
  if (s.reason === 'Invalid' && causes.length > 0) {
    const parts = splitInvalid(s.message, causes.map((c) => c.field!));
    return causes.map((c, i) => at(writtenAt(c.field!), parts?.[i] ?? s.message));
  }
  if (s.code === 404 && s.details?.kind === 'namespaces') return [at('metadata.namespace', s.message)];
  return [at('', s.message)];
}

/**
 * One message per field from a 422's aggregate: `X "n" is invalid: [a: ..., b: ...]`
 * becomes `X "n" is invalid: a: ...` and `X "n" is invalid: b: ...`. Found by each
 * field's position, in order, since a part may itself contain ", ".
 * Undefined when the message does not have that shape.
 */
function splitInvalid(message: string, fields: string[]): string[] | undefined {
  const marker = ' is invalid: ';
  const cut = message.indexOf(marker);
  if (cut < 0) return undefined;
  const head = message.slice(0, cut + marker.length);
  const body = message.slice(cut + marker.length);
  if (fields.length === 1) return [message];
  if (!body.startsWith('[') || !body.endsWith(']')) return undefined;
  const inner = body.slice(1, -1);
  const starts: number[] = [];
  let from = 0;
  for (const f of fields) {
    const pos = inner.indexOf(`${f}: `, from);
    if (pos < 0) return undefined;
    starts.push(pos);
    from = pos + 1;
  }
  return starts.map((s, i) => head + inner.slice(s, i + 1 < starts.length ? starts[i + 1] - 2 : inner.length));
}

function writtenAt(field: string): string {
  for (const [re, to] of WRITTEN_AT) if (re.test(field)) return field.replace(re, to);
  return field;
}

function isMissingNamespace(s: Failure, namespace: string): boolean {
  return s.code === 404 && s.details?.kind === 'namespaces' && s.details?.name === namespace;
}

/** What apply keeps from storage when the document has no such key. */
function withCarriedMetadata(obj: KubeObject, stored: KubeObject): KubeObject {
  const meta: Record<string, unknown> = { ...obj.metadata };
  for (const k of CARRIED_METADATA) {
    if (!Object.prototype.hasOwnProperty.call(meta, k) && stored.metadata[k] !== undefined) meta[k] = stored.metadata[k];
  }
  return { ...obj, metadata: meta as KubeObject['metadata'] };
}

/** The apply action drops it anyway; the action log need not carry it. */
function withoutResourceVersion(obj: KubeObject): KubeObject {
  if (obj.metadata.resourceVersion === undefined) return obj;
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  void _rv;
  return { ...obj, metadata };
}

/** "deployment.apps/web", as kubectl names an object in its output. */
export function kubectlName(info: ResourceInfo, name: string): string {
  return `${info.kind.toLowerCase()}${info.group ? `.${info.group}` : ''}/${name}`;
}

/** The text of one document, without the `---` that opens it, so it can be replaced by another object's YAML. */
function documentSpan(text: string, doc: Document.Parsed): { from: number; to: number } {
  let from = doc.range[0];
  const to = doc.range[2];
  const marker = /^---[ \t]*\r?\n?/.exec(text.slice(from, to));
  if (marker) from += marker[0].length;
  return { from, to };
}
