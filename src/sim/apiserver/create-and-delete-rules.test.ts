// Two apiserver rules users meet early: a Job gets its generated selector
// (which needs the uid the apiserver assigns), and the namespaces the
// cluster needs cannot be deleted.
import { describe, expect, it } from 'vitest';
import type { Job } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';

describe('apiserver create and delete rules', () => {
  it('generates a Job selector from its uid', () => {
    const cluster = createCluster(emptyScenario());
    const client = cluster.apiserver.client('test');
    const r = client.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi', namespace: 'default' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
    });
    expect(r.ok).toBe(true);
    const job = (r as { object: Job }).object;
    const uid = job.metadata!.uid!;
    expect(job.spec!.selector!.matchLabels).toEqual({ 'batch.kubernetes.io/controller-uid': uid });
    expect(job.spec!.template.metadata!.labels).toMatchObject({ 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'job-name': 'pi', 'controller-uid': uid });
  });

  it('refuses to delete default, kube-system and kube-public', () => {
    const cluster = createCluster(emptyScenario());
    const client = cluster.apiserver.client('test');
    for (const ns of ['default', 'kube-system', 'kube-public']) {
      const r = client.delete('Namespace', undefined, ns);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.status).toMatchObject({ code: 403, reason: 'Forbidden', message: `namespaces "${ns}" is forbidden: this namespace may not be deleted` });
    }
    expect(client.delete('Namespace', undefined, 'kube-node-lease').ok).toBe(true);
  });
});
