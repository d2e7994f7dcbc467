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
// controllers only once it leads; it does not give the Lease up when
// stopped, so a successor waits out the lease duration, and when it cannot
// renew it exits and starts again as a new candidate (as
// kube-controller-manager does, controllers/controller-manager.ts).
import type { Actor } from 'xstate';
import type { ApiClient, ApiServer } from '../apiserver/apiserver';
import { EventRecorder } from '../client/event-recorder';
import { LeaderElector } from '../client/leader-election';
import type { Controller } from '../controllers/controller';
import { SharedInformers } from '../controllers/shared-informers';
import { startActor } from '../kernel/actors';
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

export class CloudControllerManager {
  readonly name: string;
  readonly host: string;
  readonly actor: Actor<typeof cloudControllerManagerMachine>;
  private readonly client: ApiClient;
  private readonly cloudApi: CloudApi;
  private readonly recorder: EventRecorder;
  private elector?: LeaderElector;
  private informers?: SharedInformers;
  private running_: Controller[] = [];

  constructor(
    private readonly kernel: Kernel,
    apiserver: ApiServer,
    cloud: Cloud,
    private readonly settings: ClusterSettings,
    private readonly options: CloudControllerManagerOptions = DEFAULT_CCM_OPTIONS,
    private readonly factories: readonly CloudControllerFactory[] = CLOUD_CONTROLLERS,
    placement: CloudControllerManagerPlacement = { name: CLOUD_CONTROLLER_MANAGER, host: 'control-plane' },
  ) {
    this.name = placement.name;
    this.host = placement.host;
    this.client = apiserver.client(this.name);
    this.cloudApi = new CloudApi(kernel, cloud, this.name);
    this.recorder = new EventRecorder(kernel, this.client, { component: CLOUD_CONTROLLER_MANAGER });
    this.actor = startActor(kernel, cloudControllerManagerMachine, { systemId: this.name, input: undefined });
    this.elect();
  }

  get running(): boolean {
    return this.actor.getSnapshot().value === 'running';
  }

  /** Holds the Lease and runs the controllers (a running standby runs none). */
  get leading(): boolean {
    return this.running && this.elector?.leading === true;
  }

  /** This process's leader-election identity. */
  get identity(): string {
    return this.elector?.identity ?? '';
  }

  controllers(): readonly Controller[] {
    return this.running_;
  }

  controller<T extends Controller>(name: string): T | undefined {
    return this.running_.find((c) => c.name === name) as T | undefined;
  }

  /** Stops the process (`abrupt`: its machine lost power; either way the Lease is left to expire). */
  stop(opts: { abrupt?: boolean } = {}): void {
    if (!this.running) return;
    this.elector?.stop(opts);
    this.actor.send({ type: 'component.stop' });
    this.informers?.stop();
    for (const c of this.running_) c.stop();
    this.running_ = [];
    this.informers = undefined;
  }

  start(): void {
    if (this.running) return;
    this.actor.send({ type: 'component.start' });
    this.elect();
  }

  /** A new process campaigns under a new identity; the first try is at once. */
  private elect(): void {
    this.elector = new LeaderElector(this.kernel, this.client, {
      lease: CLOUD_CONTROLLER_MANAGER,
      identity: `${this.host}_${this.kernel.ids.uid()}`,
      recorder: this.recorder,
      onStartedLeading: () => this.boot(),
      // Upstream exits ("leaderelection lost") and is started again.
      onStoppedLeading: () => {
        this.stop({ abrupt: true });
        this.start();
      },
    });
    this.elector.start();
  }

  private boot(): void {
    const informers = new SharedInformers(this.kernel, this.client);
    const ctx: CloudControllerContext = {
      kernel: this.kernel,
      client: this.client,
      informers,
      settings: this.settings,
      recorder: (component) => new EventRecorder(this.kernel, this.client, { component }),
      cloud: this.cloudApi,
      options: this.options,
    };
    this.informers = informers;
    this.running_ = this.factories.map((f) => f(ctx)).filter((c): c is Controller => c !== undefined);
    informers.start();
  }
}
