// The kubectl console (issue 6 part 4): a terminal drawer at the bottom of
// the page, opened from the header's "kubectl" button or the ` key. The
// prompt is `$ kubectl `; Enter runs the line through the kubectl engine
// (src/kubectl) against the live cluster, with kubectl's own text on stdout
// and stderr (errors in red); Up/Down walk the history, Tab completes (the
// candidates are listed when several fit), Ctrl+C stops `get -w` and
// `rollout status` (or the Stop button), Ctrl+L or `clear` clears, `apply -f
// -` opens the YAML editor. Every change goes through the store, so it is a
// timeline action in the Actions panel. The session (scrollback, history, a
// running watch) lives in ConsoleSession (store/console-session.ts) and
// survives closing the drawer.
import { createContext, memo, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent, type ReactNode } from 'react';
import { ConsoleSession, type ConsoleHandle } from '../store/console-session';
import type { ConsoleLine } from '../store/console-output';
import { useClusterStoreApi } from '../store/store-context';

interface ConsoleControl {
  open: boolean;
  setOpen: (open: boolean) => void;
  session: ConsoleHandle;
}

const ConsoleContext = createContext<ConsoleControl | null>(null);

function useConsole(): ConsoleControl {
  const c = useContext(ConsoleContext);
  if (!c) throw new Error('The kubectl console needs a <ConsoleProvider> above it.');
  return c;
}

/** True for a key press aimed at a field (or a button) rather than at the page. */
function inField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

/** Holds the console's session and whether the drawer is open; ` toggles it from anywhere but a field. */
export function ConsoleProvider({ children }: { children: ReactNode }) {
  const store = useClusterStoreApi();
  const [open, setOpen] = useState(false);
  // With the simulation in the worker the session lives there too (its mirror is the host's).
  const session = useMemo<ConsoleHandle>(() => store.host?.console ?? new ConsoleSession(store), [store]);
  useEffect(() => () => session.dispose(), [session]);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== '`' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || inField(e.target)) return;
      if (store.getState().editor !== null) return; // the YAML editor has the keyboard
      e.preventDefault();
      setOpen((o) => !o);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
  const value = useMemo(() => ({ open, setOpen, session }), [open, session]);
  return <ConsoleContext.Provider value={value}>{children}</ConsoleContext.Provider>;
}

/** The header's button. */
export function ConsoleToggle() {
  const { open, setOpen } = useConsole();
  return (
    <button
      type="button"
      className={`btn console-toggle${open ? ' active' : ''}`}
      data-testid="console-toggle"
      aria-pressed={open}
      aria-controls="kubectl-console"
      aria-label="kubectl console"
      title="kubectl console (`)"
      onClick={() => setOpen(!open)}
    >
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <rect x="1.5" y="2.5" width="13" height="11" rx="2" fill="none" stroke="currentColor" strokeWidth="1.4" />
        <path d="M4.5 6l2.2 2-2.2 2M8.5 10.5h3" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span className="console-toggle-label">kubectl</span>
    </button>
  );
}

/** The drawer: mounted the first time it opens, then only hidden, so a running watch and the scrollback stay. */
export function ConsoleDrawer() {
  const { open } = useConsole();
  const [mounted, setMounted] = useState(open);
  if (open && !mounted) setMounted(true);
  return mounted ? <ConsoleView /> : null;
}

function ConsoleView() {
  const { open, setOpen, session } = useConsole();
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const [line, setLine] = useState('');
  const [candidates, setCandidates] = useState<string[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const cursor = useRef<number | null>(null);
  const atBottom = useRef(true);

  // Opening gives the line the focus; closing hands it back to the page.
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  // New output scrolls into view unless the user scrolled up to read.
  const lines = state.scrollback.lines;
  useLayoutEffect(() => {
    const el = body.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lines, candidates, open]);

  // A completion or a history step puts the cursor where it belongs once the value is in.
  useLayoutEffect(() => {
    if (cursor.current === null || !input.current) return;
    input.current.setSelectionRange(cursor.current, cursor.current);
    cursor.current = null;
  }, [line]);

  const show = useCallback(
    (text: string, at = text.length) => {
      if (text === line) {
        // Same value: no render will come to place the cursor, so place it now.
        input.current?.setSelectionRange(at, at);
        return;
      }
      cursor.current = at;
      setLine(text);
    },
    [line],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const el = e.currentTarget;
    const handled = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    const key = e.key.toLowerCase();
    if (key === 'c' && e.ctrlKey && !e.metaKey) {
      // With text selected, Ctrl+C copies as usual.
      if (el.selectionStart !== el.selectionEnd && !state.running) return;
      handled();
      session.interrupt(line);
      setLine('');
      setCandidates([]);
      return;
    }
    if (key === 'l' && e.ctrlKey) {
      handled();
      session.clear();
      return;
    }
    if (e.key === 'Escape' || e.key === '`') {
      handled();
      if (candidates.length > 0) setCandidates([]);
      else setOpen(false);
      return;
    }
    if (state.running) return; // a command holds the terminal until Ctrl+C
    if (e.key === 'Enter') {
      handled();
      session.run(line);
      setLine('');
      setCandidates([]);
      atBottom.current = true;
    } else if (e.key === 'Tab' && !e.shiftKey) {
      handled();
      void Promise.resolve(session.complete(line, el.selectionStart ?? line.length)).then((r) => {
        // Typing went on while the worker answered: the answer is for a line that is gone.
        if (el.value !== line) return;
        show(r.line, r.cursor);
        setCandidates(r.candidates);
      });
    } else if (e.key === 'ArrowUp') {
      handled();
      show(session.previous(line));
    } else if (e.key === 'ArrowDown') {
      handled();
      show(session.next(line));
    }
  };

  return (
    <section id="kubectl-console" className="console-drawer" data-testid="console" aria-label="kubectl console" hidden={!open}>
      <header className="console-header">
        <h2>kubectl</h2>
        <span className="console-sub">against the simulated cluster · every change is a timeline action</span>
        {state.running && (
          <button type="button" className="btn btn-small console-stop" data-testid="console-stop" title="Stop the running command (Ctrl+C)" onClick={() => session.interrupt()}>
            <span className="console-stop-dot" aria-hidden="true" />
            Stop
          </button>
        )}
        <button type="button" className="btn btn-small btn-ghost" data-testid="console-clear" title="Clear the output (Ctrl+L)" onClick={() => session.clear()}>
          Clear
        </button>
        <button type="button" className="btn btn-ghost console-close" data-testid="console-close" aria-label="Close the console" title="Close (Escape or `)" onClick={() => setOpen(false)}>
          ×
        </button>
      </header>
      <div
        ref={body}
        className="console-body"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        onMouseUp={() => {
          // A click (not a selection) in the output goes back to the line.
          if (!window.getSelection()?.toString()) input.current?.focus();
        }}
      >
        {lines.length === 0 && (
          <p className="console-welcome">
            Type a kubectl command: <code>get pods -o wide</code>, <code>describe node node-1</code>, <code>scale deployment web --replicas=5</code>, <code>get pods -w</code>,{' '}
            <code>apply -f -</code>. Tab completes, ↑↓ history, Ctrl+C stops.
          </p>
        )}
        <div className="console-output" data-testid="console-output" role="log" aria-live="polite" aria-label="kubectl output">
          {lines.map((l) => (
            <Line key={l.id} line={l} />
          ))}
        </div>
        {candidates.length > 0 && (
          <ul className="console-candidates" data-testid="console-candidates" aria-label="Completions">
            {candidates.slice(0, 200).map((c) => (
              <li key={c}>{c}</li>
            ))}
            {candidates.length > 200 && <li className="muted">… {candidates.length - 200} more</li>}
          </ul>
        )}
        <div className={`console-prompt${state.running ? ' running' : ''}`}>
          {state.running ? (
            <span className="console-running" data-testid="console-running">
              {state.running} is running · Ctrl+C stops it
            </span>
          ) : (
            <label className="console-ps" htmlFor="kubectl-console-input">
              $ kubectl
            </label>
          )}
          <input
            ref={input}
            id="kubectl-console-input"
            className="console-input"
            data-testid="console-input"
            value={line}
            readOnly={state.running !== null}
            spellCheck={false}
            autoComplete="off"
            autoCapitalize="off"
            aria-label="kubectl command"
            onChange={(e) => {
              cursor.current = null;
              setLine(e.target.value);
              if (candidates.length) setCandidates([]);
            }}
            onKeyDown={onKeyDown}
          />
        </div>
      </div>
    </section>
  );
}

const Line = memo(function Line({ line }: { line: ConsoleLine }) {
  return (
    <div className={`console-line console-${line.kind}`} data-testid="console-line" data-kind={line.kind}>
      {line.text === '' ? '\u00a0' : line.text}
    </div>
  );
});
