import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from '../api/types';
import { REVISION_ANNOTATION } from './deployment-util';
import { rollbackTemplate } from './deployment-undo';

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'c', image }] },
});

const deployment = (image: string, extra: Partial<NonNullable<Deployment['spec']>> = {}): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'd-uid', annotations: { [REVISION_ANNOTATION]: '3', 'kubernetes.io/change-cause': 'v3' } },
  spec: { selector: { matchLabels: { app: 'web' } }, template: template(image), ...extra },
});

const rs = (hash: string, revision: number, image: string, owner = 'd-uid'): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: `web-${hash}`,
    namespace: 'default',
    labels: { app: 'web', 'pod-template-hash': hash },
    annotations: { [REVISION_ANNOTATION]: String(revision), 'kubernetes.io/change-cause': `v${revision}` },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true }],
  },
  spec: { selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: template(image, hash) },
});

const history = [rs('aaa', 1, 'nginx:1.25'), rs('bbb', 2, 'nginx:1.26'), rs('ccc', 3, 'nginx:1.27')];

describe('rollbackTemplate (kubectl rollout undo)', () => {
  it('picks the previous revision, without the hash label, with its annotations', () => {
    const plan = rollbackTemplate(deployment('nginx:1.27'), history);
    expect(plan).toMatchObject({ outcome: 'rollback', replicaSet: 'web-bbb', revision: 2, message: 'rolled back' });
    if (plan.outcome !== 'rollback') return;
    expect(plan.template).toEqual(template('nginx:1.26'));
    // The Deployment keeps its revision; the change-cause comes from the ReplicaSet.
    expect(plan.annotations).toEqual({ [REVISION_ANNOTATION]: '3', 'kubernetes.io/change-cause': 'v2' });
  });

  it('goes to a named revision, and says so when it is not in the history', () => {
    expect(rollbackTemplate(deployment('nginx:1.27'), history, 1)).toMatchObject({ outcome: 'rollback', replicaSet: 'web-aaa' });
    expect(rollbackTemplate(deployment('nginx:1.27'), history, 9)).toEqual({ outcome: 'error', message: 'unable to find specified revision 9 in history' });
  });

  it('ignores ReplicaSets of other owners', () => {
    const foreign = [rs('aaa', 1, 'nginx:1.25', 'other'), rs('ccc', 3, 'nginx:1.27')];
    expect(rollbackTemplate(deployment('nginx:1.27'), foreign)).toEqual({ outcome: 'error', message: 'no rollout history found for deployment "web"' });
  });

  it('refuses a paused Deployment and skips a template that already matches', () => {
    expect(rollbackTemplate(deployment('nginx:1.27', { paused: true }), history)).toEqual({
      outcome: 'error',
      message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    });
    expect(rollbackTemplate(deployment('nginx:1.26'), history, 2)).toEqual({
      outcome: 'skipped',
      revision: 2,
      message: 'skipped rollback (current template already matches revision 2)',
    });
  });
});
