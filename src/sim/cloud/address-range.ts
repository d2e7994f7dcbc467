// The simulated cloud's pool of external addresses for network load
// balancers (spec.cloud.loadBalancerRange, 203.0.113.0/24 by default). Not
// an upstream component: a real cloud hands out addresses from its own
// pools. Here the lowest free host address is taken, so the first load
// balancer of a scenario is always 203.0.113.1 and readers can predict it.
import { ipToString, parseIp } from '../apiserver/service-ips';

export class AddressRange {
  /** The first and last usable host addresses (the network and broadcast addresses are left out). */
  private readonly first: number;
  private readonly last: number;
  private readonly used = new Set<number>();

  constructor(readonly cidr: string) {
    const [base, bits] = cidr.split('/');
    const prefix = Number(bits);
    const network = parseIp(base);
    if (network === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`load balancer range ${JSON.stringify(cidr)}: not an IPv4 CIDR from /8 to /30`);
    const size = 2 ** (32 - prefix);
    const start = network - (network % size);
    this.first = start + 1;
    this.last = start + size - 2;
  }

  contains(ip: string): boolean {
    const n = parseIp(ip);
    return n !== undefined && n >= this.first && n <= this.last;
  }

  /** The lowest free address, or undefined when every one is taken. */
  allocate(): string | undefined {
    for (let n = this.first; n <= this.last; n++) {
      if (this.used.has(n)) continue;
      this.used.add(n);
      return ipToString(n);
    }
    return undefined;
  }

  /** Claims a requested address (spec.loadBalancerIP); why it cannot, or undefined. */
  claim(ip: string): string | undefined {
    if (!this.contains(ip)) return `requested IP ${JSON.stringify(ip)} is not in the load balancer range ${this.cidr}`;
    const n = parseIp(ip)!;
    if (this.used.has(n)) return `requested IP ${JSON.stringify(ip)} is already in use by another load balancer`;
    this.used.add(n);
    return undefined;
  }

  release(ip: string): void {
    const n = parseIp(ip);
    if (n !== undefined) this.used.delete(n);
  }
}
