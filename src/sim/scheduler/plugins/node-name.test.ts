import { describe, expect, it } from 'vitest';
import type { FilterPlugin } from '../framework/types';
import { ERR_REASON_NODE_NAME, NODE_NAME, fitsNodeName, newNodeName } from './node-name';
import { makeHandle, makeNodeInfo, makePod, newCycleState } from './test-nodes';

// Upstream: pkg/scheduler/framework/plugins/nodename.
const plugin = () => newNodeName(undefined, makeHandle([])) as FilterPlugin;
const n1 = makeNodeInfo({ name: 'n1' });

describe('NodeName', () => {
  it('names as upstream', () => {
    expect(plugin().name).toBe(NODE_NAME);
    expect(ERR_REASON_NODE_NAME).toBe("node(s) didn't match the requested node name");
  });

  it('passes every node when the pod names none', () => {
    expect(plugin().filter(newCycleState(), makePod(), n1).code).toBe('Success');
    expect(fitsNodeName(makePod({ spec: { nodeName: '' } }), n1)).toBe(true);
  });

  it('passes only the named node; others are UnschedulableAndUnresolvable', () => {
    expect(plugin().filter(newCycleState(), makePod({ nodeName: 'n1' }), n1).code).toBe('Success');
    expect(plugin().filter(newCycleState(), makePod({ nodeName: 'n2' }), n1)).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_NODE_NAME] });
    // exact comparison
    expect(fitsNodeName(makePod({ nodeName: 'N1' }), n1)).toBe(false);
  });
});
