// Live YAML: a drawer over the workspace to edit any object or paste new
// ones, applied through the apiserver as `kubectl apply` would be. As the
// user types, planApply (src/scenario/apply-yaml.ts) checks the text with a
// server dry run and the problems show at their lines; Apply records
// `{ action: 'apply', manifests }` only when every document passes, so an
// invalid text changes nothing. A 409 Conflict offers to reload the stored
// object. The text stays the user's on every error; only a reload (after
// asking, when edited) or a successful apply of the object it was loaded
// from replaces it. The check, the apply and the reload go to the simulation
// wherever it runs (the `planApply` and `storedObject` queries, actOn): each
// answers a moment later, and an answer about a text the user has since
// edited never replaces that text.
import { Component, lazy, Suspense, useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ApplyDiagnostic, ApplyPlan } from '../../scenario/apply-yaml';
import { objectYaml } from '../../scenario/object-yaml';
import type { KubeObject } from '../../sim/api/types';
import type { ActionOutcome } from '../../sim/cluster/actions';
import { formatClock } from '../format-clock';
import { actOn, querySim } from '../host/remote-host';
import type { ClusterStore, EditorDoc } from '../store/cluster-store';
import { objectKey } from '../store/object-rows';
import { selectEditor } from '../store/selectors';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import type { YamlEditorHandle } from './YamlEditor';

const YamlEditor = lazy(() => import('./YamlEditor'));

/** What "Apply YAML" opens with: nothing to apply until the user writes or pastes something. */
export const NEW_OBJECTS_TEMPLATE = `# Paste or write manifests here, then Apply (Ctrl+Enter).
# Several objects: separate them with a line of three dashes (---).
# For example, uncomment this Pod:
#
# apiVersion: v1
# kind: Pod
# metadata:
#   name: hello
# spec:
#   containers:
#   - name: hello
#     image: nginx:1.27
`;

export function EditorPanel() {
  const editor = useClusterStore(selectEditor);
  if (!editor) return null;
  // A new document (another object, or "Apply YAML" again) starts a fresh editor.
  return <EditorDrawer key={editorKey(editor)} doc={editor} />;
}

interface AppliedResult {
  at: number;
  /** Whether an apply action was recorded (false: nothing to change, or the simulation is halted). */
  recorded: boolean;
  outcomes: ActionOutcome[];
  note?: string;
}

type Confirm = null | 'discard' | 'reload';

function EditorDrawer({ doc }: { doc: EditorDoc }) {
  const store = useClusterStoreApi();
  const titleId = useId();
  const handle = useRef<YamlEditorHandle | null>(null);
  const text = useRef(doc.text);
  /** The text as loaded (or reloaded, or applied): edits are what differs from it. */
  const baseline = useRef(doc.text);
  const [dirty, setDirty] = useState(false);
  const [plan, setPlan] = useState<ApplyPlan | null>(null);
  const [applied, setApplied] = useState<AppliedResult | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [reloadNote, setReloadNote] = useState<string | null>(null);
  // Numbers the checks: only the newest one's answer is shown (answers may come back in any order).
  const checks = useRef(0);
  const applying = useRef(false);

  useRestoreFocus();

  const check = useCallback((t: string): Promise<ApplyPlan> => safePlan(store, t, doc.sourceKey), [store, doc.sourceKey]);
  /** Checks `t` and shows the plan, unless a newer check started meanwhile. */
  const checkAndShow = useCallback(
    async (t: string): Promise<ApplyPlan> => {
      const n = ++checks.current;
      const p = await check(t);
      if (n === checks.current) setPlan(p);
      return p;
    },
    [check],
  );

  // Checked at once on open, so the drawer says what Apply would do before the first keystroke.
  useEffect(() => {
    void checkAndShow(doc.text);
  }, [checkAndShow, doc.text]);

  const onChange = useCallback((t: string) => {
    text.current = t;
    setDirty(t !== baseline.current);
  }, []);

  const lint = useCallback(
    async (t: string) => {
      const p = await checkAndShow(t);
      return p.ok ? p.warnings : p.diagnostics;
    },
    [checkAndShow],
  );

  const close = useCallback(() => store.getState().closeEditor(), [store]);

  const cancel = useCallback(() => {
    if (text.current !== baseline.current) setConfirm('discard');
    else close();
  }, [close]);

  /** Replaces the text (or one document of it) and takes the result as the new baseline. */
  const replaceText = useCallback((next: string, span?: { from: number; to: number }) => {
    const h = handle.current;
    if (!h) return;
    h.replace(next, span?.from, span?.to);
    baseline.current = text.current;
    setDirty(false);
  }, []);

  /** Applies the text as it is now (one apply at a time: a second Ctrl+Enter while one runs does nothing). */
  const apply = useCallback(async () => {
    if (applying.current) return;
    applying.current = true;
    try {
      setConfirm(null);
      setReloadNote(null);
      const submitted = text.current;
      const p = await checkAndShow(submitted);
      // Markers at once, unless the user typed meanwhile (the linter marks the new text).
      if (text.current === submitted) handle.current?.showDiagnostics(p.ok ? p.warnings : p.diagnostics);
      const at = store.getState().now;
      if (!p.ok) {
        setApplied(null);
        return;
      }
      if (p.manifests.length === 0) {
        setApplied({ at, recorded: false, outcomes: p.summary.map((message) => ({ ok: true, message })), note: p.summary.length ? 'Nothing changed.' : 'Nothing to apply: the text has no objects.' });
        return;
      }
      let outcomes: ActionOutcome[];
      try {
        outcomes = await actOn(store, { action: 'apply', manifests: p.manifests });
      } catch (e) {
        setApplied({ at, recorded: false, outcomes: [], note: `Nothing was applied: ${(e as Error).message}` });
        return;
      }
      if (outcomes.length === 0) {
        setApplied({ at, recorded: false, outcomes: [], note: 'The simulation is halted: nothing was applied.' });
        return;
      }
      setApplied({ at, recorded: true, outcomes });
      baseline.current = submitted;
      setDirty(text.current !== submitted);
      // The object this text came from has a new resourceVersion now: show it as stored, so the next edit applies cleanly.
      const single = p.manifests.length === 1 && doc.sourceKey && objectKey(p.manifests[0]) === doc.sourceKey;
      const latest = single && outcomes.every((o) => o.ok) ? await findStored(store, doc.sourceKey!) : undefined;
      // Edits made while it applied are the user's: they stay.
      if (latest && text.current === submitted) replaceText(objectYaml(latest));
    } finally {
      applying.current = false;
    }
  }, [checkAndShow, store, doc.sourceKey, replaceText]);

  const conflict = plan && !plan.ok ? plan.diagnostics.find((d) => d.conflict) : undefined;

  const reload = async (force: boolean) => {
    if (!conflict?.objectKey) return;
    if (!force && text.current !== baseline.current) {
      setConfirm('reload');
      return;
    }
    setConfirm(null);
    const asked = text.current;
    const latest = await findStored(store, conflict.objectKey);
    if (text.current !== asked) {
      // Typed while the stored version was read: those edits were not the ones the user agreed to replace.
      setReloadNote('The text changed while the latest version was read: nothing was replaced. Reload again to replace it.');
      return;
    }
    if (!latest) {
      setReloadNote(`${conflict.objectKey.replace(/\/\//, '/')} is no longer stored: nothing to reload.`);
      return;
    }
    const whole = conflict.span && conflict.span.from === 0 && conflict.span.to >= text.current.length;
    replaceText(objectYaml(latest), whole ? undefined : conflict.span);
    setReloadNote('Reloaded the latest version. Make your change again and apply.');
    handle.current?.focus();
  };

  const modKey = useMemo(() => (typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl'), []);

  return (
    <div className="editor-overlay" data-testid="editor-overlay">
      <div className="editor-backdrop" onClick={cancel} aria-hidden="true" />
      <section
        className="editor-drawer"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="editor-panel"
        onKeyDown={(e) => {
          if (e.defaultPrevented) return;
          if (e.key === 'Escape') {
            e.preventDefault();
            cancel();
          } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void apply();
          }
        }}
      >
        <header className="editor-header">
          <div className="editor-title">
            <h2 id={titleId} data-testid="editor-title">
              {titleOf(doc.sourceKey)}
            </h2>
            <p className="editor-subtitle">Applied through the apiserver as kubectl apply does; checked with a server dry run as you type.</p>
          </div>
          {dirty && (
            <span className="badge badge-warn" data-testid="editor-dirty">
              edited
            </span>
          )}
          <button type="button" className="btn btn-ghost editor-close" aria-label="Close the editor" title="Close (Escape)" onClick={cancel}>
            ×
          </button>
        </header>

        <div className="editor-body">
          <EditorLoadBoundary>
            <Suspense fallback={<div className="yaml-editor yaml-editor-loading">Loading the editor…</div>}>
              <YamlEditor initialText={doc.text} onChange={onChange} lint={lint} onSubmit={() => void apply()} onCancel={cancel} handle={handle} label={`YAML of ${titleOf(doc.sourceKey)}`} />
            </Suspense>
          </EditorLoadBoundary>
        </div>

        <div className="editor-report" aria-live="polite">
          {conflict && (
            <div className="editor-conflict" role="alert" data-testid="editor-conflict">
              <span className="editor-conflict-text">409 Conflict: {conflict.objectKey ? titleOf(conflict.objectKey) : 'the object'} changed after this text was loaded.</span>
              <button type="button" className="btn" data-testid="editor-reload" onClick={() => void reload(false)}>
                Reload the latest version
              </button>
            </div>
          )}
          {confirm && (
            <div className="editor-confirm" role="alertdialog" aria-label="Confirm" data-testid="editor-confirm">
              <span>{confirm === 'discard' ? 'Close the editor and lose your edits?' : 'Replace your edits with the latest stored version?'}</span>
              <button type="button" className="btn" data-testid="editor-confirm-yes" onClick={() => (confirm === 'discard' ? close() : void reload(true))}>
                {confirm === 'discard' ? 'Discard edits' : 'Reload'}
              </button>
              <button type="button" className="btn btn-ghost" data-testid="editor-confirm-no" onClick={() => setConfirm(null)}>
                Keep editing
              </button>
            </div>
          )}
          {reloadNote && <p className="editor-note">{reloadNote}</p>}
          {applied && <AppliedLines result={applied} />}
          <PlanStatus plan={plan} onGoTo={(line) => handle.current?.goToLine(line)} />
        </div>

        <footer className="editor-footer">
          <span className="editor-hint">
            {modKey}+Enter applies · Escape closes
          </span>
          <button type="button" className="btn" data-testid="editor-cancel" onClick={cancel}>
            {applied && !dirty ? 'Close' : 'Cancel'}
          </button>
          <button type="button" className="btn btn-primary" data-testid="editor-apply" onClick={() => void apply()} title={`Apply (${modKey}+Enter)`}>
            Apply
          </button>
        </footer>
      </section>
    </div>
  );
}

/** The live check: what Apply would do, or every problem at its line. */
function PlanStatus({ plan, onGoTo }: { plan: ApplyPlan | null; onGoTo: (line: number) => void }) {
  if (!plan) return <p className="editor-status editor-status-muted">Checking…</p>;
  if (plan.ok) {
    if (plan.summary.length === 0)
      return (
        <p className="editor-status editor-status-muted" data-testid="editor-status" data-state="empty">
          Nothing to apply yet: write or paste a manifest.
        </p>
      );
    return (
      <div className="editor-status" data-testid="editor-status" data-state="ready">
        <span className="badge badge-ok">dry run passed</span>
        <ul className="editor-lines">
          {plan.summary.map((s) => (
            <li key={s} data-testid="editor-plan-line">
              {s} (server dry run)
            </li>
          ))}
          {plan.warnings.map((w, i) => (
            <li key={`w${i}`} className="editor-line-warn">
              <ProblemLine d={w} onGoTo={onGoTo} />
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  return (
    <div className="editor-status" data-testid="editor-status" data-state="invalid">
      <span className="badge badge-bad">
        {errors} {errors === 1 ? 'problem' : 'problems'}: nothing will be applied
      </span>
      <ul className="editor-lines">
        {plan.diagnostics.map((d, i) => (
          <li key={i} className={d.severity === 'error' ? 'editor-line-bad' : 'editor-line-warn'} data-testid="editor-problem" data-line={d.line}>
            <ProblemLine d={d} onGoTo={onGoTo} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function ProblemLine({ d, onGoTo }: { d: ApplyDiagnostic; onGoTo: (line: number) => void }) {
  return (
    <>
      <button type="button" className="editor-goto" onClick={() => onGoTo(d.line)} title="Go to this line">
        line {d.line}
      </button>{' '}
      <span className="editor-message">{d.message}</span>
    </>
  );
}

/** kubectl's answers to the apply that ran. */
function AppliedLines({ result }: { result: AppliedResult }) {
  return (
    <div className="editor-applied" data-testid="editor-applied">
      <span className="editor-applied-head">{result.recorded ? `Applied at ${formatClock(result.at)}` : `Not applied (${formatClock(result.at)})`}</span>
      {result.note && <span className="editor-note">{result.note}</span>}
      <ul className="editor-lines">
        {result.outcomes.map((o, i) => (
          <li key={i} className={o.ok ? '' : 'editor-line-bad'} data-testid="editor-outcome" data-ok={o.ok}>
            {o.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** If CodeMirror's chunk cannot load (offline, a stale deploy), say so; the drawer and its text stay. */
class EditorLoadBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="yaml-editor yaml-editor-loading" role="alert">
        The editor could not load ({this.state.error.message}). Reload the page to try again.
      </div>
    );
  }
}

/** planApply, guarded: a bug in checking (or a simulation that does not answer) must never take the page (or the user's text) with it. */
async function safePlan(store: ClusterStore, text: string, sourceKey: string | undefined): Promise<ApplyPlan> {
  if (!store.getState().load.ok) return { ok: false, diagnostics: [{ line: 1, message: 'No cluster is loaded.', severity: 'error', document: 1 }] };
  try {
    return await querySim(store, 'planApply', [text, sourceKey]);
  } catch (e) {
    return { ok: false, diagnostics: [{ line: 1, message: `kubeviz could not check this text: ${(e as Error).message}`, severity: 'error', document: 1 }] };
  }
}

/** The object as stored now; undefined when it is not (or the simulation could not say). */
async function findStored(store: ClusterStore, key: string): Promise<KubeObject | undefined> {
  try {
    return (await querySim(store, 'storedObject', [key])) ?? undefined;
  } catch {
    return undefined;
  }
}

/** "Deployment default/web" for a stored object's key, "New objects" otherwise. */
function titleOf(sourceKey: string | undefined): string {
  if (!sourceKey) return 'New objects';
  const [kind, namespace, ...rest] = sourceKey.split('/');
  const name = rest.join('/');
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

const keys = new WeakMap<EditorDoc, number>();
let nextKey = 0;
function editorKey(doc: EditorDoc): number {
  let k = keys.get(doc);
  if (k === undefined) keys.set(doc, (k = ++nextKey));
  return k;
}

/** Focus goes back to whatever opened the drawer (the header button, the inspector) when it closes. */
function useRestoreFocus() {
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    return () => {
      if (opener && document.contains(opener)) opener.focus();
    };
  }, []);
}
