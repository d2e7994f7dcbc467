// The kubectl console's scrollback: what a terminal shows, as lines tagged
// with where they came from (the command typed, kubectl's stdout, its
// stderr, or a note from the console itself), kept to a fixed number of
// lines. And how a typed line is read: `clear` is the console's own, the
// rest is kubectl's (a leading "kubectl" is optional). Pure values.
import type { KubectlResult } from '../../kubectl';

export type ConsoleLineKind =
  /** The prompt and what was typed. */
  | 'command'
  | 'stdout'
  /** stderr of a command that failed (exit code 1): errors, in red. */
  | 'error'
  /** stderr of a command that succeeded: notices and warnings ("No resources found ..."). */
  | 'notice'
  /** The console speaking for itself (a watch stopped, the editor opened). */
  | 'note';

export interface ConsoleLine {
  id: number;
  kind: ConsoleLineKind;
  text: string;
}

export interface Scrollback {
  lines: readonly ConsoleLine[];
  nextId: number;
}

/** A terminal keeps a few thousand lines; so does the console. */
export const SCROLLBACK_LIMIT = 5_000;

export const emptyScrollback = (): Scrollback => ({ lines: [], nextId: 1 });

/** Text as the lines a terminal shows it in: split at newlines, a final newline ends the last line rather than starting another. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function append(s: Scrollback, kind: ConsoleLineKind, text: string, limit = SCROLLBACK_LIMIT): Scrollback {
  const add = splitLines(text);
  if (add.length === 0) return s;
  let id = s.nextId;
  const lines = [...s.lines, ...add.map((t) => ({ id: id++, kind, text: t }))];
  return { lines: lines.length > limit ? lines.slice(lines.length - limit) : lines, nextId: id };
}

/** A command's answer: stdout, then stderr (red when the command failed). */
export function appendResult(s: Scrollback, r: KubectlResult): Scrollback {
  const out = append(s, 'stdout', r.output);
  return r.error ? append(out, r.exitCode === 0 ? 'notice' : 'error', r.error) : out;
}

/** The prompt as the console draws it before the line typed. */
export const PROMPT = '$ kubectl ';

export type ConsoleInput = { kind: 'empty' } | { kind: 'clear' } | { kind: 'kubectl'; line: string };

/** What a typed line asks for. */
export function readInput(line: string): ConsoleInput {
  const t = line.trim();
  if (t === '') return { kind: 'empty' };
  if (t === 'clear') return { kind: 'clear' };
  return { kind: 'kubectl', line: t };
}
