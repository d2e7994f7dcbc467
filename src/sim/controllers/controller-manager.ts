// kube-controller-manager: one process holding the controllers, their shared
// informers and one apiserver client. Stopping it stops every controller
// (the cluster stops healing); starting it builds them afresh, relisting
// everything, as a restarted process does.
//
// Leader election (cmd/kube-controller-manager/app/controllermanager.go):
// the process campaigns for the Lease kube-system/kube-controller-manager
// and builds its informers and controllers only once it leads; a standby
// runs nothing. It does not give the Lease up when stopped (no
// ReleaseOnCancel), so a successor waits out the lease duration; when it
// cannot renew, the process exits and starts again as a new candidate.
import type { NodeIpamConfig } from './node-ipam-config';
import type { Actor } from 'xstate';
import type { ApiClient, ApiServer } from '../apiserver/apiserver';
import { EventRecorder } from '../client/event-recorder';
import { LeaderElector } from '../client/leader-election';
import { startActor } from '../kernel/actors';
import type { Kernel } from '../kernel/kernel';
import type { ClusterSettings } from '../model';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { controllerManagerMachine } from './controller-manager-machine';
import { SharedInformers } from './shared-informers';

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

export class ControllerManager {
  readonly name: string;
  readonly host: string;
  readonly actor: Actor<typeof controllerManagerMachine>;
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;
  private elector?: LeaderElector;
  private informers?: SharedInformers;
  private running_: Controller[] = [];

  constructor(
    private readonly kernel: Kernel,
    apiserver: ApiServer,
    private readonly settings: ClusterSettings,
    private readonly factories: readonly ControllerFactory[],
    private readonly options: ControllerManagerOptions = {},
  ) {
    this.name = options.name ?? 'kube-controller-manager';
    this.host = options.host ?? 'control-plane';
    this.client = apiserver.client(this.name);
    this.recorder = new EventRecorder(kernel, this.client, { component: 'kube-controller-manager' });
    this.actor = startActor(kernel, controllerManagerMachine, { systemId: this.name, input: undefined });
    this.elect();
  }

  get running(): boolean {
    return this.actor.getSnapshot().value === 'running';
  }

  /** Holds the Lease and runs the controllers (a running standby runs none). */
  get leading(): boolean {
    return this.running && (this.options.leaderElect === false || this.elector?.leading === true);
  }

  /** This process's leader-election identity. */
  get identity(): string {
    return this.elector?.identity ?? '';
  }

  /** The controllers of the running process, by upstream name. */
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
    if (this.options.leaderElect === false) return this.boot();
    this.elector = new LeaderElector(this.kernel, this.client, {
      lease: 'kube-controller-manager',
      identity: `${this.host}_${this.kernel.ids.uid()}`,
      recorder: this.recorder,
      onStartedLeading: () => this.boot(),
      // Upstream exits ("leaderelection lost") and the kubelet starts it again.
      onStoppedLeading: () => {
        this.stop({ abrupt: true });
        this.start();
      },
    });
    this.elector.start();
  }

  private boot(): void {
    const informers = new SharedInformers(this.kernel, this.client);
    const ctx: ControllerContext = {
      kernel: this.kernel,
      client: this.client,
      informers,
      settings: this.settings,
      recorder: (component) => new EventRecorder(this.kernel, this.client, { component }),
      nodeIpam: this.options.nodeIpam,
    };
    this.informers = informers;
    this.running_ = this.factories.map((f) => f(ctx));
    informers.start();
  }
}
