// The shape of kubectl's human-readable tables: column definitions with a
// priority (1 = only with -o wide) and a function from an object to its
// cells, as pkg/printers/internalversion/printers.go registers them with
// TableHandler. Headers are the column names upper-cased.
import type { KubeObject } from '../../sim/api/types';

export interface Column {
  name: string;
  /** 1: shown only with -o wide. */
  priority?: 1;
  /** The object's name: where `kind/` goes when several kinds are printed. */
  isName?: boolean;
}

export interface PrintContext {
  /** Virtual now, ms: ages are measured from it. */
  now: number;
  wide: boolean;
}

export interface TableDef {
  columns: readonly Column[];
  /** Cells in column order; the wide ones only when ctx.wide. */
  row(obj: KubeObject, ctx: PrintContext): string[];
}

export const col = (name: string, opts: Omit<Column, 'name'> = {}): Column => ({ name, ...opts });
export const nameCol = col('Name', { isName: true });
