// The apiserver's validation step: validateCreate runs the kind's create
// rules, validateUpdate the update rules (create rules plus immutability).
// Both return field errors with upstream's paths and messages; [] is valid.
// Run them after applyDefaults and prepareForCreate/prepareForUpdate, as
// upstream validates defaulted objects.
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { FieldError } from '../field-errors';
import { invalid, notSupported } from '../field-errors';
import type { KubeObject } from '../types';
import { RESOURCES } from '../types';
import { validateLease, validateLeaseUpdate } from './coordination';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './discovery';
import { validateEvent, validateEventUpdate } from './events';
import { validateJob, validateJobUpdate } from './job';
import { validateNamespace, validateNamespaceUpdate } from './namespace';
import { validateNode, validateNodeUpdate } from './node';
import { validatePersistentVolume, validatePersistentVolumeClaim, validatePersistentVolumeClaimUpdate, validatePersistentVolumeUpdate } from './persistent-volume';
import { validatePod, validatePodUpdate } from './pod';
import { validatePriorityClass, validatePriorityClassUpdate } from './priority-class';
import { validateService, validateServiceUpdate } from './service';
import { validateControllerRevision, validateControllerRevisionUpdate, validateStatefulSet, validateStatefulSetUpdate } from './statefulset';
import { validateStorageClass, validateStorageClassUpdate } from './storage-class';
import {
  validateDaemonSet,
  validateDaemonSetUpdate,
  validateDeployment,
  validateDeploymentUpdate,
  validateReplicaSet,
  validateReplicaSetUpdate,
} from './workloads';

interface KindValidators {
  create(obj: never): FieldError[];
  update(obj: never, old: never): FieldError[];
}

const as = <T>(create: (o: T) => FieldError[], update: (o: T, old: T) => FieldError[]): KindValidators => ({ create, update }) as KindValidators;

const byKind = new Map<string, KindValidators>([
  ['Namespace', as<Namespace>(validateNamespace, validateNamespaceUpdate)],
  ['Node', as<Node>(validateNode, validateNodeUpdate)],
  ['Pod', as<Pod>(validatePod, validatePodUpdate)],
  ['Service', as<Service>(validateService, validateServiceUpdate)],
  ['Event', as<Event>(validateEvent, validateEventUpdate)],
  ['ReplicaSet', as<ReplicaSet>(validateReplicaSet, validateReplicaSetUpdate)],
  ['Deployment', as<Deployment>(validateDeployment, validateDeploymentUpdate)],
  ['DaemonSet', as<DaemonSet>(validateDaemonSet, validateDaemonSetUpdate)],
  ['Job', as<Job>(validateJob, validateJobUpdate)],
  ['EndpointSlice', as<EndpointSlice>(validateEndpointSlice, validateEndpointSliceUpdate)],
  ['Lease', as<Lease>(validateLease, validateLeaseUpdate)],
  ['PriorityClass', as<PriorityClass>(validatePriorityClass, validatePriorityClassUpdate)],
  ['StatefulSet', as<StatefulSet>(validateStatefulSet, validateStatefulSetUpdate)],
  ['ControllerRevision', as<ControllerRevision>(validateControllerRevision, validateControllerRevisionUpdate)],
  ['PersistentVolumeClaim', as<PersistentVolumeClaim>(validatePersistentVolumeClaim, validatePersistentVolumeClaimUpdate)],
  ['PersistentVolume', as<PersistentVolume>(validatePersistentVolume, validatePersistentVolumeUpdate)],
  ['StorageClass', as<StorageClass>(validateStorageClass, validateStorageClassUpdate)],
]);

const KINDS = RESOURCES.map((r) => r.kind);

function lookup(obj: KubeObject): KindValidators | FieldError[] {
  if (obj == null || typeof obj !== 'object') return [invalid('', obj, 'must be an object')];
  return byKind.get(obj.kind) ?? [notSupported('kind', obj.kind ?? '', KINDS)];
}

export function validateCreate(obj: KubeObject): FieldError[] {
  const v = lookup(obj);
  return Array.isArray(v) ? v : v.create(obj as never);
}

export function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const v = lookup(obj);
  if (Array.isArray(v)) return v;
  if (old?.kind !== obj.kind) return [invalid('kind', obj.kind, 'field is immutable')];
  return v.update(obj as never, old as never);
}

export { POD_UPDATE_FORBIDDEN } from './pod';
export { validateObjectMeta, validateObjectMetaUpdate } from './meta';
export { validatePodSpec, validatePodTemplateSpec } from './pod';
