// The rules kube-proxy programs (pkg/proxy: servicechangetracker,
// endpointschangetracker, iptables/proxier.go), as data: each Service port
// is a frontend (ClusterIP:port/protocol, and *:nodePort/protocol for
// NodePort and LoadBalancer Services) with the endpoints its
// EndpointSlices list as ready. When none is ready, terminating endpoints
// that still serve are used (ProxyTerminatingEndpoints); a Service with
// internalTrafficPolicy Local only reaches endpoints on this node.
import type { EndpointSlice, Service } from '../api/types';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ProxyRule {
  /** "10.96.12.7:80/TCP" or "*:30080/TCP". */
  frontend: string;
  type: 'ClusterIP' | 'NodePort';
  /** namespace/name of the Service. */
  service: string;
  /** The Service port's name ("" when unnamed). */
  portName: string;
  /** "10.244.1.5:8080", sorted. */
  endpoints: string[];
  /** sessionAffinity ClientIP, with its timeout in seconds. */
  affinitySeconds?: number;
}

interface Candidate {
  key: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  node?: string;
}

/** The rule table of a node: every frontend, sorted. */
export function buildRules(services: Iterable<Service>, slices: Iterable<EndpointSlice>, nodeName: string): ProxyRule[] {
  const bySvc = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!svc) continue;
    const k = `${s.metadata!.namespace}/${svc}`;
    let l = bySvc.get(k);
    if (!l) bySvc.set(k, (l = []));
    l.push(s);
  }
  const rules: ProxyRule[] = [];
  for (const svc of services) {
    const spec = svc.spec;
    if (!spec || spec.type === 'ExternalName' || !spec.clusterIP || spec.clusterIP === 'None') continue;
    const key = `${svc.metadata!.namespace}/${svc.metadata!.name}`;
    const mine = bySvc.get(key) ?? [];
    const local = spec.internalTrafficPolicy === 'Local';
    const affinitySeconds = spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : undefined;
    for (const p of spec.ports ?? []) {
      const protocol = p.protocol ?? 'TCP';
      const portName = p.name ?? '';
      const endpoints = pickEndpoints(mine, portName, protocol, local ? nodeName : undefined);
      const base = { service: key, portName, endpoints, ...(affinitySeconds !== undefined ? { affinitySeconds } : {}) };
      rules.push({ frontend: `${spec.clusterIP}:${p.port}/${protocol}`, type: 'ClusterIP', ...base });
      if (p.nodePort && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) rules.push({ frontend: `*:${p.nodePort}/${protocol}`, type: 'NodePort', ...base });
    }
  }
  return rules.sort((a, b) => (a.frontend < b.frontend ? -1 : a.frontend > b.frontend ? 1 : 0));
}

function pickEndpoints(slices: EndpointSlice[], portName: string, protocol: string, onlyNode: string | undefined): string[] {
  const seen = new Map<string, Candidate>();
  for (const s of slices) {
    if (s.addressType && s.addressType !== 'IPv4') continue;
    const port = (s.ports ?? []).find((x) => (x.name ?? '') === portName && (x.protocol ?? 'TCP') === protocol);
    if (!port || port.port == null) continue;
    for (const e of s.endpoints ?? []) {
      const c = e.conditions ?? {};
      // Unset ready means ready; unset serving follows ready; unset terminating means not terminating.
      const ready = c.ready !== false;
      const cand: Candidate = { key: '', ready, serving: c.serving ?? ready, terminating: c.terminating === true, node: e.nodeName };
      for (const addr of e.addresses ?? []) {
        const key = `${addr}:${port.port}`;
        if (!seen.has(key)) seen.set(key, { ...cand, key });
      }
    }
  }
  let all = [...seen.values()];
  if (onlyNode !== undefined) all = all.filter((c) => c.node === onlyNode);
  let use = all.filter((c) => c.ready && !c.terminating);
  if (use.length === 0) use = all.filter((c) => c.serving && c.terminating);
  return use.map((c) => c.key).sort();
}
