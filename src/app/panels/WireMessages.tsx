import { memo } from 'react';
import type { WireMessage } from '../../sim/kernel/trace';
import { formatInstant } from '../format-clock';
import { WIRE_LIMIT } from '../store/cluster-store';
import { selectWire } from '../store/selectors';
import { Panel } from './Panel';
import { useThrottledStore } from './InspectorHooks';

/**
 * The newest wire messages between components, newest on top; failed ones marked. Refreshed at most
 * every VIEW_REFRESH_MS while the cluster runs: a list that changed every frame could not be read, and
 * at config-max rebuilding its rows each frame was the page's largest DOM churn.
 */
export function WireMessages() {
  const wire = useThrottledStore(selectWire);
  return (
    <Panel title="Wire messages" testId="wire-panel" count={`last ${Math.min(wire.length, WIRE_LIMIT)}`} className="wire-panel">
      {wire.length === 0 ? (
        <p className="empty">No messages yet. Press play or step.</p>
      ) : (
        <ol className="wire-list" data-testid="wire-list">
          {wire.map((m) => (
            <WireRow key={m.seq} m={m} />
          ))}
        </ol>
      )}
    </Panel>
  );
}

const WireRow = memo(function WireRow({ m }: { m: WireMessage }) {
  const verb = m.detail ? `${m.verb} ${m.detail}` : m.verb;
  return (
    <li
      className={m.ok ? 'wire' : 'wire failed'}
      data-testid="wire-message"
      data-verb={m.verb}
      data-ok={m.ok}
      title={`${formatInstant(m.t)}  ${m.from} → ${m.to}  ${verb}  ${[m.resource, m.key].filter(Boolean).join(' ')}${m.ok ? '' : `  failed: ${m.error ?? ''}`}`}
    >
      <span className="wire-t">{formatInstant(m.t)}</span>
      <span className="wire-route">
        <span className="wire-from">{m.from}</span>
        <span className="arrow" aria-label="to">
          →
        </span>
        <span className="wire-to">{m.to}</span>
      </span>
      <span className={`wire-verb verb-${verbClass(m.verb)}`}>{verb}</span>
      <span className="wire-target">
        {m.resource && <span className="wire-resource">{m.resource}</span>}
        {m.key && <span className="wire-key">{m.key}</span>}
        {!m.ok && <span className="wire-error">✕ {m.error ?? 'failed'}</span>}
      </span>
    </li>
  );
});

/** The wire list's verb colours: raft, watch, etcd reads and writes, API writes (the inspector's message list uses them too). */
export function verbClass(verb: string): string {
  if (verb.startsWith('raft')) return 'raft';
  if (verb.startsWith('watch')) return 'watch';
  if (verb === 'txn' || verb === 'compact' || verb === 'range') return 'etcd';
  return 'write';
}
