import { describe, expect, it } from 'vitest';
import type { Job, KubeObject, Pod } from '../api/types';
import { Informer } from '../client/informer';
import type { Cluster } from '../cluster';
import { timestamp, virtualMs } from '../kernel/time';
import { quietCluster } from './controller-utils-testing';
import { JOB_TRACKING_FINALIZER } from './job-tracking';

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { cpu: '8', memory: '16Gi', pods: '110' } } });

/**
 * A Job with a manual selector. The apiserver today runs the Job strategy's
 * generateSelector before it assigns metadata.uid, so a Job with a generated
 * selector fails validation on create (controller-uid ""); the labels below
 * are the ones that selector would give.
 */
const job = (spec: Record<string, unknown>, restartPolicy = 'Never'): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'default' },
  spec: {
    manualSelector: true,
    selector: { matchLabels: { 'batch.kubernetes.io/job-name': 'pi' } },
    template: { metadata: { labels: { 'batch.kubernetes.io/job-name': 'pi', 'job-name': 'pi' } }, spec: { restartPolicy, containers: [{ name: 'pi', image: 'perl:5.34' }] } },
    ...spec,
  },
});

type Outcome = 'Succeeded' | 'Failed' | 'Running';

/**
 * The kubelet is not ours. This one starts a bound pod (Running, Ready) a
 * second after it is bound, then ends it `runMs` later on a whole second
 * with the outcome `outcome` picks (exit code 0 or 1). A terminating pod is
 * killed (Failed, exit 137) a second after its deletionTimestamp appears and
 * then deleted, as the kubelet finishes a graceful delete.
 */
function fakeKubelet(cluster: Cluster, outcome: (pod: Pod) => Outcome, runMs = 5000) {
  const client = cluster.apiserver.client('fake-kubelet');
  const seen = new Set<string>();
  const status = (phase: string, exitCode?: number) => {
    const at = timestamp(cluster.now);
    const ended = exitCode !== undefined;
    return {
      status: {
        phase,
        podIP: '10.244.1.1',
        podIPs: [{ ip: '10.244.1.1' }],
        conditions: [{ type: 'Ready', status: ended ? 'False' : 'True', lastTransitionTime: at }],
        containerStatuses: [
          {
            name: 'pi',
            image: 'perl:5.34',
            imageID: '',
            ready: !ended,
            restartCount: 0,
            state: ended
              ? { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: at, finishedAt: at } }
              : { running: { startedAt: at } },
          },
        ],
      },
    };
  };
  const patch = (p: Pod, body: unknown) => client.patch('Pod', p.metadata!.namespace, p.metadata!.name!, body, { subresource: 'status' });
  const handle = (o: KubeObject) => {
    const pod = o as Pod;
    const m = pod.metadata!;
    if (m.deletionTimestamp) {
      if (seen.has(`kill/${m.uid}`)) return;
      seen.add(`kill/${m.uid}`);
      cluster.kernel.after(1000, 'fake-kubelet.kill', () => {
        if (pod.status?.phase === 'Running') patch(pod, status('Failed', 137));
        client.delete('Pod', m.namespace, m.name!, { gracePeriodSeconds: 0 });
      });
      return;
    }
    if (!pod.spec?.nodeName || seen.has(`run/${m.uid}`)) return;
    seen.add(`run/${m.uid}`);
    cluster.kernel.after(1000, 'fake-kubelet.run', () => {
      if (!client.get('Pod', m.namespace, m.name!).ok) return;
      patch(pod, status('Running'));
      const end = outcome(pod);
      if (end === 'Running') return;
      const at = Math.ceil((cluster.now + runMs) / 1000) * 1000;
      cluster.kernel.at(at, 'fake-kubelet.end', () => {
        const cur = client.get('Pod', m.namespace, m.name!);
        if (cur.ok && !cur.object.metadata.deletionTimestamp) patch(pod, status(end, end === 'Succeeded' ? 0 : 1));
      });
    });
  };
  new Informer(cluster.kernel, client, 'Pod', {}, { add: handle, update: handle }).start();
}


function setup(spec: Record<string, unknown>, outcome: (pod: Pod) => Outcome, opts: { runMs?: number; restartPolicy?: string } = {}) {
  const cluster = quietCluster([node('n1'), node('n2'), job(spec, opts.restartPolicy)]);
  fakeKubelet(cluster, outcome, opts.runMs);
  const client = cluster.apiserver.client('test');
  const pods = () => cluster.objects().filter((o) => o.kind === 'Pod') as Pod[];
  const active = () => pods().filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const get = () => (client.get('Job', 'default', 'pi') as { object: Job }).object;
  const events = (reason: string) =>
    cluster
      .objects()
      .filter((o) => o.kind === 'Event' && o.reason === reason && (o.source as { component: string }).component === 'job-controller')
      .map((o) => `${o.type} ${o.message}`);
  return { cluster, client, pods, active, get, events };
}

const byCreation = (pods: Pod[]) => [...pods].sort((a, b) => virtualMs(a.metadata!.creationTimestamp!) - virtualMs(b.metadata!.creationTimestamp!) || (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
const finishedAt = (p: Pod) => virtualMs(p.status!.containerStatuses![0].state!.terminated!.finishedAt!);

describe('job-controller', () => {
  it('completions 5, parallelism 2: never more than 2 at once, Complete after the 5th success', () => {
    const { cluster, pods, active, get, events } = setup({ completions: 5, parallelism: 2 }, () => 'Succeeded');
    let most = 0;
    while (cluster.now < 40_000) {
      cluster.runUntil(cluster.now + 100);
      most = Math.max(most, active().length);
    }
    expect(most).toBe(2);
    const all = pods();
    expect(all).toHaveLength(5);
    expect(all.every((p) => p.status?.phase === 'Succeeded' && !p.metadata!.finalizers?.includes(JOB_TRACKING_FINALIZER))).toBe(true);
    const j = get();
    expect(all[0].metadata!.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: j.metadata!.uid, controller: true })]);
    expect(all[0].metadata!.name).toMatch(/^pi-[a-z0-9]{5}$/);
    // A pod is bound at ~0.003 s after its creation, runs 1 s later and ends on the next whole second 5 s
    // after that; each sync comes 1 s (the batch period) after the pod event. Pods 1-2 end at
    // ceil(1.003 + 5) = 7 s, synced at 8.001 s: pods 3-4 run at 9.004 s, end at 15 s, synced at 16.001 s:
    // pod 5 ends at 23 s, synced at 24.001 s, which counts it and completes the Job.
    expect(j.status).toEqual({
      startTime: '2026-01-01T00:00:00Z',
      completionTime: '2026-01-01T00:00:24Z',
      succeeded: 5,
      ready: 0,
      terminating: 0,
      uncountedTerminatedPods: {},
      conditions: [
        expect.objectContaining({ type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }),
        expect.objectContaining({ type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }),
      ],
    });
    expect(events('Completed')).toEqual(['Normal Job completed']);
    expect(events('SuccessfulCreate')).toHaveLength(5);
  });

  it('pods failing: recreated after 10 s, 20 s, 40 s, then BackoffLimitExceeded after backoffLimit + 1 failures', () => {
    const { cluster, pods, get, events } = setup({ backoffLimit: 3 }, () => 'Failed', { runMs: 2000 });
    cluster.runUntil(120_000);
    const all = byCreation(pods());
    // backoffLimit 3: the 4th failure (3 + 1) fails the Job; no 5th pod.
    expect(all).toHaveLength(4);
    expect(all.every((p) => p.status?.phase === 'Failed')).toBe(true);
    // A replacement is created 10 s x 2^(n-1) after the n-th failure finished: 10 s, 20 s, 40 s.
    const gaps = all.slice(1).map((p, i) => (virtualMs(p.metadata!.creationTimestamp!) - finishedAt(all[i])) / 1000);
    expect(gaps).toEqual([10, 20, 40]);
    const j = get();
    expect(j.status?.failed).toBe(4);
    expect(j.status?.active).toBeUndefined();
    expect(j.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ]);
    expect(j.status?.completionTime).toBeUndefined();
    expect(events('BackoffLimitExceeded')).toEqual(['Warning Job has reached the specified backoff limit']);
    expect(all.every((p) => !p.metadata!.finalizers?.length)).toBe(true);
  });

  it('activeDeadlineSeconds: DeadlineExceeded, active pods deleted, Failed once they are gone', () => {
    const { cluster, pods, get, events } = setup({ parallelism: 2, completions: 4, activeDeadlineSeconds: 30 }, () => 'Running');
    cluster.runUntil(29_000);
    expect(pods().filter((p) => p.status?.phase === 'Running')).toHaveLength(2);
    expect(get().status?.conditions).toBeUndefined();
    // startTime is 0 s: the deadline sync runs at exactly 30 s.
    cluster.runUntil(30_000);
    expect(get().status?.conditions?.map((c) => [c.type, c.reason])).toEqual([['FailureTarget', 'DeadlineExceeded']]);
    expect(pods().every((p) => p.metadata!.deletionTimestamp)).toBe(true);
    cluster.runUntil(40_000);
    expect(pods()).toHaveLength(0);
    const j = get();
    expect(j.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
      ['Failed', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
    ]);
    expect(j.status).toMatchObject({ failed: 2, ready: 0, terminating: 0 });
    expect(events('DeadlineExceeded')).toEqual(['Warning Job was active longer than specified deadline']);
    expect(events('SuccessfulDelete')).toHaveLength(2);
  });

  it('restartPolicy OnFailure: container restarts count against backoffLimit', () => {
    const { cluster, client, pods, get } = setup({ backoffLimit: 2 }, () => 'Running', { restartPolicy: 'OnFailure' });
    cluster.runUntil(3000);
    const p = pods()[0];
    // The kubelet restarted the container twice: restarts (2) >= backoffLimit (2).
    client.patch('Pod', 'default', p.metadata!.name!, { status: { containerStatuses: [{ name: 'pi', image: 'perl:5.34', imageID: '', ready: true, restartCount: 2, state: { running: {} } }] } }, { subresource: 'status' });
    cluster.runUntil(10_000);
    expect(get().status?.conditions?.map((c) => [c.type, c.reason])).toEqual([
      ['FailureTarget', 'BackoffLimitExceeded'],
      ['Failed', 'BackoffLimitExceeded'],
    ]);
  });

  it('Indexed: one success per completion index, completedIndexes as intervals', () => {
    const { cluster, pods, get } = setup({ completions: 3, parallelism: 3, completionMode: 'Indexed' }, () => 'Succeeded');
    cluster.runUntil(20_000);
    const all = pods().sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
    expect(all.map((p) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'])).toEqual(['0', '1', '2']);
    expect(all.map((p) => p.metadata!.labels!['batch.kubernetes.io/job-completion-index'])).toEqual(['0', '1', '2']);
    expect(all.map((p) => p.spec!.hostname)).toEqual(['pi-0', 'pi-1', 'pi-2']);
    expect(all.every((p, i) => p.metadata!.name!.startsWith(`pi-${i}-`))).toBe(true);
    expect(all[0].spec!.containers[0].env).toEqual([
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } },
    ]);
    expect(get().status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
    expect(get().status?.conditions?.map((c) => c.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
  });

  it('Indexed: a failed index is recreated under the same index', () => {
    let first = true;
    const { cluster, pods, get } = setup({ completions: 2, parallelism: 2, completionMode: 'Indexed' }, (p) => {
      if (p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'] === '1' && first) {
        first = false;
        return 'Failed';
      }
      return 'Succeeded';
    });
    cluster.runUntil(40_000);
    const ones = pods().filter((p) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'] === '1');
    expect(ones.map((p) => p.status?.phase).sort()).toEqual(['Failed', 'Succeeded']);
    expect(get().status).toMatchObject({ succeeded: 2, failed: 1, completedIndexes: '0,1' });
  });

  it('suspend: no pods and no startTime while suspended; resuming starts the clock; suspending again deletes the pods', () => {
    const { cluster, client, active, get, events } = setup({ parallelism: 2, completions: 4, suspend: true }, () => 'Running');
    cluster.runUntil(5000);
    expect(active()).toHaveLength(0);
    expect(get().status?.startTime).toBeUndefined();
    expect(get().status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([['Suspended', 'True', 'JobSuspended', 'Job suspended']]);
    client.patch('Job', 'default', 'pi', { spec: { suspend: false } });
    cluster.runUntil(8000);
    expect(active()).toHaveLength(2);
    expect(get().status?.startTime).toBe('2026-01-01T00:00:05Z');
    expect(get().status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([['Suspended', 'False', 'JobResumed']]);
    client.patch('Job', 'default', 'pi', { spec: { suspend: true } });
    cluster.runUntil(12_000);
    expect(active()).toHaveLength(0);
    expect(get().status?.conditions?.map((c) => [c.type, c.status])).toEqual([['Suspended', 'True']]);
    expect(events('Suspended')).toEqual(['Normal Job suspended']);
    expect(events('Resumed')).toEqual(['Normal Job resumed']);
  });

  it('a deleted Job leaves its pods without the tracking finalizer', () => {
    const { cluster, client, pods } = setup({ parallelism: 1 }, () => 'Running');
    cluster.runUntil(3000);
    expect(pods()[0].metadata!.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
    client.delete('Job', 'default', 'pi');
    cluster.runUntil(4000);
    // The garbage collector deletes them later; they must not be stuck behind our finalizer.
    expect(pods()[0].metadata!.finalizers).toBeUndefined();
  });
});
