// describe's PrefixWriter (staging/src/k8s.io/kubectl/pkg/describe/describe.go):
// two spaces per level, into a tabwriter with padding 2 that describe flushes
// before the Events table so that table aligns on its own.
import { DESCRIBE, TabWriter } from '../tabwriter';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;

export class PrefixWriter {
  private readonly w = new TabWriter(DESCRIBE);
  private rawText = '';

  /** raw: no tabwriter, tabs kept (NewPrefixWriter on a plain buffer, as `rollout history --revision` prints). */
  constructor(private readonly raw = false) {}

  /** Text at an indentation level; tabs separate cells, as in Go's format strings. */
  write(level: number, text: string): void {
    if (this.raw) this.rawText += '  '.repeat(level) + text;
    else this.w.write('  '.repeat(level) + text);
  }

  flush(): void {
    this.w.flush();
  }

  text(): string {
    if (this.raw) return this.rawText;
    this.w.flush();
    return this.w.take();
  }
}

/** Builds a describe text. */
export function describeText(fill: (w: PrefixWriter) => void, raw = false): string {
  const w = new PrefixWriter(raw);
  fill(w);
  return w.text();
}
