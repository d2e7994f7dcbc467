// The load balancer in front of the kube-apiservers of a highly available
// control plane, set up as kubeadm's docs/ha-considerations.md sets up
// haproxy: `mode tcp`, `balance roundrobin`, `option httpchk GET /healthz`,
// servers with a plain `check` (so HAProxy's defaults: inter 2s, fall 3,
// rise 2), `retries 1` and `option redispatch`.
//
// TCP mode means a client's connection (client-go multiplexes all its
// requests and watches over one) goes to one backend and stays there. When
// that apiserver stops, the connection breaks; the client's next request
// dials again and gets the next backend in round-robin order that the
// balancer believes up. One the balancer still believes up but that is
// gone refuses the dial, and the one retry is redispatched to the next.
// The balancer believes a backend down after 3 failed health checks in a
// row (4 to 6 s) and up again after 2 good ones.
//
// Simplified: a backend's /healthz is its process running (upstream's also
// checks etcd), and a powered-off machine refuses at once, as a stopped
// process does, where upstream a check or dial would wait for its timeout.
import type { Kernel } from '../kernel/kernel';
import type { ApiServerReplica } from './apiserver-replica';

/** The load balancer's name in the trace. */
export const LB_NAME = 'apiserver-lb';
/** The control-plane endpoint every kubeconfig names (kubeadm's --control-plane-endpoint). */
export const LB_ADDRESS = '10.0.0.1:6443';
/** HAProxy's defaults for a server line with `check`. */
export const HEALTH_CHECK = { interval: 2000, fall: 3, rise: 2 } as const;
/** `retries 1` with `option redispatch`: a refused dial is tried once more, on another backend. */
const DIAL_ATTEMPTS = 2;

interface Backend {
  replica: ApiServerReplica;
  /** What the balancer believes. */
  up: boolean;
  /** Consecutive check results against that belief (failures while up, successes while down). */
  streak: number;
}

/** A client's TCP connection through the balancer: its backend and the run of that process it reached. */
interface Connection {
  backend: number;
  epoch: number;
}

export interface BackendView {
  name: string;
  host: string;
  address: string;
  /** The balancer's belief: new connections go only to backends it believes up. */
  up: boolean;
  /** HAProxy's status words: "UP", "UP, going down 1/3", "DOWN", "DOWN, going up 1/2". */
  check: string;
  /** Clients connected to it now. */
  connections: number;
}

export interface LoadBalancerView {
  name: string;
  address: string;
  backends: BackendView[];
}

export class LoadBalancer {
  private readonly backends: Backend[];
  private readonly connections = new Map<string, Connection>();
  /** Where round-robin looks first. */
  private next = 0;

  constructor(
    private readonly kernel: Kernel,
    replicas: readonly ApiServerReplica[],
  ) {
    this.backends = replicas.map((replica) => ({ replica, up: true, streak: 0 }));
    // HAProxy spreads the servers' first checks over one interval.
    this.backends.forEach((_, i) => kernel.after(Math.floor((i * HEALTH_CHECK.interval) / replicas.length), 'lb.healthz', () => this.check(i)));
  }

  /**
   * The replica that serves `client` now: its connection's, or a new
   * connection's. Undefined when no backend takes it. A dry run looks but
   * changes nothing (it is not part of the session's history).
   */
  route(client: string, dryRun = false): ApiServerReplica | undefined {
    const c = this.connections.get(client);
    if (c) {
      const r = this.backends[c.backend].replica;
      if (r.running && r.epoch === c.epoch) return r;
      this.connections.delete(client);
    }
    if (dryRun) return this.backends.find((b) => b.up && b.replica.running)?.replica;
    for (let attempt = 0; attempt < DIAL_ATTEMPTS; attempt++) {
      const i = this.pick();
      if (i === undefined) return undefined;
      const r = this.backends[i].replica;
      if (r.running) {
        this.connections.set(client, { backend: i, epoch: r.epoch });
        return r;
      }
      this.kernel.trace.record({ from: LB_NAME, to: r.name, verb: 'connect', resource: 'tcp', key: client, ok: false, error: `dial tcp ${r.address}: connect: connection refused` });
    }
    return undefined;
  }

  /** Would a new connection find a backend? (kubectl's reads need one.) */
  reachable(): boolean {
    return this.backends.some((b) => b.up && b.replica.running);
  }

  view(): LoadBalancerView {
    const counts = this.backends.map(() => 0);
    for (const c of this.connections.values()) {
      const r = this.backends[c.backend].replica;
      if (r.running && r.epoch === c.epoch) counts[c.backend]++;
    }
    return {
      name: LB_NAME,
      address: LB_ADDRESS,
      backends: this.backends.map((b, i) => ({
        name: b.replica.name,
        host: b.replica.host,
        address: b.replica.address,
        up: b.up,
        check: statusWords(b),
        connections: counts[i],
      })),
    };
  }

  /** roundrobin over the backends believed up. */
  private pick(): number | undefined {
    const n = this.backends.length;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      if (!this.backends[i].up) continue;
      this.next = (i + 1) % n;
      return i;
    }
    return undefined;
  }

  /** GET /healthz on one backend, then the next check one interval later. */
  private check(i: number): void {
    const b = this.backends[i];
    const ok = b.replica.running;
    this.kernel.trace.record({
      from: LB_NAME,
      to: b.replica.name,
      verb: 'get',
      resource: 'healthz',
      key: '/healthz',
      ok,
      ...(ok ? {} : { error: `dial tcp ${b.replica.address}: connect: connection refused` }),
    });
    if (ok === b.up) b.streak = 0;
    else if (++b.streak >= (b.up ? HEALTH_CHECK.fall : HEALTH_CHECK.rise)) {
      b.up = !b.up;
      b.streak = 0;
    }
    this.kernel.after(HEALTH_CHECK.interval, 'lb.healthz', () => this.check(i));
  }
}

function statusWords(b: Backend): string {
  if (b.streak === 0) return b.up ? 'UP' : 'DOWN';
  return b.up ? `UP, going down ${b.streak}/${HEALTH_CHECK.fall}` : `DOWN, going up ${b.streak}/${HEALTH_CHECK.rise}`;
}
