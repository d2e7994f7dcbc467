// The cache's view of a node as pods are assumed, confirmed by the watch,
// changed and removed.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { SchedulerCache } from './cache';
import { newPodInfo, sameRequestInputs } from './framework/resources';
import { makeNode, makePod } from './plugins/test-nodes';

/** The pod as the apiserver returns it bound: a new spec with nodeName, everything else shared (copy-on-write). */
const bound = (p: Pod, node: string): Pod => ({ ...p, spec: { ...p.spec!, nodeName: node } });

describe('SchedulerCache', () => {
  it('an assumed pod confirmed by its bound version is counted once, with the same requests', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(makeNode({ name: 'n1' }));
    const pending = makePod({ requests: { cpu: '250m', memory: '1Gi' } });
    const assumed = newPodInfo(pending);
    cache.assume(assumed, 'n1');
    const b = bound(pending, 'n1');
    expect(sameRequestInputs(pending, b)).toBe(true);
    cache.addOrUpdatePod(b);
    const ni = cache.snapshot().get('n1')!;
    expect(ni.pods.map((p) => p.pod)).toEqual([b]);
    expect(ni.pods[0].requests).toBe(assumed.requests);
    expect([ni.requested.milliCPU, ni.requested.memory]).toEqual([250, 1024 ** 3]);
    expect(cache.isAssumed(b)).toBe(false);
  });

  it('confirming moves the pod to the end of the node lists, its host ports too, as removing and adding it would', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(makeNode({ name: 'n1' }));
    const affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } } }] } };
    const a = makePod({ containers: [{ requests: { cpu: '1' }, ports: [{ containerPort: 80, hostPort: 8080 }] }], spec: { affinity } });
    const b = makePod({ containers: [{ requests: { cpu: '1' }, ports: [{ containerPort: 81, hostPort: 8081 }] }], spec: { affinity } });
    cache.assume(newPodInfo(a), 'n1');
    cache.assume(newPodInfo(b), 'n1');
    const a2 = bound(a, 'n1');
    cache.addOrUpdatePod(a2);
    const ni = cache.snapshot().get('n1')!;
    expect(ni.pods.map((p) => p.pod)).toEqual([b, a2]);
    expect(ni.podsWithAffinity.map((p) => p.pod)).toEqual([b, a2]);
    expect(ni.usedPorts.map((p) => p.port)).toEqual([8081, 8080]);
    expect(ni.requested.milliCPU).toBe(2000);
    expect(cache.snapshot().havePodsWithAffinity()).toEqual([ni]);
  });

  it('a bound version whose containers changed is counted anew, and moves to the end of the node', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(makeNode({ name: 'n1' }));
    const a = makePod({ requests: { cpu: '250m' } });
    const other = makePod({ requests: { cpu: '100m' } });
    cache.assume(newPodInfo(a), 'n1');
    cache.assume(newPodInfo(other), 'n1');
    const resized: Pod = { ...a, spec: { ...a.spec!, nodeName: 'n1', containers: [{ name: 'c0', image: 'x', resources: { requests: { cpu: '2' } } }] } };
    expect(sameRequestInputs(a, resized)).toBe(false);
    cache.addOrUpdatePod(resized);
    const ni = cache.snapshot().get('n1')!;
    expect(ni.pods.map((p) => p.pod.metadata!.name)).toEqual([other.metadata!.name, a.metadata!.name]);
    expect(ni.requested.milliCPU).toBe(2100);
  });
});
