import { describe, expect, it } from 'vitest';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { loadScenario } from '../../scenario/load';
import type { Cluster } from '../../sim/cluster';
import { microTimestamp, timestamp } from '../../sim/kernel/time';
import { consequenceText, formatCountdown, lastHeartbeat, nodeConsequence, type ConsequenceInput } from './fault-zone-countdown';

const GRACE = 40_000;
/** What DefaultTolerationSeconds adds to every pod. */
const DEFAULT_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];
const UNREACHABLE = (at: number): Taint => ({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: timestamp(at) });

function node(ready: string, heartbeat: number, taints: Taint[] = []): Node {
  return { metadata: { name: 'node-1' }, spec: { taints }, status: { conditions: [{ type: 'Ready', status: ready, lastHeartbeatTime: timestamp(heartbeat) }] } };
}
const lease = (renew: number): Lease => ({ metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { renewTime: microTimestamp(renew) } });
const pod = (name: string, tolerations: Toleration[] = DEFAULT_TOLERATIONS, deleting = false): Pod => ({
  metadata: { name, namespace: 'default', ...(deleting ? { deletionTimestamp: timestamp(0) } : {}) },
  spec: { containers: [], nodeName: 'node-1', tolerations },
});
const input = (over: Partial<ConsequenceInput>): ConsequenceInput => ({
  now: 0,
  node: node('True', 0),
  lease: undefined,
  pods: [],
  gracePeriod: GRACE,
  silent: true,
  controllersRunning: true,
  ...over,
});

describe('the grace period', () => {
  it('counts from the newer of the Lease renewal and the status heartbeat', () => {
    // Status every 10 s (10 s here), Lease renewed at 20.679 s: the Lease wins.
    expect(lastHeartbeat(node('True', 10_000), lease(20_679))).toBe(20_679);
    expect(lastHeartbeat(node('True', 30_000), lease(20_679))).toBe(30_000);
    expect(lastHeartbeat(node('True', 10_000), undefined)).toBe(10_000);
  });

  it('powered off at 30 s after a renewal at 20.679 s: Ready=Unknown in 60.679 - 30 = 30.679 s, shown as 31s', () => {
    const c = nodeConsequence(input({ now: 30_000, node: node('True', 10_000), lease: lease(20_679) }));
    expect(c).toEqual({ stage: 'grace', lastHeartbeat: 20_679, remaining: 30_679, gracePeriod: GRACE });
    // 40 - 30.679 = 9.321 s since the renewal.
    expect(consequenceText(c!)).toBe('Ready=Unknown in 31s · last heartbeat 9s ago');
  });

  it('past 60.679 s it is due at the controller next pass; a machine still sending heartbeats counts nothing down', () => {
    expect(nodeConsequence(input({ now: 61_000, node: node('True', 10_000), lease: lease(20_679) }))?.stage).toBe('due');
    expect(nodeConsequence(input({ now: 61_000, node: node('True', 10_000), lease: lease(20_679), silent: false }))).toBeNull();
  });

  it('says so when kube-controller-manager is stopped: nobody would mark the node', () => {
    expect(nodeConsequence(input({ now: 61_000, lease: lease(20_679), controllersRunning: false }))?.stage).toBe('no-controller');
  });
});

describe('the taint and the tolerations', () => {
  it('Ready=Unknown without the NoExecute taint yet', () => {
    expect(nodeConsequence(input({ now: 70_500, node: node('Unknown', 10_000) }))).toEqual({ stage: 'untainted', ready: 'Unknown' });
  });

  it('tainted at 75 s: the default 300 s toleration runs out at 375 s, so at 100 s 4m35s are left for both pods', () => {
    const c = nodeConsequence(input({ now: 100_000, node: node('Unknown', 10_000, [UNREACHABLE(75_000)]), pods: [pod('a'), pod('b')] }));
    expect(c).toEqual({ stage: 'toleration', taint: 'node.kubernetes.io/unreachable:NoExecute', remaining: 275_000, tolerationSeconds: 300, pods: 2 });
    expect(consequenceText(c!)).toBe('2 pods evicted in 4m35s · tolerationSeconds: 300');
  });

  it('the shortest wait counts: a pod without a toleration goes at once; one tolerating forever (a DaemonSet pod) never', () => {
    const forever: Toleration[] = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }];
    const tainted = node('Unknown', 10_000, [UNREACHABLE(75_000)]);
    expect(nodeConsequence(input({ now: 76_000, node: tainted, pods: [pod('a'), pod('bare', [])] }))).toMatchObject({ stage: 'evicting', pods: 2 });
    expect(nodeConsequence(input({ now: 76_000, node: tainted, pods: [pod('a'), pod('ds', forever)] }))).toMatchObject({ stage: 'toleration', pods: 1 });
    const short: Toleration[] = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }];
    expect(nodeConsequence(input({ now: 76_000, node: tainted, pods: [pod('a'), pod('quick', short)] }))).toMatchObject({ stage: 'toleration', remaining: 29_000, tolerationSeconds: 30 });
  });

  it('once every pod is Terminating: evicted, with the count still on the node', () => {
    const c = nodeConsequence(input({ now: 380_000, node: node('Unknown', 10_000, [UNREACHABLE(75_000)]), pods: [pod('a', DEFAULT_TOLERATIONS, true)] }));
    expect(c).toEqual({ stage: 'evicted', taint: 'node.kubernetes.io/unreachable:NoExecute', terminating: 1 });
  });

  it('a Ready node with nothing wrong has nothing to count down', () => {
    expect(nodeConsequence(input({ now: 30_000, node: node('True', 30_000), silent: false }))).toBeNull();
  });
});

describe('formatCountdown', () => {
  it('rounds up to the second, as Go prints durations', () => {
    expect([0, 1, 999, 1000, 30_679, 60_000, 275_000, 300_000].map(formatCountdown)).toEqual(['0s', '1s', '1s', '1s', '31s', '1m', '4m35s', '5m']);
  });
});

describe('against the simulated cluster (default scenario, node-1 powered off at 30 s)', () => {
  const read = (c: Cluster, key: string) => c.etcd.store.get(key)?.value as unknown;
  const stageAt = (c: Cluster, t: number) => {
    c.runUntil(t);
    const n = read(c, '/registry/nodes/node-1') as Node;
    const pods = c.objects().filter((o) => o.kind === 'Pod' && (o as unknown as Pod).spec?.nodeName === 'node-1') as unknown as Pod[];
    return nodeConsequence({
      now: c.now,
      node: n,
      lease: read(c, '/registry/leases/kube-node-lease/node-1') as Lease,
      pods,
      gracePeriod: c.scenario.settings.nodeMonitorGracePeriod,
      silent: true,
      controllersRunning: true,
    });
  };

  it('goes grace -> due -> untainted -> toleration -> evicted at the instants the controllers act', () => {
    const { cluster: c } = loadScenario(DEFAULT_SCENARIO_YAML);
    c.runUntil(30_000);
    c.act({ action: 'powerOff', node: 'node-1' });
    // Last Lease renewal before 30 s: 20.21 s; 40 s of grace end at 60.21 s.
    expect(stageAt(c, 40_000)).toMatchObject({ stage: 'grace', remaining: 20_210 });
    expect(stageAt(c, 61_000)?.stage).toBe('due');
    // The controller saw that renewal at its pass at 25.1 s, so Ready=Unknown comes at the pass at 70.1 s (> 25.1 + 40);
    // the NoExecute taint at 75.1 s (timeAdded 75 s, seconds precision): eviction at 375 s.
    expect(stageAt(c, 70_500)?.stage).toBe('untainted');
    // node-1 runs a web replica and the bare debug pod, both with the default 300 s toleration.
    expect(stageAt(c, 75_500)).toMatchObject({ stage: 'toleration', tolerationSeconds: 300, pods: 2, remaining: 299_500 });
    expect(stageAt(c, 376_000)).toMatchObject({ stage: 'evicted', terminating: 2 });
  });
});
