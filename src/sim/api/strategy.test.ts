import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Namespace, Pod, Service } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { admitPod, type PriorityClasses } from './admission';
import { SYSTEM_PRIORITY_CLASSES } from './validation/priority-class';
import { podQOSClass } from './qos';
import { prepareForCreate, prepareForStatusUpdate, prepareForUpdate } from './strategy';
import { container, created, daemonSet, deployment, job, namespace, pod, replicaSet, service } from './test-fixtures';
import type { KubeObject } from './types';

const k = (o: unknown) => o as KubeObject;

describe('prepareForCreate', () => {
  it('new pods are Pending with their QoS class, whatever status was sent', () => {
    const p = prepareForCreate(k(pod({ status: { phase: 'Running' } }))) as Pod;
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('gated pods say why they are not scheduled', () => {
    const p = prepareForCreate(k(pod({}, { schedulingGates: [{ name: 'example.com/wait' }] }))) as Pod;
    expect(p.status!.conditions).toEqual([
      { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ]);
  });

  it('namespaces are Active with the kubernetes finalizer', () => {
    const ns = prepareForCreate(k(namespace())) as Namespace;
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
  });

  it('workloads start at generation 1 with empty status', () => {
    expect((prepareForCreate(k(deployment())) as Deployment).metadata).toMatchObject({ generation: 1 });
    expect((prepareForCreate(k(replicaSet())) as ReplicaSet).status).toEqual({ replicas: 0 });
    expect((prepareForCreate(k(daemonSet())) as DaemonSet).status).toEqual({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
  });

  it('jobs get a selector on their uid, and their pods (and the job) the generated labels', () => {
    const j = created(job()).obj as Job;
    const labels = { app: 'pi', 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'uid-1', 'batch.kubernetes.io/controller-uid': 'uid-1' };
    expect(j.spec!.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1' } });
    expect(j.spec!.template.metadata!.labels).toEqual(labels);
    expect(j.metadata!.labels).toEqual(labels);
  });

  it('services keep clusterIP and clusterIPs in step and start with an empty load balancer', () => {
    const s = prepareForCreate(k(service({ clusterIP: '10.96.0.10' }))) as Service;
    expect(s.spec).toMatchObject({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] });
    expect(s.status).toEqual({ loadBalancer: {} });
  });

  it('does not touch its input', () => {
    const input = Object.freeze(pod());
    prepareForCreate(k(input));
    expect(input.status).toBeUndefined();
  });
});

describe('prepareForUpdate', () => {
  const stored = () => {
    const d = created(deployment()).obj;
    return { ...d, metadata: { ...d.metadata, uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z' }, status: { replicas: 1 } };
  };

  it('a spec change bumps the generation; status and system fields stay the server\'s', () => {
    const old = stored();
    const next = prepareForUpdate(k({ ...old, metadata: { name: 'web', namespace: 'default' }, spec: { ...old.spec!, replicas: 3 }, status: {} }), k(old)) as Deployment;
    expect(next.metadata).toMatchObject({ generation: 2, uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z' });
    expect(next.status).toEqual({ replicas: 1 });
  });

  it('a metadata-only change keeps the generation', () => {
    const old = stored();
    const next = prepareForUpdate(k({ ...old, metadata: { ...old.metadata, labels: { a: 'b' } } }), k(old)) as Deployment;
    expect(next.metadata!.generation).toBe(1);
  });

  it('a DaemonSet\'s template generation is the server\'s: one more when the pod template changes (daemonset strategy PrepareForUpdate)', () => {
    const TG = 'deprecated.daemonset.template.generation';
    const ds = created(daemonSet()).obj as DaemonSet;
    const old = { ...ds, metadata: { ...ds.metadata, annotations: { [TG]: '3' } } };
    const image = (d: DaemonSet, img: string) => ({ ...d, spec: { ...d.spec!, template: { ...d.spec!.template, spec: { ...d.spec!.template.spec!, containers: [{ name: 'c', image: img }] } } } });
    // A new image: 3 -> 4, whatever the update said (here it tried 9).
    const edited = prepareForUpdate(k({ ...image(old, 'new:2'), metadata: { ...old.metadata, annotations: { [TG]: '9' } } }), k(old)) as DaemonSet;
    expect(edited.metadata!.annotations![TG]).toBe('4');
    // A change outside the template (revisionHistoryLimit): it stays 3.
    const other = prepareForUpdate(k({ ...old, spec: { ...old.spec!, revisionHistoryLimit: 5 } }), k(old)) as DaemonSet;
    expect(other.metadata!.annotations![TG]).toBe('3');
  });

  it('status updates change only status', () => {
    const old = stored();
    const next = prepareForStatusUpdate(k({ ...old, spec: { ...old.spec!, replicas: 9 }, status: { replicas: 2 } }), k(old)) as Deployment;
    expect(next.spec!.replicas).toBe(1);
    expect(next.status).toEqual({ replicas: 2 });
  });
});

/** A lister over the built-in classes plus `extra`. */
function classes(...extra: PriorityClass[]): PriorityClasses {
  const all = [
    ...Object.entries(SYSTEM_PRIORITY_CLASSES).map(([name, value]) => ({ metadata: { name }, value, preemptionPolicy: 'PreemptLowerPriority' }) as PriorityClass),
    ...extra,
  ];
  return { get: (n) => all.find((c) => c.metadata?.name === n), list: () => all };
}
const pc = (name: string, value: number, more: Partial<PriorityClass> = {}): PriorityClass => ({ metadata: { name }, value, preemptionPolicy: 'PreemptLowerPriority', ...more });

describe('admission', () => {
  it('pods get priority 0 and the 300s not-ready/unreachable tolerations', () => {
    const r = admitPod(pod(), classes());
    expect(r.ok && r.obj.spec).toMatchObject({
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    });
  });

  it('a pod that tolerates everything gets no defaults; system classes carry their priority', () => {
    const r = admitPod(pod({}, { tolerations: [{ operator: 'Exists' }], priorityClassName: 'system-node-critical' }), classes());
    expect(r.ok && r.obj.spec!.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(r.ok && r.obj.spec!.priority).toBe(2000001000);
  });

  it('refuses unknown classes and stated priorities', () => {
    expect(admitPod(pod({}, { priorityClassName: 'gold' }), classes())).toEqual({ ok: false, message: 'no PriorityClass with name gold was found' });
    expect(admitPod(pod({}, { priority: 5 }), classes())).toEqual({
      ok: false,
      message: 'the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
    });
  });

  it('takes priority and preemptionPolicy from a user class', () => {
    const r = admitPod(pod({}, { priorityClassName: 'batch' }), classes(pc('batch', 100, { preemptionPolicy: 'Never' })));
    expect(r.ok && r.obj.spec).toMatchObject({ priority: 100, preemptionPolicy: 'Never', priorityClassName: 'batch' });
    expect(admitPod(pod({}, { priorityClassName: 'batch', preemptionPolicy: 'PreemptLowerPriority' }), classes(pc('batch', 100, { preemptionPolicy: 'Never' })))).toEqual({
      ok: false,
      message:
        'the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name',
    });
  });

  it('gives class-less pods the global default class, the lowest-valued one when several claim it', () => {
    const r = admitPod(pod(), classes(pc('high', 1000, { globalDefault: true }), pc('low', 10, { globalDefault: true }), pc('other', 1)));
    expect(r.ok && r.obj.spec).toMatchObject({ priority: 10, priorityClassName: 'low' });
  });
});

describe('podQOSClass', () => {
  const res = (requests?: Record<string, string>, limits?: Record<string, string>) => pod({}, { containers: [container({ resources: { requests, limits } })] });

  it('classifies as upstream', () => {
    expect(podQOSClass(pod())).toBe('BestEffort');
    expect(podQOSClass(res({ cpu: '100m' }))).toBe('Burstable');
    expect(podQOSClass(res({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }))).toBe('Guaranteed');
    expect(podQOSClass(res({ cpu: '1000m', memory: '1024Mi' }, { cpu: '1', memory: '1Gi' }))).toBe('Guaranteed');
    expect(podQOSClass(res({ cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }))).toBe('Burstable');
    expect(podQOSClass(res(undefined, { cpu: '1' }))).toBe('Burstable');
  });
});
