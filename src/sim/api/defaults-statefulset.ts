// StatefulSet defaulting, after pkg/apis/apps/v1/defaults.go
// (SetDefaults_StatefulSet, v1.30 gates: StatefulSetAutoDeletePVC on,
// MaxUnavailableStatefulSet off) and the generated defaulters, which also
// default the pod template and every volumeClaimTemplate as a
// PersistentVolumeClaim (so a template carries status.phase: Pending).
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import { isObject, mapShared, withChanges } from './copy-on-write';
import { defaultPodTemplate } from './defaults-pod';
import { defaultPersistentVolumeClaim } from './defaults-storage';

export function defaultStatefulSet(sts: StatefulSet): StatefulSet {
  const spec = sts.spec;
  if (!isObject(spec)) return sts;
  const ch: Partial<typeof spec> = {};
  if (!spec.podManagementPolicy) ch.podManagementPolicy = 'OrderedReady';
  let strategy = spec.updateStrategy ?? {};
  // An unset type becomes RollingUpdate with an empty rollingUpdate; an explicit RollingUpdate keeps a missing one missing.
  if (!strategy.type) strategy = { ...strategy, type: 'RollingUpdate', rollingUpdate: strategy.rollingUpdate ?? {} };
  if (strategy.type === 'RollingUpdate' && isObject(strategy.rollingUpdate) && strategy.rollingUpdate.partition == null)
    strategy = { ...strategy, rollingUpdate: { ...strategy.rollingUpdate, partition: 0 } };
  if (strategy !== spec.updateStrategy) ch.updateStrategy = strategy;
  const policy = spec.persistentVolumeClaimRetentionPolicy ?? {};
  if (!policy.whenDeleted || !policy.whenScaled)
    ch.persistentVolumeClaimRetentionPolicy = { ...policy, whenDeleted: policy.whenDeleted || 'Retain', whenScaled: policy.whenScaled || 'Retain' };
  if (spec.replicas == null) ch.replicas = 1;
  if (spec.revisionHistoryLimit == null) ch.revisionHistoryLimit = 10;
  const template = defaultPodTemplate(spec.template);
  if (template !== spec.template) ch.template = template!;
  const claims = mapShared(spec.volumeClaimTemplates, defaultPersistentVolumeClaim);
  if (claims !== spec.volumeClaimTemplates) ch.volumeClaimTemplates = claims;
  const next = withChanges(spec, ch);
  return next === spec ? sts : { ...sts, spec: next };
}
