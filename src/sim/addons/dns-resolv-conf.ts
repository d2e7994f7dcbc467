// A pod's /etc/resolv.conf, as the kubelet's DNS configurer builds it
// (pkg/kubelet/network/dns/dns.go: getPodDNSType, GetPodDNS,
// generateSearchesForDNSClusterFirst, appendDNSConfig) and containerd
// writes it, and the order in which the resolver then tries names
// (glibc's res_search: the search list first unless the name has at least
// `ndots` dots; a name ending in "." is tried as it is, alone).
//
// Every kubelet here runs with kubeadm's configuration: clusterDNS
// [10.96.0.10], clusterDomain cluster.local. The machines' own resolver
// (a node's /etc/resolv.conf, what dnsPolicy Default gets) is the
// network's, at NODE_RESOLVER_IP, with no search domains.
import type { Pod } from '../api/types';
import { CLUSTER_DOMAIN, KUBE_DNS_IP } from './dns-objects';

/** The machines' resolver (a node's nameserver): it knows no cluster names, and the simulated network has no outside world. */
export const NODE_RESOLVER_IP = '10.0.0.2';

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}

/** How the kubelet chose the pod's DNS (getPodDNSType): the cluster's, the node's, or only spec.dnsConfig. */
export type PodDnsType = 'cluster' | 'host' | 'none';

export interface PodResolver extends ResolvConf {
  type: PodDnsType;
  /** spec.dnsPolicy after defaulting. */
  policy: string;
  /** The resolver's ndots: the last ndots option, else 1 (glibc's default), at most 15. */
  ndots: number;
}

export const NODE_RESOLV_CONF: ResolvConf = { nameservers: [NODE_RESOLVER_IP], searches: [], options: [] };

/** The cluster's search list for a pod in `namespace`: <ns>.svc.cluster.local svc.cluster.local cluster.local. */
export function clusterSearches(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

function dnsType(pod: Pod): PodDnsType {
  switch (pod.spec?.dnsPolicy ?? 'ClusterFirst') {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'ClusterFirst':
      // A host-network pod with ClusterFirst gets the node's DNS, as Default.
      return pod.spec?.hostNetwork ? 'host' : 'cluster';
    default:
      return 'host';
  }
}

/** mergeDNSOptions: options by name, spec.dnsConfig's overriding the base's ("ndots:2" replaces "ndots:5"). */
function mergeOptions(base: readonly string[], extra: ReadonlyArray<{ name?: string; value?: string }>): string[] {
  const byName = new Map<string, string>();
  for (const o of base) byName.set(o.split(':')[0], o);
  for (const o of extra) if (o.name) byName.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  return [...byName.values()];
}

export function ndotsOf(options: readonly string[]): number {
  let ndots = 1;
  for (const o of options) {
    const m = /^ndots:(\d+)$/.exec(o);
    if (m) ndots = Math.min(15, Number(m[1]));
  }
  return ndots;
}

/** The resolver a pod's containers get. */
export function podResolver(pod: Pod): PodResolver {
  const type = dnsType(pod);
  const base: ResolvConf =
    type === 'cluster'
      ? { nameservers: [KUBE_DNS_IP], searches: unique([...clusterSearches(pod.metadata?.namespace ?? 'default'), ...NODE_RESOLV_CONF.searches]), options: ['ndots:5'] }
      : type === 'host'
        ? { ...NODE_RESOLV_CONF }
        : { nameservers: [], searches: [], options: [] };
  const extra = pod.spec?.dnsConfig;
  const conf: ResolvConf = extra
    ? {
        nameservers: unique([...base.nameservers, ...(extra.nameservers ?? [])]),
        searches: unique([...base.searches, ...(extra.searches ?? [])]),
        options: mergeOptions(base.options, extra.options ?? []),
      }
    : base;
  return { ...conf, type, policy: pod.spec?.dnsPolicy ?? 'ClusterFirst', ndots: ndotsOf(conf.options) };
}

/** The node's own resolver, for a lookup made on the machine itself. */
export function nodeResolver(): PodResolver {
  return { ...NODE_RESOLV_CONF, type: 'host', policy: 'node', ndots: ndotsOf(NODE_RESOLV_CONF.options) };
}

/** /etc/resolv.conf as containerd writes it: search, then one nameserver line each, then options. */
export function formatResolvConf(conf: ResolvConf): string {
  let out = '';
  if (conf.searches.length) out += `search ${conf.searches.join(' ')}\n`;
  for (const ns of conf.nameservers) out += `nameserver ${ns}\n`;
  if (conf.options.length) out += `options ${conf.options.join(' ')}\n`;
  return out;
}

/**
 * The names the resolver asks for, in order, without the trailing dot. With
 * ndots:5 and the search list of namespace default, "web" is tried as
 * web.default.svc.cluster.local, web.svc.cluster.local, web.cluster.local,
 * then web; a name of five dots or more is tried as it is first.
 */
export function searchOrder(name: string, resolver: Pick<PodResolver, 'searches' | 'ndots'>): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = resolver.searches.map((d) => `${name}.${d}`);
  return dots >= resolver.ndots ? [name, ...searched] : [...searched, name];
}
