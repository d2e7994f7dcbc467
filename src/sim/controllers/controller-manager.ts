// kube-controller-manager: one process holding the controllers, their shared
// informers and one apiserver client. Stopping it stops every controller
// (the cluster stops healing); starting it builds them afresh, relisting
// everything, as a restarted process does.
import type { Actor } from 'xstate';
import type { ApiClient, ApiServer } from '../apiserver/apiserver';
import { EventRecorder } from '../client/event-recorder';
import { startActor } from '../kernel/actors';
import type { Kernel } from '../kernel/kernel';
import type { ClusterSettings } from '../model';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { controllerManagerMachine } from './controller-manager-machine';
import { SharedInformers } from './shared-informers';

export class ControllerManager {
  readonly name = 'kube-controller-manager';
  readonly actor: Actor<typeof controllerManagerMachine>;
  private readonly client: ApiClient;
  private informers?: SharedInformers;
  private running_: Controller[] = [];

  constructor(
    private readonly kernel: Kernel,
    apiserver: ApiServer,
    private readonly settings: ClusterSettings,
    private readonly factories: readonly ControllerFactory[],
  ) {
    this.client = apiserver.client('kube-controller-manager');
    this.actor = startActor(kernel, controllerManagerMachine, { systemId: 'kube-controller-manager', input: undefined });
    this.boot();
  }

  get running(): boolean {
    return this.actor.getSnapshot().value === 'running';
  }

  /** The controllers of the running process, by upstream name. */
  controllers(): readonly Controller[] {
    return this.running_;
  }

  controller<T extends Controller>(name: string): T | undefined {
    return this.running_.find((c) => c.name === name) as T | undefined;
  }

  stop(): void {
    if (!this.running) return;
    this.actor.send({ type: 'component.stop' });
    this.informers?.stop();
    for (const c of this.running_) c.stop();
    this.running_ = [];
    this.informers = undefined;
  }

  start(): void {
    if (this.running) return;
    this.actor.send({ type: 'component.start' });
    this.boot();
  }

  private boot(): void {
    const informers = new SharedInformers(this.kernel, this.client);
    const ctx: ControllerContext = {
      kernel: this.kernel,
      client: this.client,
      informers,
      settings: this.settings,
      recorder: (component) => new EventRecorder(this.kernel, this.client, { component }),
    };
    this.informers = informers;
    this.running_ = this.factories.map((f) => f(ctx));
    informers.start();
  }
}
