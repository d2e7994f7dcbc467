// Which rows of a long list are in view (plus a margin), for lists that put
// only those in the DOM. Rows are all `rowHeight` tall.

/** Rows drawn beyond each edge of the view, so a fast scroll or a find-in-page rarely meets a gap. */
export const OVERSCAN_ROWS = 40;

export function visibleWindow(count: number, rowHeight: number, scrollTop: number, viewHeight: number, overscan = OVERSCAN_ROWS): { start: number; end: number } {
  if (count <= 0 || !(rowHeight > 0)) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewHeight)) / rowHeight);
  const start = Math.max(0, Math.min(count, first - overscan));
  const end = Math.max(start, Math.min(count, last + overscan));
  return { start, end };
}
