// createCluster(scenario): the one door into the simulation.
import { RESOURCES, type KubeObject, type Node } from './api/types';
import { ApiServer, type ApiClient } from './apiserver/apiserver';
import { performAction, type ActionOutcome } from './cluster/actions';
import { apiserverReplicas, ControlPlane, type ComponentView, type ControlPlaneMachineView } from './cluster/control-plane';
import { Machines, type MachineState } from './cluster/machines';
import { loadStartingState } from './cluster/starting-state';
import { EtcdCluster, type EtcdMemberView } from './etcd/etcd-cluster';
import { Kernel } from './kernel/kernel';
import type { Scheduler } from './scheduler/scheduler';
import type { ControllerManager } from './controllers/controller-manager';
import { CONTROLLERS } from './controllers';
import { NodeAgents } from './node/node-agents';
import type { Cloud } from './cloud/cloud';
import type { CloudControllerManager } from './cloud/cloud-controller-manager';
import { withCloudTaintedNodes } from './cloud/cloud-taints';
import { CLOUD_NODE_IPAM, startCloud } from './cloud/cluster-cloud';
import type { NodeIpamConfig } from './controllers/node-ipam-config';
import { MetricsServer } from './addons/metrics-server';
import { hashString } from './kernel/rng';
import type { WireMessage } from './kernel/trace';
import type { Action, ScenarioModel, TimelineEntry } from './model';

export { ClusterLoadError, type LoadProblem } from './cluster/starting-state';
export type { ComponentView, ControlPlaneMachineView } from './cluster/control-plane';

export interface ClusterChange {
  now: number;
  /** etcd's revision: it moves whenever an object changed. */
  revision: number;
}

/** What happened when an action ran: at what instant, who asked, and kubectl's answer. */
export interface ActionRecord {
  at: number;
  source: 'timeline' | 'user';
  action: Action;
  outcomes: ActionOutcome[];
}

export interface ClusterOptions {
  /** How many wire messages to keep (Infinity: all, as the CLI's --trace wants). */
  traceCapacity?: number;
  /** Scheduler explanation annotations cover at most this many nodes per cycle (0: none). */
  schedulerExplainNodes?: number;
  /** On a cloud cluster: kube-controller-manager's --cluster-cidr and --node-cidr-mask-size instead of kubeadm's 10.244.0.0/16 with /24s. */
  nodeIpam?: NodeIpamConfig;
}

export class Cluster {
  readonly kernel: Kernel;
  readonly etcd: EtcdCluster;
  readonly apiserver: ApiServer;
  /** The control-plane machines and their processes (schedulers and controller-managers with their leader election). */
  readonly controlPlane: ControlPlane;
  readonly machines = new Machines();
  /** kubelet, container runtime and kube-proxy of every worker machine. */
  readonly nodes: NodeAgents;
  /** The simulated cloud under the cluster and its cloud-controller-manager: only with spec.cloud. */
  readonly cloud?: Cloud;
  readonly cloudControllerManager?: CloudControllerManager;
  /** metrics-server's scraper and Metrics API, when the scenario turns the addon on (spec.addons.metricsServer). */
  readonly metrics?: MetricsServer;
  /** Actions the user performed during the session: with the scenario, they replay it. */
  readonly userActions: TimelineEntry[] = [];
  readonly actions: ActionRecord[] = [];
  private readonly kubectl: ApiClient;
  private listeners = new Set<(c: ClusterChange) => void>();

  constructor(
    readonly scenario: ScenarioModel,
    options: ClusterOptions = {},
  ) {
    const s = scenario.settings;
    this.kernel = new Kernel(scenario.seed);
    if (options.traceCapacity !== undefined) this.kernel.trace.capacity = options.traceCapacity;
    this.etcd = new EtcdCluster(this.kernel, {
      members: scenario.controlPlane.etcdMembers,
      heartbeatInterval: s.etcdHeartbeatInterval,
      electionTimeout: s.etcdElectionTimeout,
      peerLatency: s.etcdPeerLatency,
    });
    this.apiserver = new ApiServer(
      this.kernel,
      this.etcd,
      {
        watchDelay: s.watchDelay,
        compactionInterval: s.etcdCompactionInterval,
        bookmarkInterval: s.watchBookmarkInterval,
      },
      apiserverReplicas(scenario.controlPlane),
    );
    this.kubectl = this.apiserver.client('kubectl');
    // On a cloud the kubelets register their Nodes with the uninitialized taint, for cloud-controller-manager to lift.
    loadStartingState(this.apiserver, scenario.cloud ? withCloudTaintedNodes(scenario) : scenario);
    this.controlPlane = new ControlPlane({
      kernel: this.kernel,
      etcd: this.etcd,
      apiserver: this.apiserver,
      shape: scenario.controlPlane,
      settings: s,
      scheduler: { profile: scenario.schedulerProfile, explainNodes: options.schedulerExplainNodes ?? 100 },
      controllers: CONTROLLERS,
      // On the cloud, kube-controller-manager runs with --allocate-node-cidrs (as kubeadm's --pod-network-cidr sets it).
      nodeIpam: scenario.cloud ? (options.nodeIpam ?? CLOUD_NODE_IPAM) : undefined,
    });
    this.nodes = new NodeAgents({ kernel: this.kernel, apiserver: this.apiserver, machines: this.machines, settings: s, registry: scenario.registry });
    // Every Node of the starting cluster is a running machine with its agents.
    for (const kv of this.etcd.store.range('/registry/nodes/')) this.nodes.add((kv.value as KubeObject).metadata.name!);
    if (scenario.cloud) {
      const startingNodes = [...this.etcd.store.range('/registry/nodes/')].map((kv) => kv.value as Node);
      const c = startCloud({
        kernel: this.kernel,
        apiserver: this.apiserver,
        machines: this.machines,
        nodes: this.nodes,
        settings: s,
        model: scenario.cloud,
        startingNodes,
        nodeIpam: options.nodeIpam ?? CLOUD_NODE_IPAM,
        // One replica, on the first control-plane machine: it stops when that machine loses power.
        host: this.controlPlane.machines[0],
      });
      this.cloud = c.cloud;
      this.cloudControllerManager = c.cloudControllerManager;
      this.controlPlane.hostProcess(c.cloudControllerManager);
    }
    if (scenario.addons?.metricsServer) this.metrics = new MetricsServer({ kernel: this.kernel, apiserver: this.apiserver, etcd: this.etcd, nodes: this.nodes, machines: this.machines });
    for (const entry of scenario.timeline) this.kernel.at(entry.at, `timeline.${entry.action}`, () => this.perform(entry, 'timeline'));
  }

  get now(): number {
    return this.kernel.now;
  }

  /** The kube-scheduler that holds its Lease, else the first one. */
  get scheduler(): Scheduler {
    return this.controlPlane.scheduler;
  }

  /** The kube-controller-manager that holds its Lease, else the first one. */
  get controllerManager(): ControllerManager {
    return this.controlPlane.controllerManager;
  }

  /** Every kube-scheduler, one per control-plane machine. */
  get schedulers(): readonly Scheduler[] {
    return this.controlPlane.schedulers;
  }

  get controllerManagers(): readonly ControllerManager[] {
    return this.controlPlane.controllerManagers;
  }

  /** The control-plane machines (not Nodes), powered or not, with what runs on each. */
  controlPlaneNodes(): ControlPlaneMachineView[] {
    return this.controlPlane.machineView();
  }

  get revision(): number {
    return this.etcd.store.revision;
  }

  /** Runs the next event. False when nothing is left to happen. */
  step(): boolean {
    const ran = this.kernel.step();
    this.notify();
    return ran;
  }

  /** Runs everything due up to virtual time `t` (ms) and stops the clock there. */
  runUntil(t: number): void {
    this.kernel.runUntil(t);
    this.notify();
  }

  nextEventTime(): number | undefined {
    return this.kernel.nextEventTime();
  }

  /** A user's action, now. It joins the action log so the session can be replayed. */
  act(action: Action): ActionOutcome[] {
    const entry = { ...action, at: this.now } as TimelineEntry;
    this.userActions.push(entry);
    const out = this.perform(entry, 'user');
    this.notify();
    return out;
  }

  subscribe(listener: (c: ClusterChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The pods bound to a node (spec.nodeName), as stored, in etcd's key order; a fresh array the caller may sort. */
  podsOnNode(nodeName: string): KubeObject[] {
    return this.apiserver.podsOnNode(nodeName);
  }

  /** Every stored object: kinds in a fixed order, then namespace, then name. */
  objects(): KubeObject[] {
    const out: KubeObject[] = [];
    for (const r of RESOURCES) {
      // etcd ranges in key order (cached, as every list reads it): namespace/name but for a namespace that begins
      // another ("a" and "a-b"), whose runs the sort merges; on input in order it makes one pass.
      const items = this.etcd.store.sortedValues(`/registry/${r.resource}/`) as KubeObject[];
      items.sort(compareKeys);
      // One by one: spreading 150,000 pods into push() overflows the stack.
      for (const o of items) out.push(o);
    }
    return out;
  }

  /** etcd members, then the apiservers, schedulers and controller-managers, each with its machine. */
  components(): ComponentView[] {
    const ccm = this.cloudControllerManager;
    const cloud: ComponentView[] = ccm ? [{ name: ccm.name, state: !ccm.running ? 'stopped' : ccm.leading ? 'running' : 'standby', host: ccm.host, leader: ccm.leading }] : [];
    return [...this.controlPlane.components(), ...cloud];
  }

  componentNames(): string[] {
    return [...this.controlPlane.componentNames(), ...(this.cloudControllerManager ? [this.cloudControllerManager.name] : [])];
  }

  etcdMembers(): EtcdMemberView[] {
    return this.etcd.view();
  }

  machine(node: string): MachineState {
    return this.machines.get(node);
  }

  trace(afterSeq = 0): WireMessage[] {
    return this.kernel.trace.messages(afterSeq);
  }

  /**
   * A hash of everything that is the cluster's state at this instant: the
   * clock, every object, every component's state and every machine. Two
   * runs of the same scenario and actions must agree on it.
   */
  stateHash(): string {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    const feed = (s: string) => {
      const a = hashString(s);
      h1 = Math.imul(h1 ^ a, 0x01000193) >>> 0;
      h2 = (Math.imul(h2, 31) + a) >>> 0;
    };
    feed(String(this.now));
    for (const o of this.objects()) feed(JSON.stringify(o));
    feed(JSON.stringify(this.etcdMembers()));
    feed(JSON.stringify(this.components()));
    feed(JSON.stringify(this.controlPlaneNodes()));
    feed(JSON.stringify(this.apiserver.loadBalancerView() ?? null));
    feed(JSON.stringify(this.machines.faulted()));
    if (this.cloud) feed(JSON.stringify(this.cloud.view()));
    feed(String(this.kernel.trace.count));
    return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
  }

  private perform(entry: TimelineEntry, source: ActionRecord['source']): ActionOutcome[] {
    const result = performAction(entry, {
      kubectl: this.kubectl,
      apiserver: this.apiserver,
      etcd: this.etcd,
      controlPlane: this.controlPlane,
      machines: this.machines,
      nodes: this.nodes,
      cloud: this.cloud,
      cloudControllerManager: this.cloudControllerManager,
    });
    const outcomes = Array.isArray(result) ? result : [result];
    const { at: _at, ...action } = entry;
    void _at;
    this.actions.push({ at: this.now, source, action: action as Action, outcomes });
    return outcomes;
  }

  private notify(): void {
    if (this.listeners.size === 0) return;
    const change = { now: this.now, revision: this.revision };
    for (const l of this.listeners) l(change);
  }
}

export function createCluster(scenario: ScenarioModel, options?: ClusterOptions): Cluster {
  return new Cluster(scenario, options);
}

function compareKeys(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  const ma = a.metadata.name ?? '';
  const mb = b.metadata.name ?? '';
  return ma < mb ? -1 : ma > mb ? 1 : 0;
}
