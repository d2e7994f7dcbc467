import { describe, expect, it } from 'vitest';
import type { Toleration } from 'kubernetes-types/core/v1';
import type { FilterPlugin } from '../framework/types';
import { ERR_REASON_UNSCHEDULABLE, NODE_UNSCHEDULABLE, newNodeUnschedulable } from './node-unschedulable';
import { makeHandle, makeNodeInfo, makePod, newCycleState } from './test-nodes';

// Upstream: pkg/scheduler/framework/plugins/nodeunschedulable.
const plugin = () => newNodeUnschedulable(undefined, makeHandle([])) as FilterPlugin;
const cordoned = makeNodeInfo({ name: 'n1', unschedulable: true });
const filter = (tolerations?: Toleration[], ni = cordoned) => plugin().filter(newCycleState(), makePod(tolerations ? { spec: { tolerations } } : {}), ni);
const REJECT = { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_UNSCHEDULABLE] };

describe('NodeUnschedulable', () => {
  it('names as upstream', () => {
    expect(plugin().name).toBe(NODE_UNSCHEDULABLE);
    expect(ERR_REASON_UNSCHEDULABLE).toBe('node(s) were unschedulable');
  });

  it('passes a schedulable node, whatever the pod', () => {
    expect(filter(undefined, makeNodeInfo({ name: 'n1' })).code).toBe('Success');
    expect(filter(undefined, makeNodeInfo({ name: 'n1', spec: { unschedulable: false } })).code).toBe('Success');
  });

  it('rejects a cordoned node as UnschedulableAndUnresolvable', () => {
    expect(filter()).toEqual(REJECT);
    expect(filter([])).toEqual(REJECT);
  });

  it('passes a pod tolerating node.kubernetes.io/unschedulable:NoSchedule', () => {
    expect(filter([{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }]).code).toBe('Success');
    // empty effect matches NoSchedule
    expect(filter([{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' }]).code).toBe('Success');
    // Equal with no value: the taint checked has value "" -> "" == ""
    expect(filter([{ key: 'node.kubernetes.io/unschedulable', operator: 'Equal' }]).code).toBe('Success');
  });

  it('passes a pod with an Exists toleration with empty key (tolerates everything)', () => {
    expect(filter([{ operator: 'Exists' }]).code).toBe('Success');
  });

  it('other tolerations do not help', () => {
    // effect NoExecute != NoSchedule
    expect(filter([{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }])).toEqual(REJECT);
    // value "true" != ""
    expect(filter([{ key: 'node.kubernetes.io/unschedulable', operator: 'Equal', value: 'true' }])).toEqual(REJECT);
    expect(filter([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }])).toEqual(REJECT);
    // an empty key with Exists but a different effect
    expect(filter([{ operator: 'Exists', effect: 'PreferNoSchedule' }])).toEqual(REJECT);
  });
});
