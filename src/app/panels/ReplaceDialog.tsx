// Asks before a link, a file or a menu choice replaces a session that holds
// unsaved work: Save it first (downloads the session file, then opens),
// Replace, or Cancel (the current session stays, and the link leaves the
// address bar).
import { useEffect, useId, useRef } from 'react';
import { formatClock } from '../format-clock';
import { selectConfirm, useSession, useSessionUi } from '../session/session-context';
import { useClusterStoreApi } from '../store/store-context';

export function ReplaceDialog() {
  const request = useSessionUi(selectConfirm);
  const session = useSession();
  const store = useClusterStoreApi();
  const titleId = useId();
  const replace = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!request) return;
    replace.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') session.resolveConfirm('cancel');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [request, session]);
  if (!request) return null;
  // Read once, as the dialog opens: the session as it stands then.
  const { load, timeline, now } = store.getState();
  const actions = timeline.length;
  const current = `${load.ok ? `“${load.scenarioName}”` : 'the current scenario'}${actions > 0 ? ` with your ${actions === 1 ? 'action' : `${actions} actions`}` : ''}, at ${formatClock(now)}`;
  return (
    <div className="dialog-overlay" data-testid="replace-dialog">
      <div className="dialog-backdrop" />
      <section className="dialog confirm-dialog" role="alertdialog" aria-modal="true" aria-labelledby={titleId}>
        <header className="dialog-header">
          <h2 id={titleId} data-testid="replace-title">
            Open {request.what}?
          </h2>
        </header>
        <div className="dialog-body">
          <p className="dialog-text">Your current session will be replaced: {current}. It is not saved in a file or a link.</p>
        </div>
        <footer className="dialog-footer">
          <button type="button" className="btn" data-testid="replace-save" onClick={() => session.resolveConfirm('save')}>
            Save it first
          </button>
          <span className="dialog-spacer" />
          <button type="button" className="btn" data-testid="replace-cancel" onClick={() => session.resolveConfirm('cancel')}>
            Cancel
          </button>
          <button ref={replace} type="button" className="btn btn-primary" data-testid="replace-confirm" onClick={() => session.resolveConfirm('replace')}>
            Replace
          </button>
        </footer>
      </section>
    </div>
  );
}
