// The scenario as the simulation takes it: already parsed and checked by
// src/scenario (which maps problems back to YAML lines). Times are virtual ms.
import type { KubeObject, Node, Pod } from './api/types';
import { defaultProfile, type Profile } from './scheduler/profile';

export interface ClusterSettings {
  /** etcd --heartbeat-interval. */
  etcdHeartbeatInterval: number;
  /** etcd --election-timeout (each wait randomized in [t, 2t)). */
  etcdElectionTimeout: number;
  /** Network latency between etcd members, one way. */
  etcdPeerLatency: number;
  /** How long a committed change takes to reach a watcher. */
  watchDelay: number;
  /** kube-apiserver --etcd-compaction-interval. */
  etcdCompactionInterval: number;
  /** How often watches get a BOOKMARK. */
  watchBookmarkInterval: number;
  /** kube-controller-manager --node-monitor-grace-period: 40s before v1.32, 50s since; read by the node lifecycle controller. */
  nodeMonitorGracePeriod: number;
  /** kube-controller-manager --node-monitor-period: how often the node lifecycle controller looks at nodes. */
  nodeMonitorPeriod: number;
  /** kube-controller-manager --node-startup-grace-period: a new node's time to become Ready. */
  nodeStartupGracePeriod: number;
  /** kubelet nodeStatusUpdateFrequency: how often it posts its Node's status. */
  nodeStatusUpdateFrequency: number;
  /** kubelet nodeLeaseDurationSeconds; the lease is renewed every quarter of it (10 s). */
  nodeLeaseDuration: number;
}

export const DEFAULT_SETTINGS: ClusterSettings = {
  etcdHeartbeatInterval: 100,
  etcdElectionTimeout: 1000,
  etcdPeerLatency: 1,
  watchDelay: 1,
  etcdCompactionInterval: 5 * 60_000,
  watchBookmarkInterval: 60_000,
  nodeMonitorGracePeriod: 40_000,
  nodeMonitorPeriod: 5_000,
  nodeStartupGracePeriod: 60_000,
  nodeStatusUpdateFrequency: 10_000,
  nodeLeaseDuration: 40_000,
};

export interface ControlPlaneShape {
  /** 1 to 7 etcd members. */
  etcdMembers: number;
  /**
   * 1 to 7 control-plane machines (default 1), each running a
   * kube-apiserver, kube-scheduler and kube-controller-manager; with more
   * than one, clients reach the apiservers through a load balancer. etcd
   * members are stacked on them: member i on machine ((i - 1) mod N) + 1.
   */
  nodes?: number;
}

/** count nodes stamped from one template, for large clusters. */
export interface NodePool {
  /** Node names are NAME-1 .. NAME-count (zero-padded to the width of count). */
  name: string;
  count: number;
  template: Node;
  /** Spread the pool over these zones round-robin (topology.kubernetes.io/zone). */
  zones?: string[];
  /** Pods that start bound to every node of the pool. */
  pods?: { perNode: number; template: Pod };
  /**
   * Deployments and DaemonSets of the scenario whose pods already run on
   * this pool when it starts, as their controllers and the kubelets left
   * them: owned ReplicaSets and pods, Running and Ready, statuses up to date.
   */
  workloads?: PoolWorkload[];
}

/** A workload (a Deployment or DaemonSet among the scenario's objects) settled across a node pool. */
export interface PoolWorkload {
  kind: 'Deployment' | 'DaemonSet';
  name: string;
  /** Default "default". */
  namespace?: string;
}

export type NodeFaultVerb = 'powerOff' | 'powerOn' | 'stopKubelet' | 'startKubelet' | 'partition' | 'heal' | 'fillMemory' | 'freeMemory';
/** deleteMachine: the node's cloud instance is terminated, its machine gone for good (needs spec.cloud). */
export type NodeVerb = 'cordon' | 'uncordon' | 'drain' | NodeFaultVerb | 'deleteMachine';

export type Action =
  | { action: 'apply'; manifests: KubeObject[] }
  | { action: 'delete'; kind: string; name: string; namespace?: string }
  | { action: 'scale'; kind: string; name: string; namespace?: string; replicas: number }
  | { action: NodeVerb; node: string }
  | { action: 'stopComponent' | 'startComponent'; component: string };

export type TimelineEntry = Action & { at: number };

export const ACTION_VERBS = [
  'apply',
  'delete',
  'scale',
  'cordon',
  'uncordon',
  'drain',
  'powerOff',
  'powerOn',
  'stopKubelet',
  'startKubelet',
  'partition',
  'heal',
  'fillMemory',
  'freeMemory',
  'deleteMachine',
  'stopComponent',
  'startComponent',
] as const;

/**
 * The container registry nodes pull from (spec.registry of the Scenario
 * document). Images it does not list pull with a built-in or default size.
 */
export interface RegistryModel {
  /** Bytes per second a node pulls at (default 20 MB/s). */
  pullRate?: number;
  /** Images with their (compressed) size in bytes. */
  images?: Array<{ name: string; sizeBytes: number }>;
  /** References the registry does not have: pulls fail (ErrImagePull, then ImagePullBackOff). */
  missing?: string[];
}

/** spec.cloud: the cluster runs on a simulated cloud, managed by cloud-controller-manager (machines, routes, load balancers). */
export interface CloudModel {
  /** Where LoadBalancer Services get their external addresses (an IPv4 CIDR; default 203.0.113.0/24, TEST-NET-3). */
  loadBalancerRange: string;
}

export const DEFAULT_CLOUD: CloudModel = { loadBalancerRange: '203.0.113.0/24' };

/** spec.addons: what kubeadm-style clusters run in kube-system besides the control plane. */
export interface AddonsModel {
  /** Cluster DNS: the CoreDNS Deployment and the kube-dns Service. */
  dns: boolean;
  /** metrics-server: kubectl top and the usage charts. */
  metricsServer: boolean;
}

export interface ScenarioModel {
  name?: string;
  seed: number | string;
  controlPlane: ControlPlaneShape;
  settings: ClusterSettings;
  /** kube-scheduler's profile (from a KubeSchedulerConfiguration document, or upstream's default). */
  schedulerProfile: Profile;
  /** The starting cluster, in file order. */
  objects: KubeObject[];
  nodePools: NodePool[];
  timeline: TimelineEntry[];
  /** The registry the kubelets pull images from. */
  registry?: RegistryModel;
  /** Without it there is no cloud: no cloud-controller-manager, and a LoadBalancer Service's address stays pending. */
  cloud?: CloudModel;
  /** Without it no addon runs. */
  addons?: AddonsModel;
}

export function emptyScenario(): ScenarioModel {
  return {
    seed: 1,
    controlPlane: { etcdMembers: 3 },
    settings: { ...DEFAULT_SETTINGS },
    schedulerProfile: defaultProfile(),
    objects: [],
    nodePools: [],
    timeline: [],
  };
}

/** The control-plane processes on every control-plane machine, as upstream names their binaries. */
export const CONTROL_PLANE_PROCESSES = ['kube-apiserver', 'kube-scheduler', 'kube-controller-manager'] as const;

/**
 * The control-plane machines: "control-plane" alone, or control-plane-1 ..
 * control-plane-N. They are not Node objects: like a managed control
 * plane, they run no kubelet that registers them, so no pod lands there.
 */
export function controlPlaneMachines(shape: ControlPlaneShape): string[] {
  const n = shape.nodes ?? 1;
  return n === 1 ? ['control-plane'] : Array.from({ length: n }, (_, i) => `control-plane-${i + 1}`);
}

/** A process's name on machine `index` (0-based): the bare name with one machine, "kube-scheduler-2" with several. */
export function controlPlaneProcessName(process: string, index: number, shape: ControlPlaneShape): string {
  return (shape.nodes ?? 1) === 1 ? process : `${process}-${index + 1}`;
}

/** The machine etcd member `index` (0-based) runs on. */
export function etcdMemberMachine(index: number, shape: ControlPlaneShape): string {
  const machines = controlPlaneMachines(shape);
  return machines[index % machines.length];
}

/** The control-plane components a scenario can stop and start, by name: etcd members, then each process per machine. */
export function controlPlaneComponents(shape: ControlPlaneShape): string[] {
  const n = shape.nodes ?? 1;
  const etcd = Array.from({ length: shape.etcdMembers }, (_, i) => `etcd-${i + 1}`);
  return [...etcd, ...CONTROL_PLANE_PROCESSES.flatMap((p) => Array.from({ length: n }, (_, i) => controlPlaneProcessName(p, i, shape)))];
}
