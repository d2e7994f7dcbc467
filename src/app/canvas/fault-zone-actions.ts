// What the node and component menus offer (issue 6 part 2), as timeline
// actions in the scenario's verbs, and the Node that "Add node" applies.
// Pure: built from the machine's state (src/sim/cluster/machines.ts), the
// Node object and the component's state as the cluster reports them; the
// menus (src/app/panels/NodeMenu.tsx, ComponentMenu.tsx) only render them.
import type { Node } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../sim/api/types';
import type { MachineState } from '../../sim/cluster/machines';
import type { Action } from '../../sim/model';

export interface MenuEntry {
  /** Stable id: the item's test id is `menu-${id}`. */
  id: string;
  label: string;
  /** What the item does, in order (usually one action). */
  actions: Action[];
  /** A one-line explanation, shown as the item's title. */
  hint?: string;
  disabled?: boolean;
  /** Deletes something. */
  danger?: boolean;
  /** Starts a new group (a separator above it). */
  group?: boolean;
}

export interface NodeMenuInput {
  node: string;
  machine: MachineState;
  /** The Node object's spec.unschedulable; undefined when the Node is not stored (deleted). */
  cordoned: boolean | undefined;
  /** The cluster runs on a cloud (spec.cloud): the machine is a cloud instance that can be deleted. */
  cloud?: boolean;
}


/** A node's menu: its machine's faults (each on or off), then scheduling, then the Node object. */
export function nodeMenuEntries({ node, machine: m, cordoned, cloud }: NodeMenuInput): MenuEntry[] {
  const verb = (action: Exclude<Action['action'], 'apply' | 'delete' | 'scale' | 'stopComponent' | 'startComponent'>): Action[] => [{ action, node }];
  const off = !m.powered;
  return [
    m.powered
      ? { id: 'powerOff', label: 'Power off', actions: verb('powerOff'), hint: 'The machine stops: no heartbeats, its containers die' }
      : { id: 'powerOn', label: 'Power on', actions: verb('powerOn'), hint: 'The machine boots: its kubelet starts and registers again' },
    m.kubeletRunning || off
      ? { id: 'stopKubelet', label: 'Stop kubelet', actions: verb('stopKubelet'), disabled: off, hint: 'Containers keep running, nobody reports on them' }
      : { id: 'startKubelet', label: 'Start kubelet', actions: verb('startKubelet') },
    m.partitioned
      ? { id: 'heal', label: 'Heal network', actions: verb('heal') }
      : { id: 'partition', label: 'Cut network (partition)', actions: verb('partition'), hint: 'Running, but cut off from the control plane' },
    m.memoryPressure && !off
      ? { id: 'freeMemory', label: 'Free memory', actions: verb('freeMemory') }
      : {
          id: 'fillMemory',
          label: 'Fill memory (memory pressure)',
          actions: verb('fillMemory'),
          disabled: off,
          hint: "memory.available below the kubelet's 100Mi eviction threshold",
        },
    cordoned
      ? { id: 'uncordon', label: 'Uncordon', actions: verb('uncordon'), group: true, disabled: cordoned === undefined }
      : { id: 'cordon', label: 'Cordon', actions: verb('cordon'), group: true, disabled: cordoned === undefined, hint: 'kubectl cordon: no new pods' },
    { id: 'drain', label: 'Drain', actions: verb('drain'), disabled: cordoned === undefined, hint: 'kubectl drain --ignore-daemonsets --force: cordon, then evict its pods' },
    {
      id: 'deleteNode',
      label: 'Delete Node object',
      actions: [{ action: 'delete', kind: 'Node', name: node }],
      group: true,
      danger: true,
      disabled: cordoned === undefined,
      hint: 'kubectl delete node: pod GC removes its pods',
    },
    ...(cloud
      ? [
          {
            // The cloud terminates the worker's instance (deleteMachine): cloud-controller-manager then deletes its Node.
            id: 'deleteMachine',
            label: 'Delete machine (cloud)',
            actions: verb('deleteMachine'),
            danger: true,
            hint: "The cloud terminates the instance: cloud-controller-manager's node lifecycle controller deletes the Node once it is not Ready and gone from the cloud",
          },
        ]
      : []),
  ];
}

/** etcd members, kube-apiserver, kube-scheduler and kube-controller-manager (each replica of them), cloud-controller-manager: stop or start. */
export function componentMenuEntries(component: string, state: string): MenuEntry[] {
  const stopped = state === 'stopped';
  return [
    stopped
      ? { id: 'startComponent', label: `Start ${component}`, actions: [{ action: 'startComponent', component }] }
      : { id: 'stopComponent', label: `Stop ${component}`, actions: [{ action: 'stopComponent', component }], hint: stopHint(component, state) },
  ];
}

function stopHint(component: string, state: string): string {
  if (component.startsWith('etcd-')) return 'Without a quorum of members, etcd takes no writes';
  const replica = /-\d+$/.test(component);
  if (component.startsWith('kube-apiserver'))
    return replica ? 'Its watches close; its clients reconnect to another apiserver once the load balancer takes it out' : 'Nothing can read or write the cluster; running pods keep running';
  if (state === 'standby') return 'A standby: one fewer to take over the Lease';
  if (component.startsWith('kube-scheduler')) return replica ? 'If it leads, a standby takes the Lease once it goes unrenewed for its 15 s duration' : 'New pods stay Pending';
  if (component === 'cloud-controller-manager') return 'No cloud controller runs: nodes gone from the cloud stay, load balancers stop following';
  if (replica) return 'If it leads, a standby takes the Lease once it goes unrenewed for its 15 s duration';
  return 'No controller reconciles: nothing is replaced, nothing is evicted';
}

/** A control-plane machine: power it off (everything on it stops) or on. */
export function machineMenuEntries(machine: string, powered: boolean): MenuEntry[] {
  return [
    powered
      ? {
          id: 'powerOff',
          label: `Power off ${machine}`,
          actions: [{ action: 'powerOff', node: machine }],
          hint: 'Its etcd member, kube-apiserver, kube-scheduler and kube-controller-manager stop',
        }
      : { id: 'powerOn', label: `Power on ${machine}`, actions: [{ action: 'powerOn', node: machine }], hint: 'Its components start again' },
  ];
}

/**
 * The next free name after `template` in its series: the trailing number
 * goes up past every name of the series (its zero padding kept: pool-09 ->
 * pool-10, node-3 -> node-4); a name with no number gets "-2", "-3", ...
 */
export function nextNodeName(template: string, taken: readonly string[]): string {
  const m = /^(.*?)(\d+)$/.exec(template);
  const prefix = m ? m[1] : `${template}-`;
  const width = m ? m[2].length : 1;
  const names = new Set(taken);
  let n = m ? Number(m[2]) : 1;
  for (const t of taken) {
    if (!t.startsWith(prefix)) continue;
    const rest = t.slice(prefix.length);
    if (/^\d+$/.test(rest)) n = Math.max(n, Number(rest));
  }
  let name: string;
  do name = `${prefix}${String(++n).padStart(width, '0')}`;
  while (names.has(name));
  return name;
}

/** Labels the kubelet sets from the machine itself: the copy gets its own. */
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/**
 * "Add node": a Node like the last worker (by name), with the next free
 * name, its labels (the hostname label renamed) and capacity, and nothing
 * else (no taints, not cordoned): a new machine joining. With no worker to
 * copy, a node of kubeviz's default size (4 cpu, 16Gi, 110 pods).
 */
export function nodeFromTemplate(nodes: readonly Node[]): KubeObject {
  const names = nodes.map((n) => n.metadata?.name ?? '').sort();
  const template = [...nodes].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1)).at(-1);
  const name = nextNodeName(template?.metadata?.name ?? 'node-0', names);
  const labels = { ...(template?.metadata?.labels ?? {}) };
  if (HOSTNAME_LABEL in labels) labels[HOSTNAME_LABEL] = name;
  const capacity = template?.status?.capacity ?? { cpu: '4', memory: '16Gi', pods: '110' };
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, status: { capacity: { ...capacity } } };
}
