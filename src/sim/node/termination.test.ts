import { describe, expect, it } from 'vitest';
import { cluster, getPod, node, pod, recordEvents, recordPod, times } from './testing';

describe('kubelet: graceful termination', () => {
  it('a deleted pod keeps running for its grace period (30 s), then the kubelet removes it from the apiserver', () => {
    const c = cluster([node('node-1'), pod('web', { node: 'node-1' })]);
    const events = recordEvents(c);
    const seen = recordPod(c, 'web');
    c.runUntil(10_000);
    expect(c.act({ action: 'delete', kind: 'Pod', name: 'web' })[0].ok).toBe(true);
    // The kubelet sees the deletionTimestamp at 10.001 s and sends SIGTERM; the container does not
    // handle it, so SIGKILL comes when the 30 s grace period ends: 40.001 s. Then the final
    // status, and the delete with grace period 0 that takes the pod out of etcd.
    c.runUntil(40_000);
    expect(getPod(c, 'web')?.metadata?.deletionTimestamp).toBe('2026-01-01T00:00:40Z');
    expect(getPod(c, 'web')?.status?.containerStatuses?.[0].state?.running).toBeDefined();
    c.runUntil(40_001);
    expect(getPod(c, 'web')).toBeUndefined();
    c.runUntil(41_000);
    expect(times(events, 'Killing')).toEqual([10_002]);
    expect(events.find((e) => e.reason === 'Killing')?.message).toBe('Stopping container app');
    // Just before it went, the pod's last status: the container was SIGKILLed, so the pod Failed.
    const last = seen.filter((s) => s.phase !== 'DELETED').at(-1)!;
    expect(last.phase).toBe('Failed');
    expect(last.pod.status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(seen.at(-1)).toMatchObject({ t: 40_002, phase: 'DELETED' });
  });

  it('a container that handles SIGTERM (stopAfter) ends sooner; a shorter grace period is honoured', () => {
    const c = cluster([node('node-1'), pod('quick', { node: 'node-1', behavior: { app: { stopAfter: '3s' } } }), pod('short', { node: 'node-1' })]);
    const seen = recordPod(c, 'quick');
    c.runUntil(10_000);
    c.act({ action: 'delete', kind: 'Pod', name: 'quick' });
    c.apiserver.client('test').delete('Pod', 'default', 'short', { gracePeriodSeconds: 5 });
    // quick: SIGTERM at 10.001 s, exits cleanly 3 s later. short: SIGKILL at 15.001 s.
    c.runUntil(13_000);
    expect(getPod(c, 'quick')).toBeDefined();
    c.runUntil(13_001);
    expect(getPod(c, 'quick')).toBeUndefined();
    c.runUntil(13_002);
    // It exited with 0 on SIGTERM: the pod's last status before it left was Succeeded.
    expect(seen.filter((s) => s.phase !== 'DELETED').at(-1)?.phase).toBe('Succeeded');
    c.runUntil(15_000);
    expect(getPod(c, 'short')).toBeDefined();
    c.runUntil(15_001);
    expect(getPod(c, 'short')).toBeUndefined();
  });

  it('a pod deleted before its container started leaves at once', () => {
    const c = cluster([node('node-1')]);
    c.runUntil(1000);
    c.act({ action: 'apply', manifests: [pod('slow', { node: 'node-1', image: 'postgres:16' })] });
    c.runUntil(3000);
    expect(getPod(c, 'slow')?.status?.containerStatuses?.[0].state?.waiting?.reason).toBe('ContainerCreating');
    c.act({ action: 'delete', kind: 'Pod', name: 'slow' });
    c.runUntil(3001);
    expect(getPod(c, 'slow')).toBeUndefined();
  });
});
