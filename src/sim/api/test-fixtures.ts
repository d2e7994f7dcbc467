// Override-factory fixtures for the api tests (tldraw style): a valid object
// of each kind, and the apiserver's create/update pipeline around validation.
import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Container, Event, Namespace, Node, Pod, PodSpec, PodTemplateSpec, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { applyDefaults } from './defaults';
import type { FieldError } from './field-errors';
import { invalidMessage } from './field-errors';
import { prepareForCreate, prepareForUpdate } from './strategy';
import type { KubeObject } from './types';
import { qualifiedKind, resourceForKind } from './types';
import { validateCreate, validateUpdate } from './validation';

export const container = (o: Partial<Container> = {}): Container => ({ name: 'app', image: 'nginx:1.27', ...o });
export const podSpec = (o: Partial<PodSpec> = {}): PodSpec => ({ containers: [container()], ...o });
export const template = (labels: Record<string, string> = { app: 'web' }, spec: Partial<PodSpec> = {}): PodTemplateSpec => ({
  metadata: { labels },
  spec: podSpec(spec),
});

const meta = (name: string, namespace?: string) => (namespace ? { name, namespace } : { name });

export const pod = (o: Partial<Pod> = {}, spec: Partial<PodSpec> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: meta('web-1', 'default'),
  spec: podSpec(spec),
  ...o,
});

export const deployment = (spec: Partial<NonNullable<Deployment['spec']>> = {}): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta('web', 'default'),
  spec: { selector: { matchLabels: { app: 'web' } }, template: template(), ...spec },
});

export const replicaSet = (spec: Partial<NonNullable<ReplicaSet['spec']>> = {}): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: meta('web-abc', 'default'),
  spec: { selector: { matchLabels: { app: 'web' } }, template: template(), ...spec },
});

export const daemonSet = (spec: Partial<NonNullable<DaemonSet['spec']>> = {}): DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: meta('agent', 'kube-system'),
  spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }), ...spec },
});

export const job = (spec: Partial<NonNullable<Job['spec']>> = {}): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'default', uid: 'uid-1' },
  spec: { template: template({ app: 'pi' }, { restartPolicy: 'Never' }), ...spec },
});

export const service = (spec: Partial<NonNullable<Service['spec']>> = {}): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta('web', 'default'),
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
});

export const node = (o: Partial<Node> = {}): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1' },
  spec: {},
  status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } },
  ...o,
});

export const namespace = (name = 'team-a'): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

export const event = (o: Partial<Event> = {}): Event => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: meta('web-1.17c0a', 'default'),
  involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default' },
  reason: 'Scheduled',
  message: 'Successfully assigned default/web-1 to node-1',
  ...o,
});

export const lease = (o: Partial<NonNullable<Lease['spec']>> = {}): Lease => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: meta('node-1', 'kube-node-lease'),
  spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, ...o },
});

export const endpointSlice = (o: Partial<EndpointSlice> = {}): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: meta('web-abcde', 'default'),
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }],
  ports: [{ name: 'http', port: 8080 }],
  ...o,
});

const k = (obj: unknown) => obj as KubeObject;

/** What the apiserver does on create: default, prepare, validate. */
export function created<T>(obj: T): { obj: T; errors: FieldError[] } {
  const prepared = prepareForCreate(applyDefaults(k(obj)));
  return { obj: prepared as T, errors: validateCreate(prepared) };
}

/** What the apiserver does on update of a stored object. */
export function updated<T>(obj: NoInfer<T>, old: T): { obj: T; errors: FieldError[] } {
  const prepared = prepareForUpdate(applyDefaults(k(obj)), k(old));
  return { obj: prepared as T, errors: validateUpdate(prepared, k(old)) };
}

/** The 422 message kubectl prints for these errors on this object. */
export function message(obj: unknown, errors: FieldError[]): string {
  const o = k(obj);
  const info = resourceForKind(o.kind);
  return invalidMessage(info ? qualifiedKind(info) : o.kind, o.metadata?.name ?? '', errors);
}

/** Create and return the 422 message, or '' when valid. */
export function createMessage(obj: unknown): string {
  const { errors } = created(obj);
  return errors.length ? message(obj, errors) : '';
}

export function updateMessage<T>(obj: NoInfer<T>, old: T): string {
  const { errors } = updated(obj, old);
  return errors.length ? message(obj, errors) : '';
}
