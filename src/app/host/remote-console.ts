// The kubectl console when the simulation runs in the worker: the session
// (scrollback, a running watch, the editor it waits for) is the worker's
// ConsoleSession, mirrored here from its patches; the command history is
// kept on this side, with the same pure functions, so Up and Down answer at
// once; Tab asks the worker for kubectl's candidates.
import { applyCompletion, type Completion } from '../store/console-completion';
import { emptyHistory, historyDown, historyPush, historyUp, type ConsoleHistory } from '../store/console-history';
import type { ConsoleHandle, ConsoleState } from '../store/console-session';
import { emptyScrollback } from '../store/console-output';
import type { ConsoleCommand } from './protocol';

export class RemoteConsole implements ConsoleHandle {
  private remote: ConsoleState = { scrollback: emptyScrollback(), history: emptyHistory(), running: null, awaitingEditor: false };
  private history: ConsoleHistory = emptyHistory();
  private state: ConsoleState = this.remote;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly send: (command: ConsoleCommand) => void,
    private readonly candidates: (line: string, cursor: number) => Promise<string[]>,
  ) {}

  getState = (): ConsoleState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The worker's session changed. */
  receive(remote: ConsoleState): void {
    this.remote = remote;
    this.publish();
  }

  run(line: string): void {
    this.history = historyPush(this.history, line);
    this.publish();
    this.send({ op: 'run', line });
  }

  interrupt(current = ''): void {
    this.send({ op: 'interrupt', current });
  }

  clear(): void {
    this.send({ op: 'clear' });
  }

  previous(current: string): string {
    const step = historyUp(this.history, current);
    this.history = step.history;
    this.publish();
    return step.line;
  }

  next(current: string): string {
    const step = historyDown(this.history, current);
    this.history = step.history;
    this.publish();
    return step.line;
  }

  async complete(line: string, cursor: number): Promise<Completion> {
    let words: string[];
    try {
      words = await this.candidates(line, cursor);
    } catch {
      words = []; // completion must never break typing
    }
    return applyCompletion(line, cursor, words);
  }

  dispose(): void {
    this.listeners.clear();
  }

  private publish(): void {
    this.state = { ...this.remote, history: this.history };
    for (const l of this.listeners) l();
  }
}
