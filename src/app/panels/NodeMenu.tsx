// A worker node's actions (issue 6 part 2): the "⋯" menu on its card (also
// on right-click) and the same actions as a row of buttons in the
// inspector's Node view, for clusters drawn as a heat map where there are no
// cards to open a menu on. Power off/on, stop/start the kubelet, cut/heal
// its network, fill/free its memory, cordon/uncordon, drain, delete the
// Node, and on a cloud delete its machine (the instance is terminated): each
// one a timeline action through the store (a failure shows as a notice).
import { useCallback } from 'react';
import { nodeMenuEntries, type MenuEntry, type NodeMenuInput } from '../canvas/fault-zone-actions';
import { controlPlaneSnapshot, useControlPlaneLayout } from '../canvas/use-control-plane';
import type { ClusterStore, ClusterViewState } from '../store/cluster-store';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import { actWithNotice } from './act-with-notice';
import { useActionMenu, type ActionMenuHandle } from './ActionMenu';
import { faultedMachinesNow, HEALTHY_MACHINE, useMachine } from './use-machines';

/** The node as it is now, read when the menu opens: its machine, its Node's spec.unschedulable (undefined: not stored), the cloud. */
function currentInput(store: ClusterStore, node: string): NodeMenuInput {
  const worker = store.getState().workers.find((w) => w.name === node);
  return { node, machine: faultedMachinesNow(store).get(node) ?? HEALTHY_MACHINE, cordoned: worker?.cordoned, cloud: controlPlaneSnapshot(store).layout.cloud !== null };
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
  const cloud = useControlPlaneLayout().cloud !== null;
  const entries = nodeMenuEntries({ node, machine, cordoned, cloud });
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
          onClick={() => void actWithNotice(store, e.actions)}
        >
          {e.label}
        </button>
      ))}
    </div>
  );
}
