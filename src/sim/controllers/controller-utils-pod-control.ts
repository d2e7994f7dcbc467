// Creating and deleting a controller's pods, after upstream
// pkg/controller/controller_utils.go (RealPodControl, GetPodFromTemplate):
// a pod is the template's labels, annotations, finalizers and spec, named
// "<owner>-" plus the apiserver's five random characters (generateName),
// owned through a controllerRef; each outcome is an Event on the owner
// (SuccessfulCreate "Created pod: NAME", FailedCreate "Error creating: ...",
// SuccessfulDelete "Deleted pod: NAME", FailedDelete "Error deleting: ...").
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject, Pod } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import type { Failure } from '../apiserver/status';
import type { EventRecorder } from '../client/event-recorder';
import { isNamespaceTerminating, isNotFound } from './controller-utils';

/** GetPodFromTemplate: the pod a controller asks the apiserver to create. */
export function podFromTemplate(template: PodTemplateSpec, owner: KubeObject, controllerRef?: OwnerReference): Pod {
  const tm = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...tm.labels },
      ...(tm.annotations && Object.keys(tm.annotations).length ? { annotations: { ...tm.annotations } } : {}),
      ...(tm.finalizers?.length ? { finalizers: [...tm.finalizers] } : {}),
      ...(controllerRef ? { ownerReferences: [controllerRef] } : {}),
    },
    spec: structuredClone(template.spec ?? { containers: [] }),
  };
}

function noLabels(): Failure {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'BadRequest', code: 400, message: 'unable to create pods, no labels' };
}

export class PodControl {
  constructor(
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
  ) {}

  /** CreatePods: one pod from the template; the Event says how it went. Returns the failure, if any. */
  createPod(template: PodTemplateSpec, owner: KubeObject, controllerRef: OwnerReference, nodeName?: string): Failure | undefined {
    const pod = podFromTemplate(template, owner, controllerRef);
    if (nodeName) pod.spec = { ...pod.spec!, nodeName };
    if (Object.keys(pod.metadata!.labels!).length === 0) return noLabels();
    const r = this.client.create(pod as KubeObject);
    if (!r.ok) {
      // No Event while the namespace is being deleted: every create would fail the same way.
      if (!isNamespaceTerminating(r.status)) this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${r.status.message}`);
      return r.status;
    }
    this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${r.object.metadata.name}`);
    return undefined;
  }

  /** DeletePod: a graceful delete (the pod's own grace period); a pod already gone is no Event. */
  deletePod(namespace: string, name: string, owner: KubeObject): Failure | undefined {
    const r = this.client.delete('Pod', namespace, name);
    if (!r.ok) {
      if (!isNotFound(r.status)) this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${r.status.message}`);
      return r.status;
    }
    this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    return undefined;
  }
}
