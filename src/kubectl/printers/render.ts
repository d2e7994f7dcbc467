// How kubectl get lays out a table (k8s.io/cli-runtime/pkg/printers
// tableprinter.go and kubectl's get.go): the header upper-cased, a NAMESPACE
// column first with -A, `kind/` before the name when several kinds are
// printed, a LABELS column last with --show-labels, cells joined by tabs into
// the tabwriter. Each kind starts a fresh table, after a blank line.
import type { KubeObject } from '../../sim/api/types';
import { formatLabels } from '../humanize';
import { kindPrefix } from '../resources';
import { GET_TABLE, TabWriter } from '../tabwriter';
import type { TableDef } from './table';

export interface RenderOptions {
  now: number;
  wide: boolean;
  withNamespace: boolean;
  withKind: boolean;
  showLabels: boolean;
  noHeaders: boolean;
}

/** Prints one kind's rows into a tabwriter; kept alive by `get -w` so later rows align with the header. */
export class TablePrinter {
  constructor(
    readonly table: TableDef,
    /** Mutable so a watch can move `now` forward between rows. */
    public opts: RenderOptions,
  ) {}

  header(): string[] {
    const cols = this.table.columns.filter((c) => this.opts.wide || !c.priority).map((c) => c.name.toUpperCase());
    if (this.opts.withNamespace) cols.unshift('NAMESPACE');
    if (this.opts.showLabels) cols.push('LABELS');
    return cols;
  }

  cells(obj: KubeObject): string[] {
    const cells = this.table.row(obj, { now: this.opts.now, wide: this.opts.wide });
    if (this.opts.withKind) {
      const visible = this.table.columns.filter((c) => this.opts.wide || !c.priority);
      const i = visible.findIndex((c) => c.isName);
      if (i >= 0) cells[i] = `${kindPrefix(obj.kind)}/${cells[i]}`;
    }
    if (this.opts.withNamespace) cells.unshift(obj.metadata.namespace ?? '');
    if (this.opts.showLabels) cells.push(formatLabels(obj.metadata.labels));
    return cells;
  }

  printHeader(w: TabWriter): void {
    if (!this.opts.noHeaders) w.write(`${this.header().join('\t')}\n`);
  }

  printRow(w: TabWriter, obj: KubeObject): void {
    w.write(`${this.cells(obj).join('\t')}\n`);
  }
}

export interface TableGroup {
  table: TableDef;
  objects: readonly KubeObject[];
  /** -A for a namespaced kind. */
  withNamespace: boolean;
}

/** Several kinds' tables, as `kubectl get pods,svc` prints them. */
export function renderTables(groups: readonly TableGroup[], opts: Omit<RenderOptions, 'withNamespace'>): string {
  const w = new TabWriter(GET_TABLE);
  let out = '';
  for (const g of groups) {
    if (g.objects.length === 0) continue;
    w.flush();
    w.forgetWidths();
    const printed = w.take();
    if (printed) out += printed;
    // A blank line between kinds, unless headers are off.
    if (out && !opts.noHeaders) out += '\n';
    const p = new TablePrinter(g.table, { ...opts, withNamespace: g.withNamespace });
    p.printHeader(w);
    for (const o of g.objects) p.printRow(w, o);
  }
  w.flush();
  return out + w.take();
}
