import { describe, expect, it } from 'vitest';
import { cluster, getPod, node, pod, recordEvents, recordPod, times } from './testing';

describe('kubelet: container exits and restarts', () => {
  it('a crash-looping container restarts at once, then after 10, 20, 40, 80, 160 and 300 s (CrashLoopBackOff)', () => {
    // Running since t=0 (the starting cluster), it exits with 1 after 5 s, every time.
    const c = cluster([node('node-1'), pod('crash', { node: 'node-1', behavior: { app: { exitAfter: '5s', exitCode: 1 } } })]);
    const events = recordEvents(c);
    // Exits at 5 s; no backoff yet, so it starts again at once (restartCount 1) and the backoff is 10 s.
    // Exits at 10 s: within 10 s of its finish, so it waits until 20 s; the backoff doubles at each restart:
    //   restarts at 5, 20 (10 s wait), 45 (20 s), 90 (40 s), 175 (80 s), 340 (160 s), 645 s (300 s, the cap).
    c.runUntil(12_000);
    const p = getPod(c, 'crash')!;
    const cs = p.status!.containerStatuses![0];
    expect(cs.restartCount).toBe(1);
    expect(cs.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(cs.state?.waiting?.message).toBe(`back-off 10s restarting failed container=app pod=crash_default(${p.metadata!.uid})`);
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error', startedAt: '2026-01-01T00:00:05Z', finishedAt: '2026-01-01T00:00:10Z' });
    // A restarting Always pod is Running (its container is "in the process of restarting"), but not Ready.
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('False');
    c.runUntil(700_000);
    expect(times(events, 'Started')).toEqual([5001, 20_001, 45_001, 90_001, 175_001, 340_001, 645_001]);
    expect(getPod(c, 'crash')?.status?.containerStatuses?.[0].state?.waiting?.message).toMatch(/^back-off 5m0s restarting failed container=app /);
    const backoff = events.find((e) => e.reason === 'BackOff')!;
    expect(backoff.message).toBe(`Back-off restarting failed container app in pod crash_default(${p.metadata!.uid})`);
    expect(backoff.type).toBe('Warning');
  });

  it('a Job-like pod (restartPolicy Never) whose container exits with 0 Succeeds', () => {
    const c = cluster([node('node-1'), pod('job', { node: 'node-1', restartPolicy: 'Never', behavior: { app: { exitAfter: '20s' } } })]);
    c.runUntil(20_001);
    const p = getPod(c, 'job')!;
    expect(p.status?.phase).toBe('Succeeded');
    expect(p.status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed', finishedAt: '2026-01-01T00:00:20Z' });
    const conds = Object.fromEntries(p.status!.conditions!.map((x) => [x.type, `${x.status}${x.reason ? ` ${x.reason}` : ''}`]));
    // The sandbox is stopped once the pod is done; the pod keeps its address in the status.
    expect(conds).toEqual({ PodReadyToStartContainers: 'False', Initialized: 'True PodCompleted', Ready: 'False PodCompleted', ContainersReady: 'False PodCompleted', PodScheduled: 'True' });
    expect(p.status?.podIP).toBe('10.244.0.2');
  });

  it('restartPolicy Never with a failure: Failed, and not restarted', () => {
    const c = cluster([node('node-1'), pod('fail', { node: 'node-1', restartPolicy: 'Never', behavior: { app: { exitAfter: '3s', exitCode: 2 } } })]);
    c.runUntil(60_000);
    const p = getPod(c, 'fail')!;
    expect(p.status?.phase).toBe('Failed');
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, state: { terminated: { exitCode: 2, reason: 'Error' } } });
  });

  it('restartPolicy OnFailure restarts a failed container (Running meanwhile) and completes on success', () => {
    // exitCode 1 after 4 s: fails at 4 s, restarts at once; fails at 8 s, backs off 10 s, restarts at 18 s ...
    const c = cluster([node('node-1'), pod('retry', { node: 'node-1', restartPolicy: 'OnFailure', behavior: { app: { exitAfter: '4s', exitCode: 1 } } })]);
    const seen = recordPod(c, 'retry');
    c.runUntil(30_000);
    // (The watch's first version is the pod as the scenario wrote it, before the kubelet's report.)
    expect(seen.slice(1).every((s) => s.phase === 'Running')).toBe(true);
    expect(getPod(c, 'retry')?.status?.containerStatuses?.[0].restartCount).toBe(2);
    // A container that exits with 0 under OnFailure is done.
    const ok = cluster([node('node-1'), pod('once', { node: 'node-1', restartPolicy: 'OnFailure', behavior: { app: { exitAfter: '4s' } } })]);
    ok.runUntil(30_000);
    expect(getPod(ok, 'once')?.status).toMatchObject({ phase: 'Succeeded', containerStatuses: [{ restartCount: 0 }] });
  });

  it('a container whose working set passes its memory limit is OOMKilled (137) and restarted', () => {
    const c = cluster([
      node('node-1'),
      pod('hog', { node: 'node-1', limits: { memory: '128Mi' }, behavior: { app: { memory: '300Mi', memoryAfter: '15s' } } }),
    ]);
    c.runUntil(16_000);
    const cs = getPod(c, 'hog')!.status!.containerStatuses![0];
    expect(cs.restartCount).toBe(1);
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled', finishedAt: '2026-01-01T00:00:15Z' });
    expect(cs.state?.running).toBeDefined();
    // Under its limit the same process runs on.
    const fine = cluster([node('node-1'), pod('ok', { node: 'node-1', limits: { memory: '512Mi' }, behavior: { app: { memory: '300Mi' } } })]);
    fine.runUntil(60_000);
    expect(getPod(fine, 'ok')?.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, ready: true });
  });

  it('a malformed behavior annotation: the container runs normally and a Warning names the problem', () => {
    const c = cluster([node('node-1'), pod('odd', { node: 'node-1', behavior: { app: { exitAfter: 'soon' }, sidecar: {} } })]);
    const events = recordEvents(c);
    c.runUntil(60_000);
    expect(getPod(c, 'odd')?.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, ready: true });
    const w = events.find((e) => e.reason === 'InvalidBehavior')!;
    expect(w.type).toBe('Warning');
    expect(w.message).toBe(
      'kubeviz.dev/behavior ignored where malformed (those containers run normally): app.exitAfter: invalid duration "soon" (use a duration such as "20s"); sidecar: the pod has no container of that name',
    );
  });
});
