// kube-proxy of one node (cmd/kube-proxy, pkg/proxy/iptables): watches
// Services and EndpointSlices through the apiserver and keeps the node's
// rule table (see proxy-rules.ts). A connection to a Service is sent to one
// of its ready endpoints chosen at random, as iptables' statistic module
// does (from the kernel's seeded random source), or to the same endpoint
// as before for a client under sessionAffinity ClientIP. The rules stay as
// they were while the node is cut off or kube-proxy is down: a node that
// lost its watches routes to stale endpoints.
import type { Actor } from 'xstate';
import type { EndpointSlice, Service } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import { Informer } from '../client/informer';
import type { Kernel } from '../kernel/kernel';
import type { KubeProxyState, NodeAgentsSnapshotValue, nodeAgentsMachine } from './kubelet-machine';
import { buildRules, type ProxyRule } from './proxy-rules';

export type RouteResult =
  | { ok: true; endpoint: string; rule: ProxyRule }
  | { ok: false; reason: 'no-such-service' | 'no-endpoints'; message: string };

export class KubeProxy {
  private services?: Informer;
  private slices?: Informer;
  private table: ProxyRule[] = [];
  private dirty = true;
  private readonly affinity = new Map<string, { endpoint: string; until: number }>();

  constructor(
    private readonly kernel: Kernel,
    private readonly client: ApiClient,
    readonly nodeName: string,
    /** The node's statechart; its kubeProxy region is this process's lifecycle. */
    private readonly actor: Actor<typeof nodeAgentsMachine>,
  ) {
    // Watches open once the cluster runs, not while it is being built.
    kernel.after(0, 'kube-proxy.start', () => {
      if (this.running && !this.services) this.watch();
    });
  }

  get state(): KubeProxyState {
    return (this.actor.getSnapshot().value as NodeAgentsSnapshotValue).kubeProxy;
  }

  get running(): boolean {
    return this.state === 'running';
  }

  private watch(): void {
    const touch = { add: () => this.touch(), update: () => this.touch(), delete: () => this.touch() };
    this.services = new Informer(this.kernel, this.client, 'Service', {}, touch);
    this.slices = new Informer(this.kernel, this.client, 'EndpointSlice', {}, touch);
    this.services.start();
    this.slices.start();
  }

  private touch(): void {
    this.dirty = true;
  }

  /** The power went (NodeAgents moved the statechart): the process and its rules (the kernel's tables) are gone. */
  poweredOff(): void {
    this.services?.stop();
    this.slices?.stop();
    this.services = this.slices = undefined;
    this.table = [];
    this.dirty = false;
    this.affinity.clear();
  }

  poweredOn(): void {
    this.dirty = true;
    this.watch();
  }

  /** The network broke or healed: watch again (while cut off, the rules stay as they were). */
  networkChanged(): void {
    if (!this.running) return;
    for (const i of [this.services, this.slices]) {
      i?.stop();
      i?.start();
    }
  }

  /** The rule table as the node has it now, sorted by frontend. */
  rules(): ProxyRule[] {
    if (this.dirty && this.running && this.services && this.slices) {
      this.table = buildRules(this.services.list() as Iterable<Service>, this.slices.list() as Iterable<EndpointSlice>, this.nodeName);
      this.dirty = false;
    }
    return this.table;
  }

  /** Follows a connection to ip:port/protocol from `clientIP` to the endpoint kube-proxy's rules pick. */
  route(ip: string, port: number, protocol = 'TCP', clientIP = ''): RouteResult {
    const rules = this.rules();
    const frontend = `${ip}:${port}/${protocol}`;
    const rule = rules.find((r) => r.frontend === frontend) ?? rules.find((r) => r.type === 'NodePort' && r.frontend === `*:${port}/${protocol}`);
    if (!rule) return { ok: false, reason: 'no-such-service', message: `no Service at ${frontend}` };
    if (rule.endpoints.length === 0)
      return { ok: false, reason: 'no-endpoints', message: `Service ${rule.service} has no endpoints: the connection is rejected (ICMP port unreachable)` };
    const now = this.kernel.now;
    const stickyKey = `${rule.frontend}|${clientIP}`;
    if (rule.affinitySeconds !== undefined && clientIP) {
      const s = this.affinity.get(stickyKey);
      if (s && s.until > now && rule.endpoints.includes(s.endpoint)) {
        s.until = now + rule.affinitySeconds * 1000;
        return { ok: true, endpoint: s.endpoint, rule };
      }
    }
    const endpoint = rule.endpoints[this.kernel.rng.int(rule.endpoints.length)];
    if (rule.affinitySeconds !== undefined && clientIP) this.affinity.set(stickyKey, { endpoint, until: now + rule.affinitySeconds * 1000 });
    return { ok: true, endpoint, rule };
  }
}
