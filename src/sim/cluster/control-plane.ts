// The control-plane machines and what runs on each, as kubeadm's stacked
// topology lays them out (kubeadm docs: high-availability, ha-topology):
// every machine runs kube-apiserver, kube-scheduler and
// kube-controller-manager as static pods, and the etcd members are spread
// over them. The schedulers and controller-managers elect a leader on
// their Leases; the apiservers all serve, behind a load balancer when
// there are several. Powering a machine off stops everything on it at
// once; powering it on starts everything again, as its kubelet starts the
// static pods at boot.
import type { NodeIpamConfig } from '../controllers/node-ipam-config';
import { SINGLE_APISERVER, type ApiServer, type ReplicaSpec } from '../apiserver/apiserver';
import type { ControllerFactory } from '../controllers/controller';
import { ControllerManager } from '../controllers/controller-manager';
import type { EtcdCluster } from '../etcd/etcd-cluster';
import type { Kernel } from '../kernel/kernel';
import { controlPlaneComponents, controlPlaneMachines, controlPlaneProcessName, etcdMemberMachine, type ClusterSettings, type ControlPlaneShape } from '../model';
import { Scheduler, type SchedulerSettings } from '../scheduler/scheduler';
import type { ActionOutcome } from './actions';

/** One control-plane component as the UI and the CLI see it. */
export interface ComponentView {
  name: string;
  /**
   * The component's state: an etcd member's raft role, "running" or
   * "stopped" for an apiserver; for a scheduler the extension point it is
   * at ("idle", ...) while it leads; "standby" for a scheduler or
   * controller-manager that runs but does not hold its Lease.
   */
  state: string;
  /** The control-plane machine it runs on. */
  host?: string;
  /** Leader-elected components: whether this one holds the Lease now. */
  leader?: boolean;
}

export interface ControlPlaneMachineView {
  name: string;
  powered: boolean;
  /** What runs there, etcd members first. */
  components: string[];
}

/** The apiserver replicas of a shape: one at the control-plane endpoint, or one per machine at 10.0.0.1N. */
export function apiserverReplicas(shape: ControlPlaneShape): ReplicaSpec[] {
  const machines = controlPlaneMachines(shape);
  if (machines.length === 1) return [{ ...SINGLE_APISERVER, host: machines[0] }];
  return machines.map((host, i) => ({ name: controlPlaneProcessName('kube-apiserver', i, shape), host, address: `10.0.0.${11 + i}:6443` }));
}

/** A process on a control-plane machine, as the machine's power and stop/startComponent reach it. */
export interface HostedProcess {
  readonly name: string;
  readonly host: string;
  start(): void;
  stop(opts: { abrupt?: boolean }): void;
}

export interface ControlPlaneDeps {
  kernel: Kernel;
  etcd: EtcdCluster;
  apiserver: ApiServer;
  shape: ControlPlaneShape;
  settings: ClusterSettings;
  scheduler: Pick<SchedulerSettings, 'profile' | 'explainNodes'>;
  controllers: readonly ControllerFactory[];
  /** kube-controller-manager's --allocate-node-cidrs ranges, when it allocates node CIDRs. */
  nodeIpam?: NodeIpamConfig;
}

export class ControlPlane {
  readonly machines: readonly string[];
  /** One per machine, in machine order. */
  readonly schedulers: readonly Scheduler[];
  readonly controllerManagers: readonly ControllerManager[];
  private readonly powered = new Map<string, boolean>();
  /** Other processes that run on a control-plane machine (cloud-controller-manager), stopped and started with it. */
  private readonly hosted: HostedProcess[] = [];

  constructor(private readonly deps: ControlPlaneDeps) {
    const { kernel, apiserver, shape } = deps;
    this.machines = controlPlaneMachines(shape);
    for (const m of this.machines) this.powered.set(m, true);
    // Schedulers first, then controller-managers: each campaigns as it starts.
    this.schedulers = this.machines.map((host, i) => new Scheduler(kernel, apiserver, { ...deps.scheduler, name: controlPlaneProcessName('kube-scheduler', i, shape), host }));
    this.controllerManagers = this.machines.map(
      (host, i) => new ControllerManager(kernel, apiserver, deps.settings, deps.controllers, { name: controlPlaneProcessName('kube-controller-manager', i, shape), host, nodeIpam: deps.nodeIpam }),
    );
  }

  /** The scheduler that leads, else the first (the UI's explainer reads this one). */
  get scheduler(): Scheduler {
    return this.schedulers.find((s) => s.leading) ?? this.schedulers[0];
  }

  get controllerManager(): ControllerManager {
    return this.controllerManagers.find((c) => c.leading) ?? this.controllerManagers[0];
  }

  componentNames(): string[] {
    return controlPlaneComponents(this.deps.shape);
  }

  /** A process that runs on one of the machines: it stops when the machine loses power and starts with it. */
  hostProcess(process: HostedProcess): void {
    this.hosted.push(process);
  }

  isMachine(name: string): boolean {
    return this.powered.has(name);
  }

  machineView(): ControlPlaneMachineView[] {
    return this.machines.map((name) => ({ name, powered: this.powered.get(name)!, components: this.componentsOn(name) }));
  }

  components(): ComponentView[] {
    const { etcd, apiserver, shape } = this.deps;
    const out: ComponentView[] = etcd.view().map((m, i) => ({ name: m.name, state: m.role, host: etcdMemberMachine(i, shape) }));
    for (const r of apiserver.replicas) out.push({ name: r.name, state: String(r.actor.getSnapshot().value), host: r.host });
    for (const s of this.schedulers) out.push({ name: s.name, state: !s.running ? 'stopped' : s.leading ? s.point : 'standby', host: s.host, leader: s.leading });
    for (const c of this.controllerManagers) out.push({ name: c.name, state: !c.running ? 'stopped' : c.leading ? 'running' : 'standby', host: c.host, leader: c.leading });
    return out;
  }

  /** stopComponent / startComponent on one process or etcd member; undefined when there is no such component. */
  setComponent(name: string, run: boolean): ActionOutcome | undefined {
    const host = this.hostOf(name);
    if (host === undefined) return undefined;
    if (run && !this.powered.get(host)) return { ok: false, message: `${name} cannot start: its machine ${host} is powered off` };
    this.set(name, run, false);
    return { ok: true, message: `${name} ${run ? 'started' : 'stopped'}` };
  }

  /** powerOff / powerOn of a control-plane machine: everything on it stops at once, or starts. */
  power(machine: string, on: boolean): ActionOutcome {
    this.powered.set(machine, on);
    const names = this.componentsOn(machine);
    for (const n of names) this.set(n, on, true);
    return { ok: true, message: `machine/${machine}: ${on ? 'powerOn' : 'powerOff'} (${names.join(', ')} ${on ? 'started' : 'stopped'})` };
  }

  private componentsOn(machine: string): string[] {
    return [...this.componentNames(), ...this.hosted.map((p) => p.name)].filter((n) => this.hostOf(n) === machine);
  }

  private hostOf(name: string): string | undefined {
    const { etcd, apiserver, shape } = this.deps;
    const member = etcd.memberNames().indexOf(name);
    if (member >= 0) return etcdMemberMachine(member, shape);
    return apiserver.replica(name)?.host ?? this.process(name)?.host;
  }

  private process(name: string): HostedProcess | undefined {
    return this.schedulers.find((s) => s.name === name) ?? this.controllerManagers.find((c) => c.name === name) ?? this.hosted.find((p) => p.name === name);
  }

  /** `abrupt`: the machine lost power, so nothing shuts down gracefully (a leading scheduler keeps its Lease until it expires). */
  private set(name: string, run: boolean, abrupt: boolean): void {
    const { etcd, apiserver } = this.deps;
    if (etcd.hasMember(name)) return run ? etcd.startMember(name) : etcd.stopMember(name);
    const replica = apiserver.replica(name);
    if (replica) return run ? replica.start() : replica.stop();
    const process = this.process(name);
    if (!process) return;
    if (run) process.start();
    else process.stop({ abrupt });
  }
}
