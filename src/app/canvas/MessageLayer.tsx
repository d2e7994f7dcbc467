// Messages in flight on the architecture canvas (issue 5 part 2): every wire
// message of the trace as a small token on its edge, coloured by verb, failed
// ones ringed. One <svg> inside React Flow's viewport (ViewportPortal), so it
// pans and zooms with the boxes without re-rendering; it re-renders only when
// the simulated now, the recent messages, the speed or the toggle change.
// Where each token is comes from message-flight.ts (pure).
import { ViewportPortal } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { useClusterStore } from '../store/store-context';
import { selectNow, selectRecentWire, selectSpeed } from '../store/selectors';
import { CLIENT_STUB_ID, tokensInFlight, VERB_KINDS, type Curve, type FlightGraph } from './message-flight';

interface MessageLayerProps {
  graph: FlightGraph;
  curves: ReadonlyMap<string, Curve>;
  /** Draw background traffic (raft heartbeats, lease renewals, the kubelets' gets). */
  background: boolean;
}

/** In canvas pixels: the default view shows the canvas at about half size. */
const TOKEN_RADIUS = 8;

export const MessageLayer = memo(function MessageLayer({ graph, curves, background }: MessageLayerProps) {
  const now = useClusterStore(selectNow);
  const messages = useClusterStore(selectRecentWire);
  const speed = useClusterStore(selectSpeed);
  const tokens = useMemo(() => tokensInFlight({ messages, now, speed, graph, curves, background }), [messages, now, speed, graph, curves, background]);
  const stub = curves.get(CLIENT_STUB_ID);
  const clientInFlight = tokens.some((t) => t.edge === CLIENT_STUB_ID);

  return (
    <ViewportPortal>
      <svg className="message-layer" data-testid="message-layer" data-count={tokens.length} aria-hidden="true">
        {stub && clientInFlight && <path className="client-stub" d={`M ${stub.p0.x} ${stub.p0.y} L ${stub.p3.x} ${stub.p3.y}`} />}
        {tokens.map((t) => (
          <g
            key={t.seq}
            className={`msg-token kind-${t.kind}${t.ok ? '' : ' failed'}`}
            transform={`translate(${t.x} ${t.y})`}
            data-testid="message-token"
            data-verb={t.verb}
            data-kind={t.kind}
            data-resource={t.resource}
            data-from={t.from}
            data-to={t.to}
            data-edge={t.edge}
            data-ok={t.ok}
          >
            <title>{t.label}</title>
            {!t.ok && <circle className="msg-ring" r={TOKEN_RADIUS + 5} />}
            <circle className="msg-dot" r={t.background ? TOKEN_RADIUS - 2 : TOKEN_RADIUS} />
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
