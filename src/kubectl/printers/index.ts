// Which table prints which kind, and the machine-readable outputs: -o yaml
// (objectYaml, kubectl's sorted-key YAML), -o json (json.MarshalIndent with
// four spaces, map keys sorted, <>& escaped as Go's encoder does) and
// -o name ("deployment.apps/web").
import type { KubeObject } from '../../sim/api/types';
import { objectYaml } from '../../scenario/object-yaml';
import { objectName } from '../resources';
import { podTable } from './pod';
import { nodeTable } from './node';
import { daemonSetTable, deploymentTable, jobTable, replicaSetTable } from './workloads';
import { endpointSliceTable, serviceTable } from './network';
import { eventTable, leaseTable, namespaceTable, priorityClassTable } from './misc';
import { controllerRevisionTable, defaultTable, pvcTable, pvTable, statefulSetTable, storageClassTable } from './storage';
import type { TableDef } from './table';

export const TABLES: Record<string, TableDef> = {
  Pod: podTable,
  Node: nodeTable,
  Deployment: deploymentTable,
  ReplicaSet: replicaSetTable,
  DaemonSet: daemonSetTable,
  Job: jobTable,
  Service: serviceTable,
  EndpointSlice: endpointSliceTable,
  Event: eventTable,
  Namespace: namespaceTable,
  Lease: leaseTable,
  PriorityClass: priorityClassTable,
  StatefulSet: statefulSetTable,
  ControllerRevision: controllerRevisionTable,
  PersistentVolumeClaim: pvcTable,
  PersistentVolume: pvTable,
  StorageClass: storageClassTable,
};

/** The table for a kind, or the server's name-and-age default. */
export const tableFor = (kind: string): TableDef => TABLES[kind] ?? defaultTable;

/** What `-o yaml|json` prints for several objects: a v1 List. */
export function listOf(items: readonly KubeObject[]): object {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

export const toYaml = (obj: object): string => objectYaml(obj);

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** kubectl's JSON printer. */
export function toJson(obj: object): string {
  const text = JSON.stringify(sortKeys(obj), null, 4)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `${text}\n`;
}

export const toNames = (objs: readonly KubeObject[]): string => objs.map((o) => `${objectName(o)}\n`).join('');
