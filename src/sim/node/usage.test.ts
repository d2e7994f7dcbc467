import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { parseBehavior } from './behavior';
import type { RuntimeContainer } from './container-runtime';
import { FILLED_MEMORY_AVAILABLE_BYTES } from './eviction-manager';
import { cpuIntegral, cpuMilliAt, DEFAULT_WORKING_SET_BYTES, NodeStatsProvider, SYSTEM_OVERHEAD, usageProfile, workingSetAt, type NodeStatsSource } from './usage';

const Mi = 1024 * 1024;

function podOf(name: string, resources: Record<string, unknown> = {}, behavior?: string, uid = `uid-${name}`): Pod {
  return {
    metadata: { name, namespace: 'default', uid, ...(behavior ? { annotations: { 'kubeviz.dev/behavior': behavior } } : {}) },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36', resources }] },
  };
}

const profileOf = (pod: Pod) => {
  const c = pod.spec!.containers[0];
  return usageProfile(pod, c, parseBehavior(pod.metadata?.annotations, [c.name]).containers.get(c.name));
};

function running(id: string, podUid: string, startedAt: number): RuntimeContainer {
  return { id, podUid, name: 'app', attempt: 0, image: { ref: 'docker.io/library/busybox:1.36', repoTags: [], repoDigest: '', id: '', sizeBytes: 0 }, state: 'running', createdAt: startedAt, startedAt };
}

describe('the behavior annotation: cpu', () => {
  it('reads a quantity in millicores and names a bad one', () => {
    expect(parseBehavior({ 'kubeviz.dev/behavior': '{"app": {"cpu": "250m"}}' }, ['app']).containers.get('app')?.cpuMilli).toBe(250);
    expect(parseBehavior({ 'kubeviz.dev/behavior': '{"app": {"cpu": 2}}' }, ['app']).containers.get('app')?.cpuMilli).toBe(2000);
    expect(parseBehavior({ 'kubeviz.dev/behavior': '{"app": {"cpu": "lots"}}' }, ['app']).problems).toEqual(['app.cpu: invalid quantity "lots": use a value such as "250m"']);
  });
});

describe('what a container uses', () => {
  it('a behavior cpu is steady, and capped at the CPU limit as CFS throttling caps it', () => {
    const p = profileOf(podOf('hog', {}, '{"app": {"cpu": "250m"}}'));
    expect([cpuMilliAt(p, 0), cpuMilliAt(p, 123_456)]).toEqual([250, 250]);
    const capped = profileOf(podOf('capped', { limits: { cpu: '500m' } }, '{"app": {"cpu": "2"}}'));
    expect(cpuMilliAt(capped, 60_000)).toBe(500);
  });

  it('without a behavior: 40% of the request (5m without one) on a +-25% wave whose peak stays under the limit', () => {
    // 250m request -> 100m mean; the wave moves it between 75m and 125m.
    const p = profileOf(podOf('web', { requests: { cpu: '250m' } }));
    expect(p.cpuMilli).toBe(100);
    for (let t = 0; t < p.periodMs; t += 7_000) {
      expect(cpuMilliAt(p, t)).toBeGreaterThanOrEqual(75 - 1e-9);
      expect(cpuMilliAt(p, t)).toBeLessThanOrEqual(125 + 1e-9);
    }
    expect(profileOf(podOf('idle')).cpuMilli).toBe(5);
    // request 200m and limit 100m: 40% of 200m = 80m, but the peak (x1.25) must stay <= 100m: 100 / 1.25 = 80m. Limit 90m: 72m.
    expect(profileOf(podOf('tight', { requests: { cpu: '200m' }, limits: { cpu: '90m' } })).cpuMilli).toBeCloseTo(72, 9);
    // The wave depends only on the pod and container names: the same pod gets the same wave.
    expect(profileOf(podOf('web', { requests: { cpu: '250m' } }, undefined, 'other-uid'))).toEqual(p);
    expect(profileOf(podOf('web-2', { requests: { cpu: '250m' } })).phase).not.toBe(p.phase);
  });

  it('the cumulative counter is the integral: 250m for 30 s is 7.5 core-seconds; the wave averages out over a period', () => {
    const p = profileOf(podOf('hog', {}, '{"app": {"cpu": "250m"}}'));
    expect(cpuIntegral(p, 0, 30_000)).toBe(7.5e9);
    const w = profileOf(podOf('web', { requests: { cpu: '250m' } }));
    // 100m over one whole period of the wave: 0.1 x period seconds.
    expect(cpuIntegral(w, 5_000, 5_000 + w.periodMs) / 1e9).toBeCloseTo(0.1 * (w.periodMs / 1000), 6);
  });

  it('memory: the behavior once reached, else the request (what the eviction manager assumes), else 16Mi, never above the limit', () => {
    const grows = profileOf(podOf('g', { requests: { memory: '128Mi' } }, '{"app": {"memory": "300Mi", "memoryAfter": "2m"}}'));
    expect(workingSetAt(grows, 1_000, 120_999)).toBe(128 * Mi);
    expect(workingSetAt(grows, 1_000, 121_000)).toBe(300 * Mi);
    expect(profileOf(podOf('none')).memoryBytes).toBe(DEFAULT_WORKING_SET_BYTES);
    expect(profileOf(podOf('small', { limits: { memory: '8Mi' } })).memoryBytes).toBe(8 * Mi);
  });
});

describe('the node stats provider', () => {
  const hog = podOf('hog', { requests: { memory: '64Mi' } }, '{"app": {"cpu": "250m"}}');
  const web = podOf('web', { requests: { memory: '128Mi' } }, '{"app": {"cpu": "150m"}}');
  const source = (now: number, containers: RuntimeContainer[], extra: Partial<NodeStatsSource> = {}): NodeStatsSource => ({
    nodeName: 'node-1',
    now,
    bootID: 'boot-1',
    containers,
    pod: (uid) => [hog, web].find((p) => p.metadata!.uid === uid),
    memoryCapacityBytes: 16 * 1024 * Mi,
    memoryFilled: false,
    ...extra,
  });

  it('the node is its pods plus the system overhead (100m, 512Mi), counted from boot', () => {
    const cs = [running('a', 'uid-hog', 0), running('b', 'uid-web', 0)];
    const s = new NodeStatsProvider().sample(source(30_000, cs));
    // CPU: (100m + 250m + 150m) x 30 s = 15 core-seconds.
    expect(s.usageCoreNanoSeconds).toBe(15e9);
    // Memory: 512Mi + 64Mi + 128Mi.
    expect(s.workingSetBytes).toBe((512 + 64 + 128) * Mi);
    expect(s.pods.map((p) => [p.name, p.containers[0].usageCoreNanoSeconds, p.containers[0].workingSetBytes])).toEqual([
      ['hog', 7.5e9, 64 * Mi],
      ['web', 4.5e9, 128 * Mi],
    ]);
    expect(SYSTEM_OVERHEAD).toEqual({ cpuMilli: 100, memoryBytes: 512 * Mi });
  });

  it("keeps a container's CPU in the node's counter after the runtime forgets it: the counter never goes down", () => {
    const stats = new NodeStatsProvider();
    const c = running('a', 'uid-hog', 0);
    const first = stats.sample(source(15_000, [c]));
    // The container exits at 20 s and is garbage collected before the next sample.
    Object.assign(c, { state: 'exited', finishedAt: 20_000 });
    const second = stats.sample(source(30_000, []));
    // 100m x 30 s + 250m x 20 s = 3 + 5 core-seconds.
    expect(second.usageCoreNanoSeconds).toBe(8e9);
    expect(second.usageCoreNanoSeconds).toBeGreaterThan(first.usageCoreNanoSeconds);
    expect(second.pods).toEqual([]);
  });

  it('a filled machine shows memory.available at 45248Ki; a new boot starts the counter again', () => {
    const stats = new NodeStatsProvider();
    const full = stats.sample(source(15_000, [running('a', 'uid-hog', 0)], { memoryFilled: true }));
    expect(16 * 1024 * Mi - full.workingSetBytes).toBe(FILLED_MEMORY_AVAILABLE_BYTES);
    const old = running('a', 'uid-hog', 0);
    Object.assign(old, { state: 'exited', finishedAt: 20_000 });
    // Rebooted: the exited container of the old boot does not count; the counter starts at this sample.
    const rebooted = stats.sample(source(60_000, [old, running('b', 'uid-web', 50_000)], { bootID: 'boot-2' }));
    expect(rebooted.startTime).toBe(60_000);
    // Only web since it started: 150m x 10 s.
    expect(rebooted.usageCoreNanoSeconds).toBe(1.5e9);
  });
});
