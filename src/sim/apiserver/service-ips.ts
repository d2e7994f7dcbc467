// The Service ClusterIP and NodePort allocators (--service-cluster-ip-range
// 10.96.0.0/12, --service-node-port-range 30000-32767). Free addresses are
// picked at random from the seed, as upstream's bitmap allocator does.
import type { Rng } from '../kernel/rng';

const BASE = (10 << 24) | (96 << 16); // 10.96.0.0
const SIZE = 1 << 20; // a /12

export const SERVICE_CIDR = '10.96.0.0/12';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

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
