// Messages in flight on the architecture canvas (issue 5 part 2): every wire
// message of the trace as a small token on its edge, coloured by verb, failed
// ones ringed. One <svg> inside React Flow's viewport (ViewportPortal), so it
// pans and zooms with the boxes without re-rendering; it re-renders only when
// the simulated now, the recent messages, the speed or the toggle change.
// Where each token is comes from message-flight.ts (pure).
import { useStore, ViewportPortal, type ReactFlowState } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { useClusterStore } from '../store/store-context';
import type { ClusterViewState } from '../store/cluster-store';
import { selectNow, selectRecentWire, selectSpeed } from '../store/selectors';
import { CLIENT_STUB_ID, tokensInFlight, VERB_KINDS, type Curve, type FlightGraph } from './message-flight';

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

export const MessageLayer = memo(function MessageLayer({ graph, curves, background, scaleWithZoom = false }: MessageLayerProps) {
  const zoom = useStore(scaleWithZoom ? selectZoom : selectOne);
  // Never larger than in the card view; smaller once zoomed in past SCREEN_RADIUS / TOKEN_RADIUS.
  const radius = Math.min(TOKEN_RADIUS, SCREEN_RADIUS / zoom);
  const ring = radius * (5 / 8);
  const now = useClusterStore(selectNow);
  const messages = useClusterStore(selectRecentWire);
  const speed = useClusterStore(selectSpeed);
  const tokens = useMemo(() => tokensInFlight({ messages, now, speed, graph, curves, background }), [messages, now, speed, graph, curves, background]);
  const stub = curves.get(CLIENT_STUB_ID);
  const clientInFlight = tokens.some((t) => t.edge === CLIENT_STUB_ID);
  // A selected pod's own messages stand out: its journey from the apiserver through the scheduler to its kubelet.
  const followed = useClusterStore(selectFollowedPod);

  return (
    <ViewportPortal>
      <svg className={`message-layer${scaleWithZoom ? ' scale-with-zoom' : ''}`} data-testid="message-layer" data-count={tokens.length} aria-hidden="true">
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
