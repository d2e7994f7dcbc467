// What every controller of cloud-controller-manager gets: the same things
// as kube-controller-manager's (controllers/controller.ts: kernel, the
// process's apiserver client, shared informers, settings, event recorders)
// plus the cloud provider (cloud-api.ts) and the process's own flags, with
// upstream's defaults (k8s.io/cloud-provider config/v1alpha1/defaults.go).
import type { Controller, ControllerContext } from '../controllers/controller';
import type { CloudApi } from './cloud-api';

export interface CloudControllerManagerOptions {
  /** --node-monitor-period (KubeCloudShared): the cloud node lifecycle controller's pass. */
  nodeMonitorPeriod: number;
  /** --node-status-update-frequency: the cloud node controller's address refresh. */
  nodeStatusUpdateFrequency: number;
  /** --cluster-name, passed to the load balancer and route calls. */
  clusterName: string;
  /** --allocate-node-cidrs: Nodes get pod CIDRs (from kube-controller-manager's node IPAM); the route controller needs it. */
  allocateNodeCIDRs: boolean;
  /** --configure-cloud-routes: with allocateNodeCIDRs, the route controller runs. */
  configureCloudRoutes: boolean;
  /** --cluster-cidr: the routes the controller owns are those inside it. */
  clusterCIDR: string;
  /** --route-reconciliation-period. */
  routeReconciliationPeriod: number;
}

/** Upstream's defaults: no CIDRs allocated, so no route controller, unless a cluster turns them on (cluster-cloud.ts). */
export const DEFAULT_CCM_OPTIONS: CloudControllerManagerOptions = {
  nodeMonitorPeriod: 5_000,
  nodeStatusUpdateFrequency: 5 * 60_000,
  clusterName: 'kubernetes',
  allocateNodeCIDRs: false,
  configureCloudRoutes: true,
  clusterCIDR: '',
  routeReconciliationPeriod: 10_000,
};

/**
 * Controllers that wait for their informers (WaitForCacheSync) start their
 * workers 100 ms after the process: the check at once finds the lists still
 * in flight, the next poll (every 100 ms) finds them synced, as in
 * kube-controller-manager.
 */
export const CACHE_SYNC_POLL_MS = 100;

export interface CloudControllerContext extends ControllerContext {
  cloud: CloudApi;
  options: CloudControllerManagerOptions;
}

/** Builds a controller when the process starts leading; undefined when its flags leave it off ("Skipping route"). */
export type CloudControllerFactory = (ctx: CloudControllerContext) => Controller | undefined;
