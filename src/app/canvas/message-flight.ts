// Messages in flight (issue 5 part 2): where each wire message of the trace
// (src/sim/kernel/trace.ts) is drawn on the architecture canvas at a given
// instant. Pure: the position is a function of the message, the simulated
// `now`, the speed and the layout, so a paused view stands still and the
// same trace always gives the same picture.
//
// Flight time (the choice): a message sent at sim time t is drawn while now
// is in [t, t + flight], moving from sender to receiver with progress
// (now - t) / flight. flight = 300 ms of sim time x the speed, never less
// than 300 ms: at 1x and faster a token takes 300 ms of wall time, whatever
// the speed, so it can be followed by eye; at 0.1x it takes 3 s (slow
// motion). At 100x the window is 30 s of sim time, which holds hundreds of
// heartbeats, so only the newest MAX_TOKENS messages are drawn (the older
// ones are nearest to arrival, and are the ones dropped).
//
// In a highly available control plane a client's message to kube-apiserver-2
// flies in two legs, client -> load balancer -> kube-apiserver-2 (the trace
// names the replica that served it; the load balancer is no component and
// sends no message of its own), and a watch event back the same way; the
// flight is shared between the legs by their length, so a token keeps one
// speed. cloud-controller-manager's calls to the cloud API fly to the cloud box.
import type { Edge } from '@xyflow/react';
import type { WireMessage } from '../../sim/kernel/trace';
import { apiToEtcdEdgeId, CLOUD_EDGE_ID, componentEdgeId, lbEdgeId, raftEdgeId, workerEdgeId, type EdgeSides } from './edges';
import { anchorKey, type Anchor } from './layout-ha';
import { APISERVER_ID, CLOUD_CONTROLLER_MANAGER_ID, CLOUD_ID, CONTROLLER_MANAGER_ID, HEAT_MAP_ID, LOAD_BALANCER_ID, SCHEDULER_ID, workerId, type Box } from './layout';

export const FLIGHT_MS_AT_1X = 300;
/** At most this many tokens are drawn at once. */
export const MAX_TOKENS = 200;
/** The load balancer's name in the trace (src/sim/apiserver/load-balancer.ts LB_NAME): its health checks and refused dials. */
export const BALANCER_NAME = 'apiserver-lb';
/** Messages from a client without a box (kubectl, tests) arrive on this short stub above the apiserver. */
export const CLIENT_STUB_ID = 'client->kube-apiserver';
const CLIENT_STUB_LENGTH = 56;

export function flightMs(speed: number): number {
  return FLIGHT_MS_AT_1X * Math.max(speed, 1);
}

/** The colour family of a message's verb. */
export type VerbKind = 'watch' | 'create' | 'update' | 'delete' | 'read' | 'raft' | 'other';

export const VERB_KINDS: readonly { kind: VerbKind; label: string }[] = [
  { kind: 'watch', label: 'watch event' },
  { kind: 'create', label: 'create/bind' },
  { kind: 'update', label: 'update/patch/txn' },
  { kind: 'delete', label: 'delete' },
  { kind: 'read', label: 'get/list' },
  { kind: 'raft', label: 'raft' },
];

export function verbKind(verb: string): VerbKind {
  if (verb.startsWith('raft')) return 'raft';
  if (verb.startsWith('watch')) return 'watch';
  const first = verb.split(' ')[0];
  switch (first) {
    case 'create':
    case 'bind':
      return 'create';
    // An etcd txn is the write the apiserver makes for a create/update/delete.
    case 'txn':
    case 'update':
    case 'patch':
      return 'update';
    case 'delete':
    case 'evict':
    case 'compact':
      return 'delete';
    case 'get':
    case 'list':
      return 'read';
    default:
      return 'other';
  }
}

/**
 * The steady chatter a healthy cluster makes with nothing happening: raft
 * heartbeats and their acks, node lease renewals (kubelet get/update of its
 * Lease, the apiserver's txn for it, the watch events it causes), the
 * kubelet's periodic get of its Node, and watch bookmarks; in HA the load
 * balancer's health checks (GET /healthz every 2 s on each apiserver) and
 * the leader elections' Lease renewals (leases, like the nodes').
 */
export function isBackground(m: WireMessage): boolean {
  if (m.verb.startsWith('raft heartbeat')) return true;
  if (m.resource === 'leases' || m.resource === 'healthz') return true;
  if (m.detail === 'BOOKMARK') return true;
  return m.from.startsWith('kubelet/') && m.verb === 'get' && m.resource === 'nodes';
}

/** What the layer needs to know of the canvas: who has a box, and where the boxes are. */
export interface FlightGraph {
  etcd: readonly string[];
  workers: readonly string[];
  /** A highly available control plane: the apiserver replicas and the clients with a box (schedulers, controller-managers); clients' messages pass the load balancer. */
  ha?: { apiservers: readonly string[]; clients: readonly string[] } | null;
  /** cloud-controller-manager and the cloud have boxes. */
  cloud?: boolean;
}

/** The edge a message travels on, and whether it goes from the edge's source to its target; `then`: the leg after it. */
export interface Route {
  edge: string;
  forward: boolean;
  then?: Route;
}

/** The workers as a set, once per array: a lookup per message must not scan 1,000 names. */
const workerSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function hasWorker(graph: FlightGraph, node: string): boolean {
  let set = workerSets.get(graph.workers);
  if (!set) workerSets.set(graph.workers, (set = new Set(graph.workers)));
  return set.has(node);
}

type Endpoint =
  | { kind: 'apiserver'; id: string }
  | { kind: 'lb' }
  | { kind: 'etcd'; index: number }
  | { kind: 'component'; id: string }
  | { kind: 'worker'; node: string }
  | { kind: 'cloud' }
  | { kind: 'client' };

function endpoint(name: string, graph: FlightGraph): Endpoint {
  if (graph.cloud && name === CLOUD_CONTROLLER_MANAGER_ID) return { kind: 'component', id: name };
  if (graph.cloud && name === CLOUD_ID) return { kind: 'cloud' };
  if (graph.ha) {
    if (graph.ha.apiservers.includes(name)) return { kind: 'apiserver', id: name };
    // The front door's own name: a request no replica served (all down) stops at the load balancer.
    if (name === APISERVER_ID || name === LOAD_BALANCER_ID || name === BALANCER_NAME) return { kind: 'lb' };
    if (graph.ha.clients.includes(name)) return { kind: 'component', id: name };
  } else {
    if (name === APISERVER_ID) return { kind: 'apiserver', id: name };
    if (name === SCHEDULER_ID || name === CONTROLLER_MANAGER_ID) return { kind: 'component', id: name };
  }
  const etcd = graph.etcd.indexOf(name);
  if (etcd >= 0) return { kind: 'etcd', index: etcd };
  const slash = name.indexOf('/');
  if (slash > 0) {
    const agent = name.slice(0, slash);
    const node = name.slice(slash + 1);
    // kubelet and kube-proxy both live in their node's card and share its edge.
    if ((agent === 'kubelet' || agent === 'kube-proxy') && hasWorker(graph, node)) return { kind: 'worker', node };
  }
  return { kind: 'client' };
}

/** The edge of the message; null when nothing on the canvas joins its two ends. */
export function routeFor(m: Pick<WireMessage, 'from' | 'to'>, graph: FlightGraph): Route | null {
  const from = endpoint(m.from, graph);
  const to = endpoint(m.to, graph);
  if (from.kind === 'etcd' && to.kind === 'etcd') {
    if (from.index === to.index) return null;
    const [lo, hi] = from.index < to.index ? [from.index, to.index] : [to.index, from.index];
    return { edge: raftEdgeId(graph.etcd[lo], graph.etcd[hi]), forward: from.index < to.index };
  }
  if (from.kind === 'cloud' || to.kind === 'cloud') {
    const ccm = from.kind === 'cloud' ? to : from;
    return ccm.kind === 'component' && ccm.id === CLOUD_CONTROLLER_MANAGER_ID ? { edge: CLOUD_EDGE_ID, forward: to.kind === 'cloud' } : null;
  }
  if (graph.ha) return haRoute(from, to, graph);
  // Every other edge has the apiserver at one end: the component's edge, or the member's.
  const other = from.kind === 'apiserver' ? to : to.kind === 'apiserver' ? from : null;
  if (!other) return null;
  const fromApiserver = from.kind === 'apiserver';
  switch (other.kind) {
    case 'etcd':
      return { edge: apiToEtcdEdgeId(graph.etcd[other.index]), forward: fromApiserver };
    case 'component':
      return { edge: componentEdgeId(other.id), forward: !fromApiserver };
    case 'worker':
      return { edge: workerEdgeId(other.node), forward: !fromApiserver };
    case 'client':
      return { edge: CLIENT_STUB_ID, forward: !fromApiserver };
    default:
      return null;
  }
}

/** A client's own leg, from its box to the load balancer (edge oriented client -> load balancer). */
function clientLeg(e: Endpoint): string | null {
  switch (e.kind) {
    case 'component':
      return componentEdgeId(e.id, LOAD_BALANCER_ID);
    case 'worker':
      return workerEdgeId(e.node, LOAD_BALANCER_ID);
    case 'client':
      return CLIENT_STUB_ID;
    default:
      return null;
  }
}

/** HA: an apiserver replica to an etcd member directly; a client to a replica through the load balancer (two legs). */
function haRoute(from: Endpoint, to: Endpoint, graph: FlightGraph): Route | null {
  if (from.kind === 'apiserver' && to.kind === 'etcd') return { edge: apiToEtcdEdgeId(graph.etcd[to.index], from.id), forward: true };
  if (to.kind === 'apiserver' && from.kind === 'etcd') return { edge: apiToEtcdEdgeId(graph.etcd[from.index], to.id), forward: false };
  // The balancer's own: a health check of a replica, a dial it refused.
  if (from.kind === 'lb' && to.kind === 'apiserver') return { edge: lbEdgeId(to.id), forward: true };
  if (to.kind === 'lb' && from.kind === 'apiserver') return { edge: lbEdgeId(from.id), forward: false };
  const toServer = to.kind === 'apiserver' || to.kind === 'lb';
  const server = toServer ? to : from;
  const client = toServer ? from : to;
  if (server.kind !== 'apiserver' && server.kind !== 'lb') return null;
  const leg = clientLeg(client);
  if (leg === null) return null;
  if (server.kind === 'lb') return { edge: leg, forward: toServer };
  const lb = lbEdgeId(server.id);
  return toServer ? { edge: leg, forward: true, then: { edge: lb, forward: true } } : { edge: lb, forward: false, then: { edge: leg, forward: false } };
}

export interface Point {
  x: number;
  y: number;
}

/** A cubic Bézier, as React Flow's default edge draws it. */
export interface Curve {
  p0: Point;
  p1: Point;
  p2: Point;
  p3: Point;
}

type Side = 'top' | 'right' | 'bottom' | 'left';

/** The sides the handles sit on (nodes/ControlPlaneNode.tsx, nodes/WorkerNodeCard.tsx); edges of the HA and cloud boxes carry theirs (edges.ts EdgeSides). */
function handleSide(nodeId: string, handle: string | null | undefined): Side {
  if (nodeId === APISERVER_ID) return handle === 'etcd' ? 'top' : handle === 'left' ? 'left' : handle === 'right' ? 'right' : 'bottom';
  if (nodeId === SCHEDULER_ID) return 'right';
  if (nodeId === CONTROLLER_MANAGER_ID) return 'left';
  if (nodeId.startsWith(workerId('')) || nodeId === HEAT_MAP_ID) return 'top';
  // etcd members
  return handle === 'api' ? 'bottom' : handle === 'peer-in' ? 'left' : handle === 'peer-out' ? 'right' : 'top';
}

function anchor(box: Box, side: Side): Point {
  switch (side) {
    case 'top':
      return { x: box.x + box.width / 2, y: box.y };
    case 'bottom':
      return { x: box.x + box.width / 2, y: box.y + box.height };
    case 'left':
      return { x: box.x, y: box.y + box.height / 2 };
    case 'right':
      return { x: box.x + box.width, y: box.y + box.height / 2 };
  }
}

// React Flow's bezier edge (@xyflow/system getBezierPath, curvature 0.25):
// each control point leaves its handle along the handle's side, half the
// distance to the other end, or a little when the other end is behind it.
const CURVATURE = 0.25;
function controlOffset(distance: number): number {
  return distance >= 0 ? 0.5 * distance : CURVATURE * 25 * Math.sqrt(-distance);
}
function control(p: Point, side: Side, other: Point): Point {
  switch (side) {
    case 'left':
      return { x: p.x - controlOffset(p.x - other.x), y: p.y };
    case 'right':
      return { x: p.x + controlOffset(other.x - p.x), y: p.y };
    case 'top':
      return { x: p.x, y: p.y - controlOffset(p.y - other.y) };
    case 'bottom':
      return { x: p.x, y: p.y + controlOffset(other.y - p.y) };
  }
}

type CurveEdge = Pick<Edge, 'id' | 'source' | 'target' | 'sourceHandle' | 'targetHandle'> & { data?: Partial<EdgeSides> };

/** The curve of every edge (and the client stub), from the layout's boxes and its handles placed at a point (layout-ha.ts anchors). */
export function edgeCurves(edges: readonly CurveEdge[], boxes: ReadonlyMap<string, Box>, anchors: ReadonlyMap<string, Anchor> = new Map()): Map<string, Curve> {
  const out = new Map<string, Curve>();
  for (const e of edges) {
    const sb = boxes.get(e.source);
    const tb = boxes.get(e.target);
    if (!sb || !tb) continue;
    const sides = e.data?.sides;
    const sa = anchors.get(anchorKey(e.source, e.sourceHandle ?? ''));
    const ta = anchors.get(anchorKey(e.target, e.targetHandle ?? ''));
    const ss = sa?.side ?? sides?.[0] ?? handleSide(e.source, e.sourceHandle);
    const ts = ta?.side ?? sides?.[1] ?? handleSide(e.target, e.targetHandle);
    const p0 = sa ? { x: sa.x, y: sa.y } : anchor(sb, ss);
    const p3 = ta ? { x: ta.x, y: ta.y } : anchor(tb, ts);
    out.set(e.id, { p0, p1: control(p0, ss, p3), p2: control(p3, ts, p0), p3 });
  }
  const api = boxes.get(APISERVER_ID);
  const lb = boxes.get(LOAD_BALANCER_ID);
  if (lb) {
    // Clients without a box come in from the left of the load balancer.
    const y = lb.y + lb.height / 2;
    const p0 = { x: lb.x - CLIENT_STUB_LENGTH, y };
    const p3 = { x: lb.x, y };
    out.set(CLIENT_STUB_ID, { p0, p1: p0, p2: p3, p3 });
  } else if (api) {
    // Near the apiserver's right corner, clear of the etcd edges that leave its top centre.
    const x = api.x + api.width - 24;
    const p0 = { x, y: api.y - CLIENT_STUB_LENGTH };
    const p3 = { x, y: api.y };
    out.set(CLIENT_STUB_ID, { p0, p1: p0, p2: p3, p3 });
  }
  return out;
}

/**
 * In the level-of-detail view the kubelets have no edges of their own (one
 * edge joins the heat map to kube-apiserver): their messages fly between the
 * top of the node's tile and the apiserver's bottom, on the curve an edge
 * there would take.
 */
export function kubeletCurves(workers: readonly string[], boxes: ReadonlyMap<string, Box>, target: string = APISERVER_ID): Map<string, Curve> {
  const out = new Map<string, Curve>();
  const api = boxes.get(target);
  if (!api) return out;
  // Oriented as the kubelet's edge is (source the node, target the apiserver or the load balancer), so a route's `forward` holds.
  const p3 = anchor(api, 'bottom');
  for (const w of workers) {
    const box = boxes.get(workerId(w));
    if (!box) continue;
    const p0 = anchor(box, 'top');
    out.set(workerEdgeId(w, target), { p0, p1: control(p0, 'top', p3), p2: control(p3, 'bottom', p0), p3 });
  }
  return out;
}

/** A curve's length, from 16 chords (the legs of a route share its flight by length). */
const lengths = new WeakMap<Curve, number>();
export function curveLength(c: Curve): number {
  let len = lengths.get(c);
  if (len !== undefined) return len;
  len = 0;
  let prev = c.p0;
  for (let i = 1; i <= 16; i++) {
    const p = pointOnCurve(c, i / 16);
    len += Math.hypot(p.x - prev.x, p.y - prev.y);
    prev = p;
  }
  lengths.set(c, len);
  return len;
}

/** Where a token is on its route at `progress` (0..1 over the whole route): its leg, and the point. */
export function placeOnRoute(route: Route, curves: ReadonlyMap<string, Curve>, progress: number): { edge: string; point: Point } | null {
  const legs: { leg: Route; curve: Curve }[] = [];
  for (let r: Route | undefined = route; r; r = r.then) {
    const curve = curves.get(r.edge);
    if (!curve) return null;
    legs.push({ leg: r, curve });
  }
  const total = legs.reduce((sum, l) => sum + curveLength(l.curve), 0);
  let rest = progress * total;
  for (let i = 0; i < legs.length; i++) {
    const { leg, curve } = legs[i];
    const len = curveLength(curve);
    if (rest <= len || i === legs.length - 1) {
      const t = len > 0 ? Math.min(rest / len, 1) : 1;
      return { edge: leg.edge, point: pointOnCurve(curve, leg.forward ? t : 1 - t) };
    }
    rest -= len;
  }
  return null;
}

export function pointOnCurve(c: Curve, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const d = 3 * u * t * t;
  const e = t * t * t;
  return { x: a * c.p0.x + b * c.p1.x + d * c.p2.x + e * c.p3.x, y: a * c.p0.y + b * c.p1.y + d * c.p2.y + e * c.p3.y };
}

export interface Token {
  seq: number;
  /** The wire message's verb, as the trace says it ("raft heartbeat", "update status", ...). */
  verb: string;
  kind: VerbKind;
  /** pods, pods/binding, raft, ... */
  resource: string;
  from: string;
  to: string;
  edge: string;
  /** 0 at the sender, 1 at the receiver. */
  progress: number;
  x: number;
  y: number;
  ok: boolean;
  background: boolean;
  /** namespace/name of the pod the message is about (its create, watch events, binding, status), if it is about one. */
  pod?: string;
  /** One line for a tooltip or a test: "kube-apiserver → etcd-1 txn leases kube-node-lease/node-1". */
  label: string;
}

export interface FlightInput {
  /** Recent wire messages, oldest first. */
  messages: readonly WireMessage[];
  now: number;
  speed: number;
  graph: FlightGraph;
  curves: ReadonlyMap<string, Curve>;
  /** Whether background traffic (isBackground) is drawn. */
  background: boolean;
  maxTokens?: number;
  /** Only the messages this accepts (the aggregate view draws the selection's own messages alone, message-rates.ts). */
  only?: (m: WireMessage) => boolean;
}

/** The tokens to draw at `now`, oldest first (so the newest is drawn on top). */
export function tokensInFlight(input: FlightInput): Token[] {
  const { messages, now, graph, curves } = input;
  const flight = flightMs(input.speed);
  const max = input.maxTokens ?? MAX_TOKENS;
  const out: Token[] = [];
  // Newest first, so the cap keeps the newest; stop at the first message that already landed.
  for (let i = messages.length - 1; i >= 0 && out.length < max; i--) {
    const m = messages[i];
    if (m.t > now) continue;
    if (m.t < now - flight) break;
    if (input.only && !input.only(m)) continue;
    const background = isBackground(m);
    if (background && !input.background) continue;
    const route = routeFor(m, graph);
    if (!route) continue;
    const progress = (now - m.t) / flight;
    let edge = route.edge;
    let p: Point;
    if (route.then) {
      const placed = placeOnRoute(route, curves, progress);
      if (!placed) continue;
      edge = placed.edge;
      p = placed.point;
    } else {
      // One leg (every route of a single control plane): the curve's own parameter, as before.
      const curve = curves.get(route.edge);
      if (!curve) continue;
      p = pointOnCurve(curve, route.forward ? progress : 1 - progress);
    }
    const what = m.detail ? `${m.verb} ${m.detail}` : m.verb;
    out.push({
      seq: m.seq,
      verb: m.verb,
      kind: verbKind(m.verb),
      resource: m.resource,
      from: m.from,
      to: m.to,
      edge,
      progress,
      x: Math.round(p.x * 10) / 10,
      y: Math.round(p.y * 10) / 10,
      ok: m.ok,
      background,
      ...podOf(m),
      label: `${m.from} → ${m.to} ${what} ${m.resource} ${m.key}${m.ok ? '' : ` (${m.error ?? 'failed'})`}`,
    });
  }
  return out.reverse();
}

const ETCD_POD_PREFIX = '/registry/pods/';

/** The pod a message is about: the API's pods and pods/* resources keyed namespace/name, and etcd's /registry/pods/ keys. */
export function podOf(m: Pick<WireMessage, 'resource' | 'key'>): { pod?: string } {
  if (m.resource !== 'pods' && !m.resource.startsWith('pods/')) return {};
  const key = m.key.startsWith(ETCD_POD_PREFIX) ? m.key.slice(ETCD_POD_PREFIX.length) : m.key;
  return key.includes('/') ? { pod: key } : {};
}
