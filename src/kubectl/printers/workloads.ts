// kubectl get deployments, replicasets, daemonsets and jobs: printDeployment,
// printReplicaSet, printDaemonSet and printJob in
// pkg/printers/internalversion/printers.go. Jobs have had STATUS,
// COMPLETIONS and DURATION since v1.28.
import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Container } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../sim/api/types';
import { selectorToString } from '../../sim/api/selector';
import { virtualMs } from '../../sim/kernel/time';
import { formatLabels, humanDuration, since } from '../humanize';
import { col, nameCol, type PrintContext, type TableDef } from './table';

/** layoutContainerCells: names and images, comma-joined. */
export function containerCells(containers: readonly Container[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

const wideCols = [col('Containers', { priority: 1 }), col('Images', { priority: 1 }), col('Selector', { priority: 1 })];

export const deploymentTable: TableDef = {
  columns: [nameCol, col('Ready'), col('Up-to-date'), col('Available'), col('Age'), ...wideCols],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const d = obj as unknown as Deployment;
    const st = d.status ?? {};
    const cells = [d.metadata?.name ?? '', `${st.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, String(st.updatedReplicas ?? 0), String(st.availableReplicas ?? 0), since(d.metadata?.creationTimestamp, ctx.now)];
    if (!ctx.wide) return cells;
    // printDeployment prints selector.String() (empty for an empty selector), not FormatLabelSelector.
    const sel = selectorToString(d.spec?.selector);
    return [...cells, ...containerCells(d.spec?.template?.spec?.containers), sel === '<none>' ? '' : sel === '<error>' ? '<invalid>' : sel];
  },
};

export const replicaSetTable: TableDef = {
  columns: [nameCol, col('Desired'), col('Current'), col('Ready'), col('Age'), ...wideCols],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const rs = obj as unknown as ReplicaSet;
    const st = rs.status;
    const cells = [rs.metadata?.name ?? '', String(rs.spec?.replicas ?? 1), String(st?.replicas ?? 0), String(st?.readyReplicas ?? 0), since(rs.metadata?.creationTimestamp, ctx.now)];
    if (!ctx.wide) return cells;
    return [...cells, ...containerCells(rs.spec?.template?.spec?.containers), selectorToString(rs.spec?.selector)];
  },
};

export const daemonSetTable: TableDef = {
  columns: [nameCol, col('Desired'), col('Current'), col('Ready'), col('Up-to-date'), col('Available'), col('Node Selector'), col('Age'), ...wideCols],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const ds = obj as unknown as DaemonSet;
    const st = ds.status;
    const cells = [
      ds.metadata?.name ?? '',
      String(st?.desiredNumberScheduled ?? 0),
      String(st?.currentNumberScheduled ?? 0),
      String(st?.numberReady ?? 0),
      String(st?.updatedNumberScheduled ?? 0),
      String(st?.numberAvailable ?? 0),
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      since(ds.metadata?.creationTimestamp, ctx.now),
    ];
    if (!ctx.wide) return cells;
    return [...cells, ...containerCells(ds.spec?.template?.spec?.containers), selectorToString(ds.spec?.selector)];
  },
};

const jobCondition = (job: Job, type: string): boolean => (job.status?.conditions ?? []).find((c) => c.type === type)?.status === 'True';

export function jobStatus(job: Job): string {
  if (jobCondition(job, 'Complete')) return 'Complete';
  if (jobCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (jobCondition(job, 'Suspended')) return 'Suspended';
  if (jobCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobTable: TableDef = {
  columns: [nameCol, col('Status'), col('Completions'), col('Duration'), col('Age'), ...wideCols],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const job = obj as unknown as Job;
    const st = job.status ?? {};
    const succeeded = st.succeeded ?? 0;
    let completions: string;
    if (job.spec?.completions != null) completions = `${succeeded}/${job.spec.completions}`;
    else completions = (job.spec?.parallelism ?? 0) > 1 ? `${succeeded}/1 of ${job.spec!.parallelism}` : `${succeeded}/1`;
    let duration = '';
    if (st.startTime) duration = st.completionTime ? humanDuration(virtualMs(st.completionTime) - virtualMs(st.startTime)) : since(st.startTime, ctx.now);
    const cells = [job.metadata?.name ?? '', jobStatus(job), completions, duration, since(job.metadata?.creationTimestamp, ctx.now)];
    if (!ctx.wide) return cells;
    return [...cells, ...containerCells(job.spec?.template?.spec?.containers), selectorToString(job.spec?.selector)];
  },
};
