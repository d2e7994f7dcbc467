// What a DNS lookup reads, as one narrow interface: the objects CoreDNS
// watches (Services, EndpointSlices, Namespaces), the asking pod, kube-proxy's
// rule table on a node, and whether a machine and a container run. Lookups
// only read: nothing here sends a request, draws from the kernel's random
// source or writes anything, so asking a name (kubectl exec, the inspector)
// never changes the cluster, its trace or its state hash.
//
// CoreDNS's kubernetes plugin answers from its informers' caches. Those
// trail the apiserver by the watch delay (1 ms by default), and the
// Corefile's `cache 30` skips cluster.local, so the apiserver's stored
// state is what CoreDNS knows, to within a millisecond. clusterDnsView reads
// that state straight from the store, as kubectl's reads do.
import type { EndpointSlice, Namespace, Node, Pod, Service } from '../api/types';
import type { Cluster } from '../cluster';
import type { MachineState } from '../cluster/machines';
import type { ProxyRule } from '../node/proxy-rules';

/** The label every EndpointSlice carries with the name of its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface DnsView {
  service(namespace: string, name: string): Service | undefined;
  /** Every Service, for reverse lookups (any order). */
  services(): Iterable<Service>;
  /** The EndpointSlices of one Service, by slice name. */
  slicesOf(namespace: string, service: string): EndpointSlice[];
  pod(namespace: string, name: string): Pod | undefined;
  namespaceExists(name: string): boolean;
  node(name: string): Node | undefined;
  /** kube-proxy's rule table on a node as that kube-proxy has it (stale while it is cut off); undefined without a machine. */
  proxyRules(node: string): readonly ProxyRule[] | undefined;
  machine(node: string): MachineState;
  /** The container runs now in the node's runtime (a powered-off machine runs nothing). */
  containerRunning(node: string, podUid: string, container: string): boolean;
}

/** The live cluster as a DnsView. Build one per lookup (or per batch at one instant): it indexes slices once. */
export function clusterDnsView(cluster: Cluster): DnsView {
  const store = cluster.etcd.store;
  let slicesByService: Map<string, EndpointSlice[]> | undefined;
  return {
    service: (ns, name) => store.get(`/registry/services/${ns}/${name}`)?.value as Service | undefined,
    *services() {
      for (const kv of store.range('/registry/services/')) yield kv.value as Service;
    },
    slicesOf(ns, name) {
      if (!slicesByService) {
        slicesByService = new Map();
        for (const kv of store.range('/registry/endpointslices/')) {
          const s = kv.value as EndpointSlice;
          const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
          if (!svc) continue;
          const key = `${s.metadata!.namespace}/${svc}`;
          const list = slicesByService.get(key);
          if (list) list.push(s);
          else slicesByService.set(key, [s]);
        }
        for (const list of slicesByService.values()) list.sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
      }
      return slicesByService.get(`${ns}/${name}`) ?? [];
    },
    pod: (ns, name) => store.get(`/registry/pods/${ns}/${name}`)?.value as Pod | undefined,
    namespaceExists: (name) => (store.get(`/registry/namespaces/${name}`)?.value as Namespace | undefined) !== undefined,
    node: (name) => store.get(`/registry/nodes/${name}`)?.value as Node | undefined,
    proxyRules: (node) => (cluster.nodes.host(node) ? cluster.nodes.rules(node) : undefined),
    machine: (node) => cluster.machine(node),
    containerRunning(node, podUid, container) {
      const host = cluster.nodes.host(node);
      if (!host || !cluster.machine(node).powered) return false;
      return host.runtime.podContainers(podUid).some((c) => c.name === container && c.state === 'running');
    },
  };
}
