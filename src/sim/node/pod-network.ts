// The node's pod network: its pod CIDR and the host-local IPAM that the CNI
// plugin runs for every sandbox. Like host-local, addresses are handed out
// in order from .2 (.1 is the bridge), continuing after the last one given,
// so a pod that gets a new sandbox (after a reboot) gets a new address.
// Without a cloud each node's network takes its own /24 (podCidrFor). On a
// cloud the CNI configuration is written from the Node's spec.podCIDR, which
// the kubelet hands to containerd (UpdateRuntimeConfig, containerd's CNI
// conf template, as on GCE): a new machine's network has no CIDR, and is not
// ready, until then.

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

/** A /24 such as "10.244.3.0/24": its first three octets ("" for no CIDR). */
const prefixOf = (cidr: string): string => (cidr ? cidr.split('/')[0].split('.').slice(0, 3).join('.') : '');

export class PodNetwork {
  private cidr_: string;
  private prefix: string;
  private readonly inUse = new Set<number>();
  private last = 1;

  /** `cidr` "": the CNI has no configuration yet (it waits for the Node's podCIDR). */
  constructor(cidr = '') {
    this.cidr_ = cidr;
    this.prefix = prefixOf(cidr);
  }

  /** The pod CIDR sandboxes get addresses from; "" while unconfigured. */
  get cidr(): string {
    return this.cidr_;
  }

  get configured(): boolean {
    return this.cidr_ !== '';
  }

  /**
   * The CNI configuration is (re)written for this CIDR. False when it is the
   * one already in use. Sandboxes keep the addresses they have; new ones
   * come from the new range.
   */
  configure(cidr: string): boolean {
    if (!cidr || cidr === this.cidr_) return false;
    this.cidr_ = cidr;
    this.prefix = prefixOf(cidr);
    this.inUse.clear();
    this.last = 1;
    return true;
  }

  /** The next free address after the last one given, or undefined when the range is full (or there is none). */
  allocate(): string | undefined {
    if (!this.configured) return undefined;
    for (let i = 0; i < 253; i++) {
      const host = ((this.last - 1 + i) % 253) + 2; // 2..254
      if (this.inUse.has(host)) continue;
      this.inUse.add(host);
      this.last = host;
      return `${this.prefix}.${host}`;
    }
    return undefined;
  }

  /**
   * An address a sandbox already holds (the starting cluster's pods, which
   * had been running): taken from the pool, and later ones continue after
   * it. False when it is not in this range or is taken.
   */
  reserve(ip: string): boolean {
    if (!this.configured || !ip.startsWith(`${this.prefix}.`)) return false;
    const host = Number(ip.slice(this.prefix.length + 1));
    if (!(host >= 2 && host <= 254) || this.inUse.has(host)) return false;
    this.inUse.add(host);
    if (host > this.last) this.last = host;
    return true;
  }

  release(ip: string | undefined): void {
    if (!ip || !this.configured || !ip.startsWith(`${this.prefix}.`)) return;
    this.inUse.delete(Number(ip.slice(this.prefix.length + 1)));
  }

  /** Addresses held by sandboxes now. */
  get used(): number {
    return this.inUse.size;
  }
}
