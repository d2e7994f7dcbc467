// The node's pod network: its pod CIDR and the host-local IPAM that the CNI
// plugin runs for every sandbox. Like host-local, addresses are handed out
// in order from .2 (.1 is the bridge), continuing after the last one given,
// so a pod that gets a new sandbox (after a reboot) gets a new address.

/**
 * Node i's /24: flannel's default 10.244.0.0/16 holds 256 nodes
 * (10.244.0.0/24 .. 10.244.255.0/24); bigger clusters continue into
 * 10.245 .. 10.255, then 172.16.0.0/12.
 */
export function podCidrFor(index: number): string {
  if (index < 12 * 256) return `10.${244 + (index >> 8)}.${index & 255}.0/24`;
  const j = index - 12 * 256;
  return `172.${16 + ((j >> 8) & 15)}.${j & 255}.0/24`;
}

export class PodNetwork {
  private readonly prefix: string;
  private readonly inUse = new Set<number>();
  private last = 1;

  constructor(readonly cidr: string) {
    // A /24 such as "10.244.3.0/24": the first three octets.
    this.prefix = cidr.split('/')[0].split('.').slice(0, 3).join('.');
  }

  /** The next free address after the last one given, or undefined when the range is full. */
  allocate(): string | undefined {
    for (let i = 0; i < 253; i++) {
      const host = ((this.last - 1 + i) % 253) + 2; // 2..254
      if (this.inUse.has(host)) continue;
      this.inUse.add(host);
      this.last = host;
      return `${this.prefix}.${host}`;
    }
    return undefined;
  }

  release(ip: string | undefined): void {
    if (!ip || !ip.startsWith(`${this.prefix}.`)) return;
    this.inUse.delete(Number(ip.slice(this.prefix.length + 1)));
  }

  /** Addresses held by sandboxes now. */
  get used(): number {
    return this.inUse.size;
  }
}
