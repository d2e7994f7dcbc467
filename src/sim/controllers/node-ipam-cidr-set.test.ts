import { describe, expect, it } from 'vitest';
import { CidrSet, NO_CIDRS_REMAINING, parseCidr } from './node-ipam-cidr-set';

const next = (s: CidrSet) => {
  const r = s.allocateNext();
  return r.ok ? r.cidr : r.error;
};

describe("the node IPAM's cidrset (upstream cidr_set.go)", () => {
  it('cuts 10.244.0.0/16 into 256 /24s and hands them out in order', () => {
    const s = new CidrSet('10.244.0.0/16', 24);
    // 2^(24-16) = 256 subnets.
    expect(s.maxCIDRs).toBe(256);
    expect([next(s), next(s), next(s)]).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
  });

  it('does not hand a released subnet out again until it comes round (nextCandidate moves on)', () => {
    // 10.244.0.0/22 holds four /24s: .0, .1, .2, .3.
    const s = new CidrSet('10.244.0.0/22', 24);
    expect([next(s), next(s)]).toEqual(['10.244.0.0/24', '10.244.1.0/24']);
    expect(s.release('10.244.0.0/24')).toBeUndefined();
    // The search starts after the last one given (index 2), so .0 comes only after .2 and .3.
    expect([next(s), next(s), next(s), next(s)]).toEqual(['10.244.2.0/24', '10.244.3.0/24', '10.244.0.0/24', NO_CIDRS_REMAINING]);
  });

  it('occupies every subnet a CIDR overlaps, and refuses one outside the cluster CIDR', () => {
    const s = new CidrSet('10.244.0.0/16', 24);
    // A /23 covers two /24s; a /25 lies inside one.
    expect(s.occupy('10.244.0.0/23')).toBeUndefined();
    expect(s.occupy('10.244.5.128/25')).toBeUndefined();
    expect([s.has('10.244.0.0/24'), s.has('10.244.1.0/24'), s.has('10.244.5.0/24'), s.has('10.244.2.0/24')]).toEqual([true, true, true, false]);
    expect(s.usedCount).toBe(3);
    expect(next(s)).toBe('10.244.2.0/24');
    expect(s.occupy('10.96.0.0/12')).toBe('cidr 10.96.0.0/12 is out the range of cluster cidr 10.244.0.0/16');
    // A range holding the whole cluster CIDR takes all of it.
    expect(s.occupy('10.0.0.0/8')).toBeUndefined();
    expect(s.usedCount).toBe(256);
    expect(next(s)).toBe(NO_CIDRS_REMAINING);
  });

  it('parses IPv4 CIDRs to their network address, and nothing else', () => {
    // 10.244.3.7/24 is the network 10.244.3.0: 10*2^24 + 244*2^16 + 3*2^8.
    expect(parseCidr('10.244.3.7/24')).toEqual({ network: 10 * 2 ** 24 + 244 * 2 ** 16 + 3 * 2 ** 8, prefix: 24 });
    expect(parseCidr('10.244.3.0')).toBeUndefined();
    expect(parseCidr('10.244.3.0/33')).toBeUndefined();
    expect(parseCidr('fd00::/64')).toBeUndefined();
  });
});
