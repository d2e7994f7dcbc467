import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { formatResolvConf, ndotsOf, podResolver, searchOrder } from './dns-resolv-conf';

const pod = (spec: Record<string, unknown> = {}, namespace = 'default') => ({ metadata: { name: 'p', namespace }, spec: { dnsPolicy: 'ClusterFirst', containers: [], ...spec } }) as unknown as Pod;

describe("a pod's resolv.conf (kubelet's DNS configurer, containerd's file)", () => {
  it('ClusterFirst: the kube-dns IP, the namespace search list, ndots:5', () => {
    expect(formatResolvConf(podResolver(pod({}, 'shop')))).toBe(
      'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
    expect(podResolver(pod()).ndots).toBe(5);
  });

  it("Default, and ClusterFirst with hostNetwork, get the node's resolver; ClusterFirstWithHostNet keeps the cluster's", () => {
    expect(formatResolvConf(podResolver(pod({ dnsPolicy: 'Default' })))).toBe('nameserver 10.0.0.2\n');
    expect(podResolver(pod({ hostNetwork: true })).type).toBe('host');
    expect(podResolver(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' })).nameservers).toEqual(['10.96.0.10']);
    // The node's resolver has no ndots option: glibc's default is 1.
    expect(podResolver(pod({ dnsPolicy: 'Default' })).ndots).toBe(1);
  });

  it('spec.dnsConfig is appended (duplicates dropped) and its options override by name; None uses it alone', () => {
    const r = podResolver(pod({ dnsConfig: { nameservers: ['1.1.1.1'], searches: ['corp.example', 'svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }));
    expect(formatResolvConf(r)).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\nnameserver 1.1.1.1\noptions ndots:2 edns0\n',
    );
    expect(r.ndots).toBe(2);
    expect(formatResolvConf(podResolver(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['10.0.0.53'] } })))).toBe('nameserver 10.0.0.53\n');
  });

  it('ndots: the last option wins, capped at 15', () => {
    expect(ndotsOf(['ndots:3', 'ndots:7'])).toBe(7);
    expect(ndotsOf(['ndots:40'])).toBe(15);
    expect(ndotsOf([])).toBe(1);
  });
});

describe('the order names are tried in (res_search with ndots)', () => {
  const cluster = podResolver(pod());
  it('fewer dots than ndots (5): the search list first, then the name as it is', () => {
    // "web" has 0 dots < 5.
    expect(searchOrder('web', cluster)).toEqual(['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']);
    // "web.default.svc.cluster.local" has 4 dots < 5: even the full name goes through the search list first (3 wasted queries).
    expect(searchOrder('web.default.svc.cluster.local', cluster)).toEqual([
      'web.default.svc.cluster.local.default.svc.cluster.local',
      'web.default.svc.cluster.local.svc.cluster.local',
      'web.default.svc.cluster.local.cluster.local',
      'web.default.svc.cluster.local',
    ]);
  });

  it('ndots or more dots: the name first; a trailing dot: the name alone', () => {
    // "db-0.db.default.svc.cluster.local" has 5 dots >= 5.
    expect(searchOrder('db-0.db.default.svc.cluster.local', cluster)[0]).toBe('db-0.db.default.svc.cluster.local');
    expect(searchOrder('web.default.svc.cluster.local.', cluster)).toEqual(['web.default.svc.cluster.local']);
    // With ndots:1, "example.com" (1 dot) is tried as it is first.
    expect(searchOrder('example.com', { searches: ['default.svc.cluster.local'], ndots: 1 })).toEqual(['example.com', 'example.com.default.svc.cluster.local']);
  });
});
