// Test fixtures for the node agents: whole clusters from a few manifests,
// and recorders that note, to the millisecond, every Event and every pod
// status change as a watcher sees it (the watch delivers 1 ms after the write).
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import { createCluster, type Cluster } from '../cluster';
import { emptyScenario, type RegistryModel } from '../model';

export function node(name: string, capacity?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, ...(capacity ? { status: { capacity } } : {}) };
}

export interface PodOptions {
  node?: string;
  image?: string;
  containers?: Container[];
  initContainers?: Container[];
  behavior?: Record<string, unknown>;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  grace?: number;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
  labels?: Record<string, string>;
}

export function pod(name: string, o: PodOptions = {}): KubeObject {
  const resources = o.requests || o.limits ? { resources: { ...(o.requests ? { requests: o.requests } : {}), ...(o.limits ? { limits: o.limits } : {}) } } : {};
  const containers = o.containers ?? [{ name: 'app', image: o.image ?? 'nginx:1.27', ...resources }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.behavior ? { annotations: { 'kubeviz.dev/behavior': JSON.stringify(o.behavior) } } : {}),
    },
    spec: {
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}),
      ...(o.grace !== undefined ? { terminationGracePeriodSeconds: o.grace } : {}),
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
      containers,
    },
  };
}

export function cluster(objects: KubeObject[], registry?: RegistryModel): Cluster {
  return createCluster({ ...emptyScenario(), objects, ...(registry ? { registry } : {}) });
}

export interface SeenEvent {
  t: number;
  object: string;
  type: string;
  reason: string;
  message: string;
  count: number;
}

/** Every Event create or count bump, with the instant the watch saw it. */
export function recordEvents(c: Cluster): SeenEvent[] {
  const out: SeenEvent[] = [];
  c.apiserver.client('test-events').watch('Event', {}, (ev) => {
    if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') return;
    const e = ev.object as KubeObject & { involvedObject: { name: string }; type: string; reason: string; message: string; count: number };
    out.push({ t: c.now, object: e.involvedObject.name, type: e.type, reason: e.reason, message: e.message, count: e.count });
  });
  return out;
}

export interface PodSnapshot {
  t: number;
  phase?: string;
  /** The first container's state: "running", "waiting:CrashLoopBackOff", "terminated:Completed", ... */
  state: string;
  ready: boolean;
  restarts: number;
  pod: Pod;
}

function stateOf(p: Pod): string {
  const s = p.status?.containerStatuses?.[0]?.state;
  if (!s) return 'none';
  if (s.running) return 'running';
  if (s.waiting) return `waiting:${s.waiting.reason}`;
  return `terminated:${s.terminated?.reason}`;
}

/** Each version of the pod a watcher sees. */
export function recordPod(c: Cluster, name: string): PodSnapshot[] {
  const out: PodSnapshot[] = [];
  c.apiserver.client('test-pods').watch('Pod', { fieldSelector: `metadata.name=${name}` }, (ev) => {
    if (ev.type === 'BOOKMARK') return;
    const p = ev.object as Pod;
    out.push({
      t: c.now,
      phase: ev.type === 'DELETED' ? 'DELETED' : p.status?.phase,
      state: stateOf(p),
      ready: p.status?.conditions?.find((x) => x.type === 'Ready')?.status === 'True',
      restarts: p.status?.containerStatuses?.[0]?.restartCount ?? 0,
      pod: p,
    });
  });
  return out;
}

export function getPod(c: Cluster, name: string): Pod | undefined {
  const r = c.apiserver.client('test').get('Pod', 'default', name);
  return r.ok ? (r.object as Pod) : undefined;
}

/** The instants at which events with this reason (and object) were seen, new or repeated. */
export function times(events: SeenEvent[], reason: string, object?: string): number[] {
  return events.filter((e) => e.reason === reason && (!object || e.object === object)).map((e) => e.t);
}
