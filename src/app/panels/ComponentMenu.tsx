// A control-plane component's actions (issue 6 part 2): stop or start each
// etcd member on its own (so quorum loss can be shown: two of three stopped
// and writes fail), kube-apiserver, kube-scheduler and
// kube-controller-manager. The "⋯" menu on its canvas box (also on
// right-click) and a row of buttons in the inspector; each a timeline action
// through the store.
import { useCallback } from 'react';
import { componentMenuEntries, type MenuEntry } from '../canvas/fault-zone-actions';
import type { ClusterViewState } from '../store/cluster-store';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import { actWithNotice } from './act-with-notice';
import { useActionMenu, type ActionMenuHandle } from './ActionMenu';

/** The component's state as the store shows it: an etcd member's raft role, else running / stopped (the scheduler's extension point while it runs). */
export function componentState(s: ClusterViewState, name: string): string {
  if (name === 'kube-apiserver') return s.apiserver;
  if (name === 'kube-scheduler') return s.scheduler.state;
  if (name === 'kube-controller-manager') return s.controllerManager.state;
  return s.etcdRoles.find((m) => m.name === name)?.role ?? 'unknown';
}

export function useComponentMenu(name: string): ActionMenuHandle {
  const store = useClusterStoreApi();
  const build = useCallback(() => componentMenuEntries(name, componentState(store.getState(), name)), [store, name]);
  const choose = useCallback((e: MenuEntry) => void actWithNotice(store, e.actions), [store]);
  return useActionMenu({ label: `Actions for ${name}`, build, choose, testId: `component-menu-button-${name}` });
}

export function ComponentActionBar({ name }: { name: string }) {
  const store = useClusterStoreApi();
  const state = useClusterStore(useCallback((s: ClusterViewState) => componentState(s, name), [name]));
  return (
    <div className="action-bar" role="toolbar" aria-label={`Actions for ${name}`} data-testid="component-action-bar">
      {componentMenuEntries(name, state).map((e) => (
        <button key={e.id} type="button" className="btn btn-small" data-testid={`component-action-${e.id}`} title={e.hint} onClick={() => actWithNotice(store, e.actions)}>
          {e.label}
        </button>
      ))}
    </div>
  );
}
