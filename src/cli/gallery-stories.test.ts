// The gallery's guided stories, checked through the CLI: what each story
// tells the user to watch must be what the simulation does, at the instants
// the story names.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main';

type Obj = {
  kind: string;
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string; taints?: Array<{ key: string; effect: string }>; replicas?: number };
  status: { phase?: string; conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
  endpoints?: Array<{ nodeName?: string; conditions: { ready?: boolean; serving?: boolean; terminating?: boolean } }>;
};

function at(file: string, until: string): Obj[] {
  const out: string[] = [];
  const code = main(['run', fileURLToPath(new URL(`../scenario/examples/${file}`, import.meta.url)), '--until', until], (s) => out.push(s), () => {});
  expect(code).toBe(0);
  return JSON.parse(out.join('\n')).items as Obj[];
}

const pods = (items: Obj[], prefix: string) => items.filter((o) => o.kind === 'Pod' && o.metadata.name.startsWith(prefix));
const live = (items: Obj[], prefix: string) => pods(items, prefix).filter((p) => !p.metadata.deletionTimestamp);
const node = (items: Obj[], name: string) => items.find((o) => o.kind === 'Node' && o.metadata.name === name)!;
const taints = (o: Obj) => (o.spec.taints ?? []).map((t) => `${t.key}:${t.effect}`);
const nodesOf = (ps: Obj[]) => [...new Set(ps.map((p) => p.spec.nodeName ?? '-'))].sort();

describe('zone-outage', () => {
  const zoneA = ['node-01', 'node-04', 'node-07', 'node-10'];
  const zoneBDown = ['node-02', 'node-05', 'node-08'];
  const noExecute = (items: Obj[]) => zoneA.filter((n) => taints(node(items, n)).includes('node.kubernetes.io/unreachable:NoExecute'));

  it('taints the fully disrupted zone one node per 10 s (--node-eviction-rate 0.1)', () => {
    // Ready=Unknown at the 45.1 s pass; the first NoExecute taint right after, then one per 10 s.
    expect(noExecute(at('zone-outage.yaml', '52s'))).toHaveLength(1);
    expect(noExecute(at('zone-outage.yaml', '62s'))).toHaveLength(2);
    expect(noExecute(at('zone-outage.yaml', '82s'))).toHaveLength(4);
  });

  it('never taints the partially disrupted small zone NoExecute, so its pods stay', () => {
    const items = at('zone-outage.yaml', '400s');
    for (const n of zoneBDown) expect(taints(node(items, n))).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    for (const n of zoneBDown) expect(pods(items, 'web-').filter((p) => p.spec.nodeName === n && !p.metadata.deletionTimestamp)).toHaveLength(2);
  });

  it('evicts zone-a in waves 300 s after each taint, replacing the pods on the nodes still up', () => {
    const first = at('zone-outage.yaml', '355s');
    const second = at('zone-outage.yaml', '400s');
    const evicted = (items: Obj[]) => pods(items, 'web-').filter((p) => p.metadata.deletionTimestamp && zoneA.includes(p.spec.nodeName!)).length;
    expect(evicted(first)).toBe(2); // one node's two pods
    expect(evicted(second)).toBe(8); // all four nodes
    const up = ['node-03', 'node-06', 'node-09', 'node-11', 'node-12'];
    const replacements = live(second, 'web-').filter((p) => up.includes(p.spec.nodeName!));
    expect(replacements.length).toBe(24 - 6); // 24 wanted, 6 still (on paper) on zone-b's dead nodes
  });
});

describe('dedicated-nodes', () => {
  it('keeps web off the GPU nodes and the trainer on them', () => {
    const items = at('dedicated-nodes.yaml', '30s');
    expect(nodesOf(pods(items, 'web-'))).toEqual(['node-1', 'node-2']);
    expect(nodesOf(pods(items, 'trainer-'))).toEqual(['gpu-1', 'gpu-2']);
  });

  it('empties node-1 at once when it is tainted NoExecute, and the replacements avoid the GPU nodes', () => {
    const items = at('dedicated-nodes.yaml', '100s');
    expect(taints(node(items, 'node-1'))).toEqual(['maintenance:NoExecute']);
    const web = live(items, 'web-');
    expect(web).toHaveLength(4);
    expect(nodesOf(web)).toEqual(['node-2']);
    // The Node applied with only labels and taints kept its capacity and stayed Ready.
    expect(node(items, 'node-1').status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});

describe('pending-resources', () => {
  it('leaves the third pod Pending with the upstream message', () => {
    const items = at('pending-resources.yaml', '30s');
    const pending = pods(items, 'api-').filter((p) => !p.spec.nodeName);
    expect(pending).toHaveLength(1);
    expect(pending[0].status.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message: '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    });
  });

  it('binds it to node-3 once node-3 has joined and lost its not-ready taint', () => {
    expect(pods(at('pending-resources.yaml', '61s'), 'api-').filter((p) => !p.spec.nodeName)).toHaveLength(1);
    const items = at('pending-resources.yaml', '75s');
    expect(pods(items, 'api-').filter((p) => p.spec.nodeName === 'node-3')).toHaveLength(1);
    expect(pods(items, 'api-').every((p) => p.status.phase === 'Running')).toBe(true);
  });
});

describe('control-plane-down', () => {
  it('creates but does not bind pods while kube-scheduler is down', () => {
    const items = at('control-plane-down.yaml', '50s');
    expect(pods(items, 'web-')).toHaveLength(5);
    expect(pods(items, 'web-').filter((p) => !p.spec.nodeName)).toHaveLength(3);
  });

  it('does nothing about the second scale-up while kube-controller-manager is down either', () => {
    const items = at('control-plane-down.yaml', '85s');
    expect(items.find((o) => o.kind === 'Deployment')!.spec.replicas).toBe(7);
    expect(pods(items, 'web-')).toHaveLength(5);
  });

  it('binds the waiting pods when the scheduler returns, and finishes the scale-up when the controller-manager leads again', () => {
    // The stopped scheduler gave its Lease up (ReleaseOnCancel): the new one takes it at its first try.
    expect(pods(at('control-plane-down.yaml', '95s'), 'web-').filter((p) => p.spec.nodeName)).toHaveLength(5);
    // The controller-manager did not: back at 120 s, it first waits 15 s (from its first read of the Lease) and
    // takes over at its next try, 2 to 4.4 s apart, so by 139.4 s; nothing new before 135 s.
    expect(pods(at('control-plane-down.yaml', '134s'), 'web-')).toHaveLength(5);
    const items = at('control-plane-down.yaml', '145s');
    expect(pods(items, 'web-')).toHaveLength(7);
    expect(pods(items, 'web-').every((p) => p.status.phase === 'Running')).toBe(true);
  });
});

describe('service-endpoints', () => {
  const slice = (items: Obj[]) => items.find((o) => o.kind === 'EndpointSlice')!;
  const on = (items: Obj[], n: string) => slice(items).endpoints!.filter((e) => e.nodeName === n).map((e) => e.conditions);

  it("keeps the dead node's endpoint ready until the node is Unknown, then not ready", () => {
    expect(on(at('service-endpoints.yaml', '45s'), 'node-2')).toEqual([{ ready: true, serving: true, terminating: false }]);
    expect(on(at('service-endpoints.yaml', '47s'), 'node-2')).toEqual([{ ready: false, serving: false, terminating: false }]);
  });

  it('marks it terminating at the eviction, and a ready replacement joins the slice', () => {
    const items = at('service-endpoints.yaml', '380s');
    expect(on(items, 'node-2')).toEqual([{ ready: false, serving: false, terminating: true }]);
    expect(slice(items).endpoints!.filter((e) => e.conditions.ready)).toHaveLength(3);
  });
});
