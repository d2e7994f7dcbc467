// What an EndpointSlice says about a pod and a Service, as
// staging/src/k8s.io/endpointslice/utils.go and util/controller_utils.go
// write it: the endpoint of a pod (addresses, ready/serving/terminating,
// nodeName, zone, targetRef), the ports a Service's targetPorts resolve to
// on that pod, the slice labels mirrored from the Service, and which pod
// changes can change endpoints. Also util/trigger_time_tracker.go.
import type { Node, Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import { isDNS1123Subdomain, maskTrailingDash } from '../api/names';
import { virtualMs } from '../kernel/time';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** v1.EndpointsLastChangeTriggerTime. */
export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

export type AddressType = 'IPv4' | 'IPv6';

// Copied from pkg/api/v1/pod upstream too: this package keeps its own.
const isPodReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const isPodTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** ShouldPodBeInEndpoints (terminating pods included): not finished, and it has an IP. */
export function shouldPodBeInEndpoints(pod: Pod): boolean {
  if (isPodTerminal(pod)) return false;
  return !!pod.status?.podIP || (pod.status?.podIPs?.length ?? 0) > 0;
}

/** isServiceIPSet: a ClusterIP that is neither empty nor None. */
export const isServiceIPSet = (svc: Service) => !!svc.spec?.clusterIP && svc.spec.clusterIP !== 'None';

const isIPv6 = (ip: string) => ip.includes(':');

/** getAddressTypesForService: from ipFamilies, else the ClusterIP's family, else both (headless). */
export function addressTypesForService(svc: Service): AddressType[] {
  const out: AddressType[] = [];
  for (const f of svc.spec?.ipFamilies ?? []) {
    if (f === 'IPv4' && !out.includes('IPv4')) out.push('IPv4');
    if (f === 'IPv6' && !out.includes('IPv6')) out.push('IPv6');
  }
  if (out.length) return out;
  if (isServiceIPSet(svc)) return [isIPv6(svc.spec!.clusterIP!) ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

/** podToEndpoint: ready means serving and not terminating (unless publishNotReadyAddresses). */
export function podToEndpoint(pod: Pod, node: Node | undefined, svc: Service, addressType: AddressType): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const addresses = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip && isIPv6(ip) === (addressType === 'IPv6'));
  const ep: Endpoint = { addresses, conditions: { ready, serving, terminating } };
  if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name && svc.metadata?.namespace === pod.metadata?.namespace) ep.hostname = pod.spec.hostname;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[LABEL_TOPOLOGY_ZONE];
  if (zone) ep.zone = zone;
  return ep;
}

/** findPort: a number is itself; a name is looked up among the containers' ports (and sidecars') of the same protocol. */
function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort;
  if (typeof target === 'number') return target;
  if (typeof target !== 'string') return undefined;
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/**
 * getEndpointPorts: one port per Service port that resolves on the pod.
 * Upstream then orders them by a hash of each (NewPortMapKey); we order them
 * by their JSON, which is as stable and only differs for several ports.
 */
export function endpointPorts(svc: Service, pod: Pod): EndpointPort[] {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0 && svc.spec?.clusterIP === 'None') return [];
  const out: EndpointPort[] = [];
  for (const sp of ports) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port, ...(sp.appProtocol != null ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** PortMapKey: slices group endpoints that expose the same ports. */
export const portMapKey = (ports: readonly EndpointPort[] | null | undefined): string =>
  JSON.stringify([...(ports ?? [])].map((p) => [p.name ?? '', p.protocol ?? 'TCP', p.port, p.appProtocol ?? null]).sort());

/** hashEndpoint: the identity of an endpoint in a set (its sorted addresses, hostname and pod). */
export function endpointKey(ep: Endpoint): string {
  return JSON.stringify([[...(ep.addresses ?? [])].sort(), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

/** EndpointsEqualBeyondHash: what the key does not cover (node, zone, conditions, the pod's uid). */
export function endpointsEqualBeyondKey(a: Endpoint, b: Endpoint): boolean {
  if ((a.nodeName ?? null) !== (b.nodeName ?? null)) return false;
  if ((a.zone ?? null) !== (b.zone ?? null)) return false;
  const ca = a.conditions ?? {};
  const cb = b.conditions ?? {};
  if ((ca.ready ?? null) !== (cb.ready ?? null) || (ca.serving ?? null) !== (cb.serving ?? null) || (ca.terminating ?? null) !== (cb.terminating ?? null)) return false;
  const ra = a.targetRef;
  const rb = b.targetRef;
  if (!ra || !rb) return ra === rb;
  return ra.kind === rb.kind && ra.namespace === rb.namespace && ra.name === rb.name && ra.uid === rb.uid;
}

const isReservedLabel = (k: string) => k === LABEL_SERVICE_NAME || k === LABEL_MANAGED_BY || k === LABEL_HEADLESS;

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

/**
 * setEndpointSliceLabels: the Service's labels (reserved keys skipped), the
 * headless label when it has no ClusterIP, and the service-name and
 * managed-by labels; `changed` when the mirrored labels differ.
 */
export function sliceLabels(slice: EndpointSlice | undefined, svc: Service): { labels: Record<string, string>; changed: boolean } {
  const current: Record<string, string> = {};
  for (const [k, v] of Object.entries(slice?.metadata?.labels ?? {})) if (!isReservedLabel(k)) current[k] = v;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata?.labels ?? {})) if (!isReservedLabel(k)) labels[k] = v;
  const changed = !sameMap(current, labels);
  if (!isServiceIPSet(svc)) labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata!.name!;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return { labels, changed };
}

/** getEndpointSlicePrefix: "<service>-" unless that is not a valid name prefix. */
export function slicePrefix(serviceName: string): string {
  const prefix = `${serviceName}-`;
  return isDNS1123Subdomain(maskTrailingDash(prefix)).length ? serviceName : prefix;
}

/** ownedBy: the slice's owner references name this Service (kind Service, apiVersion v1, its uid). */
export const ownedBy = (slice: EndpointSlice, svc: Service): boolean =>
  (slice.metadata?.ownerReferences ?? []).some((o) => o.uid === svc.metadata?.uid && o.kind === 'Service' && o.apiVersion === 'v1');

/** newEndpointSlice: an empty slice for the Service with these ports. */
export function newEndpointSlice(svc: Service, ports: EndpointPort[], addressType: AddressType): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: slicePrefix(svc.metadata!.name!),
      namespace: svc.metadata!.namespace,
      labels: sliceLabels(undefined, svc).labels,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata!.name!, uid: svc.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints: [],
    ports,
  };
}

/**
 * podEndpointsChanged: (endpoints may change, service membership may
 * change). Readiness, deletion and IPs move endpoints; labels, hostname and
 * subdomain move membership.
 */
export function podEndpointsChanged(old: Pod, cur: Pod): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged =
    !sameMap(old.metadata?.labels ?? {}, cur.metadata?.labels ?? {}) || old.spec?.hostname !== cur.spec?.hostname || old.spec?.subdomain !== cur.spec?.subdomain;
  if (old.metadata?.deletionTimestamp !== cur.metadata?.deletionTimestamp) return { podChanged: true, labelsChanged };
  if (isPodReady(old) !== isPodReady(cur)) return { podChanged: true, labelsChanged };
  const a = old.status?.podIPs ?? [];
  const b = cur.status?.podIPs ?? [];
  const ipsChanged = a.length !== b.length || a.some((p, i) => p.ip !== b[i].ip);
  return { podChanged: ipsChanged, labelsChanged };
}

interface TriggerState {
  lastServiceTriggerTime?: number;
  lastPodTriggerTimes: Map<string, number>;
}

/**
 * TriggerTimeTracker: the EndpointsLastChangeTriggerTime annotation is the
 * earliest change (a pod's Ready transition, the Service's creation) not yet
 * reflected; a Service seen for the first time reports its creation time.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, TriggerState>();

  /** ComputeEndpointLastChangeTriggerTime; undefined means no annotation. */
  compute(key: string, svc: Service, pods: readonly Pod[]): number | undefined {
    const state = this.states.get(key);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const c = pod.status?.conditions?.find((x) => x.type === 'Ready');
      if (!c?.lastTransitionTime) continue;
      const t = virtualMs(c.lastTransitionTime);
      podTimes.set(pod.metadata!.name!, t);
      const last = state?.lastPodTriggerTimes.get(pod.metadata!.name!);
      if (last === undefined || t > last) min = min === undefined ? t : Math.min(min, t);
    }
    const svcTime = svc.metadata?.creationTimestamp ? virtualMs(svc.metadata.creationTimestamp) : undefined;
    if (svcTime !== undefined && (state?.lastServiceTriggerTime === undefined || svcTime > state.lastServiceTriggerTime)) min = min === undefined ? svcTime : Math.min(min, svcTime);
    this.states.set(key, { lastServiceTriggerTime: svcTime, lastPodTriggerTimes: podTimes });
    return state ? min : svcTime;
  }

  delete(key: string): void {
    this.states.delete(key);
  }
}
