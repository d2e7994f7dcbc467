// The YAML editor itself: CodeMirror 6 with YAML highlighting, history,
// lint markers in the text and the gutter, Ctrl/Cmd+Enter to apply and
// Escape to cancel. Loaded on demand (React.lazy in EditorPanel.tsx) so the
// first paint of the app does not wait for CodeMirror. The editor owns the
// text while it is open; the panel hears every change and can replace the
// text (a reload) through the handle.
import { useEffect, useRef, type RefObject } from 'react';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, Prec, type Text } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import type { ApplyDiagnostic } from '../../scenario/apply-yaml';

export interface YamlEditorHandle {
  /** Replaces `from..to` (the whole text when omitted) and puts the cursor at the start of the new text. */
  replace(text: string, from?: number, to?: number): void;
  /** Shows these markers now (after an Apply), without waiting for the linter's delay. */
  showDiagnostics(diagnostics: readonly ApplyDiagnostic[]): void;
  /** Moves the cursor to a 1-based line and scrolls it into view. */
  goToLine(line: number): void;
  focus(): void;
}

export interface YamlEditorProps {
  initialText: string;
  onChange(text: string): void;
  /** Checks the text; called by CodeMirror's linter a moment after the user stops typing. An answer for a text since edited is dropped. */
  lint(text: string): readonly ApplyDiagnostic[] | Promise<readonly ApplyDiagnostic[]>;
  onSubmit(): void;
  onCancel(): void;
  handle: RefObject<YamlEditorHandle | null>;
  /** Accessible name of the text area. */
  label: string;
}

/** How long after the last keystroke the linter runs, ms. */
const LINT_DELAY = 300;

export default function YamlEditor({ initialText, onChange, lint, onSubmit, onCancel, handle, label }: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  // The view is built once; callbacks reach it through a ref so a re-render never rebuilds the editor.
  const props = useRef({ onChange, lint, onSubmit, onCancel });
  props.current = { onChange, lint, onSubmit, onCancel };

  useEffect(() => {
    const view = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: initialText,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          yaml(),
          syntaxHighlighting(highlightStyle),
          lintGutter(),
          linter(
            (v) => {
              const doc = v.state.doc;
              const out = props.current.lint(doc.toString());
              return out instanceof Promise ? out.then((d) => toCodeMirror(doc, d)) : toCodeMirror(doc, out);
            },
            { delay: LINT_DELAY },
          ),
          Prec.highest(
            keymap.of([
              { key: 'Mod-Enter', run: () => (props.current.onSubmit(), true) },
              { key: 'Escape', run: () => (props.current.onCancel(), true) },
            ]),
          ),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) props.current.onChange(u.state.doc.toString());
          }),
          EditorView.contentAttributes.of({ 'aria-label': label, 'data-testid': 'yaml-editor-content' }),
          EditorState.tabSize.of(2),
          editorTheme,
        ],
      }),
    });
    handle.current = {
      replace(text, from = 0, to = view.state.doc.length) {
        const end = Math.min(to, view.state.doc.length);
        const start = Math.min(from, end);
        view.dispatch({ changes: { from: start, to: end, insert: text }, selection: { anchor: start }, scrollIntoView: true });
      },
      showDiagnostics(diagnostics) {
        view.dispatch(setDiagnostics(view.state, toCodeMirror(view.state.doc, diagnostics)));
      },
      goToLine(line) {
        const l = view.state.doc.line(Math.max(1, Math.min(line, view.state.doc.lines)));
        view.dispatch({ selection: { anchor: l.from + (l.text.length - l.text.trimStart().length) }, scrollIntoView: true });
        view.focus();
      },
      focus: () => view.focus(),
    };
    view.focus();
    return () => {
      handle.current = null;
      view.destroy();
    };
    // Built once per mount: the text then lives in the editor, and the label never changes while open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return <div className="yaml-editor" ref={host} data-testid="yaml-editor" />;
}

/** Line-based diagnostics to CodeMirror's ranges: an exact position when there is one, else the line's text. */
function toCodeMirror(doc: Text, diagnostics: readonly ApplyDiagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => {
    const line = doc.line(clamp(d.line, 1, doc.lines));
    const indent = line.text.length - line.text.trimStart().length;
    let from = d.column !== undefined ? line.from + clamp(d.column - 1, 0, line.length) : line.from + indent;
    let to = line.to;
    if (d.endLine !== undefined && d.endColumn !== undefined) {
      const end = doc.line(clamp(d.endLine, 1, doc.lines));
      to = end.from + clamp(d.endColumn - 1, 0, end.length);
      // The parser marks a single character; underline the rest of its line so the marker is easy to see.
      if (to - from <= 1 && d.endLine === d.line) to = Math.max(to, line.to);
    }
    if (to < from) [from, to] = [to, from];
    return { from, to, severity: d.severity, message: d.message, source: d.conflict ? 'kube-apiserver (409 Conflict)' : undefined };
  });
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

// Colours come from the app's CSS variables, so the light and dark themes both apply without rebuilding the editor.
const highlightStyle = HighlightStyle.define([
  { tag: [tags.definition(tags.propertyName), tags.propertyName], color: 'var(--accent-text)' },
  { tag: tags.string, color: 'var(--ok)' },
  { tag: [tags.content, tags.special(tags.string)], color: 'var(--text)' },
  { tag: tags.lineComment, color: 'var(--text-faint)', fontStyle: 'italic' },
  { tag: tags.meta, color: 'var(--leader)', fontWeight: '600' },
  { tag: [tags.labelName, tags.typeName, tags.keyword], color: 'var(--warn)' },
  { tag: tags.separator, color: 'var(--text-muted)' },
]);

const editorTheme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--bg-sunken)', color: 'var(--text)', fontSize: '13px' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--text)', padding: '8px 0' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': {
    backgroundColor: 'var(--editor-selection)',
  },
  '.cm-activeLine': { backgroundColor: 'var(--editor-active-line)' },
  '.cm-gutters': { backgroundColor: 'var(--bg-elev)', color: 'var(--text-faint)', borderRight: '1px solid var(--border)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--editor-active-line)', color: 'var(--text-muted)' },
  '.cm-matchingBracket': { backgroundColor: 'var(--accent-soft)', outline: '1px solid var(--border-strong)' },
  '.cm-tooltip': { backgroundColor: 'var(--bg-elev)', color: 'var(--text)', border: '1px solid var(--border-strong)', borderRadius: '6px' },
  '.cm-diagnostic': { fontFamily: 'var(--font-mono)', fontSize: '12px', whiteSpace: 'pre-wrap', maxWidth: '640px' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--bad)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--warn)' },
  '.cm-diagnosticSource': { color: 'var(--text-muted)' },
});
