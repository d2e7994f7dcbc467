// kubectl describe pod: describePod in staging/src/k8s.io/kubectl/pkg/describe/describe.go.
import type { Event, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../sim/api/types';
import { podQOSClass } from '../../sim/api/qos';
import { rfc1123z, since } from '../humanize';
import { annotationsMultiline, containersSection, eventsSection, labelsMultiline, tolerationsMultiline, volumesSection } from './sections';
import { describeText, LEVEL_0, LEVEL_1 } from './writer';

/** printController: "ReplicaSet/web-5d8f6c9b7d". */
export function controlledBy(obj: KubeObject): string {
  const ref = (obj.metadata.ownerReferences ?? []).find((o) => o.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

/** The downward API fields a simulated pod can answer. */
function fieldOf(pod: Pod, path: string): string {
  const fields: Record<string, string | undefined> = {
    'metadata.name': pod.metadata?.name,
    'metadata.namespace': pod.metadata?.namespace,
    'metadata.uid': pod.metadata?.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.hostIP': pod.status?.hostIP,
    'status.podIP': pod.status?.podIP,
  };
  return fields[path] ?? '';
}

export function describePod(obj: KubeObject, events: readonly Event[] | undefined, now: number): string {
  const pod = obj as unknown as Pod;
  const spec = pod.spec ?? { containers: [] };
  const st = pod.status ?? {};
  return describeText((w) => {
    w.write(LEVEL_0, `Name:\t${pod.metadata?.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${pod.metadata?.namespace}\n`);
    if (spec.priority != null) w.write(LEVEL_0, `Priority:\t${spec.priority}\n`);
    if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`);
    if (spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
    if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`);
    w.write(LEVEL_0, spec.nodeName ? `Node:\t${spec.nodeName}/${st.hostIP ?? ''}\n` : 'Node:\t<none>\n');
    if (st.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
    labelsMultiline(w, 'Labels', pod.metadata?.labels);
    annotationsMultiline(w, 'Annotations', pod.metadata?.annotations);
    if (pod.metadata?.deletionTimestamp && st.phase !== 'Failed' && st.phase !== 'Succeeded') {
      w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(pod.metadata.deletionTimestamp, now)})\n`);
      w.write(LEVEL_0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
    } else {
      w.write(LEVEL_0, `Status:\t${st.phase ?? ''}\n`);
    }
    if (st.reason) w.write(LEVEL_0, `Reason:\t${st.reason}\n`);
    if (st.message) w.write(LEVEL_0, `Message:\t${st.message}\n`);
    w.write(LEVEL_0, `IP:\t${st.podIP ?? ''}\n`);
    const ips = st.podIPs ?? [];
    if (ips.length === 0) w.write(LEVEL_0, 'IPs:\t<none>\n');
    else {
      w.write(LEVEL_0, 'IPs:\n');
      for (const ip of ips) w.write(LEVEL_1, `IP:\t${ip.ip}\n`);
    }
    const owner = controlledBy(obj);
    if (owner) w.write(LEVEL_0, `Controlled By:\t${owner}\n`);
    if (st.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${st.nominatedNodeName}\n`);
    const resolve = (path: string) => fieldOf(pod, path);
    if (spec.initContainers?.length) containersSection(w, 'Init Containers', spec.initContainers, st.initContainerStatuses ?? [], '', resolve);
    containersSection(w, 'Containers', spec.containers, st.containerStatuses ?? [], '', resolve);
    if (spec.readinessGates?.length) {
      w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
      for (const g of spec.readinessGates) {
        const c = (st.conditions ?? []).find((x) => x.type === g.conditionType);
        w.write(LEVEL_1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
      }
    }
    if (st.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
      for (const c of st.conditions) w.write(LEVEL_1, `${c.type} \t${c.status} \n`);
    }
    volumesSection(w, spec.volumes);
    w.write(LEVEL_0, `QoS Class:\t${st.qosClass || podQOSClass(pod)}\n`);
    labelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
    tolerationsMultiline(w, 'Tolerations', spec.tolerations);
    eventsSection(w, events, now);
  });
}
