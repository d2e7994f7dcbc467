// The cluster's Events as `kubectl events` prints them (LAST SEEN, TYPE,
// REASON, OBJECT, MESSAGE; a repeat reads "12s (x3 over 1m)"), newest first,
// Warning rows marked. Clicking an event's object opens it in the inspector.
// The list (the `storedEvents` query) follows etcd's revision, refreshed at
// most every VIEW_REFRESH_MS.
import { memo, useMemo, useRef } from 'react';
import { useSimQuery } from '../host/use-sim-query';
import { selectRevision } from '../store/selectors';
import { eventInterval, eventRows, type EventRow } from '../store/events-view';
import { useAgeNow, useSelectable, useThrottledStore } from './InspectorHooks';

/** The table shows the newest this many; kubectl would print them all, a page cannot. */
export const EVENTS_SHOWN = 300;

export function EventsPanel() {
  const revision = useThrottledStore(selectRevision); // recompute when etcd moved
  const events = useSimQuery('storedEvents', [], revision);
  const previous = useRef(new Map<string, EventRow>());
  const rows = useMemo(() => {
    if (!events) return [];
    const all = eventRows(events, previous.current);
    previous.current = new Map(all.map((r) => [r.id, r]));
    return all.reverse();
  }, [events]);
  const now = useAgeNow();
  const shown = rows.length > EVENTS_SHOWN ? rows.slice(0, EVENTS_SHOWN) : rows;

  if (rows.length === 0) return <p className="empty">No events yet. Components report what they do here: Scheduled, Pulling, Started, FailedScheduling, ...</p>;
  return (
    <>
      <table className="objects events" data-testid="events-table">
        <thead>
          <tr>
            <th scope="col">Last seen</th>
            <th scope="col">Type</th>
            <th scope="col">Reason</th>
            <th scope="col">Object</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <EventTableRow key={r.id} row={r} lastSeen={eventInterval(r, now)} />
          ))}
        </tbody>
      </table>
      {rows.length > shown.length && (
        <p className="empty" data-testid="events-more">
          Showing the newest {shown.length} of {rows.length.toLocaleString('en-US')} events.
        </p>
      )}
    </>
  );
}

const EventTableRow = memo(function EventTableRow({ row, lastSeen }: { row: EventRow; lastSeen: string }) {
  const warning = row.type === 'Warning';
  const { selected, select } = useSelectable('object', row.objectKey);
  return (
    <tr
      className={`${warning ? 'event-warning' : ''}${selected ? ' is-selected' : ''}`}
      data-testid="event-row"
      data-type={row.type}
      data-reason={row.reason}
      data-object={row.object}
      onClick={select}
    >
      <td className="muted event-seen">
        <LastSeen text={lastSeen} />
      </td>
      <td>
        <span className={`status status-${warning ? 'warn' : 'muted'} event-type`}>{row.type}</span>
      </td>
      <td className="event-reason">{row.reason}</td>
      <td className="event-object">
        <button type="button" className="select-link" onClick={select} title={`Inspect ${row.object}`}>
          {row.object}
        </button>
      </td>
      <td className="event-message" title={row.message}>
        {row.message}
      </td>
    </tr>
  );
});

/** "12s (x3 over 1m)": the repeat count set apart from the age. */
function LastSeen({ text }: { text: string }) {
  const i = text.indexOf(' (');
  if (i < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, i)} <span className="event-repeat">{text.slice(i + 1)}</span>
    </>
  );
}
