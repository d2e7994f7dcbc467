// cloud-controller-manager (k8s.io/cloud-provider app/controllermanager.go
// and core.go): one process holding the cloud-specific controllers, with
// its own apiserver client ("cloud-controller-manager" in the trace), its
// own shared informers and the cloud provider's API. Controllers in
// upstream's start order: cloud-node, cloud-node-lifecycle, service, route;
// the route controller only with --allocate-node-cidrs and
// --configure-cloud-routes (upstream's default leaves the first off; a
// cluster on the simulated cloud turns it on, cluster-cloud.ts). Stopping
// the process stops every controller (the cloud itself goes on: load
// balancers keep serving and health-checking, routes stay); starting it
// builds them afresh and relists, so every LoadBalancer Service is ensured
// again, as after a real restart.
//
// Leader election (app/controllermanager.go): the process campaigns for the
// Lease kube-system/cloud-controller-manager and builds its informers and
// controllers only once it leads, as kube-controller-manager does (both are
// a controllers/controller-process.ts).
import type { ApiServer } from '../apiserver/apiserver';
import type { ControllerContext } from '../controllers/controller';
import { ControllerProcess } from '../controllers/controller-process';
import type { Kernel } from '../kernel/kernel';
import type { ClusterSettings } from '../model';
import type { Cloud } from './cloud';
import { CloudApi } from './cloud-api';
import { DEFAULT_CCM_OPTIONS, type CloudControllerContext, type CloudControllerFactory, type CloudControllerManagerOptions } from './cloud-controller';
import { cloudControllerManagerMachine } from './cloud-controller-manager-machine';
import { newCloudNodeController } from './cloud-node-controller';
import { newCloudNodeLifecycleController } from './cloud-node-lifecycle-controller';
import { newRouteController } from './route-controller';
import { newServiceController } from './service-controller';

export const CLOUD_CONTROLLER_MANAGER = 'cloud-controller-manager';

/** The controllers cloud-controller-manager runs, in upstream's start order. */
export const CLOUD_CONTROLLERS: readonly CloudControllerFactory[] = [newCloudNodeController, newCloudNodeLifecycleController, newServiceController, newRouteController];

/** Which process this is: its client and statechart name, and the control-plane machine its identity names. */
export interface CloudControllerManagerPlacement {
  name: string;
  host: string;
}

export class CloudControllerManager extends ControllerProcess<CloudControllerContext> {
  private readonly cloudApi: CloudApi;

  constructor(
    kernel: Kernel,
    apiserver: ApiServer,
    cloud: Cloud,
    settings: ClusterSettings,
    private readonly options: CloudControllerManagerOptions = DEFAULT_CCM_OPTIONS,
    factories: readonly CloudControllerFactory[] = CLOUD_CONTROLLERS,
    placement: CloudControllerManagerPlacement = { name: CLOUD_CONTROLLER_MANAGER, host: 'control-plane' },
  ) {
    super(kernel, apiserver, settings, { ...placement, lease: CLOUD_CONTROLLER_MANAGER, machine: cloudControllerManagerMachine }, factories);
    this.cloudApi = new CloudApi(kernel, cloud, this.name);
    this.begin();
  }

  protected context(base: ControllerContext): CloudControllerContext {
    return { ...base, cloud: this.cloudApi, options: this.options };
  }
}
