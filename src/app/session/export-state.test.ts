import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { History } from '../../scenario/history';
import { loadScenario } from '../../scenario/load';
import { parseScenarioFile } from '../../scenario/parse';
import type { Cluster } from '../../sim/cluster';
import { formatClock } from '../format-clock';
import { exportState } from './export-state';

/** Pod -> node for the pods that are bound and not being deleted. */
function placements(c: Cluster): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of c.objects()) {
    const pod = o as { kind: string; metadata: { name: string; namespace?: string; deletionTimestamp?: string }; spec?: { nodeName?: string } };
    if (pod.kind === 'Pod' && pod.spec?.nodeName && !pod.metadata.deletionTimestamp) out[`${pod.metadata.namespace}/${pod.metadata.name}`] = pod.spec.nodeName;
  }
  return out;
}

describe('exportState', () => {
  it('the exported scenario starts with the same pods on the same nodes', () => {
    const h = new History(DEFAULT_SCENARIO_YAML);
    h.runUntil(30_000);
    h.act({ action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 5 });
    h.runUntil(45_000);
    const before = placements(h.cluster);
    expect(Object.keys(before)).toHaveLength(6); // 5 web pods and the debug pod
    const out = exportState(h.cluster, DEFAULT_SCENARIO_YAML, 'default', formatClock(h.now));
    expect(out.name).toBe('default-at-00-45-000');
    const { cluster } = loadScenario(out.scenario);
    expect(placements(cluster)).toEqual(before);
    cluster.runUntil(20_000);
    // The Deployment adopts its ReplicaSet and pods again: still 5 replicas, nothing created or deleted.
    expect(placements(cluster)).toEqual(before);
  });

  it("carries the scenario's seed and control plane, and keeps faults in force as actions at 0 s", () => {
    const h = new History(DEFAULT_SCENARIO_YAML);
    h.runUntil(10_000);
    h.act({ action: 'powerOff', node: 'node-1' });
    h.act({ action: 'stopComponent', component: 'kube-scheduler' });
    h.act({ action: 'stopComponent', component: 'etcd-3' });
    h.runUntil(12_000);
    const out = exportState(h.cluster, DEFAULT_SCENARIO_YAML, 'default', formatClock(h.now));
    const { model } = parseScenarioFile(out.scenario);
    expect(model.seed).toBe(42);
    expect(model.controlPlane.etcdMembers).toBe(3);
    expect(model.timeline).toEqual([
      { at: 0, action: 'powerOff', node: 'node-1' },
      { at: 0, action: 'stopComponent', component: 'etcd-3' },
      { at: 0, action: 'stopComponent', component: 'kube-scheduler' },
    ]);
    expect(out.scenario).toMatch(/^# Exported by kubeviz from the scenario "default" at 00:12\.000/);
    expect(out.notes.some((n) => n.message.includes('powerOff node-1'))).toBe(true);
  });

  it('keeps a KubeSchedulerConfiguration document as written', () => {
    const config = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: default-scheduler\n  plugins:\n    score:\n      disabled:\n      - name: ImageLocality\n';
    const text = `${DEFAULT_SCENARIO_YAML}---\n${config}`;
    const h = new History(text);
    h.runUntil(5_000);
    const out = exportState(h.cluster, text, 'default', formatClock(h.now));
    expect(out.scenario.endsWith(`---\n${config}`)).toBe(true);
    expect(parseScenarioFile(out.scenario).model.schedulerProfile).toEqual(parseScenarioFile(text).model.schedulerProfile);
  });
});
