// Everything that decides which session the page opens (boot.ts planBoot),
// read once by the entry: the URL, whether this is a reload, and the
// autosave's items as they were. The page plans its boot from it, and so
// does the simulation's Web Worker, which can then build that session
// while the app's own bundle is still loading (sim-server.ts 'prepare').
import { AUTOSAVE_KEY, AUTOSAVE_SCENARIO_KEY } from './autosave-keys';

export interface LaunchInputs {
  search: string;
  hash: string;
  /** The page was reloaded (not opened from a link or typed). */
  reload: boolean;
  /** The autosave's localStorage items (null: absent); null where the browser forbids storage. */
  saved: Readonly<Record<string, string | null>> | null;
}

export function readLaunchInputs(): LaunchInputs {
  let saved: Record<string, string | null> | null;
  try {
    const storage = window.localStorage;
    saved = { [AUTOSAVE_KEY]: storage.getItem(AUTOSAVE_KEY), [AUTOSAVE_SCENARIO_KEY]: storage.getItem(AUTOSAVE_SCENARIO_KEY) };
  } catch {
    saved = null; // storage disabled: nothing was saved
  }
  return { search: window.location.search, hash: window.location.hash, reload: isReload(), saved };
}

/** The autosave's items as a read-only storage (readAutosave reads it), or null when there was no storage. */
export function savedStorage(inputs: LaunchInputs): Pick<Storage, 'getItem'> | null {
  const saved = inputs.saved;
  return saved === null ? null : { getItem: (key) => saved[key] ?? null };
}

/** The user reloaded this tab (F5, the reload button), as opposed to opening a link or typing an address. */
export function isReload(): boolean {
  try {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return nav?.type === 'reload';
  } catch {
    return false;
  }
}
