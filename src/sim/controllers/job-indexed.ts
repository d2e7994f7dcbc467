// Indexed Jobs (pkg/controller/job/indexed_job_utils.go): every pod carries
// a completion index 0..completions-1 (annotation and, since PodIndexLabel,
// label batch.kubernetes.io/job-completion-index, hostname <job>-<index>,
// env JOB_COMPLETION_INDEX); the Job is done when every index succeeded once.
// Succeeded indexes are kept as ordered intervals and shown as
// status.completedIndexes ("0-2,4", two neighbours as "5,6").
import type { Container, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { Job, Pod } from '../api/types';
import { compareActivePods } from './daemonset-pod-util';

export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
export const UNKNOWN_INDEX = -1;
/** names.MaxGeneratedNameLength: 63 minus the 5 random characters. */
const MAX_GENERATED_NAME_LENGTH = 58;

export interface Interval {
  first: number;
  last: number;
}

export type OrderedIntervals = readonly Interval[];

export const isIndexedJob = (job: Job): boolean => job.spec?.completionMode === 'Indexed';

/** getCompletionIndex: the annotation as a non-negative integer, else UNKNOWN_INDEX. */
export function completionIndex(pod: Pod): number {
  const v = pod.metadata?.annotations?.[COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return UNKNOWN_INDEX;
  const i = Number(v);
  return i < 0 ? UNKNOWN_INDEX : i;
}

/** merge: the union of two ordered interval lists, neighbours joined. */
export function mergeIntervals(a: OrderedIntervals, b: OrderedIntervals): Interval[] {
  const out: Interval[] = [];
  const push = (iv: Interval) => {
    const last = out[out.length - 1];
    if (!last || iv.first > last.last + 1) out.push({ ...iv });
    else if (last.last < iv.last) last.last = iv.last;
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) push(a[i].first < b[j].first ? a[i++] : b[j++]);
  while (i < a.length) push(a[i++]);
  while (j < b.length) push(b[j++]);
  return out;
}

/** withOrderedIndexes: adds indexes given in increasing order. */
export const withIndexes = (oi: OrderedIntervals, indexes: readonly number[]): Interval[] =>
  mergeIntervals(
    oi,
    indexes.map((i) => ({ first: i, last: i })),
  );

export const totalIndexes = (oi: OrderedIntervals): number => oi.reduce((n, iv) => n + iv.last - iv.first + 1, 0);

export function hasIndex(oi: OrderedIntervals, ix: number): boolean {
  return oi.some((iv) => iv.first <= ix && ix <= iv.last);
}

/** orderedIntervals.String. */
export function formatIntervals(oi: OrderedIntervals): string {
  return oi.map((iv) => (iv.last > iv.first ? `${iv.first}${iv.last === iv.first + 1 ? ',' : '-'}${iv.last}` : `${iv.first}`)).join(',');
}

/** parseIndexesFromString: corrupt pieces skipped, indexes at or beyond completions dropped. */
export function parseIntervals(text: string | undefined, completions: number): Interval[] {
  const out: Interval[] = [];
  if (!text) return out;
  for (const piece of text.split(',')) {
    const [a, b] = piece.split('-');
    if (!/^[+-]?\d+$/.test(a)) continue;
    const first = Number(a);
    if (first >= completions) break;
    let last = first;
    if (b !== undefined) {
      if (!/^[+-]?\d+$/.test(b)) continue;
      last = Math.min(Number(b), completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}

const sortedSet = (s: Set<number>) => [...s].sort((x, y) => x - y);

/** The uncounted succeeded indexes of pods still holding the tracking finalizer, added to status.completedIndexes. */
export function succeededIndexes(job: Job, pods: readonly Pod[], hasFinalizer: (p: Pod) => boolean): { prev: Interval[]; now: Interval[] } {
  const completions = job.spec?.completions ?? 0;
  const prev = parseIntervals(job.status?.completedIndexes, completions);
  const fresh = new Set<number>();
  for (const p of pods) {
    const ix = completionIndex(p);
    if (p.status?.phase === 'Succeeded' && ix !== UNKNOWN_INDEX && ix < completions && hasFinalizer(p)) fresh.add(ix);
  }
  return { prev, now: withIndexes(prev, sortedSet(fresh)) };
}

/** firstPendingIndexes: the `count` lowest indexes neither active nor succeeded. */
export function firstPendingIndexes(active: readonly Pod[], succeeded: OrderedIntervals, count: number, completions: number): number[] {
  if (count === 0) return [];
  const activeIx = new Set<number>();
  for (const p of active) if (completionIndex(p) !== UNKNOWN_INDEX) activeIx.add(completionIndex(p));
  const nonPending = withIndexes(succeeded, sortedSet(activeIx));
  const out: number[] = [];
  let candidate = 0;
  for (const iv of nonPending) {
    for (; candidate < completions && out.length < count && candidate < iv.first; candidate++) out.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}

/**
 * appendDuplicatedIndexPodsForRemoval: pods without an index or beyond
 * completions go, and of each repeated index all but the one ActivePods
 * ranks last.
 */
export function duplicatedIndexPods(pods: readonly Pod[], completions: number): { rm: Pod[]; left: Pod[] } {
  const rm: Pod[] = [];
  const left: Pod[] = [];
  const byIndex = new Map<number, Pod[]>();
  for (const p of pods) {
    const ix = completionIndex(p);
    if (ix === UNKNOWN_INDEX || ix >= completions) rm.push(p);
    else {
      let g = byIndex.get(ix);
      if (!g) byIndex.set(ix, (g = []));
      g.push(p);
    }
  }
  for (const ix of sortedSet(new Set(byIndex.keys()))) {
    const group = byIndex.get(ix)!;
    if (group.length === 1) {
      left.push(group[0]);
      continue;
    }
    group.sort(compareActivePods);
    rm.push(...group.slice(0, -1));
    left.push(group[group.length - 1]);
  }
  return { rm, left };
}

/** podGenerateNameWithIndex: "<job>-<index>-", the job name cut so the whole stays within 58 characters. */
export function indexedGenerateName(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? jobName.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}

function withIndexEnv(c: Container): Container {
  if ((c.env ?? []).some((e) => e.name === COMPLETION_INDEX_ENV)) return c;
  const fieldPath = `metadata.labels['${COMPLETION_INDEX_ANNOTATION}']`;
  return { ...c, env: [...(c.env ?? []), { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath } } }] };
}

/** addCompletionIndexEnvVariables: every container reads its index through the downward API. */
export function withCompletionIndexEnv(t: PodTemplateSpec): PodTemplateSpec {
  const spec = t.spec!;
  return { ...t, spec: { ...spec, containers: spec.containers.map(withIndexEnv), ...(spec.initContainers ? { initContainers: spec.initContainers.map(withIndexEnv) } : {}) } };
}

/** The template of one index's pod: annotation, label (PodIndexLabel) and hostname <job>-<index>. */
export function templateForIndex(t: PodTemplateSpec, jobName: string, index: number): PodTemplateSpec {
  const ix = String(index);
  return {
    ...t,
    metadata: {
      ...t.metadata,
      annotations: { ...t.metadata?.annotations, [COMPLETION_INDEX_ANNOTATION]: ix },
      labels: { ...t.metadata?.labels, [COMPLETION_INDEX_ANNOTATION]: ix },
    },
    spec: { ...t.spec!, hostname: `${jobName}-${index}` },
  };
}
