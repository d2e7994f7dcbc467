import { memo } from 'react';
import type { ObjectRow } from '../store/object-rows';
import { useClusterStore } from '../store/store-context';
import { selectObjects } from '../store/selectors';
import { Panel } from './Panel';

/** Every stored object, as `kubectl get` would summarize it. Rows re-render only when their object changed. */
export function ObjectsTable() {
  const rows = useClusterStore(selectObjects);
  return (
    <Panel title="Objects" testId="objects-panel" count={`${rows.length}`} className="objects-panel">
      <table className="objects" data-testid="objects-table">
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
          {rows.map((r) => (
            <ObjectTableRow key={r.key} row={r} />
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="empty">No objects in the cluster.</p>}
    </Panel>
  );
}

const ObjectTableRow = memo(function ObjectTableRow({ row }: { row: ObjectRow }) {
  return (
    <tr data-testid="object-row" data-kind={row.kind} data-namespace={row.namespace} data-name={row.name}>
      <td>
        <span className={`kind kind-${row.kind.toLowerCase()}`}>{row.kind}</span>
      </td>
      <td className="muted">{row.namespace || '—'}</td>
      <td className="name">{row.name}</td>
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
