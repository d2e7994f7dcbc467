// The simulated cloud's network (L4) load balancers: an external address
// from the load balancer range, one listener per Service port forwarding to
// that port's nodePort on every backend node, and the cloud's own health
// check on each backend. Not an upstream component: it is what the
// service controller's EnsureLoadBalancer / UpdateLoadBalancer /
// EnsureLoadBalancerDeleted (k8s.io/cloud-provider cloud.go) act on.
//
// The health check follows Compute Engine's L4 load balancers for
// externalTrafficPolicy: Cluster (ingress-gce pkg/healthchecksl4: the shared
// node health check on kube-proxy's healthz port 10256, every 8 s, healthy
// after 1 success, unhealthy after 3 failures: 24 s before traffic steers
// away). A backend the load balancer keeps but whose machine is down is
// exactly what the service controller's stable node set leaves to it: the
// controller does not drop NotReady nodes, the health check stops sending
// them traffic.
import type { Kernel, Timer } from '../kernel/kernel';
import type { AddressRange } from './address-range';

export const HEALTH_CHECK_INTERVAL_MS = 8_000;
export const HEALTHY_THRESHOLD = 1;
export const UNHEALTHY_THRESHOLD = 3;
/** kube-proxy's --healthz-bind-address port, which the shared node health check probes. */
export const KUBE_PROXY_HEALTHZ_PORT = 10256;

export type BackendHealth = 'Unknown' | 'Healthy' | 'Unhealthy';

export interface Backend {
  node: string;
  providerID: string;
  health: BackendHealth;
  /** Consecutive probe results in the current direction (failures while healthy, successes while unhealthy). */
  streak: number;
}

export interface Listener {
  port: number;
  protocol: string;
  nodePort: number;
}

export interface LoadBalancer {
  /** DefaultLoadBalancerName: "a" + the Service's uid without dashes, at most 32 characters. */
  name: string;
  /** The Service it was made for, namespace/name. */
  service: string;
  externalIP: string;
  listeners: Listener[];
  /** In the order the service controller listed the nodes. */
  backends: Backend[];
  createdAt: number;
}

export interface BackendSpec {
  node: string;
  providerID: string;
}

export type LbResult<T> = { ok: true; value: T } | { ok: false; error: string };

export class LoadBalancers {
  private readonly byName = new Map<string, LoadBalancer>();
  private readonly timers = new Map<string, Timer>();

  constructor(
    private readonly kernel: Kernel,
    private readonly range: AddressRange,
    /** Does this backend answer the health check now? */
    private readonly probe: (backend: BackendSpec) => boolean,
  ) {}

  get(name: string): LoadBalancer | undefined {
    const lb = this.byName.get(name);
    return lb ? copy(lb) : undefined;
  }

  list(): LoadBalancer[] {
    return [...this.byName.values()].map(copy);
  }

  /** Creates the load balancer, or brings an existing one to these listeners, backends and address. */
  ensure(name: string, service: string, listeners: Listener[], requestedIP: string, backends: BackendSpec[]): LbResult<LoadBalancer> {
    const cur = this.byName.get(name);
    let ip = cur?.externalIP;
    if (requestedIP && requestedIP !== ip) {
      const why = this.range.claim(requestedIP);
      if (why) return { ok: false, error: why };
      if (ip) this.range.release(ip);
      ip = requestedIP;
    }
    if (!ip) {
      ip = this.range.allocate();
      if (!ip) return { ok: false, error: `no free address left in the load balancer range ${this.range.cidr}` };
    }
    const lb: LoadBalancer = {
      name,
      service,
      externalIP: ip,
      listeners: listeners.map((l) => ({ ...l })),
      backends: mergeBackends(cur?.backends ?? [], backends),
      createdAt: cur?.createdAt ?? this.kernel.now,
    };
    this.byName.set(name, lb);
    // The first probe goes out at once; then every interval.
    if (!this.timers.has(name)) this.schedule(name, 0);
    return { ok: true, value: copy(lb) };
  }

  /** UpdateLoadBalancer: the backends only. */
  update(name: string, backends: BackendSpec[]): LbResult<LoadBalancer> {
    const lb = this.byName.get(name);
    if (!lb) return { ok: false, error: `load balancer ${name} not found` };
    lb.backends = mergeBackends(lb.backends, backends);
    return { ok: true, value: copy(lb) };
  }

  /** Deletes it and frees its address; deleting one that is not there succeeds (EnsureLoadBalancerDeleted). */
  delete(name: string): void {
    const lb = this.byName.get(name);
    if (!lb) return;
    this.range.release(lb.externalIP);
    this.byName.delete(name);
    this.kernel.cancel(this.timers.get(name));
    this.timers.delete(name);
  }

  private schedule(name: string, delay: number): void {
    this.timers.set(
      name,
      this.kernel.after(delay, 'cloud.health-check', () => {
        const lb = this.byName.get(name);
        if (!lb) return;
        for (const b of lb.backends) probeOnce(b, this.probe(b));
        this.schedule(name, HEALTH_CHECK_INTERVAL_MS);
      }),
    );
  }
}

/** One probe's effect on a backend: thresholds as Compute Engine counts them. */
function probeOnce(b: Backend, up: boolean): void {
  if (up) {
    if (b.health === 'Healthy') return void (b.streak = 0);
    b.streak = b.health === 'Unknown' ? 1 : b.streak + 1;
    if (b.streak >= HEALTHY_THRESHOLD) {
      b.health = 'Healthy';
      b.streak = 0;
    }
    return;
  }
  if (b.health === 'Unhealthy') return void (b.streak = 0);
  if (b.health === 'Unknown') {
    b.health = 'Unhealthy';
    b.streak = 0;
    return;
  }
  b.streak++;
  if (b.streak >= UNHEALTHY_THRESHOLD) {
    b.health = 'Unhealthy';
    b.streak = 0;
  }
}

/** The new backend list, keeping the health of the nodes that stay (a node that just got its providerID is the same machine). */
function mergeBackends(old: readonly Backend[], next: readonly BackendSpec[]): Backend[] {
  return next.map((s) => {
    const was = old.find((b) => b.node === s.node);
    return was ? { ...was, providerID: s.providerID } : { node: s.node, providerID: s.providerID, health: 'Unknown', streak: 0 };
  });
}

function copy(lb: LoadBalancer): LoadBalancer {
  return { ...lb, listeners: lb.listeners.map((l) => ({ ...l })), backends: lb.backends.map((b) => ({ ...b })) };
}
