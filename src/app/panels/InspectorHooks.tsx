// Hooks shared by everything that feeds the inspector: making a thing
// selectable (a pod token, a node card's name, a control-plane box, a table
// row) with a boolean selector so only the item whose selected state flipped
// re-renders, and throttling views that follow a fast-moving value (etcd's
// revision, the wire) to what a person can read.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { ClusterViewState, Selection } from '../store/cluster-store';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import { selectNowSecond, selectSelect } from '../store/selectors';

/** Views that follow the revision or the wire refresh at most this often (wall ms) while the cluster runs. */
export const VIEW_REFRESH_MS = 200;

function selectionId(s: Selection): string {
  return s.type === 'object' ? `object:${s.key}` : `component:${s.name}`;
}

export interface Selectable {
  /** This thing is what the inspector shows. */
  selected: boolean;
  select: () => void;
  /** For an element that is not a <button>: role, focus, click, and Enter/Space (kept from the play/pause shortcut). */
  pressProps: {
    role: 'button';
    tabIndex: 0;
    onClick: (e: MouseEvent) => void;
    onKeyDown: (e: KeyboardEvent) => void;
  };
}

/** Selects `target` for the inspector; `selected` flips only for the item concerned. */
export function useSelectable(type: 'object', key: string): Selectable;
export function useSelectable(type: 'component', name: string): Selectable;
export function useSelectable(type: Selection['type'], id: string): Selectable {
  const select = useClusterStore(selectSelect);
  const mine = type === 'object' ? `object:${id}` : `component:${id}`;
  const selected = useClusterStore((s: ClusterViewState) => s.selection !== null && selectionId(s.selection) === mine);
  const onSelect = useCallback(() => select(type === 'object' ? { type, key: id } : { type, name: id }), [select, type, id]);
  const pressProps = useMemo<Selectable['pressProps']>(
    () => ({
      role: 'button',
      tabIndex: 0,
      onClick: (e) => {
        e.stopPropagation();
        onSelect();
      },
      onKeyDown: (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        // Space would otherwise reach the window's play/pause shortcut.
        e.preventDefault();
        e.stopPropagation();
        onSelect();
      },
    }),
    [onSelect],
  );
  return { selected, select: onSelect, pressProps };
}

/**
 * A store value, re-read at most once per `ms` of wall time: the first change
 * at once, later ones at the end of the interval. The component re-renders
 * only then, not on every frame in between. `selector` must be stable (a
 * module-level function). A paused cluster does not move, so what a paused
 * page shows never depends on timing.
 */
export function useThrottledStore<T>(selector: (s: ClusterViewState) => T, ms = VIEW_REFRESH_MS): T {
  const store = useClusterStoreApi();
  const [value, setValue] = useState(() => selector(store.getState()));
  const shown = useRef(value);
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      last = Date.now();
      shown.current = selector(store.getState());
      setValue(shown.current);
    };
    const check = () => {
      if (timer !== undefined || Object.is(selector(store.getState()), shown.current)) return;
      const wait = last + ms - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    };
    check(); // anything that moved between the render and this effect
    const unsubscribe = store.subscribe(check);
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [store, selector, ms]);
  return value;
}

/** Sim time (ms, whole seconds) for ages: kubectl's ages have one-second steps, so nothing finer re-renders them. */
export function useAgeNow(): number {
  return useThrottledStore(selectNowSecond, 250) * 1000;
}
