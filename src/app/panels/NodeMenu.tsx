// A worker node's actions (issue 6 part 2): the "⋯" menu on its card (also
// on right-click) and the same actions as a row of buttons in the
// inspector's Node view, for clusters drawn as a heat map where there are no
// cards to open a menu on. Power off/on, stop/start the kubelet, cut/heal
// its network, fill/free its memory, cordon/uncordon, drain, delete the
// Node, and on a cloud delete its machine (the instance is terminated): each
// one a timeline action through the store (a failure shows as a notice).
import { useCallback } from 'react';
import type { Node } from 'kubernetes-types/core/v1';
import { nodeMenuEntries, type MenuEntry, type NodeMenuInput } from '../canvas/fault-zone-actions';
import type { ClusterStore, ClusterViewState } from '../store/cluster-store';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import { actWithNotice } from './act-with-notice';
import { useActionMenu, type ActionMenuHandle } from './ActionMenu';
import { HEALTHY_MACHINE, useMachine } from './use-machines';

/** The node as it is now, read when the menu opens. */
function currentInput(store: ClusterStore, node: string): NodeMenuInput {
  const c = store.cluster;
  const obj = c?.etcd.store.get(`/registry/nodes/${node}`)?.value as Node | undefined;
  return { node, machine: c?.machine(node) ?? HEALTHY_MACHINE, cordoned: obj ? obj.spec?.unschedulable === true : undefined, cloud: c?.scenario.cloud !== undefined };
}

/** The card's menu: its button, its right-click handler and the open menu. */
export function useNodeMenu(node: string): ActionMenuHandle {
  const store = useClusterStoreApi();
  const build = useCallback(() => nodeMenuEntries(currentInput(store, node)), [store, node]);
  const choose = useCallback((e: MenuEntry) => void actWithNotice(store, e.actions), [store]);
  return useActionMenu({ label: `Actions for ${node}`, build, choose, testId: 'node-menu-button' });
}

/** The inspector's row of the same actions, kept current as the machine and the Node change. */
export function NodeActionBar({ node }: { node: string }) {
  const store = useClusterStoreApi();
  const machine = useMachine(node);
  const cordoned = useClusterStore(useCallback((s: ClusterViewState) => s.workers.find((w) => w.name === node)?.cordoned, [node]));
  const entries = nodeMenuEntries({ node, machine, cordoned, cloud: store.cluster?.scenario.cloud !== undefined });
  return (
    <div className="action-bar" role="toolbar" aria-label={`Actions for ${node}`} data-testid="node-action-bar">
      {entries.map((e) => (
        <button
          key={e.id}
          type="button"
          className={`btn btn-small${e.danger ? ' btn-danger' : ''}${e.group ? ' action-bar-group' : ''}`}
          data-testid={`node-action-${e.id}`}
          disabled={e.disabled}
          title={e.hint}
          onClick={() => actWithNotice(store, e.actions)}
        >
          {e.label}
        </button>
      ))}
    </div>
  );
}
