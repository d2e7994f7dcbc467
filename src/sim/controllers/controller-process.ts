// What kube-controller-manager and cloud-controller-manager share (upstream:
// k8s.io/controller-manager, which both binaries build on): one process with
// its apiserver client, its statechart (running / stopped), leader election
// on a Lease in kube-system, and, only while it leads, shared informers and
// the controllers built on them. It does not give the Lease up when stopped
// (no ReleaseOnCancel), so a successor waits out the lease duration; when it
// cannot renew, the process exits and starts again as a new candidate.
import type { Actor } from 'xstate';
import type { ApiClient, ApiServer } from '../apiserver/apiserver';
import { EventRecorder } from '../client/event-recorder';
import { LeaderElector } from '../client/leader-election';
import { startActor } from '../kernel/actors';
import type { Kernel } from '../kernel/kernel';
import type { processMachine } from '../kernel/process-machine';
import type { ClusterSettings } from '../model';
import type { Controller, ControllerContext } from './controller';
import { SharedInformers } from './shared-informers';

export interface ProcessPlacement {
  /** Its client, trace and statechart name ("kube-controller-manager-2" in an HA control plane). */
  name: string;
  /** The control-plane machine it runs on: its leader-election identity is "<host>_<uuid>". */
  host: string;
  /** The Lease it campaigns for, and its events' source component. */
  lease: string;
  /** --leader-elect (default true); without it the process runs its controllers at once. */
  leaderElect?: boolean;
  /** Its statechart (running / stopped). */
  machine: ReturnType<typeof processMachine>;
}

export abstract class ControllerProcess<Ctx extends ControllerContext> {
  readonly name: string;
  readonly host: string;
  readonly actor: Actor<ReturnType<typeof processMachine>>;
  protected readonly client: ApiClient;
  private readonly recorder: EventRecorder;
  private elector?: LeaderElector;
  private informers?: SharedInformers;
  private running_: Controller[] = [];

  constructor(
    protected readonly kernel: Kernel,
    apiserver: ApiServer,
    private readonly settings: ClusterSettings,
    private readonly placement: ProcessPlacement,
    private readonly factories: ReadonlyArray<(ctx: Ctx) => Controller | undefined>,
  ) {
    this.name = placement.name;
    this.host = placement.host;
    this.client = apiserver.client(this.name);
    this.recorder = new EventRecorder(kernel, this.client, { component: placement.lease });
    this.actor = startActor(kernel, placement.machine, { systemId: this.name, input: undefined });
  }

  /** Subclasses call this last in their constructor, once the fields contexts need are set. */
  protected begin(): void {
    this.elect();
  }

  /** The context each controller is built with, around the process's informers. */
  protected abstract context(base: ControllerContext): Ctx;

  get running(): boolean {
    return this.actor.getSnapshot().value === 'running';
  }

  /** Holds the Lease and runs the controllers (a running standby runs none). */
  get leading(): boolean {
    return this.running && (this.placement.leaderElect === false || this.elector?.leading === true);
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
    if (this.placement.leaderElect === false) return this.boot();
    this.elector = new LeaderElector(this.kernel, this.client, {
      lease: this.placement.lease,
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
    const ctx = this.context({
      kernel: this.kernel,
      client: this.client,
      informers,
      settings: this.settings,
      recorder: (component) => new EventRecorder(this.kernel, this.client, { component }),
    });
    this.informers = informers;
    this.running_ = this.factories.map((f) => f(ctx)).filter((c): c is Controller => c !== undefined);
    informers.start();
  }
}
