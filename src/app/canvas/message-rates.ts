// The message flow in aggregate (issue 9): past the level-of-detail
// threshold a cluster sends thousands of wire messages per simulated second
// (5,000 kubelets renew a Lease every 10 s), far more than tokens can show
// one by one, so each edge shows its rate instead: how many messages
// travelled it, each way, per simulated second over the flight window
// (message-flight.ts flightMs), and the verb kind most of them had. The
// kubelets' messages, which fly to each tile's own curve one by one, are
// counted on the heat map's one edge. Individual tokens remain for the
// messages about what is selected (messageAbout). Pure: the same trace,
// instant and layout give the same flows.
import type { WireMessage } from '../../sim/kernel/trace';
import type { Selection } from '../store/cluster-store';
import { HEAT_MAP_EDGE_ID } from './lod-edges';
import { flightMs, isBackground, podOf, routeFor, verbKind, VERB_KINDS, type Curve, type FlightInput, type Route, type VerbKind } from './message-flight';

export interface EdgeFlow {
  edge: string;
  /** From the edge's source to its target (a kubelet's request to the apiserver), or back (a watch event to it). */
  forward: boolean;
  /** Messages sent in the window. */
  count: number;
  /** Messages per simulated second. */
  rate: number;
  /** The verb kind most of them had (ties: VERB_KINDS' order). */
  kind: VerbKind;
  /** How many of them failed. */
  failed: number;
  /** The store's window of recent messages (recent-wire.ts) did not reach back a whole flight: count and rate are at least this. */
  atLeast: boolean;
}

/** What the rates are counted from: the flights' input (message-flight.ts), background traffic counted or not. */
export type FlowInput = Omit<FlightInput, 'maxTokens' | 'only'>;

/** Where a route's legs are counted: a kubelet's own curve in the heat map counts on the heat map's edge. */
function countedEdge(edge: string, curves: ReadonlyMap<string, Curve>): string | null {
  if (edge.startsWith('kubelet:') && curves.has(HEAT_MAP_EDGE_ID)) return HEAT_MAP_EDGE_ID;
  return curves.has(edge) ? edge : null;
}

const KIND_ORDER = new Map<VerbKind, number>([...VERB_KINDS.map((k, i) => [k.kind, i] as const), ['other', VERB_KINDS.length]]);

/** The flows of the flight window ending at `now`, one per edge and direction that carried a message, in a stable order. */
export function edgeFlows(input: FlowInput): EdgeFlow[] {
  const { messages, now, graph, curves } = input;
  const flight = flightMs(input.speed);
  const from = now - flight;
  const acc = new Map<string, { edge: string; forward: boolean; count: number; failed: number; kinds: Map<VerbKind, number> }>();
  let truncated = messages.length > 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.t > now) continue;
    if (m.t < from) {
      truncated = false;
      break;
    }
    if (!input.background && isBackground(m)) continue;
    const route = routeFor(m, graph);
    for (let r: Route | undefined = route ?? undefined; r; r = r.then) {
      const edge = countedEdge(r.edge, curves);
      if (edge === null) continue;
      const key = `${edge}|${r.forward ? 1 : 0}`;
      let a = acc.get(key);
      if (!a) acc.set(key, (a = { edge, forward: r.forward, count: 0, failed: 0, kinds: new Map() }));
      a.count++;
      if (!m.ok) a.failed++;
      const kind = verbKind(m.verb);
      a.kinds.set(kind, (a.kinds.get(kind) ?? 0) + 1);
    }
  }
  // The store keeps a bounded window of messages: when it holds less than a flight, the flows say they are lower bounds.
  const out: EdgeFlow[] = [];
  for (const a of acc.values()) {
    let kind: VerbKind = 'other';
    let most = -1;
    for (const [k, n] of a.kinds) if (n > most || (n === most && KIND_ORDER.get(k)! < KIND_ORDER.get(kind)!)) [kind, most] = [k, n];
    out.push({ edge: a.edge, forward: a.forward, count: a.count, rate: (a.count * 1000) / flight, kind, failed: a.failed, atLeast: truncated });
  }
  return out.sort((x, y) => (x.edge < y.edge ? -1 : x.edge > y.edge ? 1 : Number(y.forward) - Number(x.forward)));
}

const PLURALS: Record<string, string> = { Endpoints: 'endpoints' };

/**
 * Whether a message is about the selection, whose own messages are drawn one
 * by one over the flows: a Pod's (its create, watch events, binding and
 * status, podOf), a Node's (its kubelet's and kube-proxy's traffic, its
 * Node object and its Lease), a component's (everything it sent or
 * received), another object's (its key in its resource).
 */
export function messageAbout(selection: Selection | null): ((m: WireMessage) => boolean) | null {
  if (!selection) return null;
  if (selection.type === 'component') {
    const name = selection.name;
    return (m) => m.from === name || m.to === name;
  }
  const [kind, namespace, ...rest] = selection.key.split('/');
  const name = rest.join('/');
  if (kind === 'Pod') {
    const pod = `${namespace}/${name}`;
    return (m) => podOf(m).pod === pod;
  }
  if (kind === 'Node') {
    const agents = [`kubelet/${name}`, `kube-proxy/${name}`];
    const lease = `kube-node-lease/${name}`;
    return (m) => agents.includes(m.from) || agents.includes(m.to) || (m.resource === 'nodes' && m.key === name) || (m.resource === 'leases' && m.key === lease);
  }
  const resource = PLURALS[kind] ?? `${kind.toLowerCase()}s`;
  const key = namespace ? `${namespace}/${name}` : name;
  return (m) => m.resource === resource && m.key === key;
}

/** "840/s", "1.2k/s": a rate as the flow's label says it. */
export function formatRate(rate: number): string {
  if (rate >= 1000) return `${(rate / 1000).toFixed(rate >= 10_000 ? 0 : 1)}k/s`;
  if (rate >= 10) return `${Math.round(rate)}/s`;
  return `${rate.toFixed(1)}/s`;
}
