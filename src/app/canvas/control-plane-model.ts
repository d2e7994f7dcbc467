// What the canvas draws of the control plane, read from the simulation's
// component list (src/sim/cluster.ts components(): {name, state, host?,
// leader?}) and its control-plane machines (controlPlaneNodes()). Pure.
//
// One control-plane machine (the default) keeps today's picture: the
// components kube-apiserver, kube-scheduler, kube-controller-manager and the
// etcd row, no frames, no load balancer. With several (a highly available
// control plane, as kubeadm builds one with `--control-plane-endpoint`), each
// machine is a frame holding what runs on it (its etcd member, its
// kube-apiserver-i, kube-scheduler-i and kube-controller-manager-i), and
// every client reaches the apiservers through the load balancer in front of
// them. A cloud (spec.cloud) adds the cloud box and cloud-controller-manager.
import { CLOUD_CONTROLLER_MANAGER } from '../../sim/cloud/cloud-controller-manager';

/** A component as the simulation reports it. `host` and `leader` come with a highly available control plane. */
export interface ComponentReport {
  name: string;
  /** Its statechart state: "running", "stopped", "standby", an etcd member's raft role, the scheduler's extension point... */
  state: string;
  /** The control-plane machine it runs on. */
  host?: string;
  /** For leader-elected components (kube-scheduler, kube-controller-manager, cloud-controller-manager): it holds the Lease. */
  leader?: boolean;
}

/** A control-plane machine as the simulation reports it. */
export interface MachineReport {
  name: string;
  powered?: boolean;
}

/** One control-plane machine's frame: the components on it, by role. */
export interface ControlPlaneMachineShape {
  name: string;
  /** Its etcd members (stacked etcd: one), in the cluster's order. */
  etcd: readonly string[];
  apiserver?: string;
  scheduler?: string;
  controllerManager?: string;
}

export { CLOUD_CONTROLLER_MANAGER };

export type ComponentRole = 'etcd' | 'apiserver' | 'scheduler' | 'controllerManager' | 'cloudControllerManager' | 'other';

/** The role a component's name says: kube-apiserver, kube-apiserver-2, etcd-3, ... */
export function roleOf(name: string): ComponentRole {
  if (/^etcd-\d+$/.test(name)) return 'etcd';
  if (/^kube-apiserver(-\d+)?$/.test(name)) return 'apiserver';
  if (/^kube-scheduler(-\d+)?$/.test(name)) return 'scheduler';
  if (/^kube-controller-manager(-\d+)?$/.test(name)) return 'controllerManager';
  if (name === CLOUD_CONTROLLER_MANAGER) return 'cloudControllerManager';
  return 'other';
}

/**
 * The frames of a highly available control plane, in the machines' order;
 * null for a single control-plane machine (the canvas draws it as it always
 * has). A cluster is highly available when it reports more than one machine,
 * or replicas named with a machine index (kube-apiserver-2).
 */
export function controlPlaneShape(components: readonly ComponentReport[], machines: readonly MachineReport[]): ControlPlaneMachineShape[] | null {
  const replicas = components.some((c) => /^kube-(apiserver|scheduler|controller-manager)-\d+$/.test(c.name));
  const hosts = new Set(components.map((c) => c.host).filter((h): h is string => h !== undefined));
  if (machines.length <= 1 && !replicas && hosts.size <= 1) return null;
  // The machines the cluster lists, then any host only a component names (in the order met).
  const names = machines.map((m) => m.name);
  for (const h of hosts) if (!names.includes(h)) names.push(h);
  const frames = new Map<string, { name: string; etcd: string[]; apiserver?: string; scheduler?: string; controllerManager?: string }>();
  for (const n of names) frames.set(n, { name: n, etcd: [] });
  for (const c of components) {
    const frame = c.host !== undefined ? frames.get(c.host) : undefined;
    if (!frame) continue;
    const role = roleOf(c.name);
    if (role === 'etcd') frame.etcd.push(c.name);
    else if (role === 'apiserver') frame.apiserver ??= c.name;
    else if (role === 'scheduler') frame.scheduler ??= c.name;
    else if (role === 'controllerManager') frame.controllerManager ??= c.name;
  }
  return [...frames.values()];
}

/** The same shape: the layout is recomputed only when this says the frames changed. */
export function sameShape(a: readonly ControlPlaneMachineShape[] | null, b: readonly ControlPlaneMachineShape[] | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((m, i) => {
    const n = b[i];
    return (
      m.name === n.name &&
      m.apiserver === n.apiserver &&
      m.scheduler === n.scheduler &&
      m.controllerManager === n.controllerManager &&
      m.etcd.length === n.etcd.length &&
      m.etcd.every((e, j) => e === n.etcd[j])
    );
  });
}

/** etcd members in the order the canvas draws them left to right: the frames' members first, then any without a machine. */
export function etcdDrawOrder(etcd: readonly string[], shape: readonly ControlPlaneMachineShape[] | null): string[] {
  if (!shape) return [...etcd];
  const hosted = shape.flatMap((m) => m.etcd);
  const known = new Set(hosted);
  return [...hosted.filter((m) => etcd.includes(m)), ...etcd.filter((m) => !known.has(m))];
}

/** How a leader-elected or replicated component reads on its box. */
export interface ReplicaStatus {
  /** The badge: "leader", "standby", "stopped", "running". */
  badge: string;
  tone: 'leader' | 'ok' | 'standby' | 'bad';
}

export function replicaStatus(c: Pick<ComponentReport, 'state' | 'leader'> | undefined): ReplicaStatus {
  if (!c || c.state === 'stopped') return { badge: 'stopped', tone: 'bad' };
  if (c.state === 'standby') return { badge: 'standby', tone: 'standby' };
  if (c.leader === true) return { badge: 'leader', tone: 'leader' };
  return { badge: 'running', tone: 'ok' };
}
