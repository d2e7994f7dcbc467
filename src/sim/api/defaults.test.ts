import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from './defaults';
import { container, daemonSet, deployment, endpointSlice, job, namespace, node, pod, replicaSet, service, template } from './test-fixtures';
import type { KubeObject } from './types';

const apply = <T>(obj: T): T => applyDefaults(obj as unknown as KubeObject) as unknown as T;

/** Freezes deeply, so any mutation by applyDefaults throws. */
function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}

describe('Pod defaults', () => {
  it('fills the pod spec as the apiserver does', () => {
    const p = apply<Pod>(pod());
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
    });
    expect(p.spec!.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['registry:5000/team/app', 'Always'],
    ['registry:5000/team/app:v2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
    ['nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'Always'],
  ])('image %s pulls %s', (image, policy) => {
    expect(apply<Pod>(pod({}, { containers: [container({ image })] })).spec!.containers[0].imagePullPolicy).toBe(policy);
  });

  it('keeps what the user set', () => {
    const p = apply<Pod>(pod({}, { restartPolicy: 'Never', containers: [container({ imagePullPolicy: 'Never' })] }));
    expect(p.spec!.restartPolicy).toBe('Never');
    expect(p.spec!.containers[0].imagePullPolicy).toBe('Never');
  });

  it('defaults port protocols and requests from limits, per resource, in canonical form', () => {
    const p = apply<Pod>(
      pod({}, { containers: [container({ ports: [{ containerPort: 80 }], resources: { limits: { cpu: '0.5', memory: '1Gi' }, requests: { memory: '512Mi' } } })] }),
    );
    const c = p.spec!.containers[0];
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(c.resources).toEqual({ limits: { cpu: '500m', memory: '1Gi' }, requests: { memory: '512Mi', cpu: '500m' } });
  });

  it('rounds resources up to milli precision', () => {
    const p = apply<Pod>(pod({}, { containers: [container({ resources: { requests: { cpu: '100u' } } })] }));
    expect(p.spec!.containers[0].resources!.requests).toEqual({ cpu: '1m' });
  });

  it('probes get their timings; host networking copies container ports to host ports', () => {
    const p = apply<Pod>(
      pod({}, { hostNetwork: true, containers: [container({ ports: [{ containerPort: 9100 }], readinessProbe: { httpGet: { port: 8080 } } })] }),
    );
    const c = p.spec!.containers[0];
    expect(c.readinessProbe).toEqual({ httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.ports![0].hostPort).toBe(9100);
  });

  it('never mutates its input and shares what it did not change', () => {
    const input = deepFreeze(pod({}, { volumes: [{ name: 'v', configMap: { name: 'c' } }], nodeSelector: { disk: 'ssd' } }));
    const out = apply<Pod>(input);
    expect(out).not.toBe(input);
    expect(out.metadata).toBe(input.metadata);
    expect(out.spec!.nodeSelector).toBe(input.spec!.nodeSelector);
    expect(out.spec!.volumes![0].configMap).toEqual({ name: 'c', defaultMode: 420 });
    expect(apply(out)).toBe(out);
  });
});

describe('workload defaults', () => {
  it('Deployment: one replica, 25% rolling update, history 10, deadline 600', () => {
    const d = apply<Deployment>(deployment());
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.spec!.template.spec).toMatchObject({ restartPolicy: 'Always', terminationGracePeriodSeconds: 30 });
  });

  it('templates get pod-spec defaults but not the pod-only ones', () => {
    const d = apply<Deployment>(deployment({ template: template({ app: 'web' }, { containers: [container({ resources: { limits: { cpu: '1' } } })] }) }));
    expect(d.spec!.template.spec!.enableServiceLinks).toBeUndefined();
    expect(d.spec!.template.spec!.containers[0].resources).toEqual({ limits: { cpu: '1' } });
  });

  it('Recreate deployments get no rolling update', () => {
    expect(apply<Deployment>(deployment({ strategy: { type: 'Recreate' } })).spec!.strategy).toEqual({ type: 'Recreate' });
  });

  it('ReplicaSet: one replica', () => {
    expect(apply<ReplicaSet>(replicaSet()).spec!.replicas).toBe(1);
  });

  it('DaemonSet: rolling update of one at a time, no surge', () => {
    const ds = apply<DaemonSet>(daemonSet());
    expect(ds.spec).toMatchObject({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
  });

  it('Job: one pod to completion, six retries, labels from the template', () => {
    const j = apply<Job>(job());
    expect(j.spec).toMatchObject({
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      manualSelector: false,
    });
    expect(j.metadata!.labels).toEqual({ app: 'pi' });
    expect(apply<Job>(job({ parallelism: 3 })).spec).toMatchObject({ parallelism: 3 });
    expect(apply<Job>(job({ parallelism: 3 })).spec!.completions).toBeUndefined();
  });
});

describe('other kinds', () => {
  it('Service: ClusterIP, no affinity, TCP, targetPort = port, Cluster traffic', () => {
    const s = apply<Service>(service({ ports: [{ port: 80 }] }));
    expect(s.spec).toMatchObject({ type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] });
    expect(s.spec!.externalTrafficPolicy).toBeUndefined();
  });

  it('LoadBalancer services are externally reachable', () => {
    expect(apply<Service>(service({ type: 'LoadBalancer' })).spec).toMatchObject({ externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
  });

  it('Namespace: the metadata.name label and phase Active', () => {
    const ns = apply<Namespace>(namespace('team-a'));
    expect(ns.metadata!.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect(ns.status).toEqual({ phase: 'Active' });
  });

  it('Node: allocatable defaults to capacity', () => {
    const n = apply<Node>(node());
    expect(n.status!.allocatable).toEqual({ cpu: '4', memory: '16Gi', pods: '110' });
  });

  it('EndpointSlice ports get a name and TCP', () => {
    expect(apply<EndpointSlice>(endpointSlice({ ports: [{ port: 80 }] })).ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
  });

  it('kinds without defaults come back as they are', () => {
    const ev = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' } };
    expect(applyDefaults(ev)).toBe(ev);
  });
});
