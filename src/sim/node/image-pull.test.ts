import { describe, expect, it } from 'vitest';
import { cluster, getPod, node, pod, recordEvents, times } from './testing';

const waiting = (name: string, c: ReturnType<typeof cluster>) => getPod(c, name)?.status?.containerStatuses?.[0].state?.waiting;

describe('kubelet: image pulls', () => {
  it('an image the registry does not have: ErrImagePull, then ImagePullBackOff, retried after 10, 20, 40 s', () => {
    const c = cluster([node('node-1')], { missing: ['nope:1.0'] });
    const events = recordEvents(c);
    c.runUntil(1000);
    c.act({ action: 'apply', manifests: [pod('bad', { node: 'node-1', image: 'nope:1.0' })] });
    // Seen at 1.001 s, sandbox at 1.501 s: the first pull asks the registry and fails 0.2 s later (1.701 s).
    // The image backoff starts there at 10 s; the pod worker retries 10 s after each failed sync.
    //   11.701: 10 s since the failure, not within 10 s: pull again, fails at 11.901 (backoff 20 s)
    //   21.901: 10 s < 20 s: ImagePullBackOff           31.901: 20 s: pull, fails 32.101 (40 s)
    //   42.101, 52.101, 62.101: backing off             72.101: pull again
    // Pulls start 10.2, 20.2 and 40.2 s apart: the backoff plus the registry's answer.
    c.runUntil(5000);
    expect(waiting('bad', c)).toEqual({
      reason: 'ErrImagePull',
      message:
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nope:1.0": failed to resolve reference "docker.io/library/nope:1.0": docker.io/library/nope:1.0: not found',
    });
    c.runUntil(25_000);
    expect(waiting('bad', c)?.reason).toBe('ImagePullBackOff');
    expect(waiting('bad', c)?.message).toMatch(/^Back-off pulling image "nope:1\.0": ErrImagePull: rpc error: code = NotFound/);
    c.runUntil(32_500);
    expect(waiting('bad', c)?.reason).toBe('ErrImagePull');
    c.runUntil(45_000);
    expect(waiting('bad', c)?.reason).toBe('ImagePullBackOff');
    c.runUntil(80_000);
    // Each event is seen 1 ms after the kubelet wrote it.
    expect(times(events, 'Pulling')).toEqual([1502, 11_702, 31_902, 72_102]);
    expect(times(events, 'BackOff')).toEqual([21_902, 42_102, 52_102, 62_102]);
    expect(events.find((e) => e.reason === 'BackOff')?.message).toBe('Back-off pulling image "nope:1.0"');
    const failed = events.filter((e) => e.reason === 'Failed').map((e) => e.message);
    expect(failed).toContain('Error: ErrImagePull');
    expect(failed).toContain('Error: ImagePullBackOff');
    expect(failed[0]).toBe(
      'Failed to pull image "nope:1.0": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nope:1.0": failed to resolve reference "docker.io/library/nope:1.0": docker.io/library/nope:1.0: not found',
    );
    expect(getPod(c, 'bad')?.status?.phase).toBe('Pending');
  });

  it('the scenario registry sets sizes and the pull rate', () => {
    const c = cluster([node('node-1')], { pullRate: 10_000_000, images: [{ name: 'example.com/team/app:2.1', sizeBytes: 150_000_000 }] });
    const events = recordEvents(c);
    c.runUntil(1000);
    c.act({ action: 'apply', manifests: [pod('app', { node: 'node-1', image: 'example.com/team/app:2.1' })] });
    // 150 MB at 10 MB/s = 15 s, plus 0.2 s: pulled 1.501 .. 16.701 s.
    c.runUntil(17_000);
    expect(events.find((e) => e.reason === 'Pulled')?.message).toBe(
      'Successfully pulled image "example.com/team/app:2.1" in 15.2s (15.2s including waiting). Image size: 150000000 bytes.',
    );
    expect(times(events, 'Started')).toEqual([16_702]);
  });

  it('an image without a tag is pulled as :latest every time (imagePullPolicy Always)', () => {
    const c = cluster([node('node-1')]);
    const events = recordEvents(c);
    c.runUntil(1000);
    c.act({ action: 'apply', manifests: [pod('a', { node: 'node-1', image: 'nginx' })] });
    c.runUntil(10_000);
    c.act({ action: 'apply', manifests: [pod('b', { node: 'node-1', image: 'nginx' })] });
    c.runUntil(20_000);
    expect(events.filter((e) => e.reason === 'Pulling').map((e) => `${e.object}: ${e.message}`)).toEqual(['a: Pulling image "nginx:latest"', 'b: Pulling image "nginx:latest"']);
    // The layers are on the node the second time: only the registry round trip.
    expect(events.find((e) => e.object === 'b' && e.reason === 'Pulled')?.message).toBe(
      'Successfully pulled image "nginx:latest" in 200ms (200ms including waiting). Image size: 72000000 bytes.',
    );
  });

  it('imagePullPolicy Never with the image absent: ErrImageNeverPull', () => {
    const c = cluster([node('node-1')]);
    c.runUntil(1000);
    c.act({ action: 'apply', manifests: [pod('never', { node: 'node-1', containers: [{ name: 'app', image: 'redis:7', imagePullPolicy: 'Never' }] })] });
    c.runUntil(5000);
    expect(waiting('never', c)).toEqual({ reason: 'ErrImageNeverPull', message: 'Container image "redis:7" is not present with pull policy of Never' });
  });
});
