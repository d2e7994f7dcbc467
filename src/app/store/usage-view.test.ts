import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../sim/api/types';
import { createCluster } from '../../sim/cluster';
import { emptyScenario } from '../../sim/model';
import { sparkline, usageView, USAGE_WINDOW_MS, type UsageSeries } from './usage-view';

const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } };
const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'hog', namespace: 'default', annotations: { 'kubeviz.dev/behavior': '{"a": {"cpu": "300m"}, "b": {"cpu": "100m"}}' } },
  spec: {
    nodeName: 'node-1',
    containers: [
      { name: 'a', image: 'nginx:1.27', resources: { requests: { cpu: '200m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } } },
      { name: 'b', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '32Mi' } } },
    ],
  },
};

describe('the usage view', () => {
  it('without the addon: a hint; before two scrapes: why not yet; then charts with the current value in kubectl top units', () => {
    expect(usageView(createCluster({ ...emptyScenario(), objects: [node, pod] }), 'Pod/default/hog')).toEqual({ state: 'no-addon' });
    const c = createCluster({ ...emptyScenario(), objects: [node, pod], addons: { dns: false, metricsServer: true } });
    expect(usageView(c, 'Service/default/web')).toBeNull();
    c.runUntil(20_000);
    expect(usageView(c, 'Node//node-1')).toEqual({ state: 'waiting', text: 'metrics-server started; this node has a usage after two scrapes 15 s apart.' });
    c.runUntil(45_000);
    const v = usageView(c, 'Pod/default/hog');
    if (v?.state !== 'charts') throw new Error(`no charts: ${JSON.stringify(v)}`);
    // 300m + 100m; memory 64Mi + 32Mi.
    expect([v.cpu.currentText, v.memory.currentText]).toEqual(['400m', '96Mi']);
    expect(v.cpu.points.map((p) => p.t)).toEqual([30_000, 45_000]);
    // Requests add up; the limit only when every container has one: b has no limit.
    expect(v.cpu.references).toEqual([{ label: 'request', value: 300, text: 'request 300m' }]);
    expect(v.memory.references.map((r) => r.text)).toEqual(['request 96Mi']);
    const n = usageView(c, 'Node//node-1');
    if (n?.state !== 'charts') throw new Error('no node charts');
    // The node has metrics-server too (the only node); allocatable is its reference.
    expect(n.cpu.references).toEqual([{ label: 'allocatable', value: 4000, text: 'allocatable 4000m' }]);
    expect(n.memory.references[0].text).toBe('allocatable 16384Mi');
  });

  it('the sparkline spans 10 minutes ending at the newest point; a reference far above the usage is named, not drawn', () => {
    const s: UsageSeries = {
      resource: 'cpu',
      points: [
        { t: 600_000 - 300_000, value: 100 },
        { t: 600_000, value: 200 },
      ],
      current: 200,
      currentText: '200m',
      references: [
        { label: 'request', value: 250, text: 'request 250m' },
        { label: 'limit', value: 4000, text: 'limit 4000m' },
      ],
      end: 600_000,
    };
    expect(USAGE_WINDOW_MS).toBe(600_000);
    // Width 100, height 50, padding 2: the scale tops at 250 x 1.15 = 287.5; x runs 2..98 over the window.
    const g = sparkline(s, 100, 50);
    expect(g.max).toBe(287.5);
    // t = 300 s is half way: x = 2 + 48 = 50; y = 48 - 100/287.5 x 46 = 32.0. The last: x = 98, y = 48 - 200/287.5 x 46 = 16.0.
    expect(g.line).toBe('M50,32L98,16');
    expect(g.area).toBe('M50,32L98,16L98,48L50,48Z');
    // The 4000m limit is 20x the peak: left to the caption.
    expect(g.references.map((r) => [r.label, r.y])).toEqual([['request', 8]]);
  });
});
