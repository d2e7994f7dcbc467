import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../sim/api/types';
import { createCluster } from '../../sim/cluster';
import { emptyScenario } from '../../sim/model';
import { actionInteresting, changeInteresting, describeAction, InterestingWatch, objectInteresting, type Interesting } from './interesting-events';

const event = (reason: string, count: number, extra: Record<string, unknown> = {}): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.0001', namespace: 'default', resourceVersion: String(count) },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
    reason,
    message: 'something',
    type: 'Warning',
    count,
    lastTimestamp: '2026-01-01T00:00:12Z',
    ...extra,
  }) as unknown as KubeObject;

const pod = (phase: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { nodeName: 'node-a' }, status: { phase } }) as KubeObject;

const node = (status: string, since = '2026-01-01T00:00:50Z'): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' }, status: { conditions: [{ type: 'Ready', status, reason: status === 'Unknown' ? 'NodeStatusUnknown' : 'KubeletReady', lastTransitionTime: since }] } }) as KubeObject;

describe('interesting events', () => {
  it('an action is a fault when it breaks something, else an ordinary action', () => {
    expect(actionInteresting({ action: 'powerOff', node: 'node-2' }, 30_000, 'timeline', 0)).toMatchObject({ kind: 'fault', text: 'The scenario: powerOff node-2' });
    expect(actionInteresting({ action: 'stopComponent', component: 'etcd-2' }, 1, 'user', 3)).toMatchObject({ kind: 'fault', text: 'You: stopComponent etcd-2' });
    expect(actionInteresting({ action: 'powerOn', node: 'node-2' }, 1, 'user', 4).kind).toBe('action');
    expect(describeAction({ action: 'scale', kind: 'Deployment', name: 'web', replicas: 6 })).toBe('scale Deployment web to 6');
    expect(describeAction({ action: 'delete', kind: 'Pod', namespace: 'default', name: 'x' })).toBe('delete Pod default/x');
  });

  it('a FailedScheduling event is news when it is new or its count went up, with an id per occurrence', () => {
    const first = changeInteresting({ object: event('FailedScheduling', 1), prev: null });
    // lastTimestamp 00:00:12 is 12 s after the simulation's epoch.
    expect(first).toMatchObject({ kind: 'scheduling-failed', id: 'event:default/web.0001#1', subject: 'Pod default/web', second: 12_000 });
    expect(changeInteresting({ object: event('FailedScheduling', 2), prev: event('FailedScheduling', 1) })?.id).toBe('event:default/web.0001#2');
    // A write that did not bump the count (e.g. only its resourceVersion moved) is not a new failure.
    expect(changeInteresting({ object: event('FailedScheduling', 2), prev: event('FailedScheduling', 2) })).toBeNull();
    expect(changeInteresting({ object: event('Scheduled', 1), prev: null })).toBeNull();
  });

  it('evictions are the kubelet, taint-eviction and preemption reasons', () => {
    for (const reason of ['Evicted', 'TaintManagerEviction', 'Preempted']) expect(changeInteresting({ object: event(reason, 1), prev: null })?.kind).toBe('eviction');
    expect(changeInteresting({ object: event('Killing', 1), prev: null })).toBeNull();
  });

  it('a pod is news once, when its phase becomes Running', () => {
    expect(changeInteresting({ object: pod('Running'), prev: pod('Pending') })).toMatchObject({ kind: 'pod-running', text: 'Pod default/web is Running on node-a' });
    expect(changeInteresting({ object: pod('Running'), prev: pod('Running') })).toBeNull();
    expect(changeInteresting({ object: pod('Pending'), prev: null })).toBeNull();
  });

  it('a node is news when Ready leaves True, with the same id in a change and in a full list', () => {
    const change = changeInteresting({ object: node('Unknown'), prev: node('True', '2026-01-01T00:00:00Z') });
    expect(change).toMatchObject({ kind: 'node-not-ready', text: 'Node node-a Ready=Unknown (NodeStatusUnknown)' });
    expect(objectInteresting(node('Unknown'))?.id).toBe(change!.id);
    expect(changeInteresting({ object: node('Unknown'), prev: node('Unknown') })).toBeNull();
    expect(changeInteresting({ object: node('True'), prev: node('Unknown') })).toBeNull();
  });

  it('a watch on a running cluster reports the failed scheduling, the running pod, the fault and the node going NotReady', () => {
    const cap = { cpu: '4', memory: '8Gi', pods: '110' };
    const cluster = createCluster({
      ...emptyScenario(),
      objects: [
        { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' }, status: { capacity: cap } } as KubeObject,
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } as KubeObject,
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'huge', namespace: 'default' },
          spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '16' } } }] },
        } as KubeObject,
      ],
      timeline: [{ at: 20_000, action: 'powerOff', node: 'node-a' }],
    });
    const watch = new InterestingWatch({ get revision() { return cluster.revision; }, eventsFrom: (r) => cluster.etcd.store.eventsFrom(r), actions: cluster.actions });
    const seen: Array<Interesting & { at: number }> = [];
    for (let t = 0; t <= 120_000; t += 1000) {
      cluster.runUntil(t);
      for (const i of watch.poll()) seen.push({ ...i, at: t });
    }
    const first = (kind: string) => seen.find((s) => s.kind === kind);
    expect(first('scheduling-failed')).toMatchObject({ subject: 'Pod default/huge' });
    expect(first('pod-running')).toMatchObject({ subject: 'Pod default/web' });
    expect(first('fault')).toMatchObject({ at: 20_000, text: 'The scenario: powerOff node-a' });
    // Its last lease renewal (every 10 s) was at 10-20 s; the node controller, looking every 5 s, marks it
    // Unknown once that is older than the grace period (40 s): between 50 s and 65 s.
    const notReady = first('node-not-ready')!;
    expect(notReady.at).toBeGreaterThan(50_000);
    expect(notReady.at).toBeLessThanOrEqual(65_000);
    // Each happening is reported once.
    expect(new Set(seen.map((s) => s.id)).size).toBe(seen.length);
  });
});
