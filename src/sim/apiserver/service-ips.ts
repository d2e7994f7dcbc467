// The Service ClusterIP and NodePort allocators (--service-cluster-ip-range
// 10.96.0.0/12, --service-node-port-range 30000-32767). Free addresses are
// picked at random from the seed, as upstream's bitmap allocator does.
import type { KubeObject } from '../api/types';
import type { Rng } from '../kernel/rng';
import * as status from './status';
import type { Failure } from './status';

const BASE = (10 << 24) | (96 << 16); // 10.96.0.0
const SIZE = 1 << 20; // a /12

export const SERVICE_CIDR = '10.96.0.0/12';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** --service-node-port-range starts here; a dry run's stand-in for a port it did not allocate. */
const NODE_PORT_BASE = 30000;

export function ipToString(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseIp(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export class ServiceIpAllocator {
  private usedIps = new Set<number>();
  private usedPorts = new Set<number>();

  constructor(private readonly rng: Rng) {}

  /** Claims a given IP; returns why it cannot, in the apiserver's words. */
  claimIp(ip: string): string | undefined {
    const n = parseIp(ip);
    if (n === undefined) return `failed to allocate IP ${ip}: not an IP address`;
    const offset = n - BASE;
    if (offset <= 0 || offset >= SIZE - 1)
      return `failed to allocate IP ${ip}: provided IP is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`;
    if (this.usedIps.has(n)) return `failed to allocate IP ${ip}: provided IP is already allocated`;
    this.usedIps.add(n);
    return undefined;
  }

  allocateIp(): string {
    // Skip the network address and .1 (kept for the kubernetes Service) by drawing from [2, SIZE-1).
    for (;;) {
      const n = BASE + 2 + this.rng.int(SIZE - 3);
      if (!this.usedIps.has(n)) {
        this.usedIps.add(n);
        return ipToString(n);
      }
    }
  }

  releaseIp(ip: string | undefined): void {
    const n = ip ? parseIp(ip) : undefined;
    if (n !== undefined) this.usedIps.delete(n);
  }

  claimPort(port: number): string | undefined {
    if (port < 30000 || port > 32767) return `provided port is not in the valid range. The range of valid ports is 30000-32767`;
    if (this.usedPorts.has(port)) return `provided port is already allocated`;
    this.usedPorts.add(port);
    return undefined;
  }

  allocatePort(): number {
    for (;;) {
      const p = 30000 + this.rng.int(2768);
      if (!this.usedPorts.has(p)) {
        this.usedPorts.add(p);
        return p;
      }
    }
  }

  releasePort(port: number | undefined): void {
    if (port !== undefined) this.usedPorts.delete(port);
  }
}

/**
 * A Service's ClusterIP and NodePorts, claimed as the apiserver stores it.
 * A dry run allocates nothing, as upstream's dry-run allocators: an
 * asked-for address is checked (and, unlike upstream, also for being
 * taken, so a dry run that passes means the real request will) and handed
 * back; a free one is not searched for, the range's first value stands in
 * (upstream answers with the CIDR's network address).
 */
export function allocateService(ips: ServiceIpAllocator, obj: KubeObject, dryRun = false): KubeObject | Failure {
  const spec = { ...((obj.spec ?? {}) as Record<string, unknown>) };
  const name = obj.metadata.name ?? '';
  const requested = spec.clusterIP as string | undefined;
  if (requested === 'None') {
    spec.clusterIPs = ['None'];
  } else if (requested) {
    const why = ips.claimIp(requested);
    if (why) return status.invalid('Service', name, [{ type: 'Invalid', field: 'spec.clusterIPs', value: [requested], detail: why }]);
    if (dryRun) ips.releaseIp(requested);
    spec.clusterIPs = [requested];
  } else {
    const ip = dryRun ? SERVICE_CIDR.split('/')[0] : ips.allocateIp();
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    const ports = ((spec.ports as Array<Record<string, unknown>>) ?? []).map((p) => ({ ...p }));
    const claimed: number[] = [];
    let failure: Failure | undefined;
    for (const [i, p] of ports.entries()) {
      if (typeof p.nodePort === 'number') {
        const why = ips.claimPort(p.nodePort);
        if (why) {
          failure = status.invalid('Service', name, [{ type: 'Invalid', field: `spec.ports[${i}].nodePort`, value: p.nodePort, detail: why }]);
          break;
        }
        claimed.push(p.nodePort);
      } else p.nodePort = dryRun ? NODE_PORT_BASE : ips.allocatePort();
    }
    if (dryRun) for (const port of claimed) ips.releasePort(port);
    if (failure) return failure;
    spec.ports = ports;
  }
  return { ...obj, spec };
}

/** The Service is gone: its address and ports are free again. */
export function releaseService(ips: ServiceIpAllocator, obj: KubeObject): void {
  const spec = (obj.spec ?? {}) as { clusterIP?: string; ports?: Array<{ nodePort?: number }> };
  if (spec.clusterIP && spec.clusterIP !== 'None') ips.releaseIp(spec.clusterIP);
  for (const p of spec.ports ?? []) ips.releasePort(p.nodePort);
}
