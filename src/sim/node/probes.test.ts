import { describe, expect, it } from 'vitest';
import type { Container } from 'kubernetes-types/core/v1';
import { cluster, getPod, node, pod, recordEvents, recordPod, times } from './testing';

const http = { httpGet: { path: '/healthz', port: 8080 } };

/** A pod created at 1 s on node-1 with busybox: seen 1.001, sandbox 1.501, pulled (0.31 s) and started at 1.811 s. */
function start(container: Partial<Container>, behavior?: Record<string, unknown>, grace?: number) {
  const c = cluster([node('node-1')]);
  const events = recordEvents(c);
  const seen = recordPod(c, 'p');
  c.runUntil(1000);
  c.act({ action: 'apply', manifests: [pod('p', { node: 'node-1', containers: [{ name: 'app', image: 'busybox:1.36', ...container }], behavior: behavior && { app: behavior }, grace })] });
  return { c, events, seen };
}

const ready = (c: ReturnType<typeof cluster>) => getPod(c, 'p')?.status?.conditions?.find((x) => x.type === 'Ready')?.status;

describe('kubelet: probes', () => {
  it('a readiness probe that fails keeps the pod Running but not Ready, with an Unhealthy event at every period', () => {
    const { c, events } = start({ readinessProbe: http }, { readiness: 'fail' });
    // Checks at 1.811 + 10 k s (periodSeconds 10, initialDelaySeconds 0).
    c.runUntil(40_000);
    expect(getPod(c, 'p')?.status?.phase).toBe('Running');
    expect(ready(c)).toBe('False');
    expect(getPod(c, 'p')?.status?.containerStatuses?.[0]).toMatchObject({ ready: false, started: true });
    expect(times(events, 'Unhealthy')).toEqual([1812, 11_812, 21_812, 31_812]);
    expect(events.find((e) => e.reason === 'Unhealthy')).toMatchObject({ type: 'Warning', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503' });
  });

  it('readiness that starts failing makes the pod unready after failureThreshold (3) failed checks', () => {
    const { c, seen } = start({ readinessProbe: { tcpSocket: { port: 8080 } } }, { readiness: { failAfter: '30s' } });
    // Ready at the first check (1.811 s); failing from 31.811 s (30 s after the start): checks at 31.811,
    // 41.811 and 51.811 s fail, and the third one makes it unready.
    c.runUntil(60_000);
    const transitions = seen.filter((s, i) => i === 0 || s.ready !== seen[i - 1].ready).map((s) => `${s.t} ${s.ready}`);
    // (The watch first sees the pod when it is created, at 1.001 s.)
    expect(transitions).toEqual(['1001 false', '1812 true', '51812 false']);
  });

  it('a liveness probe that fails gets the container killed and restarted', () => {
    const { c, events } = start({ livenessProbe: { ...http, periodSeconds: 5, failureThreshold: 2 } }, { liveness: { failAfter: '20s' } }, 5);
    // Checks every 5 s from 1.811 s; failing from 21.811 s; the second failure (26.811 s) kills it:
    // SIGTERM, then SIGKILL when the 5 s grace period ends (31.811 s); it starts again at once (restartCount 1).
    c.runUntil(32_000);
    expect(times(events, 'Killing')).toEqual([26_812]);
    expect(events.find((e) => e.reason === 'Killing')?.message).toBe('Container app failed liveness probe, will be restarted');
    const cs = getPod(c, 'p')!.status!.containerStatuses![0];
    expect(cs.restartCount).toBe(1);
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'Error', finishedAt: '2026-01-01T00:00:31Z' });
    expect(times(events, 'Started')).toEqual([1812, 31_812]);
  });

  it('a startup probe holds readiness and liveness back until it passes', () => {
    const { c, seen } = start({ startupProbe: { ...http, periodSeconds: 5, failureThreshold: 10 }, livenessProbe: http }, { startup: { passAfter: '15s' } });
    // Startup checks at 1.811, 6.811, 11.811 (fail) and 16.811 s (passes: 15 s since the start).
    c.runUntil(16_000);
    expect(getPod(c, 'p')?.status?.containerStatuses?.[0]).toMatchObject({ started: false, ready: false });
    c.runUntil(20_000);
    expect(getPod(c, 'p')?.status?.containerStatuses?.[0]).toMatchObject({ started: true, ready: true });
    expect(seen.find((s) => s.ready)?.t).toBe(16_812);
  });

  it('without a behavior annotation every probe passes: Ready at the first check, after initialDelaySeconds', () => {
    const { c, seen, events } = start({ readinessProbe: { ...http, initialDelaySeconds: 5 }, livenessProbe: http });
    c.runUntil(120_000);
    expect(seen.find((s) => s.ready)?.t).toBe(6812);
    expect(times(events, 'Unhealthy')).toEqual([]);
    expect(getPod(c, 'p')?.status?.containerStatuses?.[0].restartCount).toBe(0);
  });
});
