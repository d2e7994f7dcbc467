// Quantities as a person reads them on a node card: cpu in cores or
// millicores ("250m", "4"), memory in binary units ("128Mi", "16Gi"), the
// way `kubectl describe node` prints them.

export function formatCpu(milli: number): string {
  if (milli % 1000 === 0) return String(milli / 1000);
  return `${milli}m`;
}

const UNITS = ['Ki', 'Mi', 'Gi', 'Ti'] as const;

export function formatMemory(bytes: number): string {
  if (bytes < 1024) return String(bytes);
  let v = bytes;
  let unit = '';
  for (const u of UNITS) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  // Whole units stay whole ("16Gi"); otherwise one decimal, trimmed ("1.5Gi").
  const text = Number.isInteger(v) ? String(v) : v.toFixed(1).replace(/\.0$/, '');
  return `${text}${unit}`;
}

/** The share of allocatable in use, 0..1 (a node without allocatable reads as full when anything is requested). */
export function fraction(requested: number, allocatable: number): number {
  if (allocatable <= 0) return requested > 0 ? 1 : 0;
  return Math.min(requested / allocatable, 1);
}
