// Pure pieces: the flowcontrol backoff, the behavior annotation, image
// names, the pod network and the phase rules.
import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1';
import { Backoff } from './backoff';
import { parseBehavior } from './behavior';
import { hexFrom, ImageCatalog, normalizeImage } from './image-catalog';
import { PodNetwork, podCidrFor } from './pod-network';
import { statusContainerId } from './pod-record';
import { podPhase } from './pod-status';

describe('Backoff (client-go flowcontrol)', () => {
  it('10 s doubling to 300 s, and back to 10 s after 10 minutes without a move', () => {
    const b = new Backoff();
    let now = 0;
    const seq: number[] = [];
    for (let i = 0; i < 7; i++) {
      b.next('c', now, now);
      seq.push(b.get('c'));
      now += 1000;
    }
    expect(seq).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    // An event 600 s after the last move still counts (not more than twice the maximum) ...
    const last = now - 1000;
    expect(b.inBackOffSince('c', last + 600_000, last + 600_000)).toBe(true);
    // ... 600.001 s after, the entry has expired: not in backoff, and the next one is 10 s again.
    expect(b.inBackOffSince('c', last + 600_001, last + 600_001)).toBe(false);
    b.next('c', last + 600_001, last + 600_001);
    expect(b.get('c')).toBe(10_000);
  });

  it('IsInBackOffSince counts from the event (a container finishing), IsInBackOffSinceUpdate from the last move', () => {
    const b = new Backoff();
    b.next('x', 0, 1000);
    expect(b.inBackOffSince('x', 5000, 14_999)).toBe(true);
    expect(b.inBackOffSince('x', 5000, 15_000)).toBe(false);
    expect(b.inBackOffSinceUpdate('x', 10_999)).toBe(true);
    expect(b.inBackOffSinceUpdate('x', 11_000)).toBe(false);
  });
});

describe('the behavior annotation', () => {
  const ann = (v: unknown) => ({ 'kubeviz.dev/behavior': JSON.stringify(v) });

  it('reads durations, codes, probe outcomes and memory', () => {
    const b = parseBehavior(
      ann({ app: { exitAfter: '1m30s', exitCode: 3, readiness: 'fail', liveness: { failAfter: '20s' }, startup: { passAfter: '5s' }, memory: '256Mi', memoryAfter: '2s', stopAfter: '3s' } }),
      ['app'],
    );
    expect(b.problems).toEqual([]);
    expect(b.containers.get('app')).toEqual({
      exitAfter: 90_000,
      exitCode: 3,
      readiness: { initial: 'failure' },
      liveness: { initial: 'success', switchAt: 20_000, after: 'failure' },
      startup: { initial: 'failure', switchAt: 5000, after: 'success' },
      memoryBytes: 268_435_456,
      memoryAfter: 2000,
      stopAfter: 3000,
    });
  });

  it('names every problem, and ignores only the containers that have one', () => {
    expect(parseBehavior({ 'kubeviz.dev/behavior': '{oops' }, ['app']).problems[0]).toMatch(/^not valid JSON/);
    expect(parseBehavior(ann([1]), ['app']).problems).toEqual(['must be a JSON object keyed by container name']);
    const b = parseBehavior(ann({ app: { exitCode: 300, readiness: 'maybe' }, web: { exitAfter: '5s' }, db: {} }), ['app', 'web']);
    expect(b.problems).toEqual([
      'app.exitCode: invalid value 300: must be an integer from 0 to 255',
      'app.readiness: invalid value "maybe": must be "pass", "fail", {"failAfter": DURATION} or {"passAfter": DURATION}',
      'db: the pod has no container of that name',
    ]);
    expect([...b.containers.keys()]).toEqual(['web']);
  });
});

describe('hexFrom (container ids, digests)', () => {
  // The eight splitmix32 words of the seed, each printed as 8 hex digits: the reference the digits must match.
  const reference = (seed: number) => {
    let s = seed | 0;
    let out = '';
    for (let i = 0; i < 8; i++) {
      s = (s + 0x9e3779b9) | 0;
      let z = Math.imul(s ^ (s >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      z ^= z >>> 15;
      out += (z >>> 0).toString(16).padStart(8, '0');
    }
    return out;
  };

  it('is the 64 lowercase hex digits of eight splitmix32 steps, most significant digit first', () => {
    for (const seed of [0, 1, -1, 0x7fffffff, -0x80000000, 123456789, 0x9e3779b1]) {
      expect(hexFrom(seed)).toBe(reference(seed));
      expect(hexFrom(seed)).toMatch(/^[0-9a-f]{64}$/);
    }
    // Calls do not leak into each other (the digits are made in a shared buffer).
    const a = hexFrom(42);
    hexFrom(43);
    expect(a).toBe(reference(42));
    expect(hexFrom(42)).not.toBe(hexFrom(43));
  });
});

describe('statusContainerId (a running pod adopted at start)', () => {
  const cs = (name: string, containerID?: string) => ({ name, containerID }) as ContainerStatus;
  it('names the containerd id the last status of that name gives, a regular container before an init one', () => {
    const status = {
      initContainerStatuses: [cs('init', 'containerd://222'), cs('a', 'containerd://333')],
      containerStatuses: [cs('a', 'containerd://111'), cs('b', 'docker://x'), cs('c', 'containerd://1'), cs('c', 'containerd://2'), cs('d', 'containerd://9'), cs('d')],
    };
    expect(statusContainerId(status, 'a')).toBe('111');
    expect(statusContainerId(status, 'b')).toBeUndefined();
    expect(statusContainerId(status, 'init')).toBe('222');
    expect(statusContainerId(status, 'c')).toBe('2');
    expect(statusContainerId(status, 'd')).toBe('9');
    expect(statusContainerId(status, 'zzz')).toBeUndefined();
    expect(statusContainerId(undefined, 'a')).toBeUndefined();
  });
});

describe('images', () => {
  it('normalizes names as containerd stores them', () => {
    expect(normalizeImage('nginx')).toBe('docker.io/library/nginx:latest');
    expect(normalizeImage('nginx:1.27')).toBe('docker.io/library/nginx:1.27');
    expect(normalizeImage('bitnami/redis:7.2')).toBe('docker.io/bitnami/redis:7.2');
    expect(normalizeImage('registry.k8s.io/pause:3.10')).toBe('registry.k8s.io/pause:3.10');
    expect(normalizeImage('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(normalizeImage('Bad Name')).toBeUndefined();
  });

  it('sizes: the scenario registry, then the table (alpine variants smaller), then 50 MB; pull time = size / rate + 0.2 s', () => {
    const cat = new ImageCatalog({ pullRate: 50_000_000, images: [{ name: 'nginx:1.27', sizeBytes: 1_000_000 }], missing: ['ghost:1'] });
    expect(cat.lookup('docker.io/library/nginx:1.27')?.sizeBytes).toBe(1_000_000);
    expect(cat.lookup('docker.io/library/nginx:1.27-alpine')?.sizeBytes).toBe(21_000_000);
    expect(cat.lookup('docker.io/acme/thing:3')?.sizeBytes).toBe(50_000_000);
    expect(cat.lookup('docker.io/library/ghost:1')).toBeUndefined();
    // 100 MB at 50 MB/s = 2 s, plus the 200 ms round trip.
    expect(cat.pullTime(100_000_000)).toBe(2200);
  });
});

describe('pod network', () => {
  it('hands out .2 .. .254 in order, continuing after the last address given', () => {
    expect(podCidrFor(0)).toBe('10.244.0.0/24');
    expect(podCidrFor(257)).toBe('10.245.1.0/24');
    const n = new PodNetwork('10.244.3.0/24');
    expect([n.allocate(), n.allocate()]).toEqual(['10.244.3.2', '10.244.3.3']);
    n.release('10.244.3.2');
    expect(n.allocate()).toBe('10.244.3.4');
  });
});

describe('getPhase', () => {
  const spec = (restartPolicy: string): Pod => ({ spec: { restartPolicy, containers: [{ name: 'a' }, { name: 'b' }] } }) as Pod;
  const term = (name: string, exitCode: number): ContainerStatus => ({ name, image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } });
  const run = (name: string): ContainerStatus => ({ name, image: '', imageID: '', ready: true, restartCount: 0, state: { running: {} } });
  const wait = (name: string, crashed = false): ContainerStatus => ({
    name,
    image: '',
    imageID: '',
    ready: false,
    restartCount: 0,
    state: { waiting: { reason: 'x' } },
    ...(crashed ? { lastState: { terminated: { exitCode: 1 } } } : {}),
  });

  it('as the kubelet decides it from the container statuses and the restart policy', () => {
    expect(podPhase(spec('Always'), [], [run('a'), wait('b')], false)).toBe('Pending');
    expect(podPhase(spec('Always'), [], [run('a'), wait('b', true)], false)).toBe('Running');
    expect(podPhase(spec('Always'), [], [term('a', 0), term('b', 1)], false)).toBe('Running');
    expect(podPhase(spec('Never'), [], [term('a', 0), term('b', 0)], false)).toBe('Succeeded');
    expect(podPhase(spec('Never'), [], [term('a', 0), term('b', 1)], false)).toBe('Failed');
    expect(podPhase(spec('OnFailure'), [], [term('a', 0), term('b', 1)], false)).toBe('Running');
    expect(podPhase(spec('Always'), [], [term('a', 0), term('b', 137)], true)).toBe('Failed');
    expect(podPhase(spec('Always'), [], [term('a', 0), term('b', 0)], true)).toBe('Succeeded');
  });
});
