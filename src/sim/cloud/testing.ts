// Fixtures for the cloud tests: a cluster on the simulated cloud from plain
// manifests, and readers for what a test looks at.
import type { NodeIpamConfig } from '../controllers/node-ipam-config';
import type { Event, Node, Service } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import { createCluster, type Cluster } from '../cluster';
import { DEFAULT_CLOUD, emptyScenario, type CloudModel, type TimelineEntry } from '../model';

export function node(name: string, zone = 'us-east-1a', extra: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kubernetes.io/zone': zone, ...extra } }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } };
}

export function lbService(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80 }], ...extra } };
}

export function cloudCluster(objects: KubeObject[], opts: { cloud?: Partial<CloudModel> | null; timeline?: TimelineEntry[]; seed?: number; nodeIpam?: NodeIpamConfig } = {}): Cluster {
  const cloud = opts.cloud === null ? undefined : { ...DEFAULT_CLOUD, ...(opts.cloud ?? {}) };
  return createCluster({ ...emptyScenario(), seed: opts.seed ?? 1, objects, timeline: opts.timeline ?? [], ...(cloud ? { cloud } : {}) }, { nodeIpam: opts.nodeIpam });
}

export function getNode(c: Cluster, name: string): Node | undefined {
  const r = c.apiserver.client('test').get('Node', undefined, name);
  return r.ok ? (r.object as Node) : undefined;
}

export function getService(c: Cluster, name: string, namespace = 'default'): Service | undefined {
  const r = c.apiserver.client('test').get('Service', namespace, name);
  return r.ok ? (r.object as Service) : undefined;
}

export const taintsOf = (n: Node | undefined): string[] => (n?.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);

/** Events about an object, in the order they were first recorded. */
export function eventsFor(c: Cluster, kind: string, name: string): Event[] {
  const r = c.apiserver.client('test').list('Event');
  if (!r.ok) return [];
  return (r.items as unknown as Event[])
    .filter((e) => e.involvedObject?.kind === kind && e.involvedObject?.name === name)
    .sort((a, b) => Number(a.metadata?.resourceVersion) - Number(b.metadata?.resourceVersion));
}

export const reasons = (events: Event[]): string[] => events.map((e) => e.reason ?? '');

/** The cloud's calls the trace holds, as "Verb key" at their instants. */
export function cloudCalls(c: Cluster, verb?: string): Array<{ t: number; verb: string; key: string; ok: boolean }> {
  return c
    .trace()
    .filter((m) => m.to === 'cloud' && (!verb || m.verb === verb))
    .map((m) => ({ t: m.t, verb: m.verb, key: m.key, ok: m.ok }));
}

/** The Ready condition's status and when it last changed. */
export function readyOf(n: Node | undefined): { status: string; since: string } | undefined {
  const c = n?.status?.conditions?.find((x) => x.type === 'Ready');
  return c ? { status: c.status, since: c.lastTransitionTime ?? '' } : undefined;
}
