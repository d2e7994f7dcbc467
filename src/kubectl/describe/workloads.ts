// kubectl describe deployment, replicaset, daemonset and job: describeDeployment,
// describeReplicaSet, describeDaemonSet and describeJob in
// staging/src/k8s.io/kubectl/pkg/describe/describe.go.
import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Event, Pod } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { compileLabelSelector, labelSelectorAsSelector, selectorToString } from '../../sim/api/selector';
import type { KubeObject } from '../../sim/api/types';
import { findNewReplicaSet, findOldReplicaSets } from '../../sim/controllers/deployment-util';
import { virtualMs } from '../../sim/kernel/time';
import { formatLabels, humanDuration, rfc1123z } from '../humanize';
import { controlledBy } from './pod';
import { annotationsMultiline, eventsSection, labelsMultiline, podTemplateSection } from './sections';
import { describeText, LEVEL_0, LEVEL_1 } from './writer';

/** The ReplicaSets a Deployment owns and selects (deploymentutil.GetAllReplicaSets). */
export function ownedReplicaSets(d: KubeObject, replicaSets: readonly KubeObject[]): ReplicaSet[] {
  const matches = compileLabelSelector((d as unknown as Deployment).spec?.selector);
  return replicaSets
    .filter((rs) => rs.metadata.namespace === d.metadata.namespace && matches(rs.metadata.labels))
    .filter((rs) => (rs.metadata.ownerReferences ?? []).some((o) => o.controller && o.uid === d.metadata.uid)) as unknown as ReplicaSet[];
}

/** getPodStatusForController: pods the controller owns, by phase. */
function podCounts(owner: KubeObject, selector: LabelSelector | undefined, pods: readonly KubeObject[]): string {
  const matches = compileLabelSelector(selector);
  const counts = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 };
  for (const p of pods) {
    if (p.metadata.namespace !== owner.metadata.namespace || !matches(p.metadata.labels)) continue;
    if (!(p.metadata.ownerReferences ?? []).some((o) => o.controller && o.uid === owner.metadata.uid)) continue;
    const phase = (p as unknown as Pod).status?.phase as keyof typeof counts | undefined;
    if (phase && phase in counts) counts[phase]++;
  }
  return `${counts.Running} Running / ${counts.Pending} Waiting / ${counts.Succeeded} Succeeded / ${counts.Failed} Failed`;
}

const selectorString = (sel: Parameters<typeof labelSelectorAsSelector>[0]): string => {
  try {
    return labelSelectorAsSelector(sel).toString();
  } catch (e) {
    return `Failed to get selector: ${(e as Error).message}`;
  }
};

const rsList = (rss: readonly ReplicaSet[]): string =>
  rss.map((rs) => `${rs.metadata?.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`).join(', ') || '<none>';

export function describeDeployment(obj: KubeObject, replicaSets: readonly KubeObject[], events: readonly Event[] | undefined, now: number): string {
  const d = obj as unknown as Deployment;
  const st = d.status ?? {};
  const owned = ownedReplicaSets(obj, replicaSets);
  const newRS = findNewReplicaSet(d, owned);
  const [, oldRSs] = findOldReplicaSets(d, owned);
  return describeText((w) => {
    w.write(LEVEL_0, `Name:\t${d.metadata?.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${d.metadata?.namespace}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(d.metadata?.creationTimestamp)}\n`);
    labelsMultiline(w, 'Labels', d.metadata?.labels);
    annotationsMultiline(w, 'Annotations', d.metadata?.annotations);
    w.write(LEVEL_0, `Selector:\t${selectorString(d.spec?.selector)}\n`);
    w.write(
      LEVEL_0,
      `Replicas:\t${d.spec?.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`,
    );
    w.write(LEVEL_0, `StrategyType:\t${d.spec?.strategy?.type ?? ''}\n`);
    w.write(LEVEL_0, `MinReadySeconds:\t${d.spec?.minReadySeconds ?? 0}\n`);
    const ru = d.spec?.strategy?.rollingUpdate;
    if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? ''} max unavailable, ${ru.maxSurge ?? ''} max surge\n`);
    podTemplateSection(w, d.spec?.template);
    if (st.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(LEVEL_1, '----\t------\t------\n');
      for (const c of st.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    if (oldRSs.length > 0 || newRS) {
      w.write(LEVEL_0, `OldReplicaSets:\t${rsList(oldRSs)}\n`);
      w.write(LEVEL_0, `NewReplicaSet:\t${rsList(newRS ? [newRS] : [])}\n`);
    }
    eventsSection(w, events, now);
  });
}

export function describeReplicaSet(obj: KubeObject, pods: readonly KubeObject[], events: readonly Event[] | undefined, now: number): string {
  const rs = obj as unknown as ReplicaSet;
  return describeText((w) => {
    w.write(LEVEL_0, `Name:\t${rs.metadata?.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${rs.metadata?.namespace}\n`);
    w.write(LEVEL_0, `Selector:\t${selectorToString(rs.spec?.selector)}\n`);
    labelsMultiline(w, 'Labels', rs.metadata?.labels);
    annotationsMultiline(w, 'Annotations', rs.metadata?.annotations);
    const owner = controlledBy(obj);
    if (owner) w.write(LEVEL_0, `Controlled By:\t${owner}\n`);
    w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
    w.write(LEVEL_0, `Pods Status:\t${podCounts(obj, rs.spec?.selector, pods)}\n`);
    podTemplateSection(w, rs.spec?.template);
    if (rs.status?.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(LEVEL_1, '----\t------\t------\n');
      for (const c of rs.status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    eventsSection(w, events, now);
  });
}

export function describeDaemonSet(obj: KubeObject, pods: readonly KubeObject[], events: readonly Event[] | undefined, now: number): string {
  const ds = obj as unknown as DaemonSet;
  const st = ds.status;
  return describeText((w) => {
    w.write(LEVEL_0, `Name:\t${ds.metadata?.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${ds.metadata?.namespace}\n`);
    w.write(LEVEL_0, `Selector:\t${selectorString(ds.spec?.selector)}\n`);
    w.write(LEVEL_0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector)}\n`);
    labelsMultiline(w, 'Labels', ds.metadata?.labels);
    annotationsMultiline(w, 'Annotations', ds.metadata?.annotations);
    w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${st?.desiredNumberScheduled ?? 0}\n`);
    w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${st?.currentNumberScheduled ?? 0}\n`);
    w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${st?.updatedNumberScheduled ?? 0}\n`);
    w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${st?.numberAvailable ?? 0}\n`);
    w.write(LEVEL_0, `Number of Nodes Misscheduled: ${st?.numberMisscheduled ?? 0}\n`);
    w.write(LEVEL_0, `Pods Status:\t${podCounts(obj, ds.spec?.selector, pods)}\n`);
    podTemplateSection(w, ds.spec?.template);
    eventsSection(w, events, now);
  });
}

export function describeJob(obj: KubeObject, events: readonly Event[] | undefined, now: number): string {
  const job = obj as unknown as Job;
  const spec = job.spec;
  const st = job.status ?? {};
  return describeText((w) => {
    w.write(LEVEL_0, `Name:\t${job.metadata?.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${job.metadata?.namespace}\n`);
    w.write(LEVEL_0, `Selector:\t${selectorString(spec?.selector)}\n`);
    labelsMultiline(w, 'Labels', job.metadata?.labels);
    annotationsMultiline(w, 'Annotations', job.metadata?.annotations);
    const owner = controlledBy(obj);
    if (owner) w.write(LEVEL_0, `Controlled By:\t${owner}\n`);
    if (spec?.parallelism != null) w.write(LEVEL_0, `Parallelism:\t${spec.parallelism}\n`);
    w.write(LEVEL_0, spec?.completions != null ? `Completions:\t${spec.completions}\n` : 'Completions:\t<unset>\n');
    if (spec?.completionMode) w.write(LEVEL_0, `Completion Mode:\t${spec.completionMode}\n`);
    if (spec?.suspend != null) w.write(LEVEL_0, `Suspend:\t${spec.suspend}\n`);
    if (spec?.backoffLimit != null) w.write(LEVEL_0, `Backoff Limit:\t${spec.backoffLimit}\n`);
    if (spec?.ttlSecondsAfterFinished != null) w.write(LEVEL_0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
    if (st.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
    if (st.completionTime) w.write(LEVEL_0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
    if (st.startTime && st.completionTime) w.write(LEVEL_0, `Duration:\t${humanDuration(virtualMs(st.completionTime) - virtualMs(st.startTime))}\n`);
    if (spec?.activeDeadlineSeconds != null) w.write(LEVEL_0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
    if (st.ready == null) w.write(LEVEL_0, `Pods Statuses:\t${st.active ?? 0} Active / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
    else w.write(LEVEL_0, `Pods Statuses:\t${st.active ?? 0} Active (${st.ready} Ready) / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
    if (spec?.completionMode === 'Indexed') w.write(LEVEL_0, `Completed Indexes:\t${capIndexes(st.completedIndexes ?? '', 50)}\n`);
    podTemplateSection(w, spec?.template);
    eventsSection(w, events, now);
  });
}

/** capIndexesListOrNone: the list cut after the first comma past `soft` characters. */
function capIndexes(indexes: string, soft: number): string {
  if (!indexes) return '<none>';
  let i = soft;
  for (; i < indexes.length; i++) if (indexes[i] === ',') break;
  return i >= indexes.length ? indexes : `${indexes.slice(0, i + 1)}...`;
}
