import { describe, expect, it } from 'vitest';
import type { ContainerPort } from 'kubernetes-types/core/v1';
import { makePod } from '../plugins/test-nodes';
import { BIND_ALL_HOST_IP, hostPortConflicts, podHostPorts, sameHostPort } from './host-ports';
import type { HostPort } from './types';

// Upstream: pkg/scheduler/util GetHostPorts and framework HostPortInfo (sanitize, CheckConflict).
const hp = (port: number, ip = BIND_ALL_HOST_IP, protocol = 'TCP'): HostPort => ({ ip, protocol, port });

describe('podHostPorts', () => {
  it('takes ports with a hostPort > 0 from the containers', () => {
    const ports: ContainerPort[] = [{ containerPort: 80, hostPort: 8080 }, { containerPort: 9090 }, { containerPort: 53, hostPort: 0 }];
    // 9090 has no hostPort, 53 has hostPort 0: only 8080 counts
    expect(podHostPorts(makePod({ containers: [{ ports }] }))).toEqual([hp(8080)]);
    expect(podHostPorts(makePod())).toEqual([]);
  });

  it('sanitizes: "" ip is 0.0.0.0, "" protocol is TCP; set values are kept', () => {
    const ports: ContainerPort[] = [
      { containerPort: 1, hostPort: 81, hostIP: '', protocol: '' },
      { containerPort: 2, hostPort: 82, hostIP: '10.0.0.1', protocol: 'UDP' },
      { containerPort: 3, hostPort: 83, protocol: 'SCTP' },
    ];
    expect(podHostPorts(makePod({ containers: [{ ports }] }))).toEqual([hp(81), hp(82, '10.0.0.1', 'UDP'), hp(83, BIND_ALL_HOST_IP, 'SCTP')]);
  });

  it('counts sidecars (init containers with restartPolicy Always) first, then containers; not plain init containers', () => {
    const pod = makePod({
      initContainers: [
        { name: 'setup', ports: [{ containerPort: 1, hostPort: 7000 }] }, // runs to completion: not counted
        { name: 'proxy', restartPolicy: 'Always', ports: [{ containerPort: 2, hostPort: 7001 }] },
      ],
      containers: [{ ports: [{ containerPort: 3, hostPort: 7002 }] }, { ports: [{ containerPort: 4, hostPort: 7003 }] }],
    });
    expect(podHostPorts(pod).map((p) => p.port)).toEqual([7001, 7002, 7003]);
  });

  it('keeps duplicates as listed', () => {
    const ports: ContainerPort[] = [{ containerPort: 1, hostPort: 80 }];
    expect(podHostPorts(makePod({ containers: [{ ports }, { ports }] }))).toEqual([hp(80), hp(80)]);
  });
});

describe('hostPortConflicts', () => {
  it('0.0.0.0 wanted conflicts with the port on any IP', () => {
    expect(hostPortConflicts([hp(80, '10.0.0.1')], hp(80))).toBe(true);
    expect(hostPortConflicts([hp(80)], hp(80))).toBe(true);
  });

  it('a specific IP conflicts with the same IP or with 0.0.0.0, not with another IP', () => {
    expect(hostPortConflicts([hp(80)], hp(80, '10.0.0.1'))).toBe(true);
    expect(hostPortConflicts([hp(80, '10.0.0.1')], hp(80, '10.0.0.1'))).toBe(true);
    expect(hostPortConflicts([hp(80, '10.0.0.2')], hp(80, '10.0.0.1'))).toBe(false);
  });

  it('the protocol and the port distinguish', () => {
    expect(hostPortConflicts([hp(53, BIND_ALL_HOST_IP, 'UDP')], hp(53))).toBe(false); // UDP vs TCP
    expect(hostPortConflicts([hp(53, BIND_ALL_HOST_IP, 'UDP')], hp(53, BIND_ALL_HOST_IP, 'UDP'))).toBe(true);
    expect(hostPortConflicts([hp(80)], hp(81))).toBe(false);
    expect(hostPortConflicts([], hp(80))).toBe(false);
  });

  it('a port <= 0 never conflicts', () => {
    expect(hostPortConflicts([hp(0)], hp(0))).toBe(false);
  });

  it('ports from podHostPorts ("" sanitized) compare as 0.0.0.0/TCP', () => {
    const used = podHostPorts(makePod({ containers: [{ ports: [{ containerPort: 1, hostPort: 80, hostIP: '', protocol: '' }] }] }));
    expect(hostPortConflicts(used, hp(80, '192.168.1.5', 'TCP'))).toBe(true); // used binds all
    expect(hostPortConflicts(used, hp(80, BIND_ALL_HOST_IP, 'UDP'))).toBe(false);
  });
});

describe('sameHostPort', () => {
  it('compares ip, protocol and port', () => {
    expect(sameHostPort(hp(80), hp(80))).toBe(true);
    expect(sameHostPort(hp(80), hp(80, '10.0.0.1'))).toBe(false);
    expect(sameHostPort(hp(80), hp(80, BIND_ALL_HOST_IP, 'UDP'))).toBe(false);
    expect(sameHostPort(hp(80), hp(81))).toBe(false);
  });
});
