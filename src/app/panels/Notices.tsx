import { useClusterStore } from '../store/store-context';
import { selectDismissNotice, selectNotices } from '../store/selectors';

/** Non-blocking messages: a URL parameter that could not be used, a simulation that halted. */
export function Notices() {
  const notices = useClusterStore(selectNotices);
  const dismiss = useClusterStore(selectDismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="status">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.tone}`} data-testid="notice">
          <span className="notice-icon" aria-hidden="true">
            {n.tone === 'error' ? '✕' : '!'}
          </span>
          <span className="notice-text">{n.text}</span>
          <button type="button" className="btn btn-ghost notice-dismiss" data-testid="notice-dismiss" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
