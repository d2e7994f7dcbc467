// The inspector's "DNS lookup" section for a Service, as plain data: which
// names can be asked (the Service's name, and for a headless Service each
// endpoint's hostname), from which pod (any Running pod, one of the
// Service's clients in its namespace first), and the lookup followed hop by
// hop (src/sim/addons/dns-lookup.ts) as a chain of steps a person can read:
// resolv.conf's search list -> the query to 10.96.0.10 -> kube-proxy on the
// asking node -> the CoreDNS pod that answers -> the records -> the
// endpoints and their pods. Every pod and node in it is a link. Pure: it
// reads the cluster at one instant and changes nothing.
import type { Pod, Service } from '../../sim/api/types';
import type { Cluster } from '../../sim/cluster';
import { KUBE_DNS_LABEL, KUBE_DNS_SERVICE } from '../../sim/addons/dns-objects';
import { resolve, type DnsLookup } from '../../sim/addons/dns-lookup';
import type { EndpointHop, ObjectName } from '../../sim/addons/dns-records';
import { formatResolvConf } from '../../sim/addons/dns-resolv-conf';
import { clusterDnsView, type DnsView } from '../../sim/addons/dns-view';
import type { Selection } from './cluster-store';
import type { RowTone } from './object-rows';

/** At most this many pods are offered to ask from (a big cluster has thousands). */
export const MAX_ASKERS = 200;

/** A piece of a step's text: plain, or a link that selects a pod, node or Service. */
export type Part = string | { text: string; select?: Selection; mono?: boolean };

export interface ChainStep {
  id: 'client' | 'resolv' | 'names' | 'server' | 'proxy' | 'coredns' | 'lost' | 'answer' | 'endpoints' | 'notes';
  label: string;
  tone: RowTone;
  /** The step's line. */
  parts: Part[];
  /** Lines under it (the resolv.conf lines, the names tried, the endpoints). */
  lines?: Part[][];
}

export interface Asker {
  /** "namespace/name". */
  key: string;
  namespace: string;
  name: string;
  node: string;
}

export interface DnsLookupSection {
  service: ObjectName;
  /** What can be asked; `name` is the one asked. */
  names: string[];
  name: string;
  askers: Asker[];
  asker?: Asker;
  /** The cluster has no kube-dns Service (spec.addons.dns is off): ClusterFirst lookups go nowhere. */
  noClusterDns: boolean;
  outcome?: DnsLookup['outcome'];
  steps: ChainStep[];
}

const podLink = (p: ObjectName): Part => ({ text: p.name, select: { type: 'object', key: `Pod/${p.namespace}/${p.name}` }, mono: true });
const nodeLink = (node: string): Part => ({ text: node, select: { type: 'object', key: `Node//${node}` }, mono: true });
const serviceLink = (s: ObjectName): Part => ({ text: `${s.namespace}/${s.name}`, select: { type: 'object', key: `Service/${s.namespace}/${s.name}` }, mono: true });
const mono = (text: string): Part => ({ text, mono: true });

/** Running pods that resolve through the cluster DNS (not CoreDNS itself), the Service's namespace first, its own pods last. */
export function askersFor(cluster: Cluster, svc: Service): Asker[] {
  const ns = svc.metadata!.namespace!;
  const selector = svc.spec?.selector ?? {};
  const isBackend = (p: Pod) => Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v);
  const rank = (p: Pod) => (p.metadata!.namespace === ns ? 0 : 2) + (isBackend(p) ? 1 : 0);
  const found: Array<{ pod: Pod; rank: number }> = [];
  for (const kv of cluster.etcd.store.range('/registry/pods/')) {
    const p = kv.value as Pod;
    if (p.status?.phase !== 'Running' || !p.spec?.nodeName || p.metadata?.deletionTimestamp) continue;
    if (p.metadata?.labels?.[KUBE_DNS_LABEL.key] === KUBE_DNS_LABEL.value) continue;
    found.push({ pod: p, rank: rank(p) });
  }
  const key = (p: Pod) => `${p.metadata!.namespace}/${p.metadata!.name}`;
  found.sort((a, b) => a.rank - b.rank || (key(a.pod) < key(b.pod) ? -1 : key(a.pod) > key(b.pod) ? 1 : 0));
  return found.slice(0, MAX_ASKERS).map(({ pod }) => ({ key: key(pod), namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, node: pod.spec!.nodeName! }));
}

/** The names a client types for this Service: short in its own namespace, name.namespace elsewhere; a headless Service's endpoints by hostname. */
export function namesFor(view: DnsView, svc: Service, askerNamespace: string | undefined): string[] {
  const ns = svc.metadata!.namespace!;
  const name = svc.metadata!.name!;
  const base = askerNamespace === ns ? name : `${name}.${ns}`;
  const names = [base];
  if (svc.spec?.clusterIP === 'None') {
    const hostnames = new Set<string>();
    for (const s of view.slicesOf(ns, name)) for (const e of s.endpoints ?? []) if (e.hostname) hostnames.add(e.hostname);
    for (const h of [...hostnames].sort()) names.push(`${h}.${base}`);
  }
  return names;
}

/** The section for Service `service`, asking `name` (default: the Service's name) from `askerKey` (default: the first asker). */
export function dnsLookupSection(cluster: Cluster, service: ObjectName, choice: { asker?: string; name?: string } = {}): DnsLookupSection | null {
  const view = clusterDnsView(cluster);
  const svc = view.service(service.namespace, service.name);
  if (!svc) return null;
  const askers = askersFor(cluster, svc);
  const asker = askers.find((a) => a.key === choice.asker) ?? askers[0];
  const names = namesFor(view, svc, asker?.namespace);
  // A name picked while asking from another namespace is kept: asking it from here is a fair question too.
  const name = choice.name?.trim() || names[0];
  const noClusterDns = !view.service(KUBE_DNS_SERVICE.namespace, KUBE_DNS_SERVICE.name);
  const base: DnsLookupSection = { service, names: names.includes(name) ? names : [name, ...names], name, askers, noClusterDns, steps: [] };
  if (!asker) return { ...base, steps: [{ id: 'client', label: 'Asked from', tone: 'muted', parts: ['no Running pod to ask from'] }] };
  const lookup = resolve(view, { pod: { namespace: asker.namespace, name: asker.name } }, name);
  return { ...base, asker, outcome: lookup.outcome, steps: chain(lookup) };
}

function endpointLine(e: EndpointHop): Part[] {
  const parts: Part[] = [e.pod ? podLink(e.pod) : mono(e.ip), ' ', mono(e.ip)];
  if (e.node) parts.push(' on ', nodeLink(e.node));
  parts.push(e.ready ? ' · ready' : e.terminating ? ' · terminating, not ready' : ' · not ready');
  return parts;
}

/** The lookup as steps, in the order the packets travel. */
export function chain(l: DnsLookup): ChainStep[] {
  const steps: ChainStep[] = [];
  const client = l.client.pod;
  if (l.outcome === 'unavailable') return [{ id: 'client', label: 'Asked from', tone: 'bad', parts: [l.reason ?? 'the pod cannot run a lookup'] }];
  steps.push({ id: 'client', label: 'Asked from', tone: 'muted', parts: [...(client ? [podLink(client), ' on '] : []), nodeLink(l.client.node), ` (${l.client.ip})`] });
  const r = l.resolver;
  steps.push({
    id: 'resolv',
    label: 'resolv.conf',
    tone: 'muted',
    parts: [`dnsPolicy ${r.policy}: ${r.type === 'cluster' ? 'the cluster DNS' : r.type === 'host' ? "the node's resolver" : 'spec.dnsConfig only'}, ndots:${r.ndots}`],
    lines: formatResolvConf(r).trimEnd().split('\n').filter(Boolean).map((x) => [mono(x)]),
  });
  if (l.server) {
    const s = l.server;
    const what: Part[] =
      s.role === 'kube-dns' && s.service
        ? [' = Service ', serviceLink(s.service)]
        : s.role === 'node-resolver'
          ? [" = the node's resolver (outside the cluster)"]
          : s.service
            ? [' = Service ', serviceLink(s.service)]
            : [];
    steps.push({ id: 'server', label: 'Query', tone: 'muted', parts: [`${l.qtype} over UDP to `, mono(`${s.ip}:53`), ...what] });
    if (s.proxy) {
      const n = s.proxy.endpoints.length;
      steps.push({
        id: 'proxy',
        label: 'kube-proxy',
        tone: n ? 'muted' : 'bad',
        parts: ['on ', nodeLink(s.proxy.node), `: ${s.proxy.frontend} → ${n} ready endpoint${n === 1 ? '' : 's'}`, ...(s.proxy.chosen ? [', this query to ', mono(s.proxy.chosen)] : [])],
      });
    }
    if (s.responder) {
      const who = s.responder;
      steps.push({
        id: 'coredns',
        label: who.coreDns ? 'CoreDNS' : 'Responder',
        tone: l.outcome === 'timeout' ? 'bad' : 'ok',
        parts: [podLink(who), ...(who.node ? [' on ', nodeLink(who.node)] : []), l.outcome === 'timeout' ? ' does not answer' : ' answers from its watch of Services and EndpointSlices'],
      });
    }
  }
  // The names the resolver sent, each with what CoreDNS answered.
  const timedOut = l.outcome === 'timeout';
  steps.push({
    id: 'names',
    label: 'Names tried',
    tone: 'muted',
    parts: [
      timedOut
        ? `${l.candidates.length} in order (ndots:${r.ndots}); the first got no answer`
        : `${l.queries.length} of ${l.candidates.length} asked, in order (${l.candidates[0] === l.asked.replace(/\.$/, '').toLowerCase() ? 'the name as it is first' : 'the search list first'}, ndots:${r.ndots})`,
    ],
    lines: l.candidates.map((c, i) => {
      const q = l.queries[i];
      const verdict = timedOut ? (i === 0 ? ' · no answer' : ' · not asked') : !q ? ' · not asked' : q.rcode === 'NXDOMAIN' ? ' · NXDOMAIN' : q.records.length ? ' · answered' : ' · no record (NODATA)';
      return [mono(c), verdict, ...(q && q.rcode === 'NXDOMAIN' ? [`: ${q.why}`] : [])];
    }),
  });
  if (l.outcome === 'timeout') {
    steps.push({ id: 'lost', label: 'Timed out', tone: 'bad', parts: [l.reason ?? 'no server answered'] });
    return steps;
  }
  if (l.outcome === 'answer' && l.answer) {
    const a = l.answer;
    const pods = a.source?.kind === 'headless' || a.source?.kind === 'endpoint';
    const n = a.records.length;
    steps.push({
      id: 'answer',
      label: 'Answer',
      tone: 'ok',
      parts: [a.why, ` (${n} ${a.records[0]?.type ?? 'A'} record${n === 1 ? '' : 's'}, TTL ${a.records[0]?.ttl ?? 0} s)`],
      // A headless answer's addresses are listed once, with their pods, in the next step.
      lines: pods ? [] : a.records.map((rec) => [`${rec.type} `, mono(rec.type === 'A' ? rec.ip : rec.target)]),
    });
    const eps = a.endpoints ?? [];
    if (a.source?.kind === 'cluster-ip') {
      steps.push({
        id: 'endpoints',
        label: 'Endpoints',
        tone: eps.some((e) => e.ready) ? 'ok' : 'warn',
        parts: [eps.length ? 'connections to the ClusterIP go, through kube-proxy on the asking node, to:' : 'none: a connection to the ClusterIP is rejected'],
        lines: eps.map(endpointLine),
      });
    } else if (pods) {
      const answered = new Set(a.records.map((x) => (x.type === 'A' ? x.ip : '')));
      steps.push({ id: 'endpoints', label: 'Pods', tone: 'ok', parts: ['the addresses are the pods themselves:'], lines: eps.filter((e) => answered.has(e.ip)).map(endpointLine) });
    }
  } else {
    // The first name tried is the one that names the Service (the namespace's search domain, or the full name).
    const first = l.queries[0];
    const what = l.outcome === 'nodata' ? 'no A record (NODATA)' : `NXDOMAIN for ${l.queries.length === 1 ? 'the name' : `all ${l.queries.length} names`}`;
    steps.push({ id: 'answer', label: 'Answer', tone: 'bad', parts: [`${what}${first ? `: ${first.why}` : ''}`] });
    const eps = l.queries.find((q) => q.endpoints?.length)?.endpoints ?? [];
    if (eps.length) steps.push({ id: 'endpoints', label: 'Endpoints', tone: 'warn', parts: ["the Service's endpoints now (only ready ones are in DNS):"], lines: eps.map(endpointLine) });
  }
  if (l.notes.length) steps.push({ id: 'notes', label: 'Note', tone: 'muted', parts: [l.notes.join(' ')] });
  return steps;
}
