import { readFileSync } from 'node:fs';
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

describe('exportState of a highly available control plane', () => {
  // leader-failover: three control-plane machines; at 60 s control-plane-3 loses power (its etcd member and its three processes stop).
  const LEADER_FAILOVER = readFileSync(new URL('../../scenario/examples/leader-failover.yaml', import.meta.url), 'utf8');
  const stopped = (c: Cluster) => c.components().filter((x) => x.state === 'stopped').map((x) => x.name);
  const power = (c: Cluster) => c.controlPlaneNodes().map((m) => `${m.name}:${m.powered ? 'on' : 'off'}`);

  it('exports a powered-off control-plane machine as one powerOff, and a process stopped on its own as a stopComponent', () => {
    const h = new History(LEADER_FAILOVER);
    h.runUntil(70_000);
    h.act({ action: 'stopComponent', component: 'kube-controller-manager-2' });
    h.runUntil(71_000);
    expect(power(h.cluster)).toEqual(['control-plane-1:on', 'control-plane-2:on', 'control-plane-3:off']);
    expect(stopped(h.cluster)).toEqual(['etcd-3', 'kube-apiserver-3', 'kube-scheduler-3', 'kube-controller-manager-2', 'kube-controller-manager-3']);
    const out = exportState(h.cluster, LEADER_FAILOVER, 'leader-failover', formatClock(h.now));
    const { model } = parseScenarioFile(out.scenario);
    expect(model.controlPlane.nodes).toBe(3);
    expect(model.timeline).toEqual([
      { at: 0, action: 'powerOff', node: 'control-plane-3' },
      { at: 0, action: 'stopComponent', component: 'kube-controller-manager-2' },
    ]);
    expect(out.notes.some((n) => n.message.includes('powerOff control-plane-3, stopComponent kube-controller-manager-2'))).toBe(true);

    // Replayed, the exported scenario has the same machines off and the same processes stopped.
    const { cluster } = loadScenario(out.scenario);
    cluster.runUntil(1_000);
    expect(power(cluster)).toEqual(power(h.cluster));
    expect(stopped(cluster)).toEqual(stopped(h.cluster));
    // And powering the machine on starts all four again, as it would have in the original.
    cluster.act({ action: 'powerOn', node: 'control-plane-3' });
    cluster.runUntil(2_000);
    expect(stopped(cluster)).toEqual(['kube-controller-manager-2']);
  });
});
