// The kubectl console's session (issue 6 part 4), without React: the
// scrollback, the command history, the command still running, and the YAML
// editor it is waiting for. Commands run through the kubectl engine
// (src/kubectl) against the store's live cluster, and every change they make
// goes through the store's act() (the engine's actor), so it is recorded on
// the history branch with its instant, as a menu or the YAML editor records
// theirs; a change made on the cluster directly would be lost by a rewind.
// `get -w` and `rollout status` keep printing as the simulation moves, until
// Ctrl+C (interrupt) or until they finish. `apply -f -` opens the YAML editor;
// what its Apply did is printed here in kubectl's words.
import { completeKubectl, watchKubectl, type KubectlActor, type KubectlWatch } from '../../kubectl';
import { serverErrorText } from '../../kubectl/result';
import type { Cluster } from '../../sim/cluster';
import type { ClusterStore, EditorDoc } from './cluster-store';
import { applyCompletion, type Completion } from './console-completion';
import { emptyHistory, historyDown, historyPush, historyUp, type ConsoleHistory } from './console-history';
import { append, appendResult, emptyScrollback, PROMPT, readInput, type Scrollback } from './console-output';

export interface ConsoleState {
  scrollback: Scrollback;
  history: ConsoleHistory;
  /** The command still running (`get pods -w`, `rollout status ...`), null when the prompt is free. */
  running: string | null;
  /** `apply -f -` opened the YAML editor and the console prints what its Apply does. */
  awaitingEditor: boolean;
}

/** What the actor answers when the store refused to act (a halted simulation): kubectl then prints an error. */
const HALTED = 'the simulation has stopped with an error: nothing was changed';

interface Following {
  watch: KubectlWatch;
  cluster: Cluster;
}

interface EditorWait {
  doc: EditorDoc;
  cluster: Cluster;
  /** How many action records the cluster had when the editor opened: later user applies are the editor's. */
  seen: number;
  applied: boolean;
}

/** What the console drawer (panels/Console.tsx) uses: this session, or its mirror when the simulation runs in the worker (host/remote-console.ts). */
export interface ConsoleHandle {
  getState(): ConsoleState;
  subscribe(listener: () => void): () => void;
  run(line: string): void;
  interrupt(current?: string): void;
  clear(): void;
  previous(current: string): string;
  next(current: string): string;
  /** Sync here; a promise across the worker boundary. */
  complete(line: string, cursor: number): Completion | Promise<Completion>;
  dispose(): void;
}

export class ConsoleSession implements ConsoleHandle {
  private state: ConsoleState = { scrollback: emptyScrollback(), history: emptyHistory(), running: null, awaitingEditor: false };
  private readonly listeners = new Set<() => void>();
  private following: Following | null = null;
  private editorWait: EditorWait | null = null;
  private unsubscribeStore: (() => void) | null = null;

  constructor(private readonly store: ClusterStore) {}

  getState = (): ConsoleState => this.state;

  /** For useSyncExternalStore: called whenever the state changes. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Runs a typed line (Enter). */
  run(line: string): void {
    this.stopFollowing();
    // The prompt already says "kubectl"; a line that says it again is echoed once.
    const echo = /^\s*kubectl(\s|$)/.test(line) ? `$ ${line.trim()}` : PROMPT + line;
    let s = append(this.state.scrollback, 'command', echo);
    const history = historyPush(this.state.history, line);
    const input = readInput(line);
    if (input.kind === 'clear') s = emptyScrollback();
    this.set({ scrollback: s, history });
    if (input.kind !== 'kubectl') return;

    const cluster = this.store.cluster;
    if (!cluster) {
      this.print('error', 'error: no cluster is loaded\n');
      return;
    }
    const w = watchKubectl(cluster, input.line, { actor: this.actor });
    this.set({ scrollback: appendResult(this.state.scrollback, w.initial) });
    if (w.initial.editor) this.openEditor(cluster, w.initial.editor.text);
    if (!w.done) {
      this.following = { watch: w, cluster };
      this.set({ running: input.line });
      this.listen();
    }
  }

  /** Ctrl+C: stops the running command; with none, abandons the line being typed (as a shell prints it). */
  interrupt(current = ''): void {
    if (this.following) {
      this.stopFollowing();
      this.print('note', '^C\n');
      return;
    }
    this.set({ scrollback: append(this.state.scrollback, 'command', `${PROMPT}${current}^C`) });
  }

  clear(): void {
    this.set({ scrollback: emptyScrollback() });
  }

  /** Up: the previous command (the line being typed is kept for Down). */
  previous(current: string): string {
    const step = historyUp(this.state.history, current);
    this.set({ history: step.history });
    return step.line;
  }

  /** Down: the next command, then the line that was being typed. */
  next(current: string): string {
    const step = historyDown(this.state.history, current);
    this.set({ history: step.history });
    return step.line;
  }

  /** Tab: kubectl's completion for the word at the cursor. */
  complete(line: string, cursor: number): Completion {
    const cluster = this.store.cluster;
    if (!cluster) return { line, cursor, candidates: [] };
    let candidates: string[];
    try {
      candidates = completeKubectl(cluster, line, cursor);
    } catch {
      candidates = []; // completion must never break typing
    }
    return applyCompletion(line, cursor, candidates);
  }

  dispose(): void {
    this.stopFollowing();
    this.editorWait = null;
    this.unlisten();
    this.listeners.clear();
  }

  /** kubectl's changes go through the store, so they join the history branch. */
  private readonly actor: KubectlActor = {
    act: (action) => {
      const outcomes = this.store.getState().act(action);
      return outcomes.length > 0 ? outcomes : [{ ok: false, message: HALTED }];
    },
  };

  private openEditor(cluster: Cluster, text: string): void {
    this.store.getState().openEditor({ text });
    const doc = this.store.getState().editor;
    if (!doc) return;
    this.editorWait = { doc, cluster, seen: cluster.actions.length, applied: false };
    this.set({ awaitingEditor: true });
    this.print('note', 'The YAML editor is open: write or paste manifests and Apply (Ctrl+Enter); what it applies is printed here.\n');
    this.listen();
  }

  private onStoreChange = (): void => {
    const cluster = this.store.cluster;
    const f = this.following;
    if (f) {
      if (cluster !== f.cluster) {
        this.stopFollowing();
        this.print('note', 'The cluster it watched was replaced (a rewind, or another scenario): the command stopped.\n');
      } else {
        const out = f.watch.next();
        if (out) this.print('stdout', out);
        if (f.watch.done) this.stopFollowing();
      }
    }
    const e = this.editorWait;
    if (e) {
      if (cluster !== e.cluster) {
        this.endEditorWait();
        return;
      }
      const fresh = e.cluster.actions.slice(e.seen);
      e.seen = e.cluster.actions.length;
      for (const rec of fresh) {
        if (rec.source !== 'user' || rec.action.action !== 'apply') continue;
        e.applied = true;
        for (const o of rec.outcomes) this.print(o.ok ? 'stdout' : 'error', `${o.ok ? o.message : serverErrorText(o.message)}\n`);
      }
      if (this.store.getState().editor !== e.doc) {
        if (!e.applied) this.print('note', 'The editor was closed: nothing was applied.\n');
        this.endEditorWait();
      }
    }
    if (!this.following && !this.editorWait) this.unlisten();
  };

  private endEditorWait(): void {
    this.editorWait = null;
    this.set({ awaitingEditor: false });
  }

  private stopFollowing(): void {
    if (!this.following) return;
    this.following = null;
    this.set({ running: null });
  }

  private listen(): void {
    this.unsubscribeStore ??= this.store.subscribe(this.onStoreChange);
  }

  private unlisten(): void {
    this.unsubscribeStore?.();
    this.unsubscribeStore = null;
  }

  private print(kind: Parameters<typeof append>[1], text: string): void {
    this.set({ scrollback: append(this.state.scrollback, kind, text) });
  }

  private set(patch: Partial<ConsoleState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
