// The store's views for the architecture canvas, on the default cluster.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { History } from '../../scenario/history';
import { podTokens } from './worker-views';
import { createClusterStore, UI_CLUSTER_OPTIONS } from './cluster-store';

const at30s = () => createClusterStore({ open: () => new History(DEFAULT_SCENARIO_YAML, UI_CLUSTER_OPTIONS), start: { startAt: 30_000, paused: true } });

describe('canvas views in the store', () => {
  it('at 30 s: three Ready workers carrying the 3 web pods and the debug pod, all Running', () => {
    const s = at30s().getState();
    expect(s.workers.map((w) => [w.name, w.ready])).toEqual([
      ['node-1', 'Ready'],
      ['node-2', 'Ready'],
      ['node-3', 'Ready'],
    ]);
    const tokens = s.workers.flatMap((w) => podTokens(w));
    expect(tokens).toHaveLength(4);
    expect(tokens.every((t) => t.phase === 'Running')).toBe(true);
    // Each web pod asks 250m and 128Mi; debug asks nothing: 3 x 250m = 750m in total.
    expect(s.workers.reduce((n, w) => n + w.cpu.requested, 0)).toBe(750);
    expect(s.etcdRoles.filter((m) => m.role === 'leader')).toHaveLength(1);
  });

  it('lease renewals and raft traffic move etcd but do not replace the canvas views', () => {
    const store = at30s();
    const before = store.getState();
    store.cluster!.runUntil(45_000);
    const after = store.getState();
    expect(after.revision).toBeGreaterThan(before.revision);
    expect(after.workers).toBe(before.workers);
    expect(after.etcdRoles).toBe(before.etcdRoles);
  });

  it('cordon replaces only that node card: SchedulingDisabled, then the unschedulable taint', () => {
    const store = at30s();
    const before = store.getState().workers;
    store.cluster!.act({ action: 'cordon', node: 'node-2' });
    store.cluster!.runUntil(32_000);
    const after = store.getState().workers;
    expect(after[1].cordoned).toBe(true);
    // node-lifecycle-controller (TaintNodesByCondition) taints a cordoned node.
    expect(after[1].taints).toContain('node.kubernetes.io/unschedulable:NoSchedule');
    expect(after[0]).toBe(before[0]);
    expect(after[2]).toBe(before[2]);
  });
});
