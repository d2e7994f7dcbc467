// A name lookup followed along its real path. The asking pod's resolver
// (its resolv.conf, dns-resolv-conf.ts) turns the name into candidates;
// each goes, over UDP, to the first nameserver: for ClusterFirst pods the
// kube-dns ClusterIP 10.96.0.10. That address exists only in kube-proxy's
// rules, so the asking pod's node rewrites the packets to one CoreDNS
// endpoint; that CoreDNS pod answers from what its watch of Services and
// EndpointSlices holds (dns-records.ts). The result keeps every hop so a UI
// can follow name -> IP -> endpoints -> pods, and kubectl exec can print
// what nslookup prints.
//
// Which endpoint answers: iptables picks one per connection at random, and
// a UDP "connection" (one conntrack entry) covers every query of one
// nslookup run and its retries. A lookup must not draw from the kernel's
// random source (it would change the cluster's future), so the endpoint is
// picked by a stable hash of the client's address and the name asked:
// asking again gives the same replica, other names spread over the others.
//
// What times out, as in a real cluster: no ready CoreDNS endpoint (kube-proxy
// rejects the packets), a chosen endpoint whose node is powered off or cut
// off from the network (its endpoint stays ready until the node lifecycle
// controller marks the pod not ready, 40 s or more), or whose container is
// not running. A CoreDNS pod on a node cut off from the apiserver would answer
// from the state it last saw; this model answers from the current one and
// says so in `notes`.
import type { Pod } from '../api/types';
import { hashString } from '../kernel/rng';
import { KUBE_DNS_LABEL, KUBE_DNS_SERVICE } from './dns-objects';
import { coreDnsAnswer, isIPv4, reverseName, serviceEndpoints, type DnsRecordType, type ObjectName, type ZoneAnswer } from './dns-records';
import { NODE_RESOLVER_IP, nodeResolver, podResolver, searchOrder, type PodResolver } from './dns-resolv-conf';
import type { DnsView } from './dns-view';

export type DnsClient = { pod: ObjectName } | { node: string };

/** The pod a lookup's packets reached. */
export interface Responder extends ObjectName {
  node?: string;
  ip: string;
  /** Its endpoint's ready condition in the kube-dns EndpointSlice. */
  ready: boolean;
  /** A CoreDNS replica (label k8s-app=kube-dns): only those serve DNS. */
  coreDns: boolean;
}

/** The nameserver asked, and how the packets got there. */
export interface ServerHop {
  ip: string;
  /** kube-dns: the cluster DNS Service; service: another Service's ClusterIP; node-resolver: the machine's own resolver. */
  role: 'kube-dns' | 'service' | 'node-resolver' | 'unknown';
  service?: ObjectName;
  /** kube-proxy's rule on the asking node for ip:53/UDP: its ready endpoints and the one these packets went to. */
  proxy?: { node: string; frontend: string; endpoints: string[]; chosen?: string };
  responder?: Responder;
}

export type LookupOutcome = 'answer' | 'nxdomain' | 'nodata' | 'timeout' | 'unavailable';

export interface DnsLookup {
  /** The name as given. */
  asked: string;
  qtype: DnsRecordType;
  client: { pod?: ObjectName; node: string; ip: string };
  resolver: PodResolver;
  /** Every name the resolver would try, in order. */
  candidates: string[];
  server?: ServerHop;
  /** The queries sent and their answers, in order, up to the first that answered. */
  queries: ZoneAnswer[];
  outcome: LookupOutcome;
  /** The query that answered (outcome "answer"). */
  answer?: ZoneAnswer;
  /** Why no server answered (timeout) or why the lookup could not be made (unavailable). */
  reason?: string;
  notes: string[];
}

export interface ResolveOptions {
  /** nslookup's SERVER argument: ask this address instead of resolv.conf's first nameserver. */
  server?: string;
}

const DNS_PORT = 53;

/** Where the asking process runs: its pod's node and address, or why it runs nowhere. */
function locate(view: DnsView, client: DnsClient): { pod?: Pod; node: string; ip: string } | { error: string } {
  if ('node' in client) {
    const node = view.node(client.node);
    if (!node) return { error: `nodes ${JSON.stringify(client.node)} not found` };
    if (!view.machine(client.node).powered) return { error: `node ${client.node} is powered off` };
    const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    return { node: client.node, ip };
  }
  const { namespace, name } = client.pod;
  const pod = view.pod(namespace, name);
  if (!pod) return { error: `pods ${JSON.stringify(name)} not found` };
  const node = pod.spec?.nodeName;
  if (!node) return { error: `pod ${name} is not scheduled to a node yet` };
  if (pod.status?.phase !== 'Running') return { error: `pod ${name} is not running (phase ${pod.status?.phase ?? 'Pending'})` };
  if (!view.machine(node).powered) return { error: `pod ${name} runs on ${node}, which is powered off` };
  return { pod, node, ip: pod.status?.podIP ?? '' };
}

/** Follows `name` from the client to an answer (or to where it got lost). */
export function resolve(view: DnsView, client: DnsClient, name: string, options: ResolveOptions = {}): DnsLookup {
  const reverse = isIPv4(name);
  const qtype: DnsRecordType = reverse ? 'PTR' : 'A';
  const where = locate(view, client);
  const podRef = 'pod' in client ? client.pod : undefined;
  if ('error' in where) {
    const resolver = nodeResolver();
    return { asked: name, qtype, client: { ...(podRef ? { pod: podRef } : {}), node: '', ip: '' }, resolver, candidates: [], queries: [], outcome: 'unavailable', reason: where.error, notes: [] };
  }
  const resolver = where.pod ? podResolver(where.pod) : nodeResolver();
  // nslookup asks for an address's PTR name as it is: no search list.
  const candidates = reverse ? [reverseName(name)] : searchOrder(name.toLowerCase(), resolver);
  const base: DnsLookup = {
    asked: name,
    qtype,
    client: { ...(podRef ? { pod: podRef } : {}), node: where.node, ip: where.ip },
    resolver,
    candidates,
    queries: [],
    outcome: 'timeout',
    notes: [],
  };
  const serverIp = options.server ?? resolver.nameservers[0];
  if (!serverIp) return { ...base, reason: 'resolv.conf names no nameserver' };

  const reached = reach(view, where.node, where.ip, serverIp, name);
  base.server = reached.hop;
  if (reached.error) return { ...base, reason: reached.error };
  base.notes.push(...reached.notes);

  const queries: ZoneAnswer[] = [];
  let nodata = false;
  for (const fqdn of candidates) {
    const a = reached.hop.role === 'node-resolver' ? nodeResolverAnswer(fqdn, qtype) : coreDnsAnswer(view, fqdn, qtype);
    queries.push(a);
    if (a.rcode === 'NOERROR' && a.records.length > 0) {
      if (a.source?.kind === 'forwarded') base.notes.push(FORWARD_NOTE);
      return { ...base, queries, outcome: 'answer', answer: a };
    }
    if (a.rcode === 'NOERROR') nodata = true;
  }
  if (queries.some((q) => q.source?.kind === 'forwarded') || reached.hop.role === 'node-resolver') base.notes.push(FORWARD_NOTE);
  return { ...base, queries, outcome: nodata ? 'nodata' : 'nxdomain' };
}

const FORWARD_NOTE = `Names outside the cluster go to the node's resolver (${NODE_RESOLVER_IP}); the simulated network has no outside world, so it knows none.`;

function nodeResolverAnswer(fqdn: string, qtype: DnsRecordType): ZoneAnswer {
  return { name: fqdn, qtype, rcode: 'NXDOMAIN', records: [], why: `the node's resolver ${NODE_RESOLVER_IP} knows no cluster names`, source: { kind: 'forwarded', upstream: NODE_RESOLVER_IP } };
}

interface Reached {
  hop: ServerHop;
  error?: string;
  notes: string[];
}

/** The packets from `node` to serverIp:53/UDP: through kube-proxy's rules when it is a ClusterIP, to a pod that answers or not. */
function reach(view: DnsView, node: string, clientIp: string, serverIp: string, asked: string): Reached {
  if (serverIp === NODE_RESOLVER_IP) return { hop: { ip: serverIp, role: 'node-resolver' }, notes: [] };
  const rules = view.proxyRules(node) ?? [];
  const frontend = `${serverIp}:${DNS_PORT}/UDP`;
  const rule = rules.find((r) => r.frontend === frontend);
  const kubeDns = `${KUBE_DNS_SERVICE.namespace}/${KUBE_DNS_SERVICE.name}`;
  if (!rule) {
    const role = rules.some((r) => r.frontend.startsWith(`${serverIp}:`)) ? 'service' : 'unknown';
    const why =
      role === 'service'
        ? `the Service at ${serverIp} has no port ${DNS_PORT}/UDP: nothing answers DNS there`
        : `kube-proxy on ${node} has no rule for ${frontend} (no such Service): the packets leave the node and nothing answers`;
    return { hop: { ip: serverIp, role }, error: why, notes: [] };
  }
  const [ns, svcName] = rule.service.split('/');
  const hop: ServerHop = {
    ip: serverIp,
    role: rule.service === kubeDns ? 'kube-dns' : 'service',
    service: { namespace: ns, name: svcName },
    proxy: { node, frontend, endpoints: [...rule.endpoints] },
  };
  if (rule.endpoints.length === 0) return { hop, error: `Service ${rule.service} has no ready endpoint: kube-proxy on ${node} rejects the packets`, notes: [] };
  const chosen = rule.endpoints[hashString(`${clientIp}|${asked.toLowerCase()}`) % rule.endpoints.length];
  hop.proxy!.chosen = chosen;
  const ip = chosen.slice(0, chosen.lastIndexOf(':'));
  const ep = serviceEndpoints(view.slicesOf(ns, svcName)).find((e) => e.ip === ip);
  const pod = ep?.pod ? view.pod(ep.pod.namespace, ep.pod.name) : undefined;
  const podNode = pod?.spec?.nodeName ?? ep?.node;
  hop.responder = {
    namespace: ep?.pod?.namespace ?? ns,
    name: ep?.pod?.name ?? ip,
    ...(podNode ? { node: podNode } : {}),
    ip,
    ready: ep?.ready ?? false,
    coreDns: pod?.metadata?.labels?.[KUBE_DNS_LABEL.key] === KUBE_DNS_LABEL.value,
  };
  const who = `${ip} (${hop.responder.name}${podNode ? ` on ${podNode}` : ''})`;
  const sent = `kube-proxy on ${node} sent the packets to ${who}`;
  if (!pod || !podNode) return { hop, error: `${sent}, a pod that no longer exists`, notes: [] };
  const there = view.machine(podNode);
  if (!there.powered) return { hop, error: `${sent}, and ${podNode} is powered off`, notes: [] };
  const here = view.machine(node);
  if (podNode !== node && (here.partitioned || there.partitioned)) return { hop, error: `${sent}, but ${here.partitioned ? node : podNode} is cut off from the network`, notes: [] };
  const container = hop.responder.coreDns ? 'coredns' : pod.spec?.containers?.[0]?.name ?? '';
  if (!view.containerRunning(podNode, pod.metadata?.uid ?? '', container)) return { hop, error: `${sent}, whose container ${container} is not running`, notes: [] };
  if (!hop.responder.coreDns) return { hop, error: `${sent}, which does not serve DNS`, notes: [] };
  const notes = there.partitioned
    ? [`${hop.responder.name} is on ${podNode}, cut off from the apiserver: a real CoreDNS would answer from what its watch last saw; this answer is from the current state.`]
    : [];
  return { hop, notes };
}
