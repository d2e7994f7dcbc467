// A control-plane component's actions (issue 6 part 2): stop or start each
// etcd member on its own (so quorum loss can be shown: two of three stopped
// and writes fail), kube-apiserver, kube-scheduler and
// kube-controller-manager (in a highly available control plane each replica,
// kube-apiserver-2 ...), cloud-controller-manager. The "⋯" menu on its canvas
// box (also on right-click) and a row of buttons in the inspector; each a
// timeline action through the store.
import { useCallback } from 'react';
import { componentMenuEntries, type MenuEntry } from '../canvas/fault-zone-actions';
import { componentReportNow } from '../canvas/use-control-plane';
import type { ClusterStore, ClusterViewState } from '../store/cluster-store';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import { actWithNotice } from './act-with-notice';
import { useActionMenu, type ActionMenuHandle } from './ActionMenu';

/**
 * The component's state as the store shows it: an etcd member's raft role,
 * else running / stopped (the scheduler's extension point while it runs);
 * replicas and cloud-controller-manager, which the store does not keep, as
 * the cluster reports them (with `store`).
 */
export function componentState(s: ClusterViewState, name: string, store?: ClusterStore): string {
  if (name === 'kube-apiserver') return s.apiserver;
  if (name === 'kube-scheduler') return s.scheduler.state;
  if (name === 'kube-controller-manager') return s.controllerManager.state;
  const member = s.etcdRoles.find((m) => m.name === name);
  if (member) return member.role;
  return (store && componentReportNow(store, name)?.state) ?? 'unknown';
}

export function useComponentMenu(name: string): ActionMenuHandle {
  const store = useClusterStoreApi();
  const build = useCallback(() => componentMenuEntries(name, componentState(store.getState(), name, store)), [store, name]);
  const choose = useCallback((e: MenuEntry) => void actWithNotice(store, e.actions), [store]);
  return useActionMenu({ label: `Actions for ${name}`, build, choose, testId: `component-menu-button-${name}` });
}

export function ComponentActionBar({ name }: { name: string }) {
  const store = useClusterStoreApi();
  const state = useClusterStore(useCallback((s: ClusterViewState) => componentState(s, name, store), [name, store]));
  return (
    <div className="action-bar" role="toolbar" aria-label={`Actions for ${name}`} data-testid="component-action-bar">
      {componentMenuEntries(name, state).map((e) => (
        <button key={e.id} type="button" className="btn btn-small" data-testid={`component-action-${e.id}`} title={e.hint} onClick={() => void actWithNotice(store, e.actions)}>
          {e.label}
        </button>
      ))}
    </div>
  );
}
