// Pod status writes of the node lifecycle and taint eviction controllers:
// upstream UpdatePodCondition (pkg/api/v1/pod/util.go) and MarkPodsNotReady
// (pkg/controller/util/node/controller_utils.go).
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import type { EventRecorder } from '../client/event-recorder';
import { timestamp } from '../kernel/time';

/**
 * UpdatePodCondition: set or add the condition; lastTransitionTime moves to
 * now only when the status changes. Returns the new list and whether
 * anything (status, reason, message, times) changed.
 */
export function updatePodCondition(conditions: readonly PodCondition[] | undefined, condition: PodCondition, now: number): { conditions: PodCondition[]; changed: boolean } {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === condition.type);
  const next: PodCondition = { ...condition, lastTransitionTime: timestamp(now) };
  if (i < 0) return { conditions: [...list, next], changed: true };
  const old = list[i];
  if (next.status === old.status) next.lastTransitionTime = old.lastTransitionTime;
  const same =
    next.status === old.status &&
    (next.reason ?? '') === (old.reason ?? '') &&
    (next.message ?? '') === (old.message ?? '') &&
    (next.lastProbeTime ?? null) === (old.lastProbeTime ?? null) &&
    (next.lastTransitionTime ?? null) === (old.lastTransitionTime ?? null);
  list[i] = next;
  return { conditions: list, changed: !same };
}

/**
 * MarkPodsNotReady: flip Ready to False on each pod of the node that has a
 * Ready condition still True, with a status update and a Warning
 * NodeNotReady event on the pod. True when every write went through (a pod
 * already gone counts as done).
 */
export function markPodsNotReady(client: ApiClient, recorder: EventRecorder, pods: readonly Pod[], nodeName: string, now: number): boolean {
  let ok = true;
  for (const pod of pods) {
    if (pod.spec?.nodeName !== nodeName) continue;
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
    if (!ready) continue;
    const r = updatePodCondition(pod.status?.conditions, { ...ready, status: 'False' }, now);
    if (!r.changed) continue;
    const written = client.updateStatus({ ...(pod as KubeObject), status: { ...pod.status, conditions: r.conditions } });
    if (!written.ok) {
      if (written.status.code === 404) continue;
      ok = false;
    }
    recorder.event(pod as KubeObject, 'Warning', 'NodeNotReady', 'Node is not ready');
  }
  return ok;
}
