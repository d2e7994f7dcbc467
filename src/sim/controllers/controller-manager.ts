// kube-controller-manager: one process holding the controllers, their shared
// informers and one apiserver client. Stopping it stops every controller
// (the cluster stops healing); starting it builds them afresh, relisting
// everything, as a restarted process does.
//
// Leader election (cmd/kube-controller-manager/app/controllermanager.go):
// the process campaigns for the Lease kube-system/kube-controller-manager
// and builds its informers and controllers only once it leads; a standby
// runs nothing (controller-process.ts, shared with cloud-controller-manager).
import type { ApiServer } from '../apiserver/apiserver';
import type { Kernel } from '../kernel/kernel';
import type { ClusterSettings } from '../model';
import type { ControllerContext, ControllerFactory } from './controller';
import { controllerManagerMachine } from './controller-manager-machine';
import { ControllerProcess } from './controller-process';
import type { NodeIpamConfig } from './node-ipam-config';

export interface ControllerManagerOptions {
  /** Its client, trace and statechart name: "kube-controller-manager" (the default), or "kube-controller-manager-2" in an HA control plane. */
  name?: string;
  /** The control-plane machine it runs on (default "control-plane"): its leader-election identity is "<host>_<uuid>". */
  host?: string;
  /** --leader-elect (default true); without it the process runs its controllers at once, Lease or not. */
  leaderElect?: boolean;
  /** --allocate-node-cidrs with these ranges (on for a cluster on the simulated cloud). */
  nodeIpam?: NodeIpamConfig;
}

export class ControllerManager extends ControllerProcess<ControllerContext> {
  constructor(
    kernel: Kernel,
    apiserver: ApiServer,
    settings: ClusterSettings,
    factories: readonly ControllerFactory[],
    private readonly options: ControllerManagerOptions = {},
  ) {
    const placement = {
      name: options.name ?? 'kube-controller-manager',
      host: options.host ?? 'control-plane',
      lease: 'kube-controller-manager',
      leaderElect: options.leaderElect,
      machine: controllerManagerMachine,
    };
    super(kernel, apiserver, settings, placement, factories);
    this.begin();
  }

  protected context(base: ControllerContext): ControllerContext {
    return { ...base, nodeIpam: this.options.nodeIpam };
  }
}
