// Where wire messages fly on the canvas: edge mapping, progress, culling and colour.
import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../sim/kernel/trace';
import { architectureEdges } from './edges';
import { architectureLayout, layout, workerId } from './layout';
import { CLIENT_STUB_ID, edgeCurves, flightMs, isBackground, kubeletCurves, MAX_TOKENS, routeFor, tokensInFlight, verbKind, podOf, type Route } from './message-flight';

const graph = { etcd: ['etcd-1', 'etcd-2', 'etcd-3'], workers: ['node-1'] };
const edges = architectureEdges(graph.etcd, graph.workers);
const curves = edgeCurves(edges, layout(graph));

let seq = 0;
function msg(t: number, from: string, to: string, verb: string, extra: Partial<WireMessage> = {}): WireMessage {
  return { seq: ++seq, t, from, to, verb, resource: 'pods', key: 'default/web-1', ok: true, ...extra };
}
const at = (messages: WireMessage[], now: number, speed = 1, background = true) => tokensInFlight({ messages, now, speed, graph, curves, background });

// Layout of this graph (layout.ts): etcd boxes 180x66 in a 636 px row centred on 0
// (etcd-1 at x -318, etcd-2 at -90, etcd-3 at 138, y 0); kube-apiserver 300x74 at
// (-150, 138); node-1's card at (-132, 322).
describe('routeFor', () => {
  it('puts each message on the edge the canvas draws between its two ends', () => {
    const ids = new Set(edges.map((e) => e.id));
    const names = ['kube-apiserver', 'kube-scheduler', 'kube-controller-manager', 'etcd-1', 'etcd-2', 'etcd-3', 'kubelet/node-1', 'kube-proxy/node-1'];
    for (const from of names) {
      for (const to of names) {
        const r = routeFor({ from, to }, graph);
        if (r) expect(ids.has(r.edge), `${from} -> ${to}: ${r.edge}`).toBe(true);
      }
    }
    expect(routeFor({ from: 'kube-apiserver', to: 'etcd-2' }, graph)).toEqual({ edge: 'kube-apiserver->etcd-2', forward: true });
    expect(routeFor({ from: 'etcd-3', to: 'etcd-1' }, graph)).toEqual({ edge: 'etcd-1->etcd-3', forward: false });
    expect(routeFor({ from: 'kube-proxy/node-1', to: 'kube-apiserver' }, graph)).toEqual({ edge: 'kubelet:node-1->kube-apiserver', forward: true });
    expect(routeFor({ from: 'kube-apiserver', to: 'kubelet/node-1' }, graph)).toEqual({ edge: 'kubelet:node-1->kube-apiserver', forward: false });
    expect(routeFor({ from: 'kube-apiserver', to: 'kube-scheduler' }, graph)).toEqual({ edge: 'kube-scheduler->kube-apiserver', forward: false });
  });

  it('sends clients without a box along the stub above the apiserver, and skips what no edge joins', () => {
    expect(routeFor({ from: 'kubectl', to: 'kube-apiserver' }, graph)).toEqual({ edge: CLIENT_STUB_ID, forward: true });
    // A kubelet whose node has no card is a client too.
    expect(routeFor({ from: 'kubelet/node-9', to: 'kube-apiserver' }, graph)).toEqual({ edge: CLIENT_STUB_ID, forward: true });
    expect(routeFor({ from: 'kube-scheduler', to: 'etcd-1' }, graph)).toBeNull();
    expect(routeFor({ from: 'kubectl', to: 'test' }, graph)).toBeNull();
    expect(routeFor({ from: 'etcd-2', to: 'etcd-2' }, graph)).toBeNull();
  });
});

describe('tokensInFlight', () => {
  it('moves a raft ack from its sender to its receiver over 300 ms of sim time at 1x', () => {
    // etcd-2's left side is at (-90, 33), etcd-1's right side at (-138, 33).
    const ack = msg(1_000, 'etcd-2', 'etcd-1', 'raft heartbeat ack', { resource: 'raft' });
    expect(at([ack], 1_000).map((t) => [t.x, t.y, t.progress])).toEqual([[-90, 33, 0]]);
    expect(at([ack], 1_300).map((t) => [t.x, t.y, t.progress])).toEqual([[-138, 33, 1]]);
    // Neighbours' control points both sit halfway, (-114, 33): the middle of the flight is there.
    expect(at([ack], 1_150).map((t) => [t.x, t.y])).toEqual([[-114, 33]]);
    expect(at([ack], 1_301)).toEqual([]);
    expect(at([ack], 999)).toEqual([]);
  });

  it('follows React Flow bezier of the apiserver -> etcd edge', () => {
    // From the apiserver's top (0, 138) to etcd-1's bottom (-228, 66): both control points
    // go 72 / 2 = 36 px along their sides, to (0, 102) and (-228, 102). At t = 1/2 a cubic is
    // (p0 + 3 p1 + 3 p2 + p3) / 8: x = (0 + 0 - 684 - 228) / 8 = -114, y = (138 + 306 + 306 + 66) / 8 = 102.
    const txn = msg(5_000, 'kube-apiserver', 'etcd-1', 'txn', { resource: 'leases' });
    expect(at([txn], 5_150).map((t) => [t.edge, t.x, t.y])).toEqual([['kube-apiserver->etcd-1', -114, 102]]);
  });

  it('starts a kubelet message at its card and a watch event for kube-proxy at the apiserver', () => {
    const status = msg(2_000, 'kubelet/node-1', 'kube-apiserver', 'update status', { resource: 'pods/status' });
    const watch = msg(2_000, 'kube-apiserver', 'kube-proxy/node-1', 'watch', { detail: 'ADDED', resource: 'services' });
    // node-1's top centre is (-132 + 132, 322); the apiserver's bottom centre is (0, 138 + 74).
    expect(at([status, watch], 2_000).map((t) => [t.from, t.x, t.y])).toEqual([
      ['kubelet/node-1', 0, 322],
      ['kube-apiserver', 0, 212],
    ]);
  });

  it('scales the flight with the speed, never below 300 ms', () => {
    expect(flightMs(0.1)).toBe(300);
    expect(flightMs(1)).toBe(300);
    expect(flightMs(10)).toBe(3_000);
    expect(flightMs(100)).toBe(30_000);
    const m = msg(0, 'kube-scheduler', 'kube-apiserver', 'create', { resource: 'pods/binding' });
    // At 10x, 1.5 s after sending is halfway; at 1x it has long landed.
    expect(at([m], 1_500, 10).map((t) => t.progress)).toEqual([0.5]);
    expect(at([m], 1_500, 1)).toEqual([]);
  });

  it('draws at most 200 tokens, keeping the newest, and the newest last (on top)', () => {
    const many = Array.from({ length: 250 }, (_, i) => msg(10_000 + i, 'kube-apiserver', 'kube-controller-manager', 'watch', { detail: 'MODIFIED' }));
    const tokens = at(many, 10_249, 100);
    expect(tokens).toHaveLength(MAX_TOKENS);
    // The 50 oldest (sent at 10,000..10,049) are dropped.
    expect(tokens[0].seq).toBe(many[50].seq);
    expect(tokens[199].seq).toBe(many[249].seq);
  });

  it('hides background traffic when it is off, and keeps the rest', () => {
    const beat = msg(100, 'etcd-1', 'etcd-2', 'raft heartbeat', { resource: 'raft' });
    const append = msg(100, 'etcd-1', 'etcd-2', 'raft append', { resource: 'raft' });
    const lease = msg(100, 'kubelet/node-1', 'kube-apiserver', 'update', { resource: 'leases', key: 'kube-node-lease/node-1' });
    const get = msg(100, 'kubelet/node-1', 'kube-apiserver', 'get', { resource: 'nodes', key: 'node-1' });
    const bind = msg(100, 'kube-scheduler', 'kube-apiserver', 'create', { resource: 'pods/binding' });
    expect(at([beat, append, lease, get, bind], 200).map((t) => t.verb)).toEqual(['raft heartbeat', 'raft append', 'update', 'get', 'create']);
    expect(at([beat, append, lease, get, bind], 200, 1, false).map((t) => t.verb)).toEqual(['raft append', 'create']);
    expect([beat, lease, get].every(isBackground)).toBe(true);
    expect([append, bind].some(isBackground)).toBe(false);
  });

  it('marks failed messages and names them', () => {
    const failed = msg(0, 'kubelet/node-1', 'kube-apiserver', 'get', { resource: 'leases', key: 'kube-node-lease/node-1', ok: false, error: 'NotFound' });
    const [t] = at([failed], 0);
    expect(t.ok).toBe(false);
    expect(t.label).toBe('kubelet/node-1 → kube-apiserver get leases kube-node-lease/node-1 (NotFound)');
  });
});

describe('verbKind', () => {
  it('colours by verb family', () => {
    const cases: [string, string][] = [
      ['watch', 'watch'],
      ['watch ADDED', 'watch'],
      ['create', 'create'],
      ['bind', 'create'],
      ['update', 'update'],
      ['update status', 'update'],
      ['patch', 'update'],
      ['txn', 'update'],
      ['delete', 'delete'],
      ['evict', 'delete'],
      ['get', 'read'],
      ['list', 'read'],
      ['raft heartbeat', 'raft'],
      ['raft append', 'raft'],
      ['raft vote', 'raft'],
      ['subscribe', 'other'],
    ];
    expect(cases.map(([v]) => [v, verbKind(v)])).toEqual(cases);
  });
});

describe('messages in the level-of-detail view', () => {
  const big = { etcd: graph.etcd, workers: Array.from({ length: 1000 }, (_, i) => `node-${String(i + 1).padStart(4, '0')}`) };
  const { boxes } = architectureLayout(big);
  const tileCurves = kubeletCurves(big.workers, boxes);

  it('a kubelet message flies between its node\'s tile (top centre) and the apiserver (bottom centre), in its direction', () => {
    expect(tileCurves.size).toBe(1000);
    const api = boxes.get('kube-apiserver')!;
    const tile = boxes.get(workerId('node-0640'))!;
    const c = tileCurves.get('kubelet:node-0640->kube-apiserver')!;
    expect(c.p0).toEqual({ x: tile.x + tile.width / 2, y: tile.y });
    expect(c.p3).toEqual({ x: api.x + api.width / 2, y: api.y + api.height });
    // Control points half way up, as React Flow's bezier edge places them.
    expect(c.p1.y).toBeCloseTo(c.p0.y + (c.p3.y - c.p0.y) / 2, 10);
    const up = msg(1_000, 'kubelet/node-0640', 'kube-apiserver', 'update status');
    const down = msg(1_000, 'kube-apiserver', 'kubelet/node-0640', 'watch', { detail: 'MODIFIED' });
    const [a, b] = tokensInFlight({ messages: [up, down], now: 1_000, speed: 1, graph: big, curves: tileCurves, background: true });
    // Just sent: the kubelet's update is at its tile, the watch event at the apiserver.
    expect(a).toMatchObject({ edge: 'kubelet:node-0640->kube-apiserver', progress: 0, x: Math.round(c.p0.x * 10) / 10, y: Math.round(c.p0.y * 10) / 10 });
    expect(b).toMatchObject({ progress: 0, x: Math.round(c.p3.x * 10) / 10, y: Math.round(c.p3.y * 10) / 10 });
  });

  it('keeps MAX_TOKENS however many of the thousand kubelets talk at once, the newest ones', () => {
    const burst = big.workers.map((w, i) => msg(2_000 + i / 10, `kubelet/${w}`, 'kube-apiserver', 'update status'));
    const tokens = tokensInFlight({ messages: burst, now: 2_100, speed: 1, graph: big, curves: tileCurves, background: true });
    expect(tokens).toHaveLength(MAX_TOKENS);
    expect(tokens[tokens.length - 1].seq).toBe(burst[burst.length - 1].seq);
  });
});


describe('podOf', () => {
  it("names the pod of the API's pod messages and of etcd's pod keys, and nothing else", () => {
    expect(podOf({ resource: 'pods', key: 'default/web-1' })).toEqual({ pod: 'default/web-1' });
    expect(podOf({ resource: 'pods/binding', key: 'default/web-1' })).toEqual({ pod: 'default/web-1' });
    expect(podOf({ resource: 'pods', key: '/registry/pods/kube-system/dns-0' })).toEqual({ pod: 'kube-system/dns-0' });
    // A list or watch of all pods has no one pod; nodes and leases are not pods.
    expect(podOf({ resource: 'pods', key: '' })).toEqual({});
    expect(podOf({ resource: 'nodes', key: 'node-1' })).toEqual({});
    expect(podOf({ resource: 'leases', key: 'kube-node-lease/node-1' })).toEqual({});
  });
});

// A highly available control plane (layout-ha.ts, three machines): frames 488 wide
// from x = -760, 28 apart, so their centres are at -516, 0 and 516. kube-apiserver-i
// (224 x 60) at y 138..198 over its machine's centre; kube-scheduler-i at x centre - 10 - 224
// (its bottom centre at centre - 122, y 274); the load balancer at y 332..376 across
// them all; cloud-controller-manager (60 tall) level with it, at 324..384, so node-1's
// card (no fault zone here) is centred under it all at (-132, 384 + 110 = 494).
describe('messages through the load balancer', () => {
  const shape = [1, 2, 3].map((i) => ({ name: `control-plane-${i}`, etcd: [`etcd-${i}`], apiserver: `kube-apiserver-${i}`, scheduler: `kube-scheduler-${i}`, controllerManager: `kube-controller-manager-${i}` }));
  const ha = {
    apiservers: shape.map((m) => m.apiserver),
    clients: shape.flatMap((m) => [m.scheduler, m.controllerManager]),
  };
  const haGraph = { etcd: graph.etcd, workers: ['node-1'], ha, cloud: true };
  const l = architectureLayout({ etcd: haGraph.etcd, workers: haGraph.workers, controlPlane: shape, cloud: { controllerManager: true } });
  const haEdges = architectureEdges(haGraph.etcd, haGraph.workers, { controlPlane: shape, cloud: { controllerManager: true } });
  const haCurves = edgeCurves(haEdges, l.boxes, l.anchors);
  const fly = (messages: WireMessage[], now: number) => tokensInFlight({ messages, now, speed: 1, graph: haGraph, curves: haCurves, background: true });

  it('a client to the replica that served it: its own edge to the load balancer, then the balancer to that replica', () => {
    const ids = new Set(haEdges.map((e) => e.id));
    const legs = (r: ReturnType<typeof routeFor>) => {
      const out: string[] = [];
      for (let x: Route | null | undefined = r; x; x = x.then) out.push(`${x.edge}${x.forward ? '' : ' (back)'}`);
      for (const e of out) expect(ids.has(e.replace(' (back)', '')) || e.startsWith(CLIENT_STUB_ID), e).toBe(true);
      return out;
    };
    expect(legs(routeFor({ from: 'kube-scheduler-1', to: 'kube-apiserver-2' }, haGraph))).toEqual(['kube-scheduler-1->load-balancer', 'load-balancer->kube-apiserver-2']);
    // A watch event comes back the same way.
    expect(legs(routeFor({ from: 'kube-apiserver-2', to: 'kube-scheduler-1' }, haGraph))).toEqual(['load-balancer->kube-apiserver-2 (back)', 'kube-scheduler-1->load-balancer (back)']);
    expect(legs(routeFor({ from: 'kubelet/node-1', to: 'kube-apiserver-3' }, haGraph))).toEqual(['kubelet:node-1->load-balancer', 'load-balancer->kube-apiserver-3']);
    expect(legs(routeFor({ from: 'kubectl', to: 'kube-apiserver-1' }, haGraph))).toEqual([CLIENT_STUB_ID, 'load-balancer->kube-apiserver-1']);
    // Each replica writes to the member that leads, on whatever machine.
    expect(legs(routeFor({ from: 'kube-apiserver-3', to: 'etcd-1' }, haGraph))).toEqual(['kube-apiserver-3->etcd-1']);
    expect(legs(routeFor({ from: 'cloud-controller-manager', to: 'cloud' }, haGraph))).toEqual(['cloud-controller-manager->cloud']);
    expect(legs(routeFor({ from: 'cloud-controller-manager', to: 'kube-apiserver-1' }, haGraph))).toEqual(['cloud-controller-manager->load-balancer', 'load-balancer->kube-apiserver-1']);
    // No replica served it (all down): it stops at the load balancer.
    expect(legs(routeFor({ from: 'kube-scheduler-2', to: 'apiserver-lb' }, haGraph))).toEqual(['kube-scheduler-2->load-balancer']);
    // The balancer's health check of a replica.
    expect(legs(routeFor({ from: 'apiserver-lb', to: 'kube-apiserver-3' }, haGraph))).toEqual(['load-balancer->kube-apiserver-3']);
    expect(isBackground(msg(0, 'apiserver-lb', 'kube-apiserver-3', 'get', { resource: 'healthz', key: '/healthz' }))).toBe(true);
    expect(routeFor({ from: 'kube-scheduler-1', to: 'kube-scheduler-2' }, haGraph)).toBeNull();
  });

  it('flies the two legs at one speed: it reaches the load balancer after its share of the length', () => {
    // kube-scheduler-1's bottom centre (-638, 274) straight down to the balancer (-638, 332): 58 px; then from
    // the balancer under kube-apiserver-2 (0, 332) straight up to its bottom (0, 198): 134 px. 58 / 192 of 300 ms = 90.625 ms.
    const m = msg(1_000, 'kube-scheduler-1', 'kube-apiserver-2', 'create', { resource: 'pods/binding' });
    expect(fly([m], 1_000).map((t) => [t.edge, t.x, t.y])).toEqual([['kube-scheduler-1->load-balancer', -638, 274]]);
    expect(fly([m], 1_090.625).map((t) => [t.x, t.y])).toEqual([[-638, 332]]);
    expect(fly([m], 1_200).map((t) => t.edge)).toEqual(['load-balancer->kube-apiserver-2']);
    expect(fly([m], 1_300).map((t) => [t.x, t.y])).toEqual([[0, 198]]);
  });

  it("a watch event leaves the replica's bottom and lands on the kubelet's card", () => {
    const w = msg(0, 'kube-apiserver-3', 'kubelet/node-1', 'watch', { detail: 'MODIFIED' });
    expect(fly([w], 0).map((t) => [t.x, t.y])).toEqual([[516, 198]]);
    // node-1's card: 264 wide at x -132, so its top centre is (0, 494).
    expect(fly([w], 300).map((t) => [t.edge, t.x, t.y])).toEqual([['kubelet:node-1->load-balancer', 0, 494]]);
  });

  it('kubectl comes in from the left of the load balancer', () => {
    const stub = haCurves.get(CLIENT_STUB_ID)!;
    expect([stub.p0, stub.p3]).toEqual([
      { x: -760 - 56, y: 354 },
      { x: -760, y: 354 },
    ]);
  });
});
