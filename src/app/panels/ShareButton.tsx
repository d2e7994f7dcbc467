// Share: the session (scenario, the user's actions, the instant) as a link in
// the address bar (#s=..., no reload), copied to the clipboard. A popover
// says it was copied and how long it is, shows the link in a field to copy
// by hand when the browser would not, and offers the file when the link is
// too long to open or to travel through chat tools.
import { useCallback, useEffect, useRef, useState } from 'react';
import { MAX_LINK_CHARS } from '../../scenario/share-codec';
import { formatClock } from '../format-clock';
import { useSession } from '../session/session-context';
import type { ShareResult } from '../session/session-controller';
import { CHAT_LINK_CHARS } from '../session/share-url';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import { selectReady } from '../store/selectors';
import { useDismiss } from './use-dismiss';

const n = (x: number) => x.toLocaleString('en-US');

interface Shown {
  result: ShareResult;
  at: number;
  actions: number;
}

export function ShareButton() {
  const session = useSession();
  const store = useClusterStoreApi();
  const ready = useClusterStore(selectReady);
  const [shown, setShown] = useState<Shown | null>(null);
  const anchor = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setShown(null), []);
  useDismiss(anchor, shown !== null, close);

  const saveInstead = () => {
    session.saveSession();
    close();
  };
  const share = async () => {
    store.getState().pause();
    const result = await session.share();
    // The session as shared: the instant, and the actions up to it (those still ahead after a rewind are not in the link).
    const { now, timelineApplied } = store.getState();
    setShown({ result, at: now, actions: timelineApplied });
  };

  return (
    <div className="menu-anchor" ref={anchor}>
      <button
        type="button"
        className="btn"
        data-testid="share-button"
        aria-haspopup="dialog"
        aria-expanded={shown !== null}
        // Nothing to share until the session is built (the worker is still at it).
        disabled={!ready}
        title="Copy a link to this cluster at this instant"
        onClick={() => void share()}
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <circle cx="12" cy="3.5" r="2" fill="currentColor" />
          <circle cx="4" cy="8" r="2" fill="currentColor" />
          <circle cx="12" cy="12.5" r="2" fill="currentColor" />
          <path d="M10.2 4.5 5.8 7M5.8 9l4.4 2.5" stroke="currentColor" strokeWidth="1.4" />
        </svg>
        Share
      </button>
      {shown && shown.result.kind !== 'none' && <SharePopover shown={shown} onSave={saveInstead} onClose={close} />}
    </div>
  );
}

function SharePopover({ shown, onSave, onClose }: { shown: Shown; onSave: () => void; onClose: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const { result } = shown;
  const link = result.kind === 'link' ? result : null;
  useEffect(() => {
    // When the browser would not copy, the link is selected for Ctrl+C.
    if (link && !link.copied) field.current?.select();
  }, [link]);
  const what = `this cluster at ${formatClock(shown.at)}, paused${shown.actions > 0 ? `, after your ${shown.actions === 1 ? 'action' : `${n(shown.actions)} actions`}` : ''}`;
  return (
    <div className="popover share-popover" role="dialog" aria-label="Share link" data-testid="share-popover">
      {result.kind === 'too-long' ? (
        <>
          <p className="popover-title" data-testid="share-status" data-fit="too-long">
            Too large for a link
          </p>
          <p className="popover-text">
            This session would make a link of {n(result.length)} characters; links open up to {n(MAX_LINK_CHARS)}. Save it as a file and send that instead: it opens by Open file or by dropping it on the page.
          </p>
          <div className="popover-actions">
            <button type="button" className="btn btn-primary" data-testid="share-save-file" onClick={onSave}>
              Save session file
            </button>
            <button type="button" className="btn" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        link && (
          <>
            <p className="popover-title" data-testid="share-status" data-fit={link.fit} data-copied={link.copied}>
              {link.copied ? 'Link copied' : 'Copy this link'} <span className="popover-meta">· {n(link.length)} characters</span>
            </p>
            <input ref={field} className="share-url" data-testid="share-url" readOnly value={link.url} aria-label="Share link" onFocus={(e) => e.currentTarget.select()} />
            <p className="popover-text">Whoever opens it sees {what}: the same pods on the same nodes, the same events.</p>
            {link.fit === 'long' && (
              <p className="popover-text popover-warn" data-testid="share-long">
                Past {n(CHAT_LINK_CHARS)} characters, chat tools and mail often cut links. A file keeps everything:{' '}
                <button type="button" className="btn-link" data-testid="share-save-file" onClick={onSave}>
                  save the session as a file
                </button>
                .
              </p>
            )}
          </>
        )
      )}
    </div>
  );
}
