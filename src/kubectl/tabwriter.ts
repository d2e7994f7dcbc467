// Go's text/tabwriter as kubectl uses it (github.com/liggitt/tabwriter, a
// fork of text/tabwriter with RememberWidths): elastic tabstops. Cells are
// tab-terminated; the tab-terminated cells of consecutive lines form a
// column block whose width is its widest cell plus padding (at least
// minwidth). A line with a single cell flushes, so the sections of
// `kubectl describe` align separately. `kubectl get` pads with 3 spaces,
// minimum width 6, and remembers column widths across flushes (watch rows
// keep the header's alignment); `describe` pads with 2.

export interface TabWriterOptions {
  minwidth: number;
  padding: number;
  /** RememberWidths: a column never gets narrower than it was before a flush. */
  rememberWidths: boolean;
}

/** printers.GetNewTabWriter: what `kubectl get` tables use. */
export const GET_TABLE: TabWriterOptions = { minwidth: 6, padding: 3, rememberWidths: true };
/** describe's tabbedString: tabwriter.Init(buf, 0, 8, 2, ' ', 0). */
export const DESCRIBE: TabWriterOptions = { minwidth: 0, padding: 2, rememberWidths: false };

interface Cell {
  text: string;
  width: number;
}

const runeCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

export class TabWriter {
  private out = '';
  /** Buffered lines; the last one is the line being written. */
  private lines: Cell[][] = [[]];
  private cell = '';
  private widths: number[] = [];
  private maxwidths: number[] = [];

  constructor(private readonly opts: TabWriterOptions) {}

  write(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== '\t' && ch !== '\n') continue;
      this.cell += text.slice(start, i);
      start = i + 1;
      const ncells = this.terminateCell();
      if (ch === '\n') {
        this.lines.push([]);
        // A line of one cell does not affect the alignment of later lines: flush.
        if (ncells === 1) this.flushBuffered();
      }
    }
    this.cell += text.slice(start);
  }

  /** Formats what is buffered; the text written so far. */
  flush(): void {
    if (this.cell.length > 0) this.terminateCell();
    this.flushBuffered();
  }

  /** SetRememberedWidths(nil): the next table starts from scratch. */
  forgetWidths(): void {
    this.maxwidths = [];
  }

  /** Everything written and flushed, taken out of the writer. */
  take(): string {
    const s = this.out;
    this.out = '';
    return s;
  }

  private terminateCell(): number {
    const line = this.lines[this.lines.length - 1];
    line.push({ text: this.cell, width: runeCount(this.cell) });
    this.cell = '';
    return line.length;
  }

  private flushBuffered(): void {
    this.format(0, this.lines.length);
    this.lines = [[]];
    this.widths = [];
  }

  /** Writes lines [line0, line1) with the column widths known so far, computing deeper columns block by block. */
  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= this.lines[row].length - 1) continue;
      // A column block starts here: lines that have a tab-terminated cell in this column.
      this.writeLines(line0, row);
      line0 = row;
      let width = this.opts.minwidth;
      for (; row < line1; row++) {
        const line = this.lines[row];
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column].width + this.opts.padding);
      }
      if (this.opts.rememberWidths) {
        if (this.maxwidths.length < this.widths.length) this.maxwidths.push(...this.widths.slice(this.maxwidths.length));
        if (this.maxwidths.length === this.widths.length) this.maxwidths.push(width);
        else if (this.maxwidths[column] > width) width = this.maxwidths[column];
        else this.maxwidths[column] = width;
      }
      this.widths.push(width);
      this.format(line0, row);
      this.widths.pop();
      // The line that ended the block has no cell in this column: the increment may skip it.
      line0 = row;
    }
    this.writeLines(line0, line1);
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i];
      line.forEach((c, j) => {
        this.out += c.text;
        if (j < this.widths.length) this.out += ' '.repeat(this.widths[j] - c.width);
      });
      // The last buffered line is the unfinished one: no newline after it.
      if (i + 1 < this.lines.length) this.out += '\n';
    }
  }
}

/** Runs `fill` against a fresh writer and returns the formatted text. */
export function tabbed(opts: TabWriterOptions, fill: (w: TabWriter) => void): string {
  const w = new TabWriter(opts);
  fill(w);
  w.flush();
  return w.take();
}
