// Messages in flight on the architecture canvas (issue 5 part 2): every wire
// message of the trace as a small token on its edge, coloured by verb, failed
// ones ringed. One <svg> inside React Flow's viewport (ViewportPortal), so it
// pans and zooms with the boxes without re-rendering; it re-renders only when
// the simulated now, the recent messages, the speed or the toggle change.
// Where each token is comes from message-flight.ts (pure).
//
// In aggregate (the level-of-detail view, issue 9: thousands of messages per
// simulated second) each edge carries its flow instead (message-rates.ts):
// a dashed stroke per direction, as thick as the rate is high (log scale),
// its dashes moving with simulated time (a paused view is still), coloured
// by the kind most of its messages have, labelled with the rate; the
// selected object's own messages are still drawn one by one on top. A
// dozen elements a frame instead of hundreds of tokens.
import { useStore, ViewportPortal, type ReactFlowState } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { edgeFlows, formatRate, messageAbout, type EdgeFlow } from './message-rates';
import { useClusterStore } from '../store/store-context';
import type { ClusterViewState } from '../store/cluster-store';
import { selectNow, selectRecentWire, selectSpeed } from '../store/selectors';
import { CLIENT_STUB_ID, curveLength, flightMs, tokensInFlight, VERB_KINDS, type Curve, type FlightGraph } from './message-flight';

interface MessageLayerProps {
  graph: FlightGraph;
  curves: ReadonlyMap<string, Curve>;
  /** Draw background traffic (raft heartbeats, lease renewals, the kubelets' gets). */
  background: boolean;
  /**
   * Keep tokens the same size on screen at any zoom (the level-of-detail
   * view zooms from the whole heat map in to single cards); otherwise they
   * are drawn in canvas pixels and grow with the boxes.
   */
  scaleWithZoom?: boolean;
  /** Each edge's rate instead of a token per message, and tokens only for the selection's messages. */
  aggregate?: boolean;
}

/** In canvas pixels: the default view shows the canvas at about half size. */
const TOKEN_RADIUS = 8;
/** With scaleWithZoom, a token is at most this many screen pixels across its radius. */
const SCREEN_RADIUS = 4.5;

const selectZoom = (s: ReactFlowState) => s.transform[2];
/** namespace/name of the selected pod, or null. */
const selectFollowedPod = (s: ClusterViewState): string | null =>
  s.selection?.type === 'object' && s.selection.key.startsWith('Pod/') ? s.selection.key.slice('Pod/'.length) : null;
const selectOne = () => 1;
const selectSelection = (s: ClusterViewState) => s.selection;
/** The dash pattern of a flow, in screen pixels: a dash and a gap. */
const DASH = 4;
const GAP = 8;
/** A flow is labelled with its rate when its edge is at least this many screen pixels long. */
const MIN_LABELLED_EDGE = 90;

export const MessageLayer = memo(function MessageLayer({ graph, curves, background, scaleWithZoom = false, aggregate = false }: MessageLayerProps) {
  const zoom = useStore(scaleWithZoom ? selectZoom : selectOne);
  // Never larger than in the card view; smaller once zoomed in past SCREEN_RADIUS / TOKEN_RADIUS.
  const radius = Math.min(TOKEN_RADIUS, SCREEN_RADIUS / zoom);
  const ring = radius * (5 / 8);
  const now = useClusterStore(selectNow);
  const messages = useClusterStore(selectRecentWire);
  const speed = useClusterStore(selectSpeed);
  const selection = useClusterStore(selectSelection);
  const about = useMemo(() => (aggregate ? messageAbout(selection) : null), [aggregate, selection]);
  const tokens = useMemo(
    () => (aggregate && !about ? [] : tokensInFlight({ messages, now, speed, graph, curves, background, ...(about ? { only: about } : {}) })),
    [aggregate, about, messages, now, speed, graph, curves, background],
  );
  const flows = useMemo(() => (aggregate ? edgeFlows({ messages, now, speed, graph, curves, background }) : null), [aggregate, messages, now, speed, graph, curves, background]);
  const stub = curves.get(CLIENT_STUB_ID);
  const clientInFlight = tokens.some((t) => t.edge === CLIENT_STUB_ID);
  // A selected pod's own messages stand out: its journey from the apiserver through the scheduler to its kubelet.
  const followed = useClusterStore(selectFollowedPod);

  return (
    <ViewportPortal>
      <svg
        className={`message-layer${scaleWithZoom ? ' scale-with-zoom' : ''}`}
        data-testid="message-layer"
        data-count={tokens.length}
        data-mode={aggregate ? 'aggregate' : 'tokens'}
        aria-hidden="true"
      >
        {flows?.map((f) => {
          const c = curves.get(f.edge);
          return c ? <Flow key={`${f.edge}|${f.forward}`} flow={f} curve={c} now={now} flight={flightMs(speed)} zoom={zoom} /> : null;
        })}
        {stub && clientInFlight && <path className="client-stub" d={`M ${stub.p0.x} ${stub.p0.y} L ${stub.p3.x} ${stub.p3.y}`} />}
        {tokens.map((t) => (
          <g
            key={t.seq}
            className={`msg-token kind-${t.kind}${t.ok ? '' : ' failed'}${t.pod ? ' about-pod' : ''}${followed !== null && t.pod === followed ? ' followed' : ''}`}
            transform={`translate(${t.x} ${t.y})`}
            data-testid="message-token"
            data-verb={t.verb}
            data-kind={t.kind}
            data-resource={t.resource}
            data-from={t.from}
            data-to={t.to}
            data-edge={t.edge}
            data-ok={t.ok}
            data-pod={t.pod}
          >
            <title>{t.label}</title>
            {!t.ok && <circle className="msg-ring" r={radius + ring} />}
            {t.pod ? (
              // A pod's messages are drawn as little pods: the same rounded square as its token on the node card.
              <rect className="msg-dot" x={-radius} y={-radius} width={radius * 2} height={radius * 2} rx={radius * 0.35} />
            ) : (
              <circle className="msg-dot" r={t.background ? radius * 0.75 : radius} />
            )}
          </g>
        ))}
      </svg>
    </ViewportPortal>
  );
});

/**
 * One edge's flow one way: a dashed stroke along the edge (drawn from the
 * sender's end, so the dashes move towards the receiver), as wide as
 * log10 of the rate, dashes advancing one period per flight of simulated
 * time; its rate as a label beside the middle of the edge.
 */
const Flow = memo(function Flow({ flow, curve, now, flight, zoom }: { flow: EdgeFlow; curve: Curve; now: number; flight: number; zoom: number }) {
  const { p0, p1, p2, p3 } = flow.forward ? curve : { p0: curve.p3, p1: curve.p2, p2: curve.p1, p3: curve.p0 };
  const px = 1 / zoom;
  const width = Math.min(8, 1.5 + 1.5 * Math.log10(1 + flow.rate)) * px;
  const period = (DASH + GAP) * px;
  const offset = -((now / flight) % 1) * period;
  // The label sits beside the curve's middle, the two directions on either side of it.
  const mid = { x: (p0.x + 3 * p1.x + 3 * p2.x + p3.x) / 8, y: (p0.y + 3 * p1.y + 3 * p2.y + p3.y) / 8 };
  const side = flow.forward ? 1 : -1;
  // A short edge (a component beside the apiserver) has no room for a label that does not cover a box's name.
  const labelled = curveLength(curve) * zoom >= MIN_LABELLED_EDGE;
  return (
    <g
      className={`msg-flow kind-${flow.kind}${flow.failed > 0 ? ' failed' : ''}`}
      data-testid="message-flow"
      data-edge={flow.edge}
      data-forward={flow.forward}
      data-count={flow.count}
      data-rate={Math.round(flow.rate)}
      data-kind={flow.kind}
      data-at-least={flow.atLeast}
    >
      <path
        className="msg-flow-path"
        d={`M ${p0.x} ${p0.y} C ${p1.x} ${p1.y} ${p2.x} ${p2.y} ${p3.x} ${p3.y}`}
        strokeWidth={width}
        strokeDasharray={`${DASH * px} ${GAP * px}`}
        strokeDashoffset={offset}
      />
      {labelled && (
        <text className="msg-flow-label" x={mid.x + side * 10 * px} y={mid.y} fontSize={11 * px} strokeWidth={3 * px} textAnchor={flow.forward ? 'start' : 'end'}>
          {flow.atLeast ? `≥ ${formatRate(flow.rate)}` : formatRate(flow.rate)}
        </text>
      )}
    </g>
  );
});

/** The key to the tokens' colours, in the canvas's corner. */
export const MessageLegend = memo(function MessageLegend() {
  return (
    <ul className="message-legend" data-testid="message-legend" aria-label="Message colours">
      {VERB_KINDS.map((k) => (
        <li key={k.kind}>
          <svg width="12" height="12" aria-hidden="true">
            <circle className={`msg-dot kind-${k.kind}`} cx="6" cy="6" r="4.5" />
          </svg>
          {k.label}
        </li>
      ))}
      <li title="A pod's own messages: its creation, the watch events about it, its binding and its status updates. Select a pod to follow its journey.">
        <svg width="12" height="12" aria-hidden="true">
          <rect className="msg-dot kind-other" x="1.5" y="1.5" width="9" height="9" rx="2.5" />
        </svg>
        a pod's
      </li>
      <li>
        <svg width="14" height="14" aria-hidden="true">
          <circle className="msg-ring" cx="7" cy="7" r="5.5" />
          <circle className="msg-dot kind-other" cx="7" cy="7" r="3" />
        </svg>
        failed
      </li>
    </ul>
  );
});
