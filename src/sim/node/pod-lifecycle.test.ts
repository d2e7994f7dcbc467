import { describe, expect, it } from 'vitest';
import { cluster, getPod, node, pod, recordEvents, recordPod, times } from './testing';

const conditionsOf = (p: ReturnType<typeof getPod>) =>
  Object.fromEntries((p?.status?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.lastTransitionTime?.slice(11)}${c.reason ? ` ${c.reason}` : ''}`]));

describe('kubelet: a pod from bind to Running', () => {
  it('creates the sandbox, pulls the image, starts the container and reports Ready, with the timestamps of each step', () => {
    const c = cluster([node('node-1')]);
    const events = recordEvents(c);
    const seen = recordPod(c, 'web');
    c.runUntil(5000);
    // Created at 5 s already bound; the kubelet's watch delivers it at 5.001 s.
    c.act({ action: 'apply', manifests: [pod('web', { node: 'node-1', image: 'nginx:1.27' })] });
    // Sandbox: 5.001 + 0.5 = 5.501 s. Pull of nginx:1.27 (72 MB at 20 MB/s = 3.6 s, plus the
    // 0.2 s registry round trip): 5.501 + 3.8 = 9.301 s, when the container starts.
    c.runUntil(9300);
    let p = getPod(c, 'web')!;
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.containerStatuses?.[0].state?.waiting?.reason).toBe('ContainerCreating');
    expect(conditionsOf(p)).toEqual({
      PodReadyToStartContainers: 'True 00:00:05Z',
      Initialized: 'True 00:00:05Z',
      Ready: 'False 00:00:05Z ContainersNotReady',
      ContainersReady: 'False 00:00:05Z ContainersNotReady',
      PodScheduled: 'True 00:00:05Z',
    });
    expect(p.status?.conditions?.find((x) => x.type === 'Ready')?.message).toBe('containers with unready status: [app]');
    c.runUntil(9301);
    p = getPod(c, 'web')!;
    expect(p.status?.phase).toBe('Running');
    expect(conditionsOf(p)).toEqual({
      PodReadyToStartContainers: 'True 00:00:05Z',
      Initialized: 'True 00:00:05Z',
      Ready: 'True 00:00:09Z',
      ContainersReady: 'True 00:00:09Z',
      PodScheduled: 'True 00:00:05Z',
    });
    const cs = p.status!.containerStatuses![0];
    expect(cs).toMatchObject({ name: 'app', ready: true, started: true, restartCount: 0, image: 'docker.io/library/nginx:1.27', state: { running: { startedAt: '2026-01-01T00:00:09Z' } } });
    expect(cs.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(p.status).toMatchObject({ hostIP: '10.0.1.1', podIP: '10.244.0.2', startTime: '2026-01-01T00:00:05Z', qosClass: 'BestEffort' });
    c.runUntil(10_000);
    // Pending first (5.001 s), with the sandbox up at 5.501 s, then Running at 9.301 s; the watcher sees each 1 ms later.
    expect(seen.filter((s) => s.phase === 'Running' && s.ready).map((s) => s.t)[0]).toBe(9302);
    // Events as the kubelet words them, each seen 1 ms after it was written.
    expect(times(events, 'Pulling')).toEqual([5502]);
    expect(events.find((e) => e.reason === 'Pulling')?.message).toBe('Pulling image "nginx:1.27"');
    expect(events.find((e) => e.reason === 'Pulled')?.message).toBe('Successfully pulled image "nginx:1.27" in 3.8s (3.8s including waiting). Image size: 72000000 bytes.');
    expect(events.filter((e) => e.object === 'web').map((e) => `${e.t} ${e.reason}: ${e.message}`).slice(2)).toEqual([
      '9302 Created: Created container: app',
      '9302 Started: Started container app',
    ]);
  });

  it('a second pod with the same image starts without pulling', () => {
    const c = cluster([node('node-1')]);
    const events = recordEvents(c);
    c.runUntil(1000);
    c.act({ action: 'apply', manifests: [pod('first', { node: 'node-1', image: 'nginx:1.27' })] });
    c.runUntil(20_000);
    c.act({ action: 'apply', manifests: [pod('second', { node: 'node-1', image: 'nginx:1.27' })] });
    // Seen at 20.001 s, sandbox at 20.501 s: the image is on the node, the container starts at once.
    c.runUntil(20_501);
    expect(getPod(c, 'second')?.status?.phase).toBe('Running');
    c.runUntil(21_000);
    expect(times(events, 'Pulling', 'second')).toEqual([]);
    expect(events.find((e) => e.object === 'second' && e.reason === 'Pulled')?.message).toBe('Container image "nginx:1.27" already present on machine');
    // The node reports the image it holds (with the pause image every node has).
    const n = c.apiserver.client('t').get('Node', undefined, 'node-1');
    const images = ((n.ok && (n.object.status as { images?: Array<{ names: string[]; sizeBytes: number }> }).images) || []).map((i) => `${i.names[1]} ${i.sizeBytes}`);
    expect(images).toEqual(['docker.io/library/nginx:1.27 72000000', 'registry.k8s.io/pause:3.10 320000']);
  });

  it('pulls one image at a time per node: the second pull waits for the first', () => {
    const c = cluster([node('node-1')]);
    const events = recordEvents(c);
    c.runUntil(1000);
    c.act({ action: 'apply', manifests: [pod('a', { node: 'node-1', image: 'nginx:1.27' }), pod('b', { node: 'node-1', image: 'redis:7' })] });
    c.runUntil(30_000);
    // Both sandboxes are up at 1.501 s. nginx pulls 1.501 .. 5.301 (3.8 s); redis (45 MB: 2.25 s + 0.2 s)
    // waits for it and pulls 5.301 .. 7.751: "in 2.45s (6.25s including waiting)".
    expect(events.find((e) => e.object === 'b' && e.reason === 'Pulled')?.message).toBe(
      'Successfully pulled image "redis:7" in 2.45s (6.25s including waiting). Image size: 45000000 bytes.',
    );
    expect(times(events, 'Started', 'a')).toEqual([5302]);
    expect(times(events, 'Started', 'b')).toEqual([7752]);
  });

  it('a pod the scheduler places is run too', () => {
    const c = cluster([node('node-1'), node('node-2'), pod('placed')]);
    c.runUntil(10_000);
    const p = getPod(c, 'placed')!;
    expect(p.spec?.nodeName).toMatch(/^node-[12]$/);
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
  });

  it('pods of the starting cluster are running from t=0, their images already on the node', () => {
    const c = cluster([node('node-1'), pod('old', { node: 'node-1', image: 'redis:7' })]);
    const events = recordEvents(c);
    c.runUntil(1);
    const p = getPod(c, 'old')!;
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ ready: true, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } });
    expect(p.status?.startTime).toBe('2026-01-01T00:00:00Z');
    c.runUntil(60_000);
    expect(events.filter((e) => e.object === 'old')).toEqual([]);
  });

  it('a sidecar (init container with restartPolicy Always) starts first and keeps running beside the containers', () => {
    const c = cluster([node('node-1')]);
    c.runUntil(1000);
    c.act({
      action: 'apply',
      manifests: [
        pod('side', {
          node: 'node-1',
          initContainers: [{ name: 'proxy', image: 'busybox:1.36', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 15000 } } }],
          containers: [{ name: 'app', image: 'busybox:1.36' }],
        }),
      ],
    });
    // busybox pulls once (1.501 .. 1.811 s): the sidecar starts, then the app (image present) at the same instant.
    c.runUntil(2000);
    const p = getPod(c, 'side')!;
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.initContainerStatuses?.[0]).toMatchObject({ name: 'proxy', ready: true, started: true, state: { running: {} } });
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ name: 'app', ready: true, state: { running: {} } });
    expect(p.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
  });

  it('init containers run one after the other before the containers (PodInitializing meanwhile)', () => {
    const c = cluster([node('node-1')]);
    c.runUntil(1000);
    c.act({
      action: 'apply',
      manifests: [
        pod('init', {
          node: 'node-1',
          initContainers: [
            { name: 'one', image: 'busybox:1.36' },
            { name: 'two', image: 'busybox:1.36' },
          ],
          containers: [{ name: 'app', image: 'busybox:1.36' }],
          // "two" has no behavior: an init container then does its work in 1 s.
          behavior: { one: { exitAfter: '2s' } },
        }),
      ],
    });
    // busybox (2.2 MB): 0.11 s + 0.2 s = 0.31 s. Seen 1.001, sandbox 1.501, pulled 1.811: "one" runs
    // 1.811 .. 3.811, "two" 3.811 .. 4.811, then "app" starts at 4.811 s.
    c.runUntil(3000);
    let p = getPod(c, 'init')!;
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.initContainerStatuses?.map((s) => Object.keys(s.state ?? {})[0])).toEqual(['running', 'waiting']);
    expect(p.status?.containerStatuses?.[0].state?.waiting?.reason).toBe('PodInitializing');
    expect(p.status?.conditions?.find((x) => x.type === 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [one two]',
    });
    c.runUntil(4810);
    expect(getPod(c, 'init')?.status?.initContainerStatuses?.map((s) => s.state?.terminated?.reason ?? 'running')).toEqual(['Completed', 'running']);
    c.runUntil(4811);
    p = getPod(c, 'init')!;
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.conditions?.find((x) => x.type === 'Initialized')?.status).toBe('True');
  });
});

describe('kubelet: its pods from the apiserver', () => {
  it('lists the pods bound to its node once and watches from that list: nothing it listed comes again as ADDED', () => {
    const c = cluster([node('node-1'), node('node-2'), pod('a', { node: 'node-1' }), pod('b', { node: 'node-1' }), pod('elsewhere', { node: 'node-2' })]);
    c.runUntil(1000);
    c.act({ action: 'apply', manifests: [pod('late', { node: 'node-1' })] });
    c.runUntil(2000);
    const toKubelet = c.trace().filter((m) => m.from === 'kubelet/node-1' && m.resource === 'pods' && (m.verb === 'list' || m.verb === 'watch'));
    const fromWatch = c.trace().filter((m) => m.to === 'kubelet/node-1' && m.verb === 'watch' && m.detail === 'ADDED');
    expect(toKubelet.map((m) => m.verb)).toEqual(['list', 'watch']);
    expect(fromWatch.map((m) => m.key)).toEqual(['default/late']);
    expect(getPod(c, 'late')?.status?.phase).toBe('Running');
    expect(getPod(c, 'a')?.status?.phase).toBe('Running');
  });
});
