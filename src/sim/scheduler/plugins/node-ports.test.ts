import { describe, expect, it } from 'vitest';
import type { ContainerPort } from 'kubernetes-types/core/v1';
import type { Pod } from '../../api/types';
import type { FilterPlugin, NodeInfo, PreFilterPlugin } from '../framework/types';
import { ERR_REASON_NODE_PORTS, NODE_PORTS, NODE_PORTS_PRE_FILTER_STATE_KEY, fitsPorts, newNodePorts } from './node-ports';
import { makeHandle, makeNodeInfo, makePod, newCycleState } from './test-nodes';

// Upstream: pkg/scheduler/framework/plugins/nodeports.
type Plugin = PreFilterPlugin & FilterPlugin;
const plugin = (nodes: NodeInfo[] = []) => newNodePorts(undefined, makeHandle(nodes)) as Plugin;
const withPorts = (...ports: ContainerPort[]): Pod => makePod({ containers: [{ ports }] });
const port = (hostPort: number, hostIP?: string, protocol?: string): ContainerPort => ({
  containerPort: hostPort,
  hostPort,
  ...(hostIP !== undefined ? { hostIP } : {}),
  ...(protocol !== undefined ? { protocol } : {}),
});
/** A node running one pod that holds these host ports. */
const nodeUsing = (...ports: ContainerPort[]) => makeNodeInfo({ name: 'n1', pods: [withPorts(...ports)] });

function run(pod: Pod, ni: NodeInfo): string {
  const p = plugin([ni]);
  const state = newCycleState();
  const pre = p.preFilter(state, pod, [ni]);
  if (pre.status.code === 'Skip') return 'Skip';
  expect(pre.status.code).toBe('Success');
  const s = p.filter(state, pod, ni);
  return s.code === 'Success' ? 'Success' : `${s.code}: ${s.reasons.join(', ')}`;
}

const CONFLICT = `Unschedulable: ${ERR_REASON_NODE_PORTS}`;

describe('NodePorts', () => {
  it('names as upstream', () => {
    expect(plugin().name).toBe(NODE_PORTS);
    expect(NODE_PORTS_PRE_FILTER_STATE_KEY).toBe('PreFilterNodePorts');
    expect(ERR_REASON_NODE_PORTS).toBe("node(s) didn't have free ports for the requested pod ports");
  });

  it('skips pods without host ports at PreFilter', () => {
    const state = newCycleState();
    expect(plugin().preFilter(state, makePod(), []).status.code).toBe('Skip');
    expect(state.read(NODE_PORTS_PRE_FILTER_STATE_KEY)).toBeUndefined();
    // containerPort alone is not a host port; nor is hostPort 0
    expect(run(withPorts({ containerPort: 80 }, { containerPort: 81, hostPort: 0 }), nodeUsing(port(80)))).toBe('Skip');
    // a plain init container's host port is not kept for the pod's life
    expect(run(makePod({ initContainers: [{ ports: [port(80)] }] }), nodeUsing(port(80)))).toBe('Skip');
  });

  it('rejects a port in use as Unschedulable (preemption can free it)', () => {
    expect(run(withPorts(port(8080)), nodeUsing(port(8080)))).toBe(CONFLICT);
    const p = plugin();
    const state = newCycleState();
    const pod = withPorts(port(8080));
    p.preFilter(state, pod, []);
    expect(p.filter(state, pod, nodeUsing(port(8080)))).toEqual({ code: 'Unschedulable', reasons: [ERR_REASON_NODE_PORTS] });
  });

  it('passes free ports, and on an empty node', () => {
    expect(run(withPorts(port(8081)), nodeUsing(port(8080)))).toBe('Success');
    expect(run(withPorts(port(8080)), makeNodeInfo({ name: 'empty' }))).toBe('Success');
  });

  it('IP rules: 0.0.0.0 conflicts with every IP; two specific IPs only when equal', () => {
    // wanted all addresses vs used on 10.0.0.1
    expect(run(withPorts(port(80)), nodeUsing(port(80, '10.0.0.1')))).toBe(CONFLICT);
    // wanted 10.0.0.1 vs used on all addresses
    expect(run(withPorts(port(80, '10.0.0.1')), nodeUsing(port(80)))).toBe(CONFLICT);
    // explicit 0.0.0.0 is the same as ""
    expect(run(withPorts(port(80, '0.0.0.0')), nodeUsing(port(80, '')))).toBe(CONFLICT);
    expect(run(withPorts(port(80, '10.0.0.1')), nodeUsing(port(80, '10.0.0.1')))).toBe(CONFLICT);
    expect(run(withPorts(port(80, '10.0.0.1')), nodeUsing(port(80, '10.0.0.2')))).toBe('Success');
  });

  it('the protocol distinguishes; "" is TCP', () => {
    expect(run(withPorts(port(53, undefined, 'UDP')), nodeUsing(port(53)))).toBe('Success'); // UDP vs TCP
    expect(run(withPorts(port(53, undefined, 'UDP')), nodeUsing(port(53, undefined, 'UDP')))).toBe(CONFLICT);
    expect(run(withPorts(port(53, '', '')), nodeUsing(port(53, undefined, 'TCP')))).toBe(CONFLICT);
    expect(run(withPorts(port(53, undefined, 'SCTP')), nodeUsing(port(53, undefined, 'UDP'), port(53)))).toBe('Success');
  });

  it('counts sidecar ports, on both the incoming pod and the placed ones', () => {
    const sidecarPod = (hostPort: number) => makePod({ initContainers: [{ restartPolicy: 'Always', ports: [port(hostPort)] }] });
    expect(run(sidecarPod(9000), nodeUsing(port(9000)))).toBe(CONFLICT);
    expect(run(withPorts(port(9000)), makeNodeInfo({ name: 'n1', pods: [sidecarPod(9000)] }))).toBe(CONFLICT);
  });

  it('any one conflicting port of several rejects', () => {
    expect(run(withPorts(port(1), port(2), port(3)), nodeUsing(port(3)))).toBe(CONFLICT);
  });

  it('works without PreFilter (state missing)', () => {
    const p = plugin();
    expect(p.filter(newCycleState(), withPorts(port(80)), nodeUsing(port(80))).code).toBe('Unschedulable');
    expect(p.filter(newCycleState(), makePod(), nodeUsing(port(80))).code).toBe('Success');
  });

  it('fitsPorts', () => {
    expect(fitsPorts([], nodeUsing(port(80)))).toBe(true);
    expect(fitsPorts([{ ip: '0.0.0.0', protocol: 'TCP', port: 80 }], nodeUsing(port(80)))).toBe(false);
  });
});
