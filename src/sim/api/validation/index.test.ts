import type { Node, Service } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { invalidMessage } from '../field-errors';
import { ERR_FORMAT_WRONG } from '../quantity';
import { createMessage, created, endpointSlice, event, lease, namespace, node, service, updateMessage } from '../test-fixtures';
import { validateCreate, validateUpdate } from './index';

const S = 'Service "web" is invalid: ';

describe('Service create', () => {
  it('valid services, including headless ones without ports', () => {
    expect(created(service()).errors).toEqual([]);
    expect(created(service({ clusterIP: 'None', ports: [] })).errors).toEqual([]);
    expect(created(service({ type: 'NodePort' })).errors).toEqual([]);
  });

  it('needs ports', () => {
    expect(createMessage(service({ ports: [] }))).toBe(`${S}spec.ports: Required value`);
  });

  it('checks port numbers and names', () => {
    expect(createMessage(service({ ports: [{ port: 70000, targetPort: 8080 }] }))).toBe(`${S}spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive`);
    expect(createMessage(service({ ports: [{ port: 80 }, { port: 443 }] }))).toBe(`${S}[spec.ports[0].name: Required value, spec.ports[1].name: Required value]`);
    expect(createMessage(service({ ports: [{ port: 80, targetPort: 'web--http' }] }))).toBe(
      `${S}spec.ports[0].targetPort: Invalid value: "web--http": must not contain consecutive hyphens`,
    );
    expect(createMessage(service({ ports: [{ port: 80, targetPort: 'HTTP' }] }))).toBe(
      `${S}[spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), ` +
        `spec.ports[0].targetPort: Invalid value: "HTTP": must contain at least one letter (a-z)]`,
    );
  });

  it('two ports may not share protocol and number', () => {
    expect(createMessage(service({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }))).toBe(
      `${S}spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
    );
  });

  it('lists the service types', () => {
    expect(createMessage(service({ type: 'Internal' }))).toBe(`${S}spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`);
  });

  it('names are DNS-1035 labels', () => {
    const s = service();
    expect(createMessage({ ...s, metadata: { name: '1web', namespace: 'default' } })).toBe(
      `Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    );
  });

  it('checks selector labels and cluster IPs', () => {
    expect(createMessage(service({ selector: { 'bad key': 'x' } }))).toMatch(/^Service "web" is invalid: spec\.selector: Invalid value: "bad key": name part must consist/);
    expect(createMessage(service({ clusterIP: '10.96.0.300' }))).toBe(`${S}spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`);
    expect(createMessage(service({ type: 'NodePort', clusterIP: 'None' }))).toBe(`${S}spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`);
  });

  it('ExternalName services need a name and no cluster IP', () => {
    expect(createMessage(service({ type: 'ExternalName', ports: [] }))).toBe(`${S}spec.externalName: Required value`);
    expect(createMessage(service({ type: 'ExternalName', externalName: 'db.example.com.', ports: [] }))).toBe('');
  });
});

describe('Service update', () => {
  const stored = (): Service => created(service({ clusterIP: '10.96.0.10' })).obj;

  it('keeps the allocated cluster IP when an update leaves it out', () => {
    const old = stored();
    const next = service({ ports: [{ port: 8080 }] });
    const msg = updateMessage(next, old);
    expect(msg).toBe('');
  });

  it('the cluster IP may not change', () => {
    const old = stored();
    expect(updateMessage({ ...old, spec: { ...old.spec!, clusterIP: '10.96.0.11', clusterIPs: undefined } }, old)).toBe(
      `${S}spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set`,
    );
  });
});

const N = 'Node "node-1" is invalid: ';
const withTaints = (taints: NonNullable<Node['spec']>['taints']) => node({ spec: { taints } });

describe('Node', () => {
  it('a valid node has no errors', () => {
    expect(created(withTaints([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }])).errors).toEqual([]);
  });

  it('taint effects are listed (under metadata.taints, as upstream reports them)', () => {
    expect(createMessage(withTaints([{ key: 'k', effect: 'NoRun' }]))).toBe(
      `${N}metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
    );
    expect(createMessage(withTaints([{ key: 'k' } as never]))).toBe(`${N}metadata.taints[0].effect: Required value`);
  });

  it('taint keys are qualified names', () => {
    expect(createMessage(withTaints([{ key: '-x', effect: 'NoSchedule' }]))).toMatch(/^Node "node-1" is invalid: metadata\.taints\[0\]\.key: Invalid value: "-x": name part must/);
  });

  it('a key appears once per effect', () => {
    expect(
      createMessage(
        withTaints([
          { key: 'dedicated', value: 'a', effect: 'NoSchedule' },
          { key: 'dedicated', value: 'b', effect: 'NoSchedule' },
          { key: 'dedicated', value: 'c', effect: 'NoExecute' },
        ]),
      ),
    ).toBe(`${N}metadata.taints[1]: Duplicate value: core.Taint{Key:"dedicated", Value:"b", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair`);
  });

  it('is cluster-scoped', () => {
    expect(createMessage(node({ metadata: { name: 'node-1', namespace: 'default' } }))).toBe(`${N}metadata.namespace: Forbidden: not allowed on this type`);
  });

  it('capacity holds valid quantities', () => {
    expect(createMessage(node({ status: { capacity: { cpu: '-1' }, allocatable: { cpu: '1' } } }))).toBe(`${N}status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0`);
    expect(createMessage(node({ status: { capacity: { memory: 'lots' } } }))).toContain(`status.capacity.memory: Invalid value: "lots": ${ERR_FORMAT_WRONG}`);
    expect(createMessage(node({ status: { capacity: { pods: '1.5' } } }))).toBe(
      `${N}[status.capacity.pods: Invalid value: "1500m": must be an integer, status.allocatable.pods: Invalid value: "1500m": must be an integer]`,
    );
  });

  it('updates may cordon and taint but not move the provider ID', () => {
    const old = created(node({ spec: { providerID: 'sim://node-1' } })).obj;
    expect(updateMessage({ ...old, spec: { ...old.spec, unschedulable: true, taints: [{ key: 'k', effect: 'NoSchedule' }] } }, old)).toBe('');
    expect(updateMessage({ ...old, spec: { ...old.spec, providerID: 'sim://other' } }, old)).toBe(
      `${N}spec.providerID: Forbidden: node updates may not change providerID except from "" to valid`,
    );
  });
});

describe('Namespace', () => {
  it('valid, and its name is a DNS label', () => {
    expect(created(namespace()).errors).toEqual([]);
    expect(createMessage(namespace('team.a'))).toBe('Namespace "team.a" is invalid: metadata.name: Invalid value: "team.a": must not contain dots');
  });

  it('finalizers are standard or qualified', () => {
    const ns = { ...namespace(), spec: { finalizers: ['foo'] } };
    expect(createMessage(ns)).toBe('Namespace "team-a" is invalid: spec.finalizers: Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified');
  });
});

describe('Event', () => {
  it('valid', () => {
    expect(created(event()).errors).toEqual([]);
  });

  it('its namespace agrees with the involved object', () => {
    expect(createMessage(event({ involvedObject: { kind: 'Pod', name: 'x', namespace: 'other' } }))).toBe(
      'Event "web-1.17c0a" is invalid: involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    );
  });

  it('names only need to fit in a URL', () => {
    expect(createMessage(event({ metadata: { name: 'a/b', namespace: 'default' } }))).toBe(`Event "a/b" is invalid: metadata.name: Invalid value: "a/b": may not contain '/'`);
  });
});

describe('Lease', () => {
  it('valid, and renewable', () => {
    const old = created(lease()).obj;
    expect(created(lease()).errors).toEqual([]);
    expect(updateMessage({ ...old, spec: { ...old.spec, renewTime: '2024-01-01T00:00:10.000000Z' } }, old)).toBe('');
  });

  it('durations are positive', () => {
    expect(createMessage(lease({ leaseDurationSeconds: 0 }))).toBe('Lease.coordination.k8s.io "node-1" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0');
  });
});

describe('EndpointSlice', () => {
  it('valid', () => {
    expect(created(endpointSlice()).errors).toEqual([]);
  });

  it('checks address types, addresses and ports', () => {
    const E = 'EndpointSlice.discovery.k8s.io "web-abcde" is invalid: ';
    expect(createMessage(endpointSlice({ addressType: 'IPv5' }))).toBe(`${E}addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"`);
    expect(createMessage(endpointSlice({ endpoints: [{ addresses: [] }] }))).toBe(`${E}endpoints[0].addresses: Required value: must contain at least 1 address`);
    expect(createMessage(endpointSlice({ ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }))).toBe(`${E}ports[1].name: Duplicate value: "http"`);
  });
});

describe('dispatch', () => {
  it('refuses kinds it does not know', () => {
    const errs = validateCreate({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    expect(invalidMessage('Secret', 's', errs)).toBe(
      'Secret "s" is invalid: kind: Unsupported value: "Secret": supported values: "Namespace", "Node", "Pod", "Service", "Event", "ReplicaSet", "Deployment", "DaemonSet", "Job", "EndpointSlice", "Lease", "PriorityClass", ' +
        '"StatefulSet", "ControllerRevision", "PersistentVolume", "PersistentVolumeClaim", "StorageClass"',
    );
  });

  it('never throws on malformed input', () => {
    const odd = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'd' }, spec: { replicas: 'many', selector: 5, template: 'nope' } };
    expect(() => validateCreate(odd as never)).not.toThrow();
    expect(validateCreate(odd as never).length).toBeGreaterThan(0);
  });
});

describe('PriorityClass', () => {
  const pc = (name: string, value: unknown, more: Record<string, unknown> = {}) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...more });
  const msg = (o: ReturnType<typeof pc>) => invalidMessage('PriorityClass.scheduling.k8s.io', o.metadata.name, validateCreate(o as never));

  it('reserves system- names and values above 1e9 for the system', () => {
    expect(validateCreate(pc('batch', 1000) as never)).toEqual([]);
    expect(msg(pc('batch', 1000000001))).toBe('PriorityClass.scheduling.k8s.io "batch" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
    expect(msg(pc('system-mine', 5))).toBe(
      "PriorityClass.scheduling.k8s.io \"system-mine\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    );
    expect(validateCreate(pc('system-node-critical', 2000001000) as never)).toEqual([]);
    expect(msg(pc('x', 1, { preemptionPolicy: 'Sometimes' }))).toBe(
      'PriorityClass.scheduling.k8s.io "x" is invalid: preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
    );
  });

  it('keeps value immutable', () => {
    const old = { ...pc('batch', 10), metadata: { name: 'batch', uid: 'u', resourceVersion: '1' } };
    const errs = validateUpdate({ ...old, value: 11 } as never, old as never);
    expect(invalidMessage('PriorityClass.scheduling.k8s.io', 'batch', errs)).toBe('PriorityClass.scheduling.k8s.io "batch" is invalid: value: Forbidden: may not be changed in an update.');
  });
});
