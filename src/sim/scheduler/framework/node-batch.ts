// Nodes handed to a plugin all at once (Filter's and Score's batched
// paths): slots of a NodeTable, so the plugin's loop reads the table's
// columns and never touches a NodeInfo unless it needs a rare field.
import type { NodeTable } from './node-table';
import type { NodeInfo } from './types';

export class NodeBatch {
  slots = new Int32Array(64);
  count = 0;

  constructor(public table: NodeTable) {}

  clear(table: NodeTable): void {
    this.table = table;
    this.count = 0;
  }

  /** Makes room for `count` slots and sets the count; the caller writes slots[0..count). */
  resize(count: number): void {
    if (count > this.slots.length) this.slots = new Int32Array(Math.max(count, this.slots.length * 2));
    this.count = count;
  }

  push(slot: number): void {
    if (this.count === this.slots.length) {
      const grown = new Int32Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    this.slots[this.count++] = slot;
  }

  /** The k-th node's NodeInfo. */
  info(k: number): NodeInfo {
    return this.table.infos[this.slots[k]]!;
  }
}
