import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import { EventRecorder } from './event-recorder';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', uid: 'u-1' } };

function events(cluster: ReturnType<typeof createCluster>): KubeObject[] {
  const r = cluster.apiserver.client('test').list('Event', { namespace: 'default' });
  if (!r.ok) throw new Error('list failed');
  return r.items as KubeObject[];
}

describe('EventRecorder', () => {
  it('names an event <object>.<the first 16 hex digits of a seeded uid, dashes left out>', () => {
    const a = createCluster(emptyScenario());
    const b = createCluster(emptyScenario());
    new EventRecorder(a.kernel, a.apiserver.client('x'), { component: 'x' }).event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    // The same seed draws the same uid first in b; the name is built from it before the create draws the Event's own uid.
    const uid = b.kernel.ids.uid();
    const name = events(a).map((e) => e.metadata!.name).find((n) => n!.startsWith('web-1.'));
    expect(name).toBe(`web-1.${uid.replace(/-/g, '').slice(0, 16)}`);
    expect(name).toMatch(/^web-1\.[0-9a-f]{16}$/);
  });

  it('counts a repeat on the first Event instead of creating another', () => {
    const c = createCluster(emptyScenario());
    const recorder = new EventRecorder(c.kernel, c.apiserver.client('x'), { component: 'x' });
    recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    recorder.event(pod, 'Normal', 'Other', 'another message');
    const mine = events(c).filter((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === 'web-1');
    const rows = mine.map((e) => [(e as { reason?: string }).reason, (e as { count?: number }).count]).sort();
    expect(rows).toEqual([
      ['NodeNotReady', 2],
      ['Other', 1],
    ]);
  });
});
