import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../sim/api/types';
import { phaseCounts, podTokenPhase, podTokens, workerViews } from './worker-views';

const node = (name: string, extra: { ready?: string; unschedulable?: boolean; taints?: unknown[]; conditions?: unknown[]; allocatable?: Record<string, string> } = {}) =>
  ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, resourceVersion: '1' },
    spec: { unschedulable: extra.unschedulable, taints: extra.taints },
    status: {
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
      allocatable: extra.allocatable,
      conditions: [{ type: 'Ready', status: extra.ready ?? 'True' }, ...(extra.conditions ?? [])],
    },
  }) as unknown as KubeObject;

const pod = (name: string, nodeName: string | undefined, status: Record<string, unknown>, requests?: Record<string, string>, deleting = false) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', resourceVersion: '1', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:30Z' } : {}) },
    spec: { nodeName, containers: [{ name: 'c', image: 'nginx', resources: requests ? { requests } : {} }] },
    status,
  }) as unknown as KubeObject;

describe('pod token phase (kubectl STATUS)', () => {
  it('names Pending, ContainerCreating, Running, Succeeded, Failed and Terminating', () => {
    const phase = (o: KubeObject) => podTokenPhase(o as never);
    expect(phase(pod('a', 'n', { phase: 'Pending' }))).toBe('Pending');
    expect(phase(pod('a', 'n', { phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ContainerCreating' } } }] }))).toBe('ContainerCreating');
    // An image that cannot be pulled is still Pending, not ContainerCreating.
    expect(phase(pod('a', 'n', { phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ImagePullBackOff' } } }] }))).toBe('Pending');
    expect(phase(pod('a', 'n', { phase: 'Running' }))).toBe('Running');
    expect(phase(pod('a', 'n', { phase: 'Succeeded' }))).toBe('Succeeded');
    expect(phase(pod('a', 'n', { phase: 'Failed' }))).toBe('Failed');
    // deletionTimestamp wins over the phase, as kubectl prints "Terminating".
    expect(phase(pod('a', 'n', { phase: 'Running' }, undefined, true))).toBe('Terminating');
  });
});

describe('workerViews', () => {
  it('adds up the non-terminated pods requests like kubectl describe node, and shows every bound pod', () => {
    const objects = [
      node('n1'),
      node('n2', { ready: 'Unknown', unschedulable: true, taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
      pod('a', 'n1', { phase: 'Running' }, { cpu: '250m', memory: '128Mi' }),
      pod('b', 'n1', { phase: 'Running' }, { cpu: '500m', memory: '256Mi' }),
      // Succeeded pods hold no resources: not counted in the bars, still a token.
      pod('c', 'n1', { phase: 'Succeeded' }, { cpu: '1', memory: '1Gi' }),
      pod('unbound', undefined, { phase: 'Pending' }),
    ];
    const [n1, n2] = workerViews(objects, []);
    // 250m + 500m = 750m; 128Mi + 256Mi = 384Mi = 402653184 bytes; 2 of the 3 pods count.
    expect(n1.cpu).toEqual({ requested: 750, allocatable: 4000 });
    expect(n1.memory).toEqual({ requested: 384 * 1024 * 1024, allocatable: 16 * 1024 ** 3 });
    expect(n1.pods).toEqual({ requested: 2, allocatable: 110 });
    expect(podTokens(n1)).toEqual([
      { key: 'default/a', phase: 'Running' },
      { key: 'default/b', phase: 'Running' },
      { key: 'default/c', phase: 'Succeeded' },
    ]);
    expect(n1.ready).toBe('Ready');
    expect(n2.ready).toBe('Unknown');
    expect(n2.cordoned).toBe(true);
    expect(n2.taints).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'dedicated=gpu:NoSchedule']);
    expect(podTokens(n2)).toEqual([]);
    // On the wire: two strings, the keys by newline and a digit per phase (Running 2, Succeeded 4).
    expect(n1.podKeys).toBe('default/a\ndefault/b\ndefault/c');
    expect(n1.podPhases).toBe('224');
    expect(phaseCounts(n1)).toEqual([0, 0, 2, 0, 1, 0]);
  });

  it('uses allocatable over capacity, and names pressure conditions that are True', () => {
    const [n] = workerViews([node('n', { ready: 'False', allocatable: { cpu: '3500m', memory: '15Gi', pods: '100' }, conditions: [{ type: 'MemoryPressure', status: 'True' }, { type: 'DiskPressure', status: 'False' }] })], []);
    expect(n.ready).toBe('NotReady');
    expect(n.cpu.allocatable).toBe(3500);
    expect(n.pods.allocatable).toBe(100);
    expect(n.problems).toEqual(['MemoryPressure']);
  });

  it('keeps the previous view (and array) when nothing a card shows changed', () => {
    const objects = [node('n1'), node('n2'), pod('a', 'n1', { phase: 'Pending' })];
    const first = workerViews(objects, []);
    expect(workerViews(objects, first)).toBe(first);
    const next = workerViews([node('n1'), node('n2'), pod('a', 'n1', { phase: 'Running' })], first);
    expect(next).not.toBe(first);
    expect(next[0]).not.toBe(first[0]);
    expect(podTokens(next[0])[0].phase).toBe('Running');
    expect(next[1]).toBe(first[1]);
  });
});
