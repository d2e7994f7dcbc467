// What a CoreDNS replica answers for one name, as its kubernetes plugin
// does (coredns plugin/kubernetes: parse.go parseRequest, kubernetes.go
// Records, findServices, findPods, endpointHostname; reverse.go; and
// object/endpoint.go, which keeps only ready EndpointSlice endpoints), with
// the Corefile kubeadm writes (`pods insecure`, `fallthrough in-addr.arpa
// ip6.arpa`, `ttl 30`, `forward . /etc/resolv.conf`). The records follow
// the Kubernetes DNS specification (kubernetes/dns docs/specification.md):
//
// - <svc>.<ns>.svc.cluster.local: a ClusterIP Service's cluster IPs; a
//   headless Service's ready endpoint addresses (NXDOMAIN when it has none);
// - <host>.<svc>.<ns>.svc.cluster.local: the ready endpoint of that Service
//   whose hostname is <host> (a StatefulSet pod behind its governing
//   Service), or whose address written with dashes is <host>;
// - _<port>._<proto>.<svc>.<ns>.svc.cluster.local: the same, for that port;
// - a-b-c-d.<ns>.pod.cluster.local: a.b.c.d (pods insecure);
// - PTR for a Service's cluster IP or an endpoint's address.
//
// Names outside the zone (and reverse names nothing in the cluster has) go
// to the node's resolver, which in the simulation knows none: NXDOMAIN.
import type { EndpointSlice, Service } from '../api/types';
import { CLUSTER_DOMAIN, COREDNS_TTL } from './dns-objects';
import { NODE_RESOLVER_IP } from './dns-resolv-conf';
import type { DnsView } from './dns-view';

export type DnsRecordType = 'A' | 'PTR';

export type DnsRecord =
  | { type: 'A'; name: string; ip: string; ttl: number }
  | { type: 'PTR'; name: string; target: string; ttl: number }
  | { type: 'CNAME'; name: string; target: string; ttl: number };

export interface ObjectName {
  namespace: string;
  name: string;
}

/** One endpoint of a Service as its EndpointSlices list it. */
export interface EndpointHop {
  ip: string;
  pod?: ObjectName;
  node?: string;
  /** conditions.ready (unset counts as ready): only ready endpoints are in DNS answers and kube-proxy's rules. */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  hostname?: string;
}

/** Where in the cluster an answer comes from. */
export type AnswerSource =
  | { kind: 'cluster-ip'; service: ObjectName; clusterIPs: string[] }
  | { kind: 'headless'; service: ObjectName }
  | { kind: 'endpoint'; service: ObjectName; endpoint: string }
  | { kind: 'external-name'; service: ObjectName; externalName: string }
  | { kind: 'pod-ip'; namespace: string }
  | { kind: 'reverse'; service: ObjectName }
  | { kind: 'forwarded'; upstream: string };

export interface ZoneAnswer {
  /** The name asked, lower case, without the trailing dot. */
  name: string;
  qtype: DnsRecordType;
  /** NOERROR with no records is NODATA: the name exists, without a record of that type. */
  rcode: 'NOERROR' | 'NXDOMAIN';
  records: DnsRecord[];
  /** Why, in one line a person can read. */
  why: string;
  source?: AnswerSource;
  /** For a Service's names: its endpoints, from its EndpointSlices (not ready ones too, marked). */
  endpoints?: EndpointHop[];
}

const ZONE_SUFFIX = `.${CLUSTER_DOMAIN}`;
const REVERSE_SUFFIX = '.in-addr.arpa';

const nxdomain = (name: string, qtype: DnsRecordType, why: string, extra: Partial<ZoneAnswer> = {}): ZoneAnswer => ({ name, qtype, rcode: 'NXDOMAIN', records: [], why, ...extra });
const nodata = (name: string, qtype: DnsRecordType, why: string): ZoneAnswer => ({ name, qtype, rcode: 'NOERROR', records: [], why });

/** The forward plugin's answer for a name the cluster does not hold. */
function forwarded(name: string, qtype: DnsRecordType, what: string): ZoneAnswer {
  return nxdomain(name, qtype, `${what}: forwarded to the node's resolver ${NODE_RESOLVER_IP}, which does not know it`, {
    source: { kind: 'forwarded', upstream: NODE_RESOLVER_IP },
  });
}

/** What a CoreDNS replica answers for `name` (case-insensitive, trailing dot optional). */
export function coreDnsAnswer(view: DnsView, name: string, qtype: DnsRecordType = 'A'): ZoneAnswer {
  const fqdn = name.toLowerCase().replace(/\.$/, '');
  if (fqdn.endsWith(REVERSE_SUFFIX)) {
    if (qtype === 'PTR') return reverse(view, fqdn);
    return forwarded(fqdn, qtype, 'a reverse name has no A record in the cluster');
  }
  if (fqdn !== CLUSTER_DOMAIN && !fqdn.endsWith(ZONE_SUFFIX)) return forwarded(fqdn, qtype, `${fqdn} is outside ${CLUSTER_DOMAIN}`);
  if (qtype !== 'A') return nodata(fqdn, qtype, `the kubernetes plugin has no ${qtype} records for forward names`);
  return kubernetesRecords(view, fqdn);
}

interface RecordRequest {
  podOrSvc: string;
  namespace?: string;
  service?: string;
  endpoint?: string;
  port?: string;
  protocol?: string;
}

/** parseRequest: labels read from the right: pod|svc, namespace, service, then an endpoint or _port._protocol. */
function parseRequest(base: string): RecordRequest | 'apex' | 'invalid' {
  if (base === '' || base === 'svc' || base === 'pod') return 'apex';
  const segs = base.split('.');
  const podOrSvc = segs.pop()!;
  if (podOrSvc !== 'svc' && podOrSvc !== 'pod') return 'invalid';
  const r: RecordRequest = { podOrSvc, namespace: segs.pop() };
  r.service = segs.pop();
  if (segs.length === 1) r.endpoint = segs[0];
  else if (segs.length === 2) {
    r.port = segs[0].replace(/^_/, '');
    r.protocol = segs[1].replace(/^_/, '');
  } else if (segs.length > 2) return 'invalid';
  return r;
}

function kubernetesRecords(view: DnsView, fqdn: string): ZoneAnswer {
  const base = fqdn === CLUSTER_DOMAIN ? '' : fqdn.slice(0, -ZONE_SUFFIX.length);
  const r = parseRequest(base);
  if (r === 'apex') return nodata(fqdn, 'A', `${fqdn} is a name of the zone itself, with no A record`);
  if (r === 'invalid') return nxdomain(fqdn, 'A', `not a Service or pod name (those end in .svc.${CLUSTER_DOMAIN} or .pod.${CLUSTER_DOMAIN})`);
  if (!r.namespace) return nodata(fqdn, 'A', `${fqdn} has no A record`);
  if (!view.namespaceExists(r.namespace)) return nxdomain(fqdn, 'A', `there is no namespace ${r.namespace}`);
  if (!r.service) return nodata(fqdn, 'A', `namespace ${r.namespace} exists; a namespace has no A record`);
  return r.podOrSvc === 'pod' ? podRecord(fqdn, r.namespace, r.service) : serviceRecords(view, fqdn, r);
}

/** pods insecure: the name is the address, dashed; it is not checked against any pod. */
function podRecord(fqdn: string, namespace: string, label: string): ZoneAnswer {
  const dashes = label.split('-').length - 1;
  const ip = dashes === 3 && !label.includes('--') ? label.replace(/-/g, '.') : '';
  if (!isIPv4(ip)) return nxdomain(fqdn, 'A', `${label} is not an address written with dashes`);
  return { name: fqdn, qtype: 'A', rcode: 'NOERROR', records: [{ type: 'A', name: fqdn, ip, ttl: COREDNS_TTL }], why: `a pod name is its address with dashes (pods insecure)`, source: { kind: 'pod-ip', namespace } };
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

const lower = (s: string | undefined) => (s ?? '').toLowerCase();

/** matchPortAndProtocol: an unset port or protocol in the name matches any. */
const portMatches = (r: RecordRequest, name: string | undefined, protocol: string | undefined) =>
  (r.port === undefined || r.port === lower(name)) && (r.protocol === undefined || r.protocol === lower(protocol));

/** endpointHostname: the endpoint's hostname, else its address with dashes. */
const endpointHostname = (hostname: string | undefined, ip: string) => hostname || ip.replace(/\./g, '-');

/** Every endpoint of the Service, deduplicated by address, in slice order. */
export function serviceEndpoints(slices: readonly EndpointSlice[]): EndpointHop[] {
  const seen = new Map<string, EndpointHop>();
  for (const s of slices) {
    if (s.addressType && s.addressType !== 'IPv4') continue;
    for (const e of s.endpoints ?? []) {
      const c = e.conditions ?? {};
      const ready = c.ready !== false;
      for (const ip of e.addresses ?? []) {
        if (seen.has(ip)) continue;
        seen.set(ip, {
          ip,
          ...(e.targetRef?.kind === 'Pod' && e.targetRef.name ? { pod: { namespace: e.targetRef.namespace ?? s.metadata?.namespace ?? '', name: e.targetRef.name } } : {}),
          ...(e.nodeName ? { node: e.nodeName } : {}),
          ready,
          serving: c.serving ?? ready,
          terminating: c.terminating === true,
          ...(e.hostname ? { hostname: e.hostname } : {}),
        });
      }
    }
  }
  return [...seen.values()];
}

function serviceRecords(view: DnsView, fqdn: string, r: RecordRequest): ZoneAnswer {
  const ns = r.namespace!;
  const svc = view.service(ns, r.service!);
  const ref = { namespace: ns, name: r.service! };
  if (!svc) return nxdomain(fqdn, 'A', `there is no Service ${r.service} in namespace ${ns}`);
  const spec = svc.spec ?? {};
  const records: DnsRecord[] = [];
  const addA = (ip: string) => {
    if (!records.some((x) => x.type === 'A' && x.ip === ip)) records.push({ type: 'A', name: fqdn, ip, ttl: COREDNS_TTL });
  };

  if (spec.type === 'ExternalName') {
    if (r.endpoint !== undefined || !spec.externalName) return nxdomain(fqdn, 'A', `ExternalName Service ${ns}/${ref.name} has no endpoints`);
    return {
      name: fqdn,
      qtype: 'A',
      rcode: 'NOERROR',
      records: [{ type: 'CNAME', name: fqdn, target: spec.externalName, ttl: COREDNS_TTL }],
      why: `ExternalName Service ${ns}/${ref.name} is an alias of ${spec.externalName}`,
      source: { kind: 'external-name', service: ref, externalName: spec.externalName },
    };
  }

  const slices = view.slicesOf(ns, ref.name);
  const endpoints = serviceEndpoints(slices);
  const headless = spec.clusterIP === 'None';
  if (headless || r.endpoint !== undefined) {
    // EndpointSliceToEndpoints keeps ready endpoints only; a slice without ports gets one placeholder port.
    for (const s of slices) {
      if (s.addressType && s.addressType !== 'IPv4') continue;
      const ports = s.ports?.length ? s.ports : [{ name: '', protocol: '' }];
      for (const e of s.endpoints ?? []) {
        if (e.conditions?.ready === false) continue;
        for (const ip of e.addresses ?? []) {
          if (r.endpoint !== undefined && r.endpoint !== endpointHostname(e.hostname, ip)) continue;
          if (ports.some((p) => portMatches(r, p.name, p.protocol))) addA(ip);
        }
      }
    }
    const what = r.endpoint !== undefined ? `the endpoint ${r.endpoint} of Service ${ns}/${ref.name}` : `headless Service ${ns}/${ref.name}`;
    const source: AnswerSource = r.endpoint !== undefined ? { kind: 'endpoint', service: ref, endpoint: r.endpoint } : { kind: 'headless', service: ref };
    if (records.length === 0) {
      const why =
        r.endpoint !== undefined
          ? `Service ${ns}/${ref.name} has no ready endpoint named ${r.endpoint}`
          : `headless Service ${ns}/${ref.name} has no ready endpoint`;
      return nxdomain(fqdn, 'A', why, { source, endpoints });
    }
    return { name: fqdn, qtype: 'A', rcode: 'NOERROR', records, why: `${what}: ${records.length === 1 ? 'its ready address' : 'its ready addresses'}`, source, endpoints };
  }

  const clusterIPs = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  const v4 = clusterIPs.filter(isIPv4);
  if ((spec.ports ?? []).some((p) => portMatches(r, p.name, p.protocol ?? 'TCP'))) for (const ip of v4) addA(ip);
  if (records.length === 0) return nxdomain(fqdn, 'A', `Service ${ns}/${ref.name} has no port ${r.port ?? ''}/${r.protocol ?? ''}`, { endpoints });
  return {
    name: fqdn,
    qtype: 'A',
    rcode: 'NOERROR',
    records,
    why: `Service ${ns}/${ref.name} has ClusterIP ${v4.join(', ')}: the name stays, kube-proxy spreads connections over its endpoints`,
    source: { kind: 'cluster-ip', service: ref, clusterIPs: v4 },
    endpoints,
  };
}

/** reverse.go serviceRecordForIP: a Service's cluster IP first, else every ready endpoint with that address. */
function reverse(view: DnsView, fqdn: string): ZoneAnswer {
  const ip = fqdn.slice(0, -REVERSE_SUFFIX.length).split('.').reverse().join('.');
  if (!isIPv4(ip)) return forwarded(fqdn, 'PTR', `${fqdn} is not a reverse name of an address`);
  const services = [...view.services()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  for (const svc of services) {
    const ips = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec?.clusterIP ? [svc.spec.clusterIP] : [];
    if (!ips.includes(ip)) continue;
    const ref = { namespace: svc.metadata!.namespace!, name: svc.metadata!.name! };
    const target = `${ref.name}.${ref.namespace}.svc.${CLUSTER_DOMAIN}`;
    return { name: fqdn, qtype: 'PTR', rcode: 'NOERROR', records: [{ type: 'PTR', name: fqdn, target, ttl: COREDNS_TTL }], why: `${ip} is the ClusterIP of Service ${ref.namespace}/${ref.name}`, source: { kind: 'reverse', service: ref } };
  }
  const records: DnsRecord[] = [];
  let first: ObjectName | undefined;
  for (const svc of services) {
    const ref = { namespace: svc.metadata!.namespace!, name: svc.metadata!.name! };
    for (const s of view.slicesOf(ref.namespace, ref.name))
      for (const e of s.endpoints ?? []) {
        if (e.conditions?.ready === false || !(e.addresses ?? []).includes(ip)) continue;
        const target = `${endpointHostname(e.hostname, ip)}.${ref.name}.${ref.namespace}.svc.${CLUSTER_DOMAIN}`;
        if (!records.some((x) => x.type === 'PTR' && x.target === target)) records.push({ type: 'PTR', name: fqdn, target, ttl: COREDNS_TTL });
        first ??= ref;
      }
  }
  if (records.length && first) return { name: fqdn, qtype: 'PTR', rcode: 'NOERROR', records, why: `${ip} is a ready endpoint of Service ${first.namespace}/${first.name}`, source: { kind: 'reverse', service: first } };
  return forwarded(fqdn, 'PTR', `no Service or endpoint has the address ${ip}`);
}

const key = (s: Service) => `${s.metadata?.namespace}/${s.metadata?.name}`;

/** "10.96.0.10" -> "10.0.96.10.in-addr.arpa" */
export function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}${REVERSE_SUFFIX}`;
}
