// One table row per stored object: what `kubectl get` would show in a word.
// Rows are rebuilt only for objects whose resourceVersion moved, so an
// unchanged object keeps the same row (and its memoized table row).
import type { Deployment, KubeObject, Node, Pod, ReplicaSet, Service } from '../../sim/api/types';

export type RowTone = 'ok' | 'warn' | 'bad' | 'muted';

export interface ObjectRow {
  /** kind/namespace/name: unique and stable. */
  key: string;
  kind: string;
  namespace: string;
  name: string;
  resourceVersion: string;
  status: string;
  tone: RowTone;
  detail: string;
}

export function objectKey(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

/** Reuses a previous row when the object did not change (same resourceVersion). */
export function objectRows(objects: KubeObject[], previous: ReadonlyMap<string, ObjectRow>): ObjectRow[] {
  return objects.map((o) => {
    const key = objectKey(o);
    const old = previous.get(key);
    const rv = o.metadata.resourceVersion ?? '';
    return old && old.resourceVersion === rv ? old : objectRow(o, key, rv);
  });
}

export function objectRow(o: KubeObject, key = objectKey(o), resourceVersion = o.metadata.resourceVersion ?? ''): ObjectRow {
  const { status, tone, detail } = summarize(o);
  return { key, kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '', resourceVersion, status, tone, detail };
}

function summarize(o: KubeObject): Pick<ObjectRow, 'status' | 'tone' | 'detail'> {
  switch (o.kind) {
    case 'Node':
      return node(o as unknown as Node);
    case 'Pod':
      return pod(o as unknown as Pod);
    case 'Deployment':
    case 'ReplicaSet':
      return replicas(o as unknown as Deployment | ReplicaSet);
    case 'Service':
      return service(o as unknown as Service);
    case 'Namespace': {
      const phase = (o.status as { phase?: string } | undefined)?.phase ?? 'Active';
      return { status: phase, tone: phase === 'Active' ? 'ok' : 'warn', detail: '' };
    }
    default:
      return { status: '', tone: 'muted', detail: '' };
  }
}

function node(n: Node): Pick<ObjectRow, 'status' | 'tone' | 'detail'> {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  const status = ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown';
  const parts = [status];
  if (n.spec?.unschedulable) parts.push('SchedulingDisabled');
  const cap = n.status?.capacity ?? {};
  const detail = [cap.cpu && `${cap.cpu} CPU`, cap.memory && `${cap.memory}`, cap.pods && `${cap.pods} pods`].filter(Boolean).join(' · ');
  return { status: parts.join(','), tone: status === 'Ready' ? (n.spec?.unschedulable ? 'warn' : 'ok') : 'bad', detail };
}

function pod(p: Pod): Pick<ObjectRow, 'status' | 'tone' | 'detail'> {
  const phase = p.metadata?.deletionTimestamp ? 'Terminating' : (p.status?.phase ?? 'Pending');
  const tone: RowTone = phase === 'Running' || phase === 'Succeeded' ? 'ok' : phase === 'Failed' ? 'bad' : 'warn';
  return { status: phase, tone, detail: p.spec?.nodeName ? `on ${p.spec.nodeName}` : 'not scheduled' };
}

function replicas(d: Deployment | ReplicaSet): Pick<ObjectRow, 'status' | 'tone' | 'detail'> {
  const want = d.spec?.replicas ?? 1;
  const ready = d.status?.readyReplicas ?? 0;
  const current = d.status?.replicas ?? 0;
  return { status: `${ready}/${want} ready`, tone: ready >= want ? 'ok' : 'warn', detail: `${current} current` };
}

function service(s: Service): Pick<ObjectRow, 'status' | 'tone' | 'detail'> {
  const ports = (s.spec?.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(', ');
  const type = s.spec?.type ?? 'ClusterIP';
  // kubectl get svc's EXTERNAL-IP: a LoadBalancer's address once the cloud gave one.
  const external = type === 'LoadBalancer' ? `external ${s.status?.loadBalancer?.ingress?.[0]?.ip ?? '<pending>'}` : '';
  const status = s.spec?.clusterIP === 'None' ? 'headless' : (s.spec?.clusterIP ?? '<pending>');
  return { status, tone: 'muted', detail: [type, ports, external].filter(Boolean).join(' · ') };
}
