// What every controller of kube-controller-manager gets, and what it is to
// the manager: something started with the process and stopped with it.
import type { NodeIpamConfig } from './node-ipam-config';
import type { ApiClient } from '../apiserver/apiserver';
import type { EventRecorder } from '../client/event-recorder';
import type { Kernel } from '../kernel/kernel';
import type { ClusterSettings } from '../model';
import type { SharedInformers } from './shared-informers';

export interface ControllerContext {
  kernel: Kernel;
  /** The manager's apiserver client ("kube-controller-manager" in the trace). */
  client: ApiClient;
  /** Shared by every controller of the process; register handlers and indexes in the factory. */
  informers: SharedInformers;
  settings: ClusterSettings;
  /** Events, with source.component set to the controller's name (e.g. "replicaset-controller"). */
  recorder(component: string): EventRecorder;
  /** --allocate-node-cidrs with these ranges (node-ipam-config.ts); unset: node IPAM is off, as upstream's default. */
  nodeIpam?: NodeIpamConfig;
}

export interface Controller {
  /** Upstream's name for it, e.g. "replicaset-controller". */
  readonly name: string;
  /** The process stopped: cancel timers and queues (in-memory state is lost, as on a restart). */
  stop(): void;
}

/** Builds a controller when the process starts; informers start right after every factory ran. */
export type ControllerFactory = (ctx: ControllerContext) => Controller;
