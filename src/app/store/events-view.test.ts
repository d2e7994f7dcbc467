import { describe, expect, it } from 'vitest';
import type { Event, KubeObject } from '../../sim/api/types';
import { createCluster } from '../../sim/cluster';
import { emptyScenario } from '../../sim/model';
import { eventInterval, eventRow, eventRows, eventsAbout, storedEvents } from './events-view';

const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } };
const pod = (name: string, image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image }] } });

/** One node, a pod whose image the registry does not have, and one that pulls: repeats and a clean start. */
function cluster() {
  const c = createCluster({ ...emptyScenario(), registry: { missing: ['ghost:1'] }, objects: [node, pod('ghost', 'ghost:1'), pod('web', 'nginx:1.27')] as KubeObject[] });
  c.runUntil(60_000);
  return c;
}

describe('eventInterval (kubectl events LAST SEEN, kubectl describe Age)', () => {
  it('is the age of a single event, or "LAST (xN over FIRST)" for a repeated one', () => {
    expect(eventInterval({ first: 4_000, last: 4_000, count: 1 }, 30_000)).toBe('26s');
    // Seen 3 times from 0 s to 50 s, read at 60 s: last 10 s ago, first 60 s ago (seconds up to 2 minutes).
    expect(eventInterval({ first: 0, last: 50_000, count: 3 }, 60_000)).toBe('10s (x3 over 60s)');
    // At 5 min: first 300 s ago is "5m", last 250 s ago is "4m10s".
    expect(eventInterval({ first: 0, last: 50_000, count: 3 }, 300_000)).toBe('4m10s (x3 over 5m)');
  });
});

describe('eventRow', () => {
  const base: Event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.1', namespace: 'default', resourceVersion: '7' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1' },
    reason: 'Pulled',
    message: '  Successfully pulled  ',
    type: 'Normal',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2026-01-01T00:00:04Z',
    lastTimestamp: '2026-01-01T00:00:04Z',
    count: 1,
  };

  it('reads the involved object, the source component and the timestamps (virtual ms)', () => {
    const r = eventRow(base);
    expect(r.object).toBe('Pod/web');
    expect(r.objectKey).toBe('Pod/default/web');
    // kubectl describe's From is source.component only, without the host.
    expect(r.from).toBe('kubelet');
    expect(r.message).toBe('Successfully pulled');
    expect([r.first, r.last, r.count]).toEqual([4_000, 4_000, 1]);
  });

  it('takes a series count and last time, eventTime when firstTimestamp is unset, and the reporting controller without a source', () => {
    const r = eventRow({
      ...base,
      firstTimestamp: undefined,
      lastTimestamp: undefined,
      count: undefined,
      eventTime: '2026-01-01T00:00:10.000000Z',
      series: { count: 4, lastObservedTime: '2026-01-01T00:01:00.000000Z' },
      source: undefined,
      reportingComponent: 'default-scheduler',
    });
    expect([r.first, r.last, r.count, r.from]).toEqual([10_000, 60_000, 4, 'default-scheduler']);
    // The new API leaves count unset on singletons: kubectl counts them as 1.
    expect(eventRow({ ...base, count: 0 }).count).toBe(1);
    // A cluster-scoped object has no namespace in its key.
    expect(eventRow({ ...base, involvedObject: { kind: 'Node', name: 'node-1' } }).objectKey).toBe('Node//node-1');
  });
});

describe('events of a running cluster', () => {
  it('lists an object’s events in the order they happened, as kubectl describe does', () => {
    const c = cluster();
    const rows = eventRows(storedEvents(c));
    const web = c.objects().find((o) => o.kind === 'Pod' && o.metadata.name === 'web')!;
    const mine = eventsAbout(rows, { kind: 'Pod', namespace: 'default', name: 'web', uid: web.metadata.uid });
    expect(mine.map((r) => r.reason)).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    expect(mine[0].from).toBe('default-scheduler');
    expect(mine[0].message).toBe('Successfully assigned default/web to node-1');
    expect(mine.slice(1).every((r) => r.from === 'kubelet')).toBe(true);
  });

  it('counts a repeated event instead of listing it again (ImagePullBackOff retries)', () => {
    const c = cluster();
    const ghost = eventsAbout(eventRows(storedEvents(c)), { kind: 'Pod', namespace: 'default', name: 'ghost' });
    const pulling = ghost.filter((r) => r.reason === 'Pulling');
    expect(pulling).toHaveLength(1);
    expect(pulling[0].count).toBeGreaterThan(1);
    expect(eventInterval(pulling[0], c.now)).toMatch(/^\d+s \(x\d+ over 60s\)$/);
    expect(ghost.some((r) => r.type === 'Warning' && r.message === 'Error: ImagePullBackOff')).toBe(true);
  });

  it('reuses the row of an Event that did not change, and builds a new one when it did', () => {
    const c = cluster();
    const first = eventRows(storedEvents(c));
    const again = eventRows(storedEvents(c), new Map(first.map((r) => [r.id, r])));
    expect(again.every((r, i) => r === first[i])).toBe(true);
    // Another 60 s of back-off bumps the ghost pod's repeated events.
    c.runUntil(120_000);
    const later = eventRows(storedEvents(c), new Map(first.map((r) => [r.id, r])));
    const pulled = later.find((r) => r.reason === 'Pulling' && r.object === 'Pod/ghost')!;
    expect(first.includes(pulled)).toBe(false);
    expect(later.find((r) => r.reason === 'Scheduled' && r.object === 'Pod/web')).toBe(first.find((r) => r.reason === 'Scheduled' && r.object === 'Pod/web'));
  });
});
