// kubectl get nodes: printNode in pkg/printers/internalversion/printers.go.
// STATUS is Ready / NotReady / Unknown from the Ready condition, with
// ",SchedulingDisabled" for a cordoned node; ROLES come from
// node-role.kubernetes.io/<role> and kubernetes.io/role labels.
import type { Node } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../sim/api/types';
import { since } from '../humanize';
import { col, nameCol, type PrintContext, type TableDef } from './table';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** findNodeRoles: sorted, unique. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === ROLE_LABEL && v !== '') roles.add(v);
  }
  return [...roles].sort();
}

export function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

const address = (node: Node, type: string): string => (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';

export const nodeTable: TableDef = {
  columns: [
    nameCol,
    col('Status'),
    col('Roles'),
    col('Age'),
    col('Version'),
    col('Internal-IP', { priority: 1 }),
    col('External-IP', { priority: 1 }),
    col('OS-Image', { priority: 1 }),
    col('Kernel-Version', { priority: 1 }),
    col('Container-Runtime', { priority: 1 }),
  ],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const node = obj as unknown as Node;
    const info = node.status?.nodeInfo;
    const cells = [node.metadata?.name ?? '', nodeStatus(node), nodeRoles(node).join(',') || '<none>', since(node.metadata?.creationTimestamp, ctx.now), info?.kubeletVersion ?? ''];
    if (!ctx.wide) return cells;
    return [
      ...cells,
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
};
