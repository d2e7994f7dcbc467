// The informer indexes the workload controllers look things up by: objects
// by their controller's uid, and adoption candidates found without scanning
// a namespace. Upstream lists
// every pod of the namespace on each sync (podLister.Pods(ns).List) and
// lets ClaimPods skip what is not an orphan or does not match; with 150,000
// bare pods that would be every sync's cost here. So orphans (objects with
// no controllerRef) are indexed by namespace and by each label pair, and a
// selector with matchLabels looks only at the orphans carrying the rarest
// of its pairs. The caller still matches the whole selector.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../api/types';
import type { IndexFunc, SharedInformer } from './shared-informers';

/** Objects by their controller's uid (with shared-informers' byControllerUid). */
export const CONTROLLER_UID_INDEX = 'controllerUid';

/** The same name and meaning as the other controllers' orphan index, so it is shared. */
export const ORPHANS_BY_NAMESPACE = 'orphansByNamespace';
export const ORPHANS_BY_LABEL = 'orphansByLabel';

const isOrphan = (o: KubeObject) => !o.metadata.ownerReferences?.some((r) => r.controller) && !!o.metadata.namespace;

export const orphansByNamespace: IndexFunc = (o) => (isOrphan(o) ? [o.metadata.namespace!] : []);

export const orphansByLabel: IndexFunc = (o) => {
  if (!isOrphan(o)) return [];
  const ns = o.metadata.namespace!;
  return Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${ns}/${k}=${v}`);
};

export function addOrphanIndexes(informer: SharedInformer): void {
  informer.addIndex(ORPHANS_BY_NAMESPACE, orphansByNamespace);
  informer.addIndex(ORPHANS_BY_LABEL, orphansByLabel);
}

/** Orphans in the namespace that may match the selector (a superset of those that do). */
export function orphanCandidates(informer: SharedInformer, namespace: string, selector: LabelSelector | undefined): KubeObject[] {
  const pairs = Object.entries(selector?.matchLabels ?? {});
  if (pairs.length === 0) return informer.byIndex(ORPHANS_BY_NAMESPACE, namespace);
  let best: KubeObject[] | undefined;
  for (const [k, v] of pairs) {
    const bucket = informer.byIndex(ORPHANS_BY_LABEL, `${namespace}/${k}=${v}`);
    if (!best || bucket.length < best.length) best = bucket;
    if (best.length === 0) break;
  }
  return best!;
}
