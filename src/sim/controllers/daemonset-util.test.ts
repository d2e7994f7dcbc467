import { describe, expect, it } from 'vitest';
import type { Node, Taint } from 'kubernetes-types/core/v1';
import type { DaemonSet } from '../api/types';
import { compileDaemonPodFit } from './daemonset-node-fit';
import { daemonPodTolerations, nodeNameAffinity, safeEncodeString, scaledValue, targetNodeName, templateHash } from './daemonset-util';

const ds = (podSpec: Record<string, unknown> = {}): DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'kube-system' },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'x' }], ...podSpec } } },
});
const node = (name: string, extra: { labels?: Record<string, string>; taints?: Taint[] } = {}): Node => ({
  metadata: { name, labels: extra.labels ?? {} },
  spec: { taints: extra.taints },
});

describe('DaemonSet template helpers', () => {
  it("SafeEncodeString maps each byte into upstream's 27-character alphabet", () => {
    // '0' is byte 48, 48 % 27 = 21 -> '4'; ... '6' is 54 % 27 = 0 -> 'b'; '9' is 57 % 27 = 3 -> 'f'.
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });

  it('hashes equal templates alike whatever their key order, and changes with the template or collision count', () => {
    const a = { metadata: { labels: { app: 'x', tier: 'y' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };
    const b = { spec: { containers: [{ image: 'nginx:1.27', name: 'c' }] }, metadata: { labels: { tier: 'y', app: 'x' } } };
    expect(templateHash(a)).toBe(templateHash(b));
    expect(templateHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(templateHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:1.28' }] } })).not.toBe(templateHash(a));
    expect(templateHash(a, 1)).not.toBe(templateHash(a));
  });

  it('adds the daemon tolerations, replacing a matching one that carries tolerationSeconds', () => {
    const out = daemonPodTolerations([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { key: 'gpu', operator: 'Exists' }], true);
    expect(out).toEqual([
      // AddOrUpdateTolerationInPodSpec: same key/operator/value/effect but different seconds -> replaced in place (forever).
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'gpu', operator: 'Exists' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });

  it('pins a pod to its node through metadata.name, keeping preferred terms, and reads the node back', () => {
    const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }];
    const aff = nodeNameAffinity({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: preferred } }, 'n7');
    expect(aff.nodeAffinity).toEqual({
      preferredDuringSchedulingIgnoredDuringExecution: preferred,
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n7'] }] }] },
    });
    expect(targetNodeName({ spec: { containers: [], affinity: aff } })).toBe('n7');
    expect(targetNodeName({ spec: { containers: [], nodeName: 'n2', affinity: aff } })).toBe('n2');
  });

  it('scales a percentage budget rounding up', () => {
    // 25% of 10 nodes = 2.5 -> 3; 50% of 3 = 1.5 -> 2.
    expect(scaledValue('25%', 10)).toBe(3);
    expect(scaledValue('50%', 3)).toBe(2);
    expect(scaledValue(1, 10)).toBe(1);
    expect(scaledValue('abc', 10)).toBeUndefined();
  });
});

describe('NodeShouldRunDaemonPod', () => {
  const gpu = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
  it('taints: NoSchedule keeps a running pod but starts none; NoExecute neither; tolerated taints both', () => {
    const fit = compileDaemonPodFit(ds());
    expect(fit(node('plain'))).toEqual({ shouldRun: true, shouldContinueRunning: true });
    expect(fit(node('ns', { taints: gpu }))).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(fit(node('ne', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }))).toEqual({ shouldRun: false, shouldContinueRunning: false });
    // PreferNoSchedule does not count.
    expect(fit(node('pns', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }))).toEqual({ shouldRun: true, shouldContinueRunning: true });
    // The daemon tolerations: an unreachable or cordoned node still runs it.
    expect(fit(node('down', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }))).toEqual({
      shouldRun: true,
      shouldContinueRunning: true,
    });
    const tolerant = compileDaemonPodFit(ds({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] }));
    expect(tolerant(node('ns', { taints: gpu }))).toEqual({ shouldRun: true, shouldContinueRunning: true });
  });

  it("the template's nodeName, nodeSelector and required affinity decide, not the node's readiness", () => {
    expect(compileDaemonPodFit(ds({ nodeName: 'n1' }))(node('n2'))).toEqual({ shouldRun: false, shouldContinueRunning: false });
    const bySelector = compileDaemonPodFit(ds({ nodeSelector: { disk: 'ssd' } }));
    expect(bySelector(node('a', { labels: { disk: 'ssd' } })).shouldRun).toBe(true);
    expect(bySelector(node('b', { labels: { disk: 'hdd' } })).shouldContinueRunning).toBe(false);
    const byAffinity = compileDaemonPodFit(
      ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['z9'] }] }] } } } }),
    );
    expect(byAffinity(node('a', { labels: { zone: 'z1' } })).shouldRun).toBe(true);
    expect(byAffinity(node('b', { labels: { zone: 'z9' } })).shouldRun).toBe(false);
  });
});
