// StatefulSet and ControllerRevision through the apiserver's create and
// update steps: upstream's defaults (apps/v1 SetDefaults_StatefulSet) and
// messages (pkg/apis/apps/validation, v1.30).
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import { describe, expect, it } from 'vitest';
import { createMessage, created, template, updateMessage } from '../test-fixtures';
import { STATEFULSET_SPEC_UPDATE_FORBIDDEN } from './statefulset';

const S = 'StatefulSet.apps "web" is invalid: ';

const sts = (spec: Partial<NonNullable<StatefulSet['spec']>> = {}): StatefulSet => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'default' },
  spec: { serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template: template(), ...spec },
});

const claimTemplate = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

describe('StatefulSet defaults', () => {
  it('defaults as apps/v1 does', () => {
    const { obj, errors } = created(sts({ volumeClaimTemplates: [claimTemplate] }));
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    // Each claim template is defaulted as a PersistentVolumeClaim.
    expect(obj.spec!.volumeClaimTemplates![0]).toMatchObject({ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    // The create strategy resets status.
    expect(obj.status).toEqual({ replicas: 0, availableReplicas: 0 });
  });

  it('keeps a missing rollingUpdate missing when the type is given (only an unset type gets one)', () => {
    expect(created(sts({ updateStrategy: { type: 'RollingUpdate' } })).obj.spec!.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(created(sts({ updateStrategy: { type: 'OnDelete' } })).obj.spec!.updateStrategy).toEqual({ type: 'OnDelete' });
  });
});

describe('StatefulSet validation', () => {
  it('accepts a valid set', () => {
    expect(createMessage(sts())).toBe('');
  });

  it('names the policies it knows', () => {
    expect(createMessage(sts({ podManagementPolicy: 'Random' }))).toBe(`${S}spec.podManagementPolicy: Invalid value: "Random": must be 'OrderedReady' or 'Parallel'`);
    expect(createMessage(sts({ updateStrategy: { type: 'Recreate' } }))).toBe(
      `${S}spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Recreate", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'`,
    );
    expect(createMessage(sts({ updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } }))).toBe(
      `${S}spec.updateStrategy.rollingUpdate: Invalid value: &apps.RollingUpdateStatefulSetStrategy{...}: only allowed for updateStrategy 'RollingUpdate'`,
    );
    expect(createMessage(sts({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep', whenScaled: 'Retain' } }))).toBe(
      `${S}spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"`,
    );
  });

  it('checks counts, the selector and the template', () => {
    expect(createMessage(sts({ replicas: -1 }))).toBe(`${S}spec.replicas: Invalid value: -1: must be greater than or equal to 0`);
    expect(createMessage(sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -2 } } }))).toBe(
      `${S}spec.updateStrategy.rollingUpdate.partition: Invalid value: -2: must be greater than or equal to 0`,
    );
    expect(createMessage(sts({ template: template({ app: 'api' }) }))).toBe(
      `${S}spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: \`selector\` does not match template \`labels\``,
    );
    expect(createMessage(sts({ selector: {} }))).toContain('spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset');
    expect(createMessage(sts({ template: template({ app: 'web' }, { restartPolicy: 'Never' }) }))).toBe(
      `${S}spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`,
    );
  });

  it('takes a DNS label as its name (its pods are named after it)', () => {
    const bad = { ...sts(), metadata: { name: 'web.v1', namespace: 'default' } };
    expect(createMessage(bad)).toContain('metadata.name: Invalid value: "web.v1"');
  });

  it('lets an update change replicas, template, updateStrategy and the retention policy, nothing else of the spec', () => {
    const old = created(sts({ volumeClaimTemplates: [claimTemplate] })).obj;
    const stored = { ...old, metadata: { ...old.metadata, uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' } };
    const next = { ...stored, spec: { ...stored.spec!, replicas: 5, updateStrategy: { type: 'OnDelete' }, template: template({ app: 'web', tier: 'x' }) } };
    expect(updateMessage(next, stored)).toBe('');
    const renamed = { ...stored, spec: { ...stored.spec!, serviceName: 'other' } };
    expect(updateMessage(renamed, stored)).toBe(`${S}spec: Forbidden: ${STATEFULSET_SPEC_UPDATE_FORBIDDEN}`);
    const bigger = { ...stored, spec: { ...stored.spec!, volumeClaimTemplates: [{ ...claimTemplate, spec: { ...claimTemplate.spec, resources: { requests: { storage: '2Gi' } } } }] } };
    expect(updateMessage(bigger, stored)).toBe(`${S}spec: Forbidden: ${STATEFULSET_SPEC_UPDATE_FORBIDDEN}`);
  });
});

describe('ControllerRevision validation', () => {
  it('needs data, and the data may not change', () => {
    const cr = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'web-abc', namespace: 'default' }, revision: 1 };
    expect(createMessage(cr)).toBe('ControllerRevision.apps "web-abc" is invalid: data: Required value: data is mandatory');
    const stored = { ...cr, data: { spec: {} }, metadata: { ...cr.metadata, uid: 'u', creationTimestamp: '2026-01-01T00:00:00Z' } };
    expect(updateMessage({ ...stored, data: { spec: { x: 1 } } }, stored)).toBe('ControllerRevision.apps "web-abc" is invalid: data: Invalid value: runtime.RawExtension{...}: field is immutable');
  });
});
