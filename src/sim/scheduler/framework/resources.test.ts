import { describe, expect, it } from 'vitest';
import { GiB, MiB, makePod } from '../plugins/test-nodes';
import {
  addResource,
  emptyResource,
  isExtendedResourceName,
  isScalarResourceName,
  newPodInfo,
  podNonZeroRequests,
  podRequests,
  resourceFromList,
  subtractResource,
} from './resources';

describe('resource names', () => {
  it('classifies extended, hugepages, prefixed-native and attachable-volume names as scalar', () => {
    expect(isExtendedResourceName('example.com/foo')).toBe(true);
    expect(isExtendedResourceName('nvidia.com/gpu')).toBe(true);
    expect(isExtendedResourceName('cpu')).toBe(false);
    // kubernetes.io/ names are native; "requests." names are quota names; prefixes must be DNS subdomains.
    expect(isExtendedResourceName('kubernetes.io/foo')).toBe(false);
    expect(isExtendedResourceName('requests.example.com/foo')).toBe(false);
    expect(isExtendedResourceName('Example.com/foo')).toBe(false);
    expect(isScalarResourceName('hugepages-2Mi')).toBe(true);
    expect(isScalarResourceName('kubernetes.io/foo')).toBe(true);
    expect(isScalarResourceName('attachable-volumes-aws-ebs')).toBe(true);
    for (const n of ['cpu', 'memory', 'pods', 'ephemeral-storage', 'storage', 'foo']) expect(isScalarResourceName(n)).toBe(false);
  });
});

describe('resourceFromList', () => {
  it('reads cpu as milli-CPU, the rest as whole units, and keeps only scalar names besides the native ones', () => {
    const r = resourceFromList({
      cpu: '4',
      memory: '8Gi',
      pods: '110',
      'ephemeral-storage': '100Gi',
      'example.com/foo': '3',
      'hugepages-2Mi': '1Gi',
      'kubernetes.io/bar': '2',
      unknown: '5',
    });
    expect(r).toEqual({
      milliCPU: 4000,
      memory: 8 * GiB,
      ephemeralStorage: 100 * GiB,
      allowedPodNumber: 110,
      scalar: { 'example.com/foo': 3, 'hugepages-2Mi': GiB, 'kubernetes.io/bar': 2 },
    });
  });

  it('rounds up as MilliValue / Value do', () => {
    // 1.5m cpu -> MilliValue 2; 1.5 bytes -> Value 2; 100m of a count -> 1.
    expect(resourceFromList({ cpu: '1.5m', memory: '1.5', 'example.com/foo': '100m' })).toMatchObject({
      milliCPU: 2,
      memory: 2,
      scalar: { 'example.com/foo': 1 },
    });
    expect(resourceFromList(undefined)).toEqual(emptyResource());
  });
});

describe('podRequests', () => {
  it('sums containers', () => {
    const pod = makePod({ containers: [{ requests: { cpu: '100m', memory: '128Mi' } }, { requests: { cpu: '250m', memory: '256Mi' } }] });
    // 100m + 250m = 350m; 128Mi + 256Mi = 384Mi
    expect(podRequests(pod)).toMatchObject({ milliCPU: 350, memory: 384 * MiB });
  });

  it("takes the max of the containers' sum and each init container (upstream's example)", () => {
    const pod = makePod({
      initContainers: [{ requests: { cpu: '2', memory: '1G' } }, { requests: { cpu: '2', memory: '3G' } }],
      containers: [{ requests: { cpu: '2', memory: '1G' } }, { requests: { cpu: '1', memory: '1G' } }],
    });
    // containers: 3 cpu, 2G; init max: 2 cpu, 3G -> cpu 3, memory 3G
    expect(podRequests(pod)).toMatchObject({ milliCPU: 3000, memory: 3e9 });
  });

  it('adds sidecars to the sum, and counts them during the init containers that start after them', () => {
    const pod = makePod({
      initContainers: [
        { requests: { cpu: '100m' }, restartPolicy: 'Always' },
        { requests: { cpu: '500m' } },
        { requests: { cpu: '200m' }, restartPolicy: 'Always' },
        { requests: { cpu: '50m' } },
      ],
      containers: [{ requests: { cpu: '1' } }],
    });
    // sum = 1000 + 100 + 200 = 1300; init phases: 100, 500+100=600, 100+200=300, 50+300=350 -> max(1300, 600) = 1300
    expect(podRequests(pod).milliCPU).toBe(1300);
  });

  it('does not count a sidecar during init containers that run before it', () => {
    const pod = makePod({
      initContainers: [{ requests: { cpu: '1300m' } }, { requests: { cpu: '200m' }, restartPolicy: 'Always' }, { requests: { cpu: '1' } }],
      containers: [{ requests: { cpu: '100m' } }],
    });
    // sum = 100 + 200 = 300; init phases: 1300 (no sidecar yet), 200, 1000+200=1200 -> 1300 (not 1500)
    expect(podRequests(pod).milliCPU).toBe(1300);
  });

  it('adds the overhead after the init-container max', () => {
    const pod = makePod({
      initContainers: [{ requests: { cpu: '1' } }],
      containers: [{ requests: { cpu: '100m', memory: '64Mi' } }],
      overhead: { cpu: '100m', memory: '120Mi' },
    });
    // max(100m, 1000m) + 100m = 1100m; 64Mi + 120Mi = 184Mi
    expect(podRequests(pod)).toMatchObject({ milliCPU: 1100, memory: 184 * MiB });
  });

  it('keeps extended resources as scalars, max-ed with init containers like the rest', () => {
    const pod = makePod({
      initContainers: [{ requests: { 'example.com/gpu': '4' } }],
      containers: [{ requests: { 'example.com/gpu': '1' } }, { requests: { 'example.com/gpu': '2', 'hugepages-2Mi': '10Mi' } }],
    });
    // containers 1+2 = 3; init 4 -> 4
    expect(podRequests(pod).scalar).toEqual({ 'example.com/gpu': 4, 'hugepages-2Mi': 10 * MiB });
  });

  it('is all zero for a pod without requests (no scoring defaults here)', () => {
    expect(podRequests(makePod())).toEqual(emptyResource());
  });

  it('uses pod-level requests for cpu and memory when set', () => {
    const pod = makePod({ podRequests: { cpu: '2' }, containers: [{ requests: { cpu: '500m', memory: '1Gi' } }] });
    expect(podRequests(pod)).toMatchObject({ milliCPU: 2000, memory: GiB });
  });
});

describe('podNonZeroRequests', () => {
  it('counts 100m / 200Mi for each container that omits cpu / memory', () => {
    expect(podNonZeroRequests(makePod())).toEqual({ milliCPU: 100, memory: 200 * MiB });
    const pod = makePod({ containers: [{ requests: { cpu: '500m' } }, {}] });
    // cpu 500m + 100m; memory 200Mi + 200Mi
    expect(podNonZeroRequests(pod)).toEqual({ milliCPU: 600, memory: 400 * MiB });
  });

  it('keeps an explicit zero', () => {
    expect(podNonZeroRequests(makePod({ requests: { cpu: '0', memory: '0' } }))).toEqual({ milliCPU: 0, memory: 0 });
  });

  it('applies the defaults to init containers too, and adds the overhead', () => {
    const pod = makePod({ initContainers: [{}], containers: [{ requests: { cpu: '50m', memory: '50Mi' } }], overhead: { cpu: '10m' } });
    // init counts 100m / 200Mi > 50m / 50Mi -> 100m + 10m overhead, 200Mi
    expect(podNonZeroRequests(pod)).toEqual({ milliCPU: 110, memory: 200 * MiB });
  });

  it('with pod-level requests, defaults only what neither the pod level nor a container sets', () => {
    const pod = makePod({ podRequests: { cpu: '2' } });
    expect(podNonZeroRequests(pod)).toEqual({ milliCPU: 2000, memory: 200 * MiB });
  });
});

describe('addResource / subtractResource', () => {
  it('are pure and combine scalars by name', () => {
    const a = resourceFromList({ cpu: '1', memory: '1Gi', 'example.com/a': '1' });
    const b = resourceFromList({ cpu: '500m', 'example.com/b': '2' });
    const sum = addResource(a, b);
    expect(sum).toEqual({ milliCPU: 1500, memory: GiB, ephemeralStorage: 0, allowedPodNumber: 0, scalar: { 'example.com/a': 1, 'example.com/b': 2 } });
    expect(a.scalar).toEqual({ 'example.com/a': 1 });
    const back = subtractResource(sum, b);
    expect(back).toEqual({ ...a, scalar: { 'example.com/a': 1, 'example.com/b': 0 } });
  });
});

describe('newPodInfo', () => {
  it('holds the pod, its requests and its non-zero requests', () => {
    const pod = makePod({ requests: { cpu: '250m' } });
    expect(newPodInfo(pod)).toEqual({
      pod,
      requests: { ...emptyResource(), milliCPU: 250 },
      nonZeroRequests: { milliCPU: 250, memory: 200 * MiB },
    });
  });
});
