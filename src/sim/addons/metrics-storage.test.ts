import { describe, expect, it } from 'vitest';
import { MetricsStorage, resourceUsage, type MetricsBatch, type MetricsPoint } from './metrics-storage';

const point = (timestamp: number, cumulativeCpu: number, memory = 64 * 1024 * 1024, startTime = 0): MetricsPoint => ({ startTime, timestamp, cumulativeCpu, memory });
const batch = (nodes: Record<string, MetricsPoint>, pods: Record<string, Record<string, MetricsPoint>> = {}): MetricsBatch => ({
  nodes: new Map(Object.entries(nodes)),
  pods: new Map(Object.entries(pods).map(([k, cs]) => [k, new Map(Object.entries(cs))])),
});

describe("metrics-server's storage", () => {
  it('CPU is the rate between two cumulative points: 250m x 15 s = 3.75 core-s apart gives 250m over a 15 s window', () => {
    expect(resourceUsage(point(30_000, 7.5e9), point(15_000, 3.75e9))).toEqual({ cpuNanoCores: 250_000_000, memoryBytes: 64 * 1024 * 1024, timestamp: 30_000, window: 15_000 });
    // uint64: 1 core-ns more over 15 s is not a whole nanocore more.
    expect(resourceUsage(point(30_000, 7.5e9 + 1), point(15_000, 3.75e9))).toMatchObject({ cpuNanoCores: 250_000_000 });
    expect(resourceUsage(point(30_000, 1e9), point(15_000, 2e9))).toBe('unexpected decrease in cumulative CPU usage value');
  });

  it('a node or a pod with one point has no usage yet; the second scrape gives one', () => {
    const s = new MetricsStorage(15_000);
    s.store(batch({ 'node-1': point(15_000, 5.25e9) }, { 'default/hog': { app: point(15_000, 3.75e9) } }));
    expect(s.nodes.get('node-1')).toBeUndefined();
    expect(s.pods.get('default/hog')).toBeUndefined();
    s.store(batch({ 'node-1': point(30_000, 10.5e9) }, { 'default/hog': { app: point(30_000, 7.5e9) } }));
    // node: (10.5 - 5.25) core-s / 15 s = 350m.
    expect(s.nodes.get('node-1')?.cpuNanoCores).toBe(350_000_000);
    expect(s.pods.get('default/hog')).toEqual([{ name: 'app', usage: { cpuNanoCores: 250_000_000, memoryBytes: 64 * 1024 * 1024, timestamp: 30_000, window: 15_000 } }]);
  });

  it('a container 10 to 15 s old at its first point is measured from its start (freshContainerMinMetricsResolution)', () => {
    const s = new MetricsStorage(15_000);
    // Started at 3 s, first point at 15 s: 12 s old; 0.6 core-s used since its start is 50m.
    s.store(batch({}, { 'default/fresh': { app: point(15_000, 0.6e9, 1, 3_000) }, 'default/young': { app: point(15_000, 0.3e9, 1, 9_000) } }));
    expect(s.pods.get('default/fresh')).toEqual([{ name: 'app', usage: { cpuNanoCores: 50_000_000, memoryBytes: 1, timestamp: 15_000, window: 12_000 } }]);
    // 6 s old: too fresh to trust, so it waits for a second point.
    expect(s.pods.get('default/young')).toBeUndefined();
  });

  it('a restarted container starts over, and what a scrape did not return is dropped', () => {
    const s = new MetricsStorage(15_000);
    s.store(batch({ 'node-1': point(15_000, 1e9) }, { 'default/p': { app: point(15_000, 1e9) } }));
    // The container restarted at 25 s (its new start is after the stored point): no rate across the restart, and at 5 s old it is too fresh to measure from its start.
    s.store(batch({ 'node-1': point(30_000, 2e9) }, { 'default/p': { app: point(30_000, 0.5e9, 1, 25_000) } }));
    expect(s.pods.get('default/p')).toBeUndefined();
    // The next scrape returns no node-1 (its kubelet did not answer): it is gone.
    s.store(batch({}, { 'default/p': { app: point(45_000, 1e9, 1, 25_000) } }));
    expect(s.nodes.get('node-1')).toBeUndefined();
    expect([...s.nodes.names()]).toEqual([]);
    // p: (1 - 0.5) core-s over 15 s, truncated to whole nanocores.
    expect(s.pods.get('default/p')?.[0].usage.cpuNanoCores).toBe(33_333_333);
  });
});
