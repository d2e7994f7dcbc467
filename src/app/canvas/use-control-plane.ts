// The control plane as the canvas reads it from the live simulation: every
// component's state (with its machine and whether it leads, in a highly
// available control plane), the control-plane machines and their power, the
// load balancer's view of its backends, the frames to draw, and whether the
// scenario has a cloud. The store keeps only
// the single control plane's states (kube-apiserver, kube-scheduler,
// kube-controller-manager); replicas and the cloud-controller-manager are
// read here through the `controlPlane` query (src/app/host/queries.ts: the
// cluster's components() and controlPlaneNodes()), once per store change for
// every box together, and each box gets the same object while what it shows
// is unchanged, so a tick that changes nothing re-renders nothing.
import { useSyncExternalStore } from 'react';
import type { ControlPlaneReport } from '../host/queries';
import { storeQuery } from '../host/store-query';
import type { ClusterStore } from '../store/cluster-store';
import { useClusterStoreApi } from '../store/store-context';
import {
  CLOUD_CONTROLLER_MANAGER,
  controlPlaneShape,
  sameShape,
  type ComponentReport,
  type ControlPlaneMachineShape,
  type MachineReport,
} from './control-plane-model';

/** What the layout depends on: the frames (null: a single control plane) and the cloud. */
export interface ControlPlaneLayoutKey {
  shape: readonly ControlPlaneMachineShape[] | null;
  cloud: { controllerManager: boolean } | null;
}

/** A backend as the load balancer in front of the apiservers sees it (src/sim/apiserver/load-balancer.ts BackendView). */
export interface BackendReport {
  name: string;
  /** What the balancer believes: new connections go only to backends it believes up. */
  up: boolean;
  /** HAProxy's words: "UP", "UP, going down 1/3", "DOWN", "DOWN, going up 1/2". */
  check: string;
  /** Clients connected through it now. */
  connections: number;
}

/** The load balancer: its address and its backends by apiserver name. */
export interface BalancerReport {
  address: string;
  backends: ReadonlyMap<string, BackendReport>;
}

export interface Snapshot {
  components: ReadonlyMap<string, ComponentReport>;
  machines: ReadonlyMap<string, MachineReport>;
  balancer: BalancerReport | null;
  layout: ControlPlaneLayoutKey;
}

interface Cache {
  /** The query's answer the snapshot was made from. */
  report: ControlPlaneReport | null;
  snapshot: Snapshot;
}

const EMPTY: Snapshot = { components: new Map(), machines: new Map(), balancer: null, layout: { shape: null, cloud: null } };
const caches = new WeakMap<ClusterStore, Cache>();

/** Asked again on every store change, as the boxes read it on every store change before. */
const controlPlaneQuery = storeQuery('controlPlane', [], (s) => [s]);

/** The load balancer's view of its backends; null with one apiserver, which clients reach directly. */
function readBalancer(view: ControlPlaneReport['balancer'], old: BalancerReport | null): BalancerReport | null {
  if (!view) return null;
  const backends = new Map<string, BackendReport>();
  for (const b of view.backends) {
    const prev = old?.backends.get(b.name);
    const report = { name: b.name, up: b.up, check: b.check, connections: b.connections };
    backends.set(b.name, prev && prev.up === report.up && prev.check === report.check && prev.connections === report.connections ? prev : report);
  }
  if (old && old.address === view.address && sameMaps(old.backends, backends)) return old;
  return { address: view.address, backends };
}

const sameComponent = (a: ComponentReport, b: ComponentReport) => a.name === b.name && a.state === b.state && a.host === b.host && a.leader === b.leader;

function sameMaps<T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** What the hooks read, outside React (tests): computed once per store change, parts kept while unchanged. */
export function controlPlaneSnapshot(store: ClusterStore): Snapshot {
  return read(store);
}

function read(store: ClusterStore): Snapshot {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = { report: null, snapshot: EMPTY }));
  const report = controlPlaneQuery(store).current();
  if (cache.report === report) return cache.snapshot;
  cache.report = report;
  if (!report) return (cache.snapshot = EMPTY);
  const old = cache.snapshot;
  const reports = report.components;
  const components = new Map<string, ComponentReport>();
  for (const c of reports) {
    const prev = old.components.get(c.name);
    components.set(c.name, prev && sameComponent(prev, c) ? prev : c);
  }
  const machineList = report.machines;
  const machines = new Map<string, MachineReport>();
  for (const m of machineList) {
    const prev = old.machines.get(m.name);
    machines.set(m.name, prev && prev.powered === m.powered ? prev : m);
  }
  const shape = controlPlaneShape(reports, machineList);
  const cloud = report.cloud ? { controllerManager: components.has(CLOUD_CONTROLLER_MANAGER) } : null;
  const layout =
    sameShape(old.layout.shape, shape) && old.layout.cloud?.controllerManager === cloud?.controllerManager && (old.layout.cloud === null) === (cloud === null)
      ? old.layout
      : { shape, cloud };
  cache.snapshot = {
    components: sameMaps(old.components, components) ? old.components : components,
    machines: sameMaps(old.machines, machines) ? old.machines : machines,
    balancer: readBalancer(report.balancer, old.balancer),
    layout,
  };
  return cache.snapshot;
}

/** Reads the snapshot once per store change; `pick` must return a value that keeps its identity while unchanged. */
function useSnapshot<T>(pick: (s: Snapshot) => T): T {
  const store = useClusterStoreApi();
  const get = () => pick(read(store));
  // The same snapshot on the server (App.test renders to a string).
  return useSyncExternalStore(controlPlaneQuery(store).subscribe, get, get);
}

const pickLayout = (s: Snapshot) => s.layout;

/** The frames of a highly available control plane (null: one control plane) and the cloud. */
export function useControlPlaneLayout(): ControlPlaneLayoutKey {
  return useSnapshot(pickLayout);
}

/** One component as the simulation reports it (undefined: the cluster has none of that name). */
export function useComponentReport(name: string): ComponentReport | undefined {
  return useSnapshot((s) => s.components.get(name));
}

/** One control-plane machine (undefined: the cluster reports none of that name). */
export function useControlPlaneMachine(name: string): MachineReport | undefined {
  return useSnapshot((s) => s.machines.get(name));
}

const pickBalancer = (s: Snapshot) => s.balancer;

/** The load balancer's view of the apiservers (null with one apiserver). */
export function useBalancer(): BalancerReport | null {
  return useSnapshot(pickBalancer);
}

/** One apiserver as the load balancer sees it (undefined with one apiserver, or for another component). */
export function useBackend(name: string): BackendReport | undefined {
  return useSnapshot((s) => s.balancer?.backends.get(name));
}

/** The states of these components, joined ("running,stopped,running"): a string, so equal states re-render nothing. */
export function useComponentStates(names: readonly string[]): string {
  return useSnapshot((s) => names.map((n) => s.components.get(n)?.state ?? 'unknown').join(','));
}

/** The component's state now, outside React (a menu being built): "unknown" when the cluster has none of that name. */
export function componentReportNow(store: ClusterStore, name: string): ComponentReport | undefined {
  return read(store).components.get(name);
}

/** The machine as it is now, outside React (its menu being built). */
export function machineReportNow(store: ClusterStore, name: string): MachineReport | undefined {
  return read(store).machines.get(name);
}
