// A control-plane machine of a highly available control plane: the frame
// around what runs on it (its etcd member, kube-apiserver-i, kube-scheduler-i,
// kube-controller-manager-i), with its name and power state in the title
// bar and its menu there (power off: everything on it stops; power on). The
// frame is drawn under its components' boxes; it is no component itself and
// opens nothing in the inspector. Powered off, it is hatched and its boxes
// read what the simulation says of them (stopped).
import type { Node, NodeProps } from '@xyflow/react';
import { memo, useCallback } from 'react';
import { actWithNotice } from '../../panels/act-with-notice';
import { useActionMenu } from '../../panels/ActionMenu';
import { useClusterStoreApi } from '../../store/store-context';
import { machineMenuEntries, type MenuEntry } from '../fault-zone-actions';
import { machineReportNow, useControlPlaneMachine } from '../use-control-plane';

export type MachineFrameNode = Node<{ machine: string }, 'machine'>;

export const MachineFrame = memo(function MachineFrame({ data }: NodeProps<MachineFrameNode>) {
  const name = data.machine;
  const store = useClusterStoreApi();
  const report = useControlPlaneMachine(name);
  const powered = report?.powered !== false;
  const build = useCallback(() => machineMenuEntries(name, machineReportNow(store, name)?.powered !== false), [store, name]);
  const choose = useCallback((e: MenuEntry) => void actWithNotice(store, e.actions), [store]);
  const menu = useActionMenu({ label: `Actions for ${name}`, build, choose, testId: `machine-menu-button-${name}` });
  return (
    <div
      className={`machine-frame${powered ? '' : ' is-off'}`}
      data-testid={`canvas-machine-${name}`}
      data-machine={name}
      data-powered={powered}
      aria-label={`Control-plane machine ${name}, ${powered ? 'powered on' : 'powered off'}`}
      onContextMenu={menu.onContextMenu}
    >
      <div className="machine-head">
        <svg className="machine-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <rect x="1.5" y="2.5" width="13" height="4.5" rx="1" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <rect x="1.5" y="9" width="13" height="4.5" rx="1" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <circle cx="4.2" cy="4.75" r="0.9" fill="currentColor" />
          <circle cx="4.2" cy="11.25" r="0.9" fill="currentColor" />
        </svg>
        <span className="machine-name">{name}</span>
        <span className="machine-kind">control-plane machine</span>
        <span className={`badge ${powered ? 'badge-ok' : 'badge-bad'}`} data-testid="machine-power">
          {powered ? 'powered on' : 'powered off'}
        </span>
        {menu.button}
      </div>
      {menu.popover}
    </div>
  );
});
