import { describe, expect, it } from 'vitest';
import { DESCRIBE, GET_TABLE, TabWriter, tabbed } from './tabwriter';

describe("Go's tabwriter as kubectl configures it", () => {
  it('pads a column to its widest cell plus 3 spaces, at least 6 wide (kubectl get)', () => {
    // Column 0: widest cell "NAME" or "web-1" (5) + 3 = 8; column 1: "READY" (5) + 3 = 8; the last cell is never padded.
    const out = tabbed(GET_TABLE, (w) => w.write('NAME\tREADY\tAGE\nweb-1\t1/1\t5s\na\t0/1\t10s\n'));
    expect(out).toBe('NAME    READY   AGE\nweb-1   1/1     5s\na       0/1     10s\n');
  });

  it('uses the minimum width 6 for narrow columns', () => {
    // "ID" (2) + 3 = 5 < 6.
    expect(tabbed(GET_TABLE, (w) => w.write('ID\tX\n1\t2\n'))).toBe('ID    X\n1     2\n');
  });

  it('a line without a tab ends the column block, so describe sections align on their own', () => {
    // "Name:" and "Namespace:" share a block (10 + 2 = 12); after "Containers:" the next block is "  nginx:"-less cells.
    const out = tabbed(DESCRIBE, (w) => w.write('Name:\tweb\nNamespace:\tdefault\nContainers:\n  Image:\tnginx\n'));
    expect(out).toBe('Name:       web\nNamespace:  default\nContainers:\n  Image:  nginx\n');
  });

  it('blocks are per column: a line with fewer cells ends the deeper column only', () => {
    // Column 0 spans all three lines ("a", "bbbb", "cc": 4 + 2 = 6); column 1 only the first two ("x", "yyy": 3 + 2 = 5).
    const out = tabbed(DESCRIBE, (w) => w.write('a\tx\t1\nbbbb\tyyy\t2\ncc\tz\n'));
    expect(out).toBe('a     x    1\nbbbb  yyy  2\ncc    z\n');
  });

  it('remembers widths across flushes (RememberWidths), so watch rows keep the header alignment', () => {
    const w = new TabWriter(GET_TABLE);
    w.write('NAME\tSTATUS\nweb-1\tRunning\n');
    w.flush();
    expect(w.take()).toBe('NAME    STATUS\nweb-1   Running\n');
    // A later, narrower row still uses the 8-wide first column.
    w.write('a\tPending\n');
    w.flush();
    expect(w.take()).toBe('a       Pending\n');
    w.forgetWidths();
    w.write('a\tPending\n');
    w.flush();
    expect(w.take()).toBe('a     Pending\n');
  });
});
