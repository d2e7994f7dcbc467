// The message flow in aggregate: counts and rates per edge and direction, the kubelets' on the heat map's edge.
import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../sim/kernel/trace';
import { HEAT_MAP_EDGE_ID } from './lod-edges';
import { edgeFlows, formatRate, messageAbout } from './message-rates';
import type { Curve } from './message-flight';

const line: Curve = { p0: { x: 0, y: 0 }, p1: { x: 0, y: 0 }, p2: { x: 0, y: 100 }, p3: { x: 0, y: 100 } };
// The heat-map view of three workers: the kubelets' own curves and the heat map's edge.
const curves = new Map<string, Curve>([
  ['kube-apiserver->etcd-1', line],
  ['kube-scheduler->kube-apiserver', line],
  [HEAT_MAP_EDGE_ID, line],
  ['kubelet:node-1->kube-apiserver', line],
  ['kubelet:node-2->kube-apiserver', line],
]);
const graph = { etcd: ['etcd-1'], workers: ['node-1', 'node-2', 'node-3'] };

let seq = 0;
function msg(t: number, from: string, to: string, verb: string, extra: Partial<WireMessage> = {}): WireMessage {
  return { seq: ++seq, t, from, to, verb, resource: 'pods', key: 'default/web-1', ok: true, ...extra };
}

describe('edgeFlows', () => {
  it('counts each edge each way over the flight window, the kubelets on the heat map edge, as messages per simulated second', () => {
    const messages = [
      // Before the window (now 10,000, flight 300 ms at 1x: from 9,700): not counted.
      msg(9_600, 'kube-apiserver', 'etcd-1', 'txn'),
      msg(9_800, 'kube-apiserver', 'etcd-1', 'txn'),
      msg(9_850, 'kube-apiserver', 'etcd-1', 'txn', { ok: false, error: 'etcdserver: no leader' }),
      // etcd's answer: a txn, counted as the write it is.
      msg(9_900, 'etcd-1', 'kube-apiserver', 'txn ok'),
      msg(9_900, 'kubelet/node-1', 'kube-apiserver', 'update status'),
      msg(9_950, 'kube-apiserver', 'kubelet/node-2', 'watch', { detail: 'ADDED' }),
      msg(9_960, 'kube-apiserver', 'kubelet/node-2', 'watch', { detail: 'MODIFIED' }),
      // Sent after now: not yet.
      msg(10_100, 'kube-scheduler', 'kube-apiserver', 'bind'),
    ];
    const flows = edgeFlows({ messages, now: 10_000, speed: 1, graph, curves, background: true });
    // 2 messages in 300 ms = 6.67 per second; 1 in 300 ms = 3.33.
    expect(flows.map((f) => [f.edge, f.forward, f.count, Math.round(f.rate * 100) / 100, f.kind, f.failed])).toEqual([
      [HEAT_MAP_EDGE_ID, true, 1, 3.33, 'update', 0],
      [HEAT_MAP_EDGE_ID, false, 2, 6.67, 'watch', 0],
      ['kube-apiserver->etcd-1', true, 2, 6.67, 'update', 1],
      ['kube-apiserver->etcd-1', false, 1, 3.33, 'update', 0],
    ]);
  });

  it('leaves background traffic out when it is hidden', () => {
    const messages = [msg(9_900, 'kubelet/node-1', 'kube-apiserver', 'update', { resource: 'leases', key: 'kube-node-lease/node-1' })];
    expect(edgeFlows({ messages, now: 10_000, speed: 1, graph, curves, background: false })).toEqual([]);
    expect(edgeFlows({ messages, now: 10_000, speed: 1, graph, curves, background: true })).toHaveLength(1);
  });

  it('when the kept messages do not reach back a whole flight, the flows are lower bounds', () => {
    // At 10x the flight is 3 s (from 7,000), but the oldest message kept is at 9,900: older ones may have been dropped.
    const messages = [msg(9_900, 'kube-scheduler', 'kube-apiserver', 'bind'), msg(9_950, 'kube-scheduler', 'kube-apiserver', 'bind')];
    const [f] = edgeFlows({ messages, now: 10_000, speed: 10, graph, curves, background: true });
    // At least 2 messages in 3 s = 0.67 per second.
    expect([Math.round(f.rate * 100) / 100, f.atLeast]).toEqual([0.67, true]);
    const older = [msg(6_000, 'kube-scheduler', 'kube-apiserver', 'bind'), ...messages];
    expect(edgeFlows({ messages: older, now: 10_000, speed: 10, graph, curves, background: true })[0].atLeast).toBe(false);
  });
});

describe('messageAbout', () => {
  it('picks a pod’s, a node’s and a component’s own messages', () => {
    const pod = messageAbout({ type: 'object', key: 'Pod/default/web-1' })!;
    expect(pod(msg(0, 'kube-scheduler', 'kube-apiserver', 'bind', { resource: 'pods/binding' }))).toBe(true);
    expect(pod(msg(0, 'kube-scheduler', 'kube-apiserver', 'bind', { key: 'default/web-2' }))).toBe(false);
    const node = messageAbout({ type: 'object', key: 'Node//node-2' })!;
    expect(node(msg(0, 'kube-apiserver', 'kubelet/node-2', 'watch'))).toBe(true);
    expect(node(msg(0, 'kube-controller-manager', 'kube-apiserver', 'patch', { resource: 'nodes', key: 'node-2' }))).toBe(true);
    expect(node(msg(0, 'kube-apiserver', 'kubelet/node-1', 'watch'))).toBe(false);
    const scheduler = messageAbout({ type: 'component', name: 'kube-scheduler' })!;
    expect(scheduler(msg(0, 'kube-apiserver', 'kube-scheduler', 'watch'))).toBe(true);
    expect(scheduler(msg(0, 'kube-apiserver', 'etcd-1', 'txn'))).toBe(false);
    const deployment = messageAbout({ type: 'object', key: 'Deployment/default/web' })!;
    expect(deployment(msg(0, 'kubectl', 'kube-apiserver', 'patch', { resource: 'deployments', key: 'default/web' }))).toBe(true);
    expect(deployment(msg(0, 'kubectl', 'kube-apiserver', 'patch', { resource: 'services', key: 'default/web' }))).toBe(false);
    expect(messageAbout(null)).toBeNull();
  });
});

describe('formatRate', () => {
  it('says rates as a label would', () => {
    expect([formatRate(0.33), formatRate(42.4), formatRate(1234), formatRate(56_789)]).toEqual(['0.3/s', '42/s', '1.2k/s', '57k/s']);
  });
});
