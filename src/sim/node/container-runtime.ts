// The node's container runtime, containerd as the kubelet drives it through
// CRI: an image store and a serial image puller, pod sandboxes (the pause
// container holding the pod's network namespace and IP), and containers
// whose "process" follows the pod's behavior annotation. The runtime lives
// on when the kubelet stops (containers keep running); a power cut ends
// every task, but its records (images, exited containers) are on disk and
// survive the reboot, as containerd's do.
import type { Kernel, Timer } from '../kernel/kernel';
import { hashString } from '../kernel/rng';
import type { ContainerBehavior } from './behavior';
import { hexFrom, ImageCatalog, REGISTRY_ROUND_TRIP_MS, SANDBOX_IMAGE, type RegistryImage } from './image-catalog';
import type { PodNetwork } from './pod-network';

/** RunPodSandbox: creating the namespaces, the pause container and the CNI ADD. */
export const SANDBOX_START_MS = 500;

/**
 * The runtime's NetworkReady condition while its CNI has no configuration,
 * as the kubelet prints it (containerd: NetworkPluginNotReady, go-cni's
 * "cni plugin not initialized").
 */
export const NETWORK_NOT_READY = 'NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

/** Exit code and reason of a process killed by SIGKILL (after the grace period) or by the OOM killer. */
export const EXIT_SIGKILL = 137;
/** containerd's answer for a task that vanished with the machine: exit code 255, reason Unknown. */
export const EXIT_UNKNOWN = 255;

export type ContainerState = 'created' | 'running' | 'exited';

export interface RuntimeContainer {
  /** 64 hex digits; the kubelet reports "containerd://<id>". */
  id: string;
  podUid: string;
  name: string;
  /** The container's attempt: its restartCount. */
  attempt: number;
  image: RegistryImage;
  state: ContainerState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** Completed, Error, OOMKilled or Unknown, as containerd reports the exit. */
  reason?: string;
  /** Pending end of the process (its own exit, the OOM killer, or the end of a stop). */
  timer?: Timer;
  /** The stop in progress: SIGTERM sent, SIGKILL due at `killAt`. */
  stopping?: { killAt: number };
}

export interface Sandbox {
  id: string;
  podUid: string;
  /** Bumped each time the pod gets a new sandbox. */
  attempt: number;
  /** "" for host-network pods (they use the node's address). */
  ip: string;
  state: 'ready' | 'notready';
  createdAt: number;
  /** The address is still reserved in IPAM (released when the sandbox is stopped or replaced). */
  ipHeld: boolean;
}

export interface StoredImage extends RegistryImage {
  pulledAt: number;
}

export type PullResult =
  | { ok: true; image: StoredImage; pullMs: number; totalMs: number }
  | { ok: false; error: string };

interface PullRequest {
  ref: string;
  requestedAt: number;
  done: (r: PullResult) => void;
  cancelled: boolean;
}

/** What the runtime tells the kubelet when a container's task exits (PLEG's ContainerDied). */
export type ContainerEventListener = (c: RuntimeContainer) => void;

export class ContainerRuntime {
  readonly images = new Map<string, StoredImage>();
  readonly sandboxes = new Map<string, Sandbox>();
  /** Every container the runtime has a record of, by id, in creation order. */
  readonly containers = new Map<string, RuntimeContainer>();
  /** The same, by pod. */
  private readonly byPod = new Map<string, RuntimeContainer[]>();
  private readonly pullQueue: PullRequest[] = [];
  private pulling?: { req: PullRequest; timer: Timer };
  private listener?: ContainerEventListener;
  private running = true;
  /** Ids are the node's hash and a counter, stretched: unique on the node, and the same in every run. */
  private readonly idSeed: number;
  private nextId = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly catalog: ImageCatalog,
    readonly network: PodNetwork,
    readonly nodeName: string,
  ) {
    this.idSeed = hashString(`containerd ${nodeName}`);
    // containerd keeps its sandbox image pinned.
    this.store(catalog.lookup(SANDBOX_IMAGE)!);
  }

  private newId(): string {
    return hexFrom(Math.imul(this.idSeed ^ ++this.nextId, 0x9e3779b1));
  }

  /** The kubelet's PLEG: told of every container exit while it listens. */
  listen(listener: ContainerEventListener | undefined): void {
    this.listener = listener;
  }

  get up(): boolean {
    return this.running;
  }

  // ---- network (CRI Status and UpdateRuntimeConfig) --------------------------

  /** The NetworkReady condition as CRI Status reports it: why not ready, or undefined when ready. */
  networkNotReady(): string | undefined {
    return this.network.configured ? undefined : NETWORK_NOT_READY;
  }

  /** UpdateRuntimeConfig: the kubelet passes the Node's pod CIDR; the CNI configuration follows it. True when it changed. */
  updatePodCIDR(cidr: string): boolean {
    return this.network.configure(cidr);
  }

  // ---- images --------------------------------------------------------------

  image(ref: string): StoredImage | undefined {
    return this.images.get(ref);
  }

  /** An image already on disk when the scenario starts (its pods are running). */
  preload(ref: string): void {
    if (this.images.has(ref)) return;
    const img = this.catalog.lookup(ref);
    if (img) this.store(img, 0);
  }

  /**
   * PullImage through the serial puller (serializeImagePulls, the kubelet's
   * default): one pull at a time per node, the rest wait in line. Returns a
   * cancel function for a caller that no longer waits (the pull still lands).
   */
  pull(ref: string, done: (r: PullResult) => void): () => void {
    const req: PullRequest = { ref, requestedAt: this.kernel.now, done, cancelled: false };
    this.pullQueue.push(req);
    this.pumpPulls();
    return () => {
      req.cancelled = true;
    };
  }

  /** Pulls queued or in progress, for the UI. */
  pendingPulls(): Array<{ ref: string; since: number; active: boolean }> {
    const out = this.pulling ? [{ ref: this.pulling.req.ref, since: this.pulling.req.requestedAt, active: true }] : [];
    for (const r of this.pullQueue) out.push({ ref: r.ref, since: r.requestedAt, active: false });
    return out;
  }

  private pumpPulls(): void {
    if (this.pulling || !this.running) return;
    const req = this.pullQueue.shift();
    if (!req) return;
    const found = this.catalog.lookup(req.ref);
    const started = this.kernel.now;
    // A layer set already on disk only needs the manifest round trip.
    const ms = !found ? REGISTRY_ROUND_TRIP_MS : this.images.has(req.ref) ? REGISTRY_ROUND_TRIP_MS : this.catalog.pullTime(found.sizeBytes);
    const timer = this.kernel.after(ms, 'runtime.pull', () => {
      this.pulling = undefined;
      let result: PullResult;
      if (!found) {
        result = { ok: false, error: notFoundError(req.ref) };
      } else {
        const image = this.store(found);
        result = { ok: true, image, pullMs: this.kernel.now - started, totalMs: this.kernel.now - req.requestedAt };
      }
      if (!req.cancelled) req.done(result);
      this.pumpPulls();
    });
    this.pulling = { req, timer };
  }

  private store(img: RegistryImage, at = this.kernel.now): StoredImage {
    const stored = this.images.get(img.ref) ?? { ...img, pulledAt: at };
    this.images.set(img.ref, stored);
    return stored;
  }

  // ---- sandboxes -----------------------------------------------------------

  sandbox(podUid: string): Sandbox | undefined {
    return this.sandboxes.get(podUid);
  }

  /** RunPodSandbox: ready after SANDBOX_START_MS, with an address from the node's pod CIDR (none for host-network pods). */
  runSandbox(podUid: string, hostNetwork: boolean, ready: (s: Sandbox) => void): Timer {
    const prev = this.sandboxes.get(podUid);
    if (prev) this.releaseIp(prev);
    const attempt = prev ? prev.attempt + 1 : 0;
    return this.kernel.after(SANDBOX_START_MS, 'runtime.sandbox', () => {
      const ip = hostNetwork ? '' : (this.network.allocate() ?? '');
      const s: Sandbox = { id: this.newId(), podUid, attempt, ip, state: 'ready', createdAt: this.kernel.now, ipHeld: ip !== '' };
      this.sandboxes.set(podUid, s);
      ready(s);
    });
  }

  /**
   * A sandbox already running when the scenario starts (created at t=0).
   * `ip`: the address it had (a restored pod's podIP), kept when the range has it free.
   */
  adoptSandbox(podUid: string, hostNetwork: boolean, ip?: string): Sandbox {
    const kept = !hostNetwork && ip !== undefined && this.network.reserve(ip);
    if (kept) ip = ip!;
    else ip = hostNetwork ? '' : (this.network.allocate() ?? '');
    const s: Sandbox = { id: this.newId(), podUid, attempt: 0, ip, state: 'ready', createdAt: 0, ipHeld: ip !== '' };
    this.sandboxes.set(podUid, s);
    return s;
  }

  /** StopPodSandbox + RemovePodSandbox: the pod is done on this node; its address is free again. */
  removePod(podUid: string): void {
    const s = this.sandboxes.get(podUid);
    if (s) this.releaseIp(s);
    this.sandboxes.delete(podUid);
    for (const c of this.byPod.get(podUid) ?? []) {
      if (c.timer) this.kernel.cancel(c.timer);
      this.containers.delete(c.id);
    }
    this.byPod.delete(podUid);
  }

  private record(c: RuntimeContainer): void {
    this.containers.set(c.id, c);
    const list = this.byPod.get(c.podUid);
    if (list) list.push(c);
    else this.byPod.set(c.podUid, [c]);
  }

  /** StopPodSandbox: the network is torn down but the record stays (a terminated pod keeps its statuses). */
  stopSandbox(podUid: string): void {
    const s = this.sandboxes.get(podUid);
    if (!s || s.state === 'notready') return;
    this.releaseIp(s);
    this.sandboxes.set(podUid, { ...s, state: 'notready', ipHeld: false });
  }

  private releaseIp(s: Sandbox): void {
    if (s.ipHeld) this.network.release(s.ip);
    s.ipHeld = false;
  }

  // ---- containers ----------------------------------------------------------

  /** The pod's containers, oldest first. */
  podContainers(podUid: string): readonly RuntimeContainer[] {
    return this.byPod.get(podUid) ?? [];
  }

  /**
   * CreateContainer + StartContainer. The process then runs as `behavior`
   * says: it may exit by itself, or be OOM-killed when its working set
   * passes `memoryLimit`. Older exited instances of the same container are
   * garbage collected but the last one, as the kubelet's container GC keeps.
   */
  start(podUid: string, name: string, attempt: number, image: RegistryImage, behavior: ContainerBehavior | undefined, memoryLimit: number | undefined): RuntimeContainer {
    const now = this.kernel.now;
    this.collect(podUid, name);
    const c: RuntimeContainer = {
      id: this.newId(),
      podUid,
      name,
      attempt,
      image,
      state: 'running',
      createdAt: now,
      startedAt: now,
    };
    this.record(c);
    this.runProcess(c, behavior, memoryLimit, 0);
    return c;
  }

  /** A container already running when the scenario starts: started at t=0, its behavior counted from then. */
  adopt(podUid: string, name: string, image: RegistryImage, behavior: ContainerBehavior | undefined, memoryLimit: number | undefined, id?: string): RuntimeContainer {
    const c: RuntimeContainer = { id: id ?? this.newId(), podUid, name, attempt: 0, image, state: 'running', createdAt: 0, startedAt: 0 };
    this.record(c);
    this.runProcess(c, behavior, memoryLimit, this.kernel.now);
    return c;
  }

  private runProcess(c: RuntimeContainer, behavior: ContainerBehavior | undefined, memoryLimit: number | undefined, elapsed: number): void {
    if (!behavior) return;
    let at = Infinity;
    let code = 0;
    let reason = 'Completed';
    if (behavior.exitAfter !== undefined) {
      at = behavior.exitAfter;
      code = behavior.exitCode;
      reason = code === 0 ? 'Completed' : 'Error';
    }
    if (behavior.memoryBytes !== undefined && memoryLimit !== undefined && behavior.memoryBytes > memoryLimit && behavior.memoryAfter < at) {
      at = behavior.memoryAfter;
      code = EXIT_SIGKILL;
      reason = 'OOMKilled';
    }
    if (at === Infinity) return;
    c.timer = this.kernel.after(Math.max(0, at - elapsed), 'container.exit', () => this.exit(c, code, reason, true));
  }

  /**
   * StopContainer with a grace period: SIGTERM now, SIGKILL when the grace
   * period ends. A process that handles SIGTERM (`stopAfter`) exits cleanly
   * before that; one that exits by itself sooner keeps its own exit.
   */
  stop(c: RuntimeContainer, graceMs: number, stopAfter: number | undefined): void {
    if (c.state !== 'running') return;
    const killAt = this.kernel.now + graceMs;
    if (c.stopping && c.stopping.killAt <= killAt) return;
    const ownExit = c.timer && c.timer.at <= killAt ? c.timer : undefined;
    if (ownExit && (stopAfter === undefined || ownExit.at <= this.kernel.now + stopAfter)) {
      c.stopping = { killAt };
      return;
    }
    this.kernel.cancel(c.timer);
    c.stopping = { killAt };
    if (stopAfter !== undefined && stopAfter < graceMs) c.timer = this.kernel.after(stopAfter, 'container.stopped', () => this.exit(c, 0, 'Completed', true));
    else c.timer = this.kernel.after(graceMs, 'container.killed', () => this.exit(c, EXIT_SIGKILL, 'Error', true));
  }

  /** `fired`: called by c.timer itself, which must not be cancelled once run. */
  private exit(c: RuntimeContainer, code: number, reason: string, fired: boolean): void {
    if (!fired) this.kernel.cancel(c.timer);
    c.timer = undefined;
    if (c.state !== 'running') return;
    c.state = 'exited';
    c.finishedAt = this.kernel.now;
    c.exitCode = code;
    c.reason = reason;
    c.stopping = undefined;
    this.listener?.(c);
  }

  /** Keeps one exited instance of a container (the one before the new start). */
  private collect(podUid: string, name: string): void {
    const list = this.byPod.get(podUid);
    if (!list) return;
    const exited = list.filter((c) => c.name === name && c.state === 'exited');
    for (const c of exited.slice(0, -1)) {
      this.containers.delete(c.id);
      list.splice(list.indexOf(c), 1);
    }
  }

  // ---- the machine ---------------------------------------------------------

  /** The power is cut: every task dies with the machine; what is on disk stays. */
  powerOff(): void {
    this.running = false;
    this.kernel.cancel(this.pulling?.timer);
    this.pulling = undefined;
    this.pullQueue.length = 0;
    const at = this.kernel.now;
    for (const c of this.containers.values()) {
      this.kernel.cancel(c.timer);
      c.timer = undefined;
      c.stopping = undefined;
      if (c.state === 'running') Object.assign(c, { state: 'exited', finishedAt: at, exitCode: EXIT_UNKNOWN, reason: 'Unknown' });
    }
    // The addresses stay reserved in the host-local IPAM store until the kubelet replaces the sandboxes.
    for (const [uid, s] of this.sandboxes) if (s.state === 'ready') this.sandboxes.set(uid, { ...s, state: 'notready' });
  }

  powerOn(): void {
    this.running = true;
  }
}

function notFoundError(ref: string): string {
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}
