// "Import kubectl output": paste, drop or choose the output of `kubectl get
// nodes,pods,... -A -o yaml` (src/scenario/import-cluster.ts makes the
// scenario), read what the import changed, left out or cannot model, then
// open the cluster or save it as a file. An error stays in the dialog with
// the text as the user left it.
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import type { ImportNote, ImportResult } from '../../scenario/import-cluster';
import { readFileText } from '../session/file-kind';
import { selectImportDialog, useSession, useSessionUi } from '../session/session-context';

export const KUBECTL_COMMAND = 'kubectl get nodes,pods,deployments,replicasets,daemonsets,statefulsets,jobs,services -A -o yaml';

export function ImportDialog() {
  const dialog = useSessionUi(selectImportDialog);
  if (!dialog) return null;
  return <ImportDialogBody initial={dialog.text} />;
}

type Outcome = { ok: true; result: ImportResult } | { ok: false; error: string } | null;

function ImportDialogBody({ initial }: { initial: string }) {
  const session = useSession();
  const titleId = useId();
  const [text, setText] = useState(initial);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);

  const run = (t: string) => setOutcome(t.trim() === '' ? { ok: false, error: `Nothing to import yet: paste the output of ${KUBECTL_COMMAND}.` } : session.importText(t));
  // A file dropped on the page opens the dialog with its text: read it at once.
  useEffect(() => {
    if (initial.trim()) setOutcome(session.importText(initial));
    else area.current?.focus();
  }, [initial, session]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') session.closeImport();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session]);

  const takeFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const t = await readFileText(file);
      setText(t);
      run(t);
    } catch (e) {
      setOutcome({ ok: false, error: (e as Error).message });
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setDragging(false);
    void takeFile(e.dataTransfer.files[0]);
  };
  const result = outcome?.ok ? outcome.result : null;

  return (
    <div className="dialog-overlay" data-testid="import-dialog">
      <div className="dialog-backdrop" onClick={() => session.closeImport()} />
      <section className="dialog import-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <header className="dialog-header">
          <h2 id={titleId}>Import a real cluster</h2>
          <button type="button" className="btn btn-ghost dialog-close" aria-label="Close" data-testid="import-close" onClick={() => session.closeImport()}>
            ×
          </button>
        </header>
        <div className="dialog-body">
          <p className="dialog-text">
            Paste or drop the output of <code className="import-command">{KUBECTL_COMMAND}</code> (or <code>-o json</code>). You get a scenario of that cluster as it stands: nodes with
            their capacity, labels and taints, pods where they are, their owners. Nothing leaves this tab.
          </p>
          <textarea
            ref={area}
            className={`import-text${dragging ? ' is-dragging' : ''}`}
            data-testid="import-text"
            spellCheck={false}
            placeholder="apiVersion: v1&#10;items:&#10;- apiVersion: v1&#10;  kind: Node&#10;  ..."
            value={text}
            onChange={(e) => setText(e.target.value)}
            onDragOver={(e) => {
              e.preventDefault();
              e.stopPropagation();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          />
          <input
            ref={fileInput}
            type="file"
            accept=".yaml,.yml,.json,.txt"
            hidden
            data-testid="import-file-input"
            onChange={(e) => {
              void takeFile(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
          {outcome && !outcome.ok && (
            <p className="dialog-error" role="alert" data-testid="import-error">
              {outcome.error}
            </p>
          )}
          {result && <ImportReport result={result} />}
        </div>
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
            Choose file…
          </button>
          <span className="dialog-spacer" />
          <button type="button" className="btn" data-testid="import-read" onClick={() => run(text)}>
            Read
          </button>
          {result && (
            <button type="button" className="btn" data-testid="import-save" onClick={() => session.downloadScenario(`${result.name}.yaml`, result.scenario)}>
              Save as file
            </button>
          )}
          <button
            type="button"
            className="btn btn-primary"
            data-testid="import-open"
            disabled={!result}
            onClick={() => {
              if (!result) return;
              session.closeImport();
              session.requestOpen({ what: `the imported cluster (${result.name})`, session: { scenario: result.scenario, actions: [], at: 0 }, url: { kind: 'clear' } });
            }}
          >
            Open this cluster
          </button>
        </footer>
      </section>
    </div>
  );
}

const ACTION_LABEL: Record<ImportNote['action'], string> = {
  removed: 'removed',
  changed: 'changed',
  added: 'added',
  'left-out': 'left out',
  'not-modelled': 'not modelled',
};

const ACTION_TONE: Record<ImportNote['action'], string> = {
  removed: 'muted',
  changed: 'muted',
  added: 'ok',
  'left-out': 'warn',
  'not-modelled': 'bad',
};

function ImportReport({ result }: { result: ImportResult }) {
  const { counts } = result;
  const kinds = Object.entries(counts.byKind)
    .map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`)
    .join(', ');
  return (
    <div className="import-report" data-testid="import-report">
      <p className="import-summary" data-testid="import-summary">
        {counts.read} objects read: {counts.imported} imported{counts.added ? `, ${counts.added} added` : ''}, {counts.leftOut} left out. The scenario <strong>{result.name}</strong>: {kinds || 'no objects'}.
      </p>
      {result.notes.length > 0 && (
        <ul className="import-notes" data-testid="import-notes">
          {result.notes.map((note, i) => (
            <li key={i} className="import-note" data-testid="import-note" data-action={note.action}>
              <span className={`badge badge-${ACTION_TONE[note.action]}`}>{ACTION_LABEL[note.action]}</span>
              <span className="import-note-text">
                {note.object && <span className="import-note-object">{note.object}: </span>}
                {note.message}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
