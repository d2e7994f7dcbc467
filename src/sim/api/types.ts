// The API objects the simulation knows, typed with kubernetes-types.
// Objects in the store are immutable by convention: a writer builds a new
// object (spread copies) and never mutates one it got from the apiserver,
// so watchers, the trace and history can share references safely.
import type { Namespace, Node, Pod, Service, Event, PersistentVolumeClaim, PersistentVolume } from 'kubernetes-types/core/v1';
import type { ReplicaSet, Deployment, DaemonSet, StatefulSet, ControllerRevision } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';

export type { Namespace, Node, Pod, Service, Event, ReplicaSet, Deployment, DaemonSet, Job, EndpointSlice, Lease, PriorityClass, ObjectMeta };
export type { StatefulSet, ControllerRevision, PersistentVolumeClaim, PersistentVolume, StorageClass };

/** Any object the apiserver stores: kind, apiVersion and metadata are always present once stored. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

export type KindName =
  | 'Namespace'
  | 'Node'
  | 'Pod'
  | 'Service'
  | 'Event'
  | 'ReplicaSet'
  | 'Deployment'
  | 'DaemonSet'
  | 'Job'
  | 'EndpointSlice'
  | 'Lease'
  | 'PriorityClass'
  | 'StatefulSet'
  | 'ControllerRevision'
  | 'PersistentVolumeClaim'
  | 'PersistentVolume'
  | 'StorageClass';

/** How a kind is served: its group/version, its REST resource name and whether it lives in a namespace. */
export interface ResourceInfo {
  kind: KindName;
  apiVersion: string;
  group: string;
  /** Plural lower-case name, as in the URL path and etcd key: "pods", "deployments". */
  resource: string;
  namespaced: boolean;
  /** Names kubectl accepts for it: "po", "pod", "deploy", ... */
  aliases: string[];
}

const table: ResourceInfo[] = [
  { kind: 'Namespace', apiVersion: 'v1', group: '', resource: 'namespaces', namespaced: false, aliases: ['ns', 'namespace'] },
  { kind: 'Node', apiVersion: 'v1', group: '', resource: 'nodes', namespaced: false, aliases: ['no', 'node'] },
  { kind: 'Pod', apiVersion: 'v1', group: '', resource: 'pods', namespaced: true, aliases: ['po', 'pod'] },
  { kind: 'Service', apiVersion: 'v1', group: '', resource: 'services', namespaced: true, aliases: ['svc', 'service'] },
  { kind: 'Event', apiVersion: 'v1', group: '', resource: 'events', namespaced: true, aliases: ['ev', 'event'] },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', group: 'apps', resource: 'replicasets', namespaced: true, aliases: ['rs', 'replicaset'] },
  { kind: 'Deployment', apiVersion: 'apps/v1', group: 'apps', resource: 'deployments', namespaced: true, aliases: ['deploy', 'deployment'] },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', group: 'apps', resource: 'daemonsets', namespaced: true, aliases: ['ds', 'daemonset'] },
  { kind: 'Job', apiVersion: 'batch/v1', group: 'batch', resource: 'jobs', namespaced: true, aliases: ['job'] },
  {
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    group: 'discovery.k8s.io',
    resource: 'endpointslices',
    namespaced: true,
    aliases: ['endpointslice'],
  },
  { kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', group: 'coordination.k8s.io', resource: 'leases', namespaced: true, aliases: ['lease'] },
  {
    kind: 'PriorityClass',
    apiVersion: 'scheduling.k8s.io/v1',
    group: 'scheduling.k8s.io',
    resource: 'priorityclasses',
    namespaced: false,
    aliases: ['pc', 'priorityclass'],
  },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', group: 'apps', resource: 'statefulsets', namespaced: true, aliases: ['sts', 'statefulset'] },
  { kind: 'ControllerRevision', apiVersion: 'apps/v1', group: 'apps', resource: 'controllerrevisions', namespaced: true, aliases: ['controllerrevision'] },
  // Volumes before claims: informers start in this order, so at a cluster's first instant the PV controller
  // has seen a volume (and made it Available) before it looks for one for a claim.
  { kind: 'PersistentVolume', apiVersion: 'v1', group: '', resource: 'persistentvolumes', namespaced: false, aliases: ['pv', 'persistentvolume'] },
  { kind: 'PersistentVolumeClaim', apiVersion: 'v1', group: '', resource: 'persistentvolumeclaims', namespaced: true, aliases: ['pvc', 'persistentvolumeclaim'] },
  {
    kind: 'StorageClass',
    apiVersion: 'storage.k8s.io/v1',
    group: 'storage.k8s.io',
    resource: 'storageclasses',
    namespaced: false,
    aliases: ['sc', 'storageclass'],
  },
];

const byKind = new Map<string, ResourceInfo>(table.map((r) => [r.kind, r]));
const byName = new Map<string, ResourceInfo>();
for (const r of table) for (const n of [r.resource, r.kind.toLowerCase(), ...r.aliases]) byName.set(n, r);

export const RESOURCES: readonly ResourceInfo[] = table;

export function resourceForKind(kind: string): ResourceInfo | undefined {
  return byKind.get(kind);
}

/** Looks up a kind by any name kubectl accepts ("pods", "po", "Deployment", "deploy.apps"). */
export function resourceByName(name: string): ResourceInfo | undefined {
  const lower = name.toLowerCase();
  return byName.get(lower) ?? byName.get(lower.split('.')[0]) ?? byKind.get(name);
}

/** "Deployment.apps", as upstream names a kind in error messages; core kinds have no group. */
export function qualifiedKind(info: ResourceInfo): string {
  return info.group ? `${info.kind}.${info.group}` : info.kind;
}

/** The store key, as kube-apiserver lays out etcd: /registry/<resource>/<namespace>/<name>. */
export function storageKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return info.namespaced ? `/registry/${info.resource}/${namespace}/${name}` : `/registry/${info.resource}/${name}`;
}

/** "default/web" for namespaced objects, "node-1" for cluster-scoped ones. */
export function objectRef(obj: { metadata?: ObjectMeta }): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : `${m.name}`;
}
