import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ObjectRow } from '../store/object-rows';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import { selectRowWindow } from '../store/selectors';
import { rowAt } from '../store/row-window';
import { useSelectable } from './InspectorHooks';
import { visibleWindow } from './virtual-window';

/** Every row is this tall (styles.css pins it), so the rows in view follow from the scroll offset. */
export const ROW_HEIGHT = 34;

/**
 * The stored objects, as `kubectl get` would summarize each (the "Objects" tab
 * of the centre panel, Tabs.tsx). Only the rows in view are in the DOM, so a
 * cluster of thousands of pods costs what one screenful does; the store
 * holds every row where the simulation runs and sends the page only the rows
 * in view (showRows), so 150,000 rows never cross to the main thread. A row
 * re-renders only when its object changed or it became (un)selected, and a
 * click opens the object in the inspector.
 */
export function ObjectsTable() {
  // The store's rows leave Events and Leases out (object-feed.ts); the same window while its rows are the same.
  const win = useClusterStore(selectRowWindow);
  const store = useClusterStoreApi();
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const measure = useCallback(() => {
    const el = scroller.current;
    if (el) setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
  }, []);
  useLayoutEffect(() => {
    measure();
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [measure]);
  const total = win.total;
  const { start, end } = visibleWindow(total, ROW_HEIGHT, view.top, view.height);
  // Ask for what is in view; a scroll shows the rows it reaches a message later (the margin hides most of that).
  useEffect(() => {
    const s = store.getState();
    if (s.rowWindow.start !== start || s.rowWindow.start + s.rowWindow.rows.length < Math.min(end, s.rowWindow.total) || s.rowWindow.rows.length > end - start) s.showRows(start, end);
  }, [store, start, end, total]);
  // The rows of [start, end) the window holds: one run, from `first`.
  const first = Math.min(Math.max(start, win.start), total);
  const shown: ObjectRow[] = [];
  for (let i = first; i < end; i++) {
    const r = rowAt(win, i);
    if (!r) break;
    shown.push(r);
  }
  return (
    <div className="objects-scroll" ref={scroller} onScroll={measure} data-testid="objects-scroll">
      <table className="objects" data-testid="objects-table" data-rows={total}>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Namespace</th>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {first > 0 && <Spacer rows={first} />}
          {shown.map((r) => (
            <ObjectTableRow key={r.key} row={r} />
          ))}
          {first + shown.length < total && <Spacer rows={total - first - shown.length} />}
        </tbody>
      </table>
      {total === 0 && <p className="empty">No objects in the cluster.</p>}
    </div>
  );
}

/** Stands for rows out of view, so the scrollbar is as long as the whole table. */
function Spacer({ rows }: { rows: number }) {
  return (
    <tr className="spacer" aria-hidden="true">
      <td colSpan={5} style={{ height: rows * ROW_HEIGHT }} />
    </tr>
  );
}

const ObjectTableRow = memo(function ObjectTableRow({ row }: { row: ObjectRow }) {
  const { selected, select } = useSelectable('object', row.key);
  return (
    <tr data-testid="object-row" data-kind={row.kind} data-namespace={row.namespace} data-name={row.name} className={selected ? 'is-selected' : undefined} onClick={select}>
      <td>
        <span className={`kind kind-${row.kind.toLowerCase()}`}>{row.kind}</span>
      </td>
      <td className="muted">{row.namespace || '—'}</td>
      <td className="name">
        <button type="button" className="select-link" onClick={select} title={`Inspect ${row.kind} ${row.name}`}>
          {row.name}
        </button>
      </td>
      <td data-testid="object-status">
        {row.status && (
          <span className={`status status-${row.tone}`}>
            {row.tone !== 'muted' && <span className={`dot ${row.tone}`} aria-hidden="true" />}
            {row.status}
          </span>
        )}
      </td>
      <td className="muted detail">{row.detail}</td>
    </tr>
  );
});
