// kube-apiserver's request pipeline (staging/src/k8s.io/apiserver: the
// handlers, admission, the generic registry store over etcd3), shared by
// every replica; apiserver-replica.ts is one process, load-balancer.ts the
// balancer in front of several.
import type { Actor } from 'xstate';
import { applyDefaults } from '../api/defaults';
import type { FieldError } from '../api/field-errors';
import { parseSelector } from '../api/selector-parse';
import { prepareForCreate, prepareForStatusUpdate, prepareForUpdate } from '../api/strategy';
import { qualifiedKind, resourceByName, resourceForKind, storageKey, type KubeObject, type PriorityClass, type ResourceInfo } from '../api/types';
import { validateCreate, validateUpdate } from '../api/validation';
import { semanticEqual } from '../api/validation/equal';
import { EtcdUnavailableError, type EtcdCluster } from '../etcd/etcd-cluster';
import { IdSource } from '../kernel/ids';
import { Rng } from '../kernel/rng';
import type { Kernel } from '../kernel/kernel';
import { timestamp, virtualMs } from '../kernel/time';
import { mutate, validate as admit, type AdmissionContext, type Operation } from './admission';
import type { apiserverMachine } from './apiserver-machine';
import { ApiClient } from './api-client';
import { ApiServerReplica, type ReplicaSpec } from './apiserver-replica';
import { CompactRevKey } from './compactor';
import { LB_ADDRESS, LB_NAME, LoadBalancer, type LoadBalancerView } from './load-balancer';
import { FieldSelectorError, parseFieldSelector } from './field-selector';
import { type DeletionPropagation, finalizersForPropagation, markAsDeleting, setFinalizers, shouldDeleteDuringUpdate, specFinalizers, startTermination, withSpecFinalizers } from './deletion';
import { mergePatch } from './merge-patch';
import { PodNodeIndex } from './pod-node-index';
import { allocateService, releaseService, ServiceIpAllocator } from './service-ips';
import * as status from './status';
import { isFailure, type Failure } from './status';
import { eventFor, type WatchEvent, type WatchHandle, type WatchHandler } from './watch-hub';

export { ApiClient } from './api-client';
export type { ReplicaSpec } from './apiserver-replica';

export interface ApiServerSettings {
  /** Delay before a committed change reaches a watcher, ms. */
  watchDelay: number;
  /** --etcd-compaction-interval, ms. */
  compactionInterval: number;
  /** How often watches that allow them get a BOOKMARK, ms. */
  bookmarkInterval: number;
}

export const DEFAULT_APISERVER: ApiServerSettings = { watchDelay: 1, compactionInterval: 5 * 60_000, bookmarkInterval: 60_000 };

export type ApiResult<T = KubeObject> = { ok: true; object: T } | { ok: false; status: Failure };
export type ListResult = { ok: true; items: KubeObject[]; resourceVersion: string } | { ok: false; status: Failure };

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchOptions extends ListOptions {
  /** Unset or "0": start with ADDED for what exists now. "N": every change after revision N (410 Gone if compacted). */
  resourceVersion?: string;
  allowBookmarks?: boolean;
  onClose?: () => void;
}

export type { DeletionPropagation } from './deletion';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  /** Unset: the resource's default (Background; Orphan for batch/v1 Jobs, as upstream keeps for compatibility). */
  propagationPolicy?: DeletionPropagation;
}

export interface WriteOptions {
  /** status: only .status changes. finalize (namespaces): only spec.finalizers changes. */
  subresource?: 'status' | 'finalize';
  /**
   * dryRun=All: the whole pipeline runs and the response is what would be
   * stored, but nothing is: no revision, no watch event, no uid or name
   * drawn from the seed, no Service address claimed, and no wire message
   * (the trace is part of the cluster's state; upstream keeps dry runs to
   * its audit log).
   */
  dryRun?: boolean;
}

/** The one etcd transaction a request made, for the trace. */
interface EtcdHop {
  key: string;
  ok: boolean;
  error?: string;
}

interface Outcome<R> {
  result: R;
  resource: string;
  key: string;
  etcd?: EtcdHop;
}

type MutableMeta = { -readonly [K in keyof KubeObject['metadata']]: KubeObject['metadata'][K] };

/** The options of a plain write (shared: the pipeline only reads its options). */
const NO_WRITE_OPTIONS: WriteOptions = Object.freeze({});

/** Kinds whose metadata.generation counts spec changes. */
const TRACKS_GENERATION = new Set(['deployments', 'replicasets', 'daemonsets', 'jobs', 'statefulsets']);

const CONNECTION_REFUSED = `The connection to the server ${LB_ADDRESS} was refused - did you specify the right host or port?`;

/** The one apiserver of a control plane without a load balancer, at the address kubeconfigs name. */
export const SINGLE_APISERVER: ReplicaSpec = { name: 'kube-apiserver', host: 'control-plane', address: LB_ADDRESS };

/**
 * kube-apiserver: one replica, or several behind a load balancer (an HA
 * control plane), over one etcd. Requests are synchronous calls that
 * return what the HTTP response would carry; watch events arrive later,
 * through the kernel. The pipeline is the same whichever replica serves;
 * the replica decides who answers, whose watch cache streams the events
 * and whose name the trace shows.
 */
export class ApiServer {
  readonly name = 'kube-apiserver';
  /** Every kube-apiserver process, in control-plane machine order. */
  readonly replicas: readonly ApiServerReplica[];
  /** In front of the replicas when there are several; with one, clients reach it directly. */
  readonly loadBalancer?: LoadBalancer;
  readonly ips: ServiceIpAllocator;
  private readonly podsByNode = new PodNodeIndex();
  private readonly admissionContexts: Record<Operation, Map<ResourceInfo, AdmissionContext>> = { CREATE: new Map(), UPDATE: new Map(), DELETE: new Map() };

  constructor(
    private readonly kernel: Kernel,
    readonly etcd: EtcdCluster,
    readonly settings: ApiServerSettings = DEFAULT_APISERVER,
    replicas: readonly ReplicaSpec[] = [SINGLE_APISERVER],
  ) {
    const compactKey = new CompactRevKey();
    this.replicas = replicas.map((spec) => new ApiServerReplica(kernel, etcd, settings, spec, compactKey));
    if (this.replicas.length > 1) this.loadBalancer = new LoadBalancer(kernel, this.replicas);
    this.ips = new ServiceIpAllocator(kernel.rng);
    etcd.onCommit((ev) => {
      this.podsByNode.apply(ev);
      for (const r of this.replicas) r.dispatch(ev);
    });
  }

  /** The first replica's statechart (the only one without HA). */
  get actor(): Actor<typeof apiserverMachine> {
    return this.replicas[0].actor;
  }

  /** Does a request get an answer? Without HA: is the apiserver running; with HA: is a backend the balancer believes up running. */
  get running(): boolean {
    return this.loadBalancer ? this.loadBalancer.reachable() : this.replicas[0].running;
  }

  get watchCount(): number {
    let n = 0;
    for (const r of this.replicas) n += r.hub.size;
    return n;
  }

  replica(name: string): ApiServerReplica | undefined {
    return this.replicas.find((r) => r.name === name);
  }

  /** The load balancer's view of its backends (undefined without HA). */
  loadBalancerView(): LoadBalancerView | undefined {
    return this.loadBalancer?.view();
  }

  /** Stops every replica. */
  stop(): void {
    for (const r of this.replicas) r.stop();
  }

  start(): void {
    for (const r of this.replicas) r.start();
  }

  /**
   * A client with an identity: what it sends and receives is traced under its name.
   * `reachable`: false while the client's machine is cut off (a network partition).
   */
  client(name: string, opts: { reachable?: () => boolean } = {}): ApiClient {
    return new ApiClient(this, name, opts.reachable);
  }

  // ---- reads ---------------------------------------------------------------

  get(client: string, kind: string, namespace: string | undefined, name: string): ApiResult {
    return this.serve<ApiResult>(client, 'get', () => {
      const info = this.resolve(kind);
      if ('code' in info) return { result: fail(info), resource: kind, key: name };
      const obj = this.current(info, namespace, name);
      return { result: obj ? { ok: true, object: obj } : fail(status.notFound(info.resource, name)), resource: info.resource, key: ref(namespace, name) };
    });
  }

  list(client: string, kind: string, opts: ListOptions = {}): ListResult {
    const info = this.resolve(kind);
    if ('code' in info) return this.serve<ListResult>(client, 'list', () => ({ result: fail(info), resource: kind, key: '' }));
    return this.serve<ListResult>(client, 'list', () => {
      const match = this.matcher(info, opts);
      if ('code' in match) return { result: fail(match), resource: info.resource, key: opts.namespace ?? '' };
      const items: KubeObject[] = [];
      for (const o of this.candidatesInKeyOrder(info, match.nodeName)) {
        if (opts.namespace && o.metadata.namespace !== opts.namespace) continue;
        if (match.fn && !match.fn(o)) continue;
        items.push(o);
      }
      return { result: { ok: true, items, resourceVersion: String(this.etcd.store.revision) }, resource: info.resource, key: opts.namespace ?? '' };
    });
  }

  watch(client: string, kind: string, opts: WatchOptions, handler: WatchHandler): ApiResult<WatchHandle> {
    return this.serve<ApiResult<WatchHandle>>(client, 'watch', (replica) => {
      const info = this.resolve(kind);
      if ('code' in info) return { result: fail(info), resource: kind, key: '' };
      const match = this.matcher(info, opts);
      if ('code' in match) return { result: fail(match), resource: info.resource, key: '' };
      const spec = {
        client,
        info,
        namespace: opts.namespace || undefined,
        matches: match.fn,
        nodeName: match.nodeName,
        allowBookmarks: opts.allowBookmarks ?? false,
        handler,
        onClose: opts.onClose,
      };
      const rv = opts.resourceVersion;
      const store = this.etcd.store;
      if (rv === undefined || rv === '' || rv === '0') {
        const objects: KubeObject[] = [];
        for (const o of this.candidatesInKeyOrder(info, match.nodeName)) {
          if (spec.namespace && o.metadata.namespace !== spec.namespace) continue;
          if (!match.fn || match.fn(o)) objects.push(o);
        }
        const initial: WatchEvent[] = objects.map((object) => ({ type: 'ADDED' as const, object }));
        // WatchList semantics: the initial state ends with a BOOKMARK annotated k8s.io/initial-events-end.
        if (spec.allowBookmarks)
          initial.push({
            type: 'BOOKMARK',
            object: {
              apiVersion: info.apiVersion,
              kind: info.kind,
              metadata: { resourceVersion: String(store.revision), annotations: { 'k8s.io/initial-events-end': 'true' } },
            },
          });
        return { result: { ok: true, object: replica.hub.add(spec, initial) }, resource: info.resource, key: spec.namespace ?? '' };
      }
      const from = Number(rv);
      if (!Number.isInteger(from) || from < 0) return { result: fail(status.badRequest(`invalid resource version: ${rv}`)), resource: info.resource, key: '' };
      if (from < store.compactedRevision) {
        // etcd refuses a compacted revision; the apiserver says so as 410 Gone and ends the watch.
        const gone = status.gone(`too old resource version: ${from} (${store.compactedRevision})`);
        return { result: { ok: true, object: replica.hub.fail(spec, gone) }, resource: info.resource, key: '' };
      }
      // Replay what happened after `from`; the hub carries on live from there.
      const prefix = `/registry/${info.resource}/`;
      const replay: WatchEvent[] = [];
      for (const ev of store.eventsFrom(from + 1)) {
        if (!ev.kv.key.startsWith(prefix)) continue;
        const out = eventFor(spec, ev);
        if (out) replay.push(out);
      }
      const handle = replica.hub.add(spec, replay);
      return { result: { ok: true, object: handle }, resource: info.resource, key: spec.namespace ?? '' };
    });
  }

  // ---- writes --------------------------------------------------------------

  create(client: string, input: KubeObject, opts: WriteOptions = NO_WRITE_OPTIONS): ApiResult {
    const dryRun = opts.dryRun === true;
    return this.serve<ApiResult>(client, 'create', () => {
      const prepared = this.prepareNew(input, true, dryRun ? this.throwawayIds() : this.kernel.ids);
      if (isFailure(prepared)) return { result: fail(prepared), resource: resourceForKind(input?.kind)?.resource ?? String(input?.kind ?? ''), key: input?.metadata?.name ?? '' };
      const { info, obj } = prepared;
      const name = obj.metadata.name!;
      const key = ref(obj.metadata.namespace, name);
      const etcdKey = storageKey(info, obj.metadata.namespace, name);
      if (this.etcd.store.get(etcdKey)) return { result: fail(status.alreadyExists(resourceLabel(info), name)), resource: info.resource, key };
      const allocated = info.resource === 'services' ? allocateService(this.ips, obj, dryRun) : obj;
      if (isFailure(allocated)) return { result: fail(allocated), resource: info.resource, key };
      // A dry-run create answers with the object as it would be stored, before storage gives it a resourceVersion.
      if (dryRun) return { result: { ok: true, object: allocated }, resource: info.resource, key };
      return this.put(info, etcdKey, allocated, key);
    }, dryRun);
  }

  /**
   * Ids for a dry run: the response carries a uid (and a generated name) as
   * upstream's does, drawn from a source seeded by the instant and revision
   * so the cluster's own source is left where it was.
   */
  private throwawayIds(): IdSource {
    return new IdSource(new Rng(`dry-run/${this.kernel.now}/${this.etcd.store.revision}`));
  }

  /**
   * The create pipeline up to storage: scope, generateName, defaulting,
   * server-set fields, mutating admission, validation, validating admission.
   */
  prepareNew(input: KubeObject, admitNamespace: boolean, ids: IdSource = this.kernel.ids): { info: ResourceInfo; obj: KubeObject } | Failure {
    const info = this.resolveObject(input);
    if (isFailure(info)) return info;
    let obj = this.withScope(info, input);
    let name = obj.metadata.name ?? '';
    if (!name && obj.metadata.generateName) {
      do name = obj.metadata.generateName + ids.nameSuffix();
      while (this.current(info, obj.metadata.namespace, name));
    }
    // System fields come first (FillObjectMetaSystemFields): a Job's generated selector needs its uid.
    const system = { uid: ids.uid(), creationTimestamp: timestamp(this.kernel.now) };
    obj = prepareForCreate(applyDefaults({ ...obj, metadata: { ...stripSystemFields(obj.metadata), name, ...system } }));
    obj = {
      ...obj,
      metadata: {
        ...stripSystemFields(obj.metadata),
        ...system,
        ...(TRACKS_GENERATION.has(info.resource) ? { generation: 1 } : {}),
      },
    };
    const admitted = this.admit(obj, 'CREATE', info);
    if (isFailure(admitted)) return admitted;
    obj = admitted;
    const errors = validateCreate(obj);
    if (errors.length) return status.invalid(qualifiedKind(info), name, errors);
    if (admitNamespace) {
      const denied = admit(obj, this.admission('CREATE', info));
      if (denied) return denied;
    }
    return { info, obj };
  }

  /**
   * Loads the starting cluster as a restored etcd snapshot: objects that
   * already went through prepareNew, stored without requests or watch
   * events. Service addresses are claimed as they are.
   */
  restore(objects: Array<{ info: ResourceInfo; obj: KubeObject; ownsMetadata?: boolean }>): void {
    const entries: Array<[string, (rev: number) => KubeObject]> = [];
    for (const { info, obj, ownsMetadata } of objects) {
      if (ownsMetadata && info.resource !== 'services') {
        // An object stamped for the snapshot alone (a settled workload's pod): its metadata takes the revision in place.
        entries.push([storageKey(info, obj.metadata.namespace, obj.metadata.name!), (rev) => (((obj.metadata as { resourceVersion?: string }).resourceVersion = String(rev)), obj)]);
        continue;
      }
      let stored = obj;
      if (info.resource === 'services') {
        const allocated = allocateService(this.ips, obj);
        if (!isFailure(allocated)) stored = allocated;
      }
      const final = stored;
      entries.push([
        storageKey(info, obj.metadata.namespace, obj.metadata.name!),
        (rev) => ({ ...final, metadata: { ...final.metadata, resourceVersion: String(rev) } }),
      ]);
    }
    this.etcd.store.restore(entries);
    for (const kv of this.etcd.store.range('/registry/pods/')) this.podsByNode.add(kv.key, kv.value as KubeObject);
  }

  /** A fresh metadata.uid, for objects stamped from one prepared template. */
  newUid(): string {
    return this.kernel.ids.uid();
  }

  /** Five random characters, as generateName appends (for pods stamped into the starting cluster). */
  newNameSuffix(): string {
    return this.kernel.ids.nameSuffix();
  }

  /** Does the store hold this object? */
  exists(kind: string, namespace: string | undefined, name: string): boolean {
    const info = resourceByName(kind);
    return info !== undefined && this.current(info, namespace, name) !== undefined;
  }

  update(client: string, input: KubeObject, opts: WriteOptions = NO_WRITE_OPTIONS): ApiResult {
    const verb = opts.subresource ? `update ${opts.subresource}` : 'update';
    return this.serve<ApiResult>(client, verb, () => this.updateInner(input, opts), opts.dryRun === true);
  }

  patch(client: string, kind: string, namespace: string | undefined, name: string, patch: unknown, opts: WriteOptions = {}): ApiResult {
    return this.serve<ApiResult>(client, opts.subresource === 'status' ? 'patch status' : 'patch', () => {
      const info = this.resolve(kind);
      if ('code' in info) return { result: fail(info), resource: kind, key: name };
      const cur = this.current(info, namespace, name);
      if (!cur) return { result: fail(status.notFound(resourceLabel(info), name)), resource: info.resource, key: ref(namespace, name) };
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
        return { result: fail(status.badRequest('the patch must be a JSON object')), resource: info.resource, key: ref(namespace, name) };
      const patched = mergePatch(cur, patch) as KubeObject;
      const rv = (patch as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion ?? cur.metadata.resourceVersion;
      return this.updateInner({ ...patched, metadata: { ...patched.metadata, resourceVersion: rv } }, opts);
    }, opts.dryRun === true);
  }

  delete(client: string, kind: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): ApiResult {
    return this.serve<ApiResult>(client, 'delete', () => this.deleteInner(kind, namespace, name, opts));
  }

  /** POST pods/NAME/binding: what the scheduler does to place a pod. */
  /** `annotations` are the Binding's metadata.annotations, which upstream copies onto the pod. */
  bind(client: string, namespace: string, podName: string, nodeName: string, annotations?: Record<string, string>): ApiResult {
    return this.serve<ApiResult>(client, 'create', () => {
      const info = resourceForKind('Pod')!;
      const key = ref(namespace, podName);
      const cur = this.current(info, namespace, podName);
      if (!cur) return { result: fail(status.notFound('pods', podName)), resource: 'pods/binding', key };
      const spec = (cur.spec ?? {}) as { nodeName?: string };
      if (spec.nodeName)
        return { result: fail(status.conflict('pods/binding', podName, `pod ${podName} is already assigned to node ${JSON.stringify(spec.nodeName)}`)), resource: 'pods/binding', key };
      if (cur.metadata.deletionTimestamp)
        return { result: fail(status.conflict('pods/binding', podName, `pod ${podName} is being deleted, cannot be assigned to a host`)), resource: 'pods/binding', key };
      const st = (cur.status ?? {}) as { conditions?: Array<{ type: string }> };
      const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(this.kernel.now) };
      const bound: KubeObject = {
        ...cur,
        ...(annotations ? { metadata: { ...cur.metadata, annotations: { ...cur.metadata.annotations, ...annotations } } } : {}),
        spec: { ...(cur.spec as object), nodeName },
        status: { ...st, conditions: [...(st.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), scheduled] },
      };
      const out = this.put(info, storageKey(info, namespace, podName), bound, key);
      return { ...out, resource: 'pods/binding' };
    });
  }

  /** POST pods/NAME/eviction: a delete that (once PodDisruptionBudgets exist) respects them. */
  evict(client: string, namespace: string, podName: string, opts: DeleteOptions = {}): ApiResult {
    return this.serve<ApiResult>(client, 'create', () => {
      const out = this.deleteInner('Pod', namespace, podName, opts);
      return { ...out, resource: 'pods/eviction' };
    });
  }

  // ---- pipeline pieces -----------------------------------------------------

  private updateInner(input: KubeObject, opts: WriteOptions): Outcome<ApiResult> {
    const info = this.resolveObject(input);
    if ('code' in info) return { result: fail(info), resource: input?.kind ?? '', key: input?.metadata?.name ?? '' };
    const obj0 = this.withScope(info, input);
    const name = obj0.metadata.name ?? '';
    const key = ref(obj0.metadata.namespace, name);
    const resource = opts.subresource ? `${info.resource}/${opts.subresource}` : info.resource;
    const etcdKey = storageKey(info, obj0.metadata.namespace, name);
    const cur = this.etcd.store.get(etcdKey)?.value as KubeObject | undefined;
    if (!cur) return { result: fail(status.notFound(resourceLabel(info), name)), resource, key };
    const rv = obj0.metadata.resourceVersion;
    if (rv && rv !== cur.metadata.resourceVersion) return { result: fail(status.conflict(resourceLabel(info), name, status.STALE_OBJECT)), resource, key };
    const statusOnly = opts.subresource === 'status';
    if (opts.subresource === 'finalize' && info.resource !== 'namespaces') return { result: fail(status.notFound(resource, name)), resource, key };
    let obj = statusOnly
      ? prepareForStatusUpdate(obj0, cur)
      : opts.subresource === 'finalize'
        ? withSpecFinalizers(cur, obj0)
        : prepareForUpdate(applyDefaults(obj0), cur);
    // Fields only the server sets are kept from storage, whatever the client sent (rest.BeforeUpdate).
    // Each strategy above returns a fresh metadata object (never the client's or storage's): this request
    // owns it, stamps it here and put() stamps its resourceVersion.
    const meta = obj.metadata as MutableMeta;
    meta.uid = meta.uid || cur.metadata.uid;
    pin(meta, 'creationTimestamp', cur.metadata.creationTimestamp);
    pin(meta, 'deletionTimestamp', cur.metadata.deletionTimestamp);
    pin(meta, 'deletionGracePeriodSeconds', cur.metadata.deletionGracePeriodSeconds);
    meta.resourceVersion = cur.metadata.resourceVersion;
    const admitted = this.admit(obj, 'UPDATE', info);
    if (isFailure(admitted)) return { result: fail(admitted), resource, key };
    obj = admitted;
    // A status write keeps everything but .status from storage, so only the main resource is revalidated.
    const errors = statusOnly ? [] : validateUpdate(obj, cur);
    if (errors.length) return { result: this.invalid(info, name, errors), resource, key };
    const denied = statusOnly ? undefined : admit(obj, this.admission('UPDATE', info));
    if (denied) return { result: fail(denied), resource, key };
    // An update that changes nothing is not written: no new resourceVersion, no watch event.
    // (spec first: it is where an update usually differs, and the metadata compare is the long one)
    const unchanged = statusOnly ? semanticEqual(obj.status, cur.status) : semanticEqual(obj.spec, cur.spec) && semanticEqual(obj, cur);
    if (unchanged) return { result: { ok: true, object: cur }, resource, key };
    // Dry run: the object as it would be written, still at the stored resourceVersion.
    if (opts.dryRun) return { result: { ok: true, object: obj }, resource, key };
    if (shouldDeleteDuringUpdate(info, obj, cur)) return { ...this.remove(info, etcdKey, cur, key), resource };
    const out = this.put(info, etcdKey, obj, key, true);
    // The outcome is this request's own object: name the subresource in it rather than copy it.
    out.resource = resource;
    return out;
  }

  private deleteInner(kind: string, namespace: string | undefined, name: string, opts: DeleteOptions): Outcome<ApiResult> {
    const info = this.resolve(kind);
    if ('code' in info) return { result: fail(info), resource: kind, key: name };
    const ns = info.namespaced ? namespace || 'default' : undefined;
    const key = ref(ns, name);
    const etcdKey = storageKey(info, ns, name);
    const cur = this.etcd.store.get(etcdKey)?.value as KubeObject | undefined;
    if (!cur) return { result: fail(status.notFound(resourceLabel(info), name)), resource: info.resource, key };
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== cur.metadata.uid)
      return {
        result: fail(status.conflict(resourceLabel(info), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`)),
        resource: info.resource,
        key,
      };
    if (pre.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion)
      return {
        result: fail(
          status.conflict(
            resourceLabel(info),
            name,
            `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`,
          ),
        ),
        resource: info.resource,
        key,
      };
    const unchanged = { result: { ok: true as const, object: cur }, resource: info.resource, key };
    if (info.resource === 'namespaces' && IMMORTAL_NAMESPACES.has(name))
      // NamespaceLifecycle admission: the namespaces the cluster itself needs cannot go.
      return { result: fail(status.forbidden('namespaces', name, 'this namespace may not be deleted')), resource: info.resource, key };
    if (info.resource === 'namespaces') {
      // The namespace registry's own Delete: the first request only starts termination (phase Terminating).
      if (!cur.metadata.deletionTimestamp) return this.put(info, etcdKey, startTermination(cur, this.kernel.now, opts.propagationPolicy), key);
      // Until the namespace controller has finalized it (spec.finalizers empty), deleting again changes nothing.
      if (specFinalizers(cur).length) return unchanged;
    }
    // rest.BeforeDelete: only pods delete gracefully, and a pending graceful deletion may only be shortened.
    const graceful = info.resource === 'pods' ? this.beforeGracefulDelete(cur, opts) : undefined;
    if (graceful === 'pending') return unchanged;
    const meta: KubeObject['metadata'] = { ...(graceful ?? cur.metadata) };
    // The garbage collector's finalizers (orphan, foregroundDeletion), as the propagation policy asks.
    const gcFinalizers = finalizersForPropagation(info, cur.metadata.finalizers ?? [], opts.propagationPolicy);
    if (gcFinalizers) setFinalizers(meta, gcFinalizers);
    const pendingFinalizers = (meta.finalizers ?? []).length > 0;
    if (!graceful) {
      if (!pendingFinalizers) return this.remove(info, etcdKey, cur, key);
      markAsDeleting(meta, this.kernel.now);
    } else if (!pendingFinalizers && meta.deletionGracePeriodSeconds === 0) return this.remove(info, etcdKey, cur, key);
    // Marked: whoever holds a finalizer (or the kubelet, for a graceful pod) finishes the job.
    if (semanticEqual(meta, cur.metadata)) return unchanged;
    return this.put(info, etcdKey, { ...cur, metadata: meta }, key);
  }

  /**
   * rest.BeforeDelete with the pod strategy's CheckGracefulDelete: the
   * metadata marked for graceful deletion; 'pending' when a deletion with
   * an equal or shorter grace period is already under way; undefined when
   * the pod was already marked with grace 0 (it is deleted at once).
   */
  private beforeGracefulDelete(cur: KubeObject, opts: DeleteOptions): KubeObject['metadata'] | 'pending' | undefined {
    const m = cur.metadata;
    // Negative grace periods count as 1 s on the delete path.
    const asked = opts.gracePeriodSeconds === undefined ? undefined : opts.gracePeriodSeconds < 0 ? 1 : opts.gracePeriodSeconds;
    const now = this.kernel.now;
    if (m.deletionTimestamp) {
      const prev = m.deletionGracePeriodSeconds;
      if (!prev) return undefined;
      if (asked === undefined || asked >= prev) return 'pending';
      // Shorten from the original request, never into the past (a graceful one keeps at least 1 s).
      let at = virtualMs(m.deletionTimestamp) - prev * 1000 + asked * 1000;
      let grace = asked;
      if (at < now) {
        at = now;
        if (grace !== 0) grace = 1;
      }
      return { ...m, deletionTimestamp: timestamp(at), deletionGracePeriodSeconds: grace };
    }
    // CheckGracefulDelete: pods get their grace period unless unscheduled or finished.
    const spec = (cur.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (cur.status as { phase?: string } | undefined)?.phase;
    let grace = asked ?? spec.terminationGracePeriodSeconds ?? 30;
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
    const marked = { ...m, deletionTimestamp: timestamp(now + grace * 1000), deletionGracePeriodSeconds: grace };
    if ((m.generation ?? 0) > 0) marked.generation = m.generation! + 1;
    return marked;
  }

  /** Stores `obj` at the next revision. `ownsMetadata`: obj.metadata is a fresh object this request built, stamped in place. */
  private put(info: ResourceInfo, etcdKey: string, obj: KubeObject, key: string, ownsMetadata = false): Outcome<ApiResult> {
    const next = String(this.etcd.store.revision + 1);
    let stored = obj;
    if (ownsMetadata) (obj.metadata as { resourceVersion?: string }).resourceVersion = next;
    else stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: next } };
    return this.commit(info, etcdKey, key, 'put', stored);
  }

  private remove(info: ResourceInfo, etcdKey: string, cur: KubeObject, key: string): Outcome<ApiResult> {
    const out = this.commit(info, etcdKey, key, 'delete', cur);
    if (out.result.ok && info.resource === 'services') releaseService(this.ips, cur);
    if (out.result.ok) out.result = { ok: true, object: { ...cur, metadata: { ...cur.metadata, resourceVersion: String(this.etcd.store.revision) } } };
    return out;
  }

  private commit(
    info: ResourceInfo,
    etcdKey: string,
    key: string,
    op: 'put' | 'delete',
    result: KubeObject,
  ): Outcome<ApiResult> {
    try {
      if (op === 'put') this.etcd.put(etcdKey, result);
      else this.etcd.delete(etcdKey);
      return { result: { ok: true, object: result }, resource: info.resource, key, etcd: { key: etcdKey, ok: true } };
    } catch (e) {
      if (!(e instanceof EtcdUnavailableError)) throw e;
      // etcd could not commit: the client sees the storage error, as kubectl prints it ("Error from server: ...").
      const failure: Failure = { ...status.internal(e.message), message: e.message };
      return { result: fail(failure), resource: info.resource, key, etcd: { key: etcdKey, ok: false, error: e.message } };
    }
  }

  /**
   * Routes the request to a replica, runs it, and records the request hop
   * and the etcd hop, in that order. A request no replica takes is refused.
   */
  private serve<R extends { ok: boolean }>(client: string, verb: string, run: (replica: ApiServerReplica) => Outcome<R>, dryRun = false): R {
    const replica = this.route(client, dryRun);
    if (!replica) {
      if (!dryRun) this.kernel.trace.record({ from: client, to: this.loadBalancer ? LB_NAME : this.replicas[0].name, verb, resource: '', key: '', ok: false, error: CONNECTION_REFUSED });
      return fail(status.unavailable(CONNECTION_REFUSED)) as unknown as R;
    }
    const out = run(replica);
    if (dryRun) return out.result;
    const r = out.result as unknown as { ok: boolean; status?: Failure };
    const trace = this.kernel.trace;
    trace.hop(client, replica.name, verb, out.resource, out.key, r.ok, r.ok ? undefined : r.status?.message);
    const hop = out.etcd;
    if (hop) {
      const slash = out.resource.indexOf('/');
      trace.hop(replica.name, this.etcd.endpoint(), 'txn', slash < 0 ? out.resource : out.resource.slice(0, slash), hop.key, hop.ok, hop.error || undefined);
    }
    return out.result;
  }

  /** The replica a client reaches: through the load balancer (its connection sticks to one), or the only one. */
  private route(client: string, dryRun: boolean): ApiServerReplica | undefined {
    if (this.loadBalancer) return this.loadBalancer.route(client, dryRun);
    const only = this.replicas[0];
    return only.running ? only : undefined;
  }

  /** The pods bound to a node, as stored (the watch cache's index by spec.nodeName), in etcd's key order; a fresh array. */
  podsOnNode(nodeName: string): KubeObject[] {
    return this.podsByNode.podsInKeyOrder(nodeName);
  }

  /**
   * The objects a list or watch must look at, in key order (namespace/name,
   * as etcd ranges them): a node's pods from the index, else the whole
   * resource in the store's cached key order.
   */
  private candidatesInKeyOrder(info: ResourceInfo, nodeName: string | undefined): KubeObject[] {
    if (nodeName !== undefined && info.resource === 'pods') return this.podsByNode.podsInKeyOrder(nodeName);
    return this.etcd.store.sortedValues(`/registry/${info.resource}/`) as KubeObject[];
  }

  private resolve(kind: string): ResourceInfo | Failure {
    const info = resourceByName(kind);
    return info ?? status.notFoundKind(kind);
  }

  private resolveObject(obj: KubeObject): ResourceInfo | Failure {
    if (typeof obj !== 'object' || obj === null) return status.badRequest('the request body must be an object');
    if (!obj.kind) return status.badRequest("Object 'Kind' is missing in the request body");
    const info = resourceForKind(obj.kind);
    if (!info) return status.badRequest(`no matches for kind ${JSON.stringify(obj.kind)} in version ${JSON.stringify(obj.apiVersion ?? '')}`);
    if (obj.apiVersion !== info.apiVersion)
      return status.badRequest(`no matches for kind ${JSON.stringify(obj.kind)} in version ${JSON.stringify(obj.apiVersion ?? '')}`);
    if (typeof obj.metadata !== 'object' || obj.metadata === null) return status.badRequest("Object 'metadata' is missing in the request body");
    return info;
  }

  /** Namespaced objects default to "default" (as kubectl fills it in); cluster-scoped ones have none. */
  private withScope(info: ResourceInfo, obj: KubeObject): KubeObject {
    const ns = obj.metadata.namespace;
    if (info.namespaced) return ns ? obj : { ...obj, metadata: { ...obj.metadata, namespace: 'default' } };
    if (ns === undefined) return obj;
    const { namespace: _drop, ...metadata } = obj.metadata;
    void _drop;
    return { ...obj, metadata };
  }

  private current(info: ResourceInfo, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.etcd.store.get(storageKey(info, info.namespaced ? namespace || 'default' : undefined, name))?.value as KubeObject | undefined;
  }

  /** The admission plugins' view of storage for one operation on one resource; made once per pair (it only reads storage when asked). */
  private admission(op: Operation, info: ResourceInfo): AdmissionContext {
    const made = this.admissionContexts[op];
    let ctx = made.get(info);
    if (!ctx) {
      const pcs = resourceForKind('PriorityClass')!;
      ctx = {
        op,
        resource: info.resource,
        namespace: (n) => this.current(resourceForKind('Namespace')!, undefined, n),
        priorityClasses: {
          get: (n) => this.current(pcs, undefined, n) as PriorityClass | undefined,
          list: () => [...this.etcd.store.range('/registry/priorityclasses/')].map((kv) => kv.value as PriorityClass),
        },
      };
      made.set(info, ctx);
    }
    return ctx;
  }

  private admit(obj: KubeObject, op: Operation, info: ResourceInfo): KubeObject | Failure {
    return mutate(obj, this.admission(op, info));
  }

  private invalid(info: ResourceInfo, name: string, errors: FieldError[]) {
    return fail(status.invalid(qualifiedKind(info), name, errors));
  }

  private matcher(info: ResourceInfo, opts: ListOptions): { fn?: (o: KubeObject) => boolean; nodeName?: string } | Failure {
    try {
      const labels = opts.labelSelector ? parseSelector(opts.labelSelector).matches : undefined;
      const fields = parseFieldSelector(info.resource, opts.fieldSelector);
      if (!labels && !fields) return {};
      return {
        fn: (o) => (!labels || labels(o.metadata.labels)) && (!fields || fields.matches(o)),
        nodeName: fields?.nodeName,
      };
    } catch (e) {
      if (e instanceof FieldSelectorError || e instanceof Error) return status.badRequest(e.message);
      throw e;
    }
  }
}

function fail(s: Failure): { ok: false; status: Failure } {
  return { ok: false, status: s };
}

function ref(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** "deployments.apps" as upstream names a resource in NotFound/Conflict messages. */
function resourceLabel(info: ResourceInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

/** Fields only the server sets: a client's values are ignored on create. */
/** NamespaceLifecycle's immortal namespaces. */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

function stripSystemFields(m: KubeObject['metadata']): KubeObject['metadata'] {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, deletionTimestamp: _d, deletionGracePeriodSeconds: _g, generation: _gen, ...rest } = m;
  void [_u, _r, _c, _d, _g, _gen];
  return rest;
}

/** Sets a server-owned field to its stored value, or removes it when storage has none. */
function pin<K extends keyof KubeObject['metadata']>(meta: KubeObject['metadata'], k: K, value: KubeObject['metadata'][K]): void {
  if (value !== undefined) meta[k] = value;
  else if (k in meta) delete meta[k];
}
