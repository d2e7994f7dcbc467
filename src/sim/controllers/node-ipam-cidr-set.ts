// The node IPAM controller's bitmap of node CIDRs, after upstream
// pkg/controller/nodeipam/ipam/cidrset/cidr_set.go (IPv4 only): the cluster
// CIDR (--cluster-cidr, 10.244.0.0/16 with kubeadm's --pod-network-cidr)
// cut into subnets of --node-cidr-mask-size (24: 256 of them, 10.244.0.0/24
// .. 10.244.255.0/24). AllocateNext takes the first free subnet at or after
// the one past the last given, wrapping around, so a released subnet is
// not handed out again until the others have been; Occupy and Release mark
// every subnet a CIDR overlaps.
import { ipToString, parseIp } from '../apiserver/service-ips';

/** ErrCIDRRangeNoCIDRsRemaining. */
export const NO_CIDRS_REMAINING = 'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range';

export type CidrResult = { ok: true; cidr: string } | { ok: false; error: string };

export interface ParsedCidr {
  /** The network address (the address with the host bits cleared), as an unsigned 32-bit number. */
  network: number;
  prefix: number;
}

/** net.ParseCIDR for IPv4: undefined when it is not "a.b.c.d/n". */
export function parseCidr(cidr: string): ParsedCidr | undefined {
  const [ip, bits, extra] = cidr.split('/');
  const prefix = Number(bits);
  const addr = parseIp(ip ?? '');
  if (addr === undefined || extra !== undefined || bits === undefined || !/^\d{1,2}$/.test(bits) || prefix > 32) return undefined;
  return { network: (addr & mask(prefix)) >>> 0, prefix };
}

const mask = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
/** The CIDR's last address. */
export const lastAddress = (c: ParsedCidr): number => (c.network | (~mask(c.prefix) >>> 0)) >>> 0;
/** net.IPNet.Contains. */
export const contains = (c: ParsedCidr, ip: number): boolean => ((ip & mask(c.prefix)) >>> 0) === c.network;
const format = (c: ParsedCidr): string => `${ipToString(c.network)}/${c.prefix}`;

export class CidrSet {
  private readonly cluster: ParsedCidr;
  /** How many node subnets the cluster CIDR holds. */
  readonly maxCIDRs: number;
  private readonly used: Uint8Array;
  private nextCandidate = 0;

  constructor(
    clusterCIDR: string,
    readonly subNetMaskSize: number,
  ) {
    const c = parseCidr(clusterCIDR);
    if (!c) throw new Error(`invalid cluster CIDR ${JSON.stringify(clusterCIDR)}`);
    if (subNetMaskSize < c.prefix || subNetMaskSize > 32) throw new Error('mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size');
    this.cluster = c;
    this.maxCIDRs = 2 ** (subNetMaskSize - c.prefix);
    this.used = new Uint8Array(this.maxCIDRs);
  }

  get clusterCIDR(): string {
    return format(this.cluster);
  }

  /** Subnets marked used. */
  get usedCount(): number {
    return this.used.reduce((n, u) => n + u, 0);
  }

  /** AllocateNext: the first free subnet from nextCandidate on, wrapping round. */
  allocateNext(): CidrResult {
    for (let i = 0; i < this.maxCIDRs; i++) {
      const candidate = (i + this.nextCandidate) % this.maxCIDRs;
      if (this.used[candidate]) continue;
      this.nextCandidate = (candidate + 1) % this.maxCIDRs;
      this.used[candidate] = 1;
      return { ok: true, cidr: this.block(candidate) };
    }
    return { ok: false, error: NO_CIDRS_REMAINING };
  }

  /** Occupy: every subnet the CIDR overlaps is used (whether it was before or not). Why not, or undefined. */
  occupy(cidr: string): string | undefined {
    return this.mark(cidr, 1);
  }

  release(cidr: string): string | undefined {
    return this.mark(cidr, 0);
  }

  has(cidr: string): boolean {
    const r = this.indices(cidr);
    return 'begin' in r && this.used[r.begin] === 1;
  }

  private mark(cidr: string, bit: 0 | 1): string | undefined {
    const r = this.indices(cidr);
    if ('error' in r) return r.error;
    for (let i = r.begin; i <= r.end; i++) this.used[i] = bit;
    return undefined;
  }

  /** getBeginingAndEndIndices: the subnets from the one holding the CIDR's first address to the one holding its last. */
  private indices(cidr: string): { begin: number; end: number } | { error: string } {
    const c = parseCidr(cidr);
    if (!c) return { error: `invalid CIDR ${JSON.stringify(cidr)}` };
    const overlaps = contains(this.cluster, c.network) || contains(c, this.cluster.network);
    if (!overlaps) return { error: `cidr ${format(c)} is out the range of cluster cidr ${this.clusterCIDR}` };
    // A CIDR as big as the cluster's (or bigger) covers every subnet.
    if (c.prefix <= this.cluster.prefix) return { begin: 0, end: this.maxCIDRs - 1 };
    return { begin: this.index(c.network), end: this.index(lastAddress(c)) };
  }

  /** getIndexForIP: the subnet an address falls in. */
  private index(ip: number): number {
    return ((this.cluster.network ^ ip) >>> 0) >>> (32 - this.subNetMaskSize);
  }

  /** indexToCIDRBlock. */
  private block(index: number): string {
    const shift = 32 - this.subNetMaskSize;
    const network = (this.cluster.network | (shift === 32 ? 0 : index * 2 ** shift)) >>> 0;
    return format({ network, prefix: this.subNetMaskSize });
  }
}
