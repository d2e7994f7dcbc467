import { describe, expect, it } from 'vitest';
import type { DaemonSet, Pod } from '../api/types';
import { timestamp } from '../kernel/time';
import { planRollingUpdate } from './daemonset-rolling-update';
import { CONTROLLER_REVISION_HASH_LABEL } from './daemonset-util';

const NEW = 'new';
const ds = (rollingUpdate: Record<string, unknown>): DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'kube-system' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'x' }] } },
  },
});
/** A daemon pod on `node`, of the new or an old template, Ready or not. */
const pod = (node: string, hash: string, ready: boolean): Pod => ({
  metadata: { name: `${node}-${hash}`, labels: { [CONTROLLER_REVISION_HASH_LABEL]: hash }, creationTimestamp: timestamp(0) },
  spec: { nodeName: node, containers: [] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: timestamp(0) }] },
});

function plan(set: DaemonSet, pods: Record<string, Pod[]>) {
  const nodes = Object.keys(pods);
  return planRollingUpdate({
    ds: set,
    hash: NEW,
    generation: undefined,
    desiredNodes: nodes,
    nodeToDaemonPods: new Map(Object.entries(pods).filter(([, ps]) => ps.length)),
    fitOf: () => ({ shouldRun: true, shouldContinueRunning: true }),
    now: 10_000,
  });
}

describe('DaemonSet RollingUpdate plan', () => {
  it('maxUnavailable 1: deletes one available old pod, in node order', () => {
    const p = plan(ds({ maxUnavailable: 1, maxSurge: 0 }), { n1: [pod('n1', 'old', true)], n2: [pod('n2', 'old', true)], n3: [pod('n3', 'old', true)] });
    expect(p).toEqual({ podsToDelete: ['n1-old'], nodesToCreate: [] });
  });

  it('counts a node without a pod and an unready new pod against the budget', () => {
    // maxUnavailable 2; n1 has no pod (1 unavailable), n2's new pod is not Ready (2): no room left.
    const p = plan(ds({ maxUnavailable: 2, maxSurge: 0 }), { n1: [], n2: [pod('n2', NEW, false)], n3: [pod('n3', 'old', true)], n4: [pod('n4', 'old', true)] });
    expect(p).toEqual({ podsToDelete: [], nodesToCreate: [] });
  });

  it('replaces an old pod that is not available whatever the budget', () => {
    // maxUnavailable 1 is used up by n1's unavailable old pod, which still goes; n2's available one waits.
    const p = plan(ds({ maxUnavailable: 1, maxSurge: 0 }), { n1: [pod('n1', 'old', false)], n2: [pod('n2', 'old', true)] });
    expect(p).toEqual({ podsToDelete: ['n1-old'], nodesToCreate: [] });
  });

  it("maxUnavailable '50%' of 4 nodes allows 2 at once", () => {
    const four = Object.fromEntries(['n1', 'n2', 'n3', 'n4'].map((n) => [n, [pod(n, 'old', true)]]));
    expect(plan(ds({ maxUnavailable: '50%', maxSurge: 0 }), four)).toEqual({ podsToDelete: ['n1-old', 'n2-old'], nodesToCreate: [] });
  });

  it('maxSurge 1: a new pod beside the old one; the old one goes once the new one is available', () => {
    const set = ds({ maxUnavailable: 0, maxSurge: 1 });
    expect(plan(set, { n1: [pod('n1', 'old', true)], n2: [pod('n2', 'old', true)] })).toEqual({ podsToDelete: [], nodesToCreate: ['n1'] });
    // n1's new pod is not Ready yet: it holds the one surge slot.
    expect(plan(set, { n1: [pod('n1', 'old', true), pod('n1', NEW, false)], n2: [pod('n2', 'old', true)] })).toEqual({ podsToDelete: [], nodesToCreate: [] });
    // Ready: retire n1's old pod and surge onto n2.
    expect(plan(set, { n1: [pod('n1', 'old', true), pod('n1', NEW, true)], n2: [pod('n2', 'old', true)] })).toEqual({ podsToDelete: ['n1-old'], nodesToCreate: ['n2'] });
  });

  it('a DaemonSet allowing neither surge nor unavailability gets unavailability 1', () => {
    const p = plan(ds({ maxUnavailable: 0, maxSurge: 0 }), { n1: [pod('n1', 'old', true)], n2: [pod('n2', 'old', true)] });
    expect(p).toEqual({ podsToDelete: ['n1-old'], nodesToCreate: [] });
  });
});
