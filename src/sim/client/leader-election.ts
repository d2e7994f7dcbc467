// client-go's leader election with a LeaseLock, as kube-scheduler,
// kube-controller-manager and cloud-controller-manager run it
// (staging/src/k8s.io/client-go/tools/leaderelection/leaderelection.go and
// resourcelock/leaselock.go). Candidates share one Lease; the holder renews
// it every retryPeriod, the others read it every retryPeriod with a jitter
// of up to 1.2 times more and take it over once the record they observed
// has not changed for leaseDuration. Time is measured from each client's own
// observation of a change, never from the Lease's renewTime (upstream
// tolerates clock skew that way). A leader that cannot renew within
// renewDeadline stops leading; upstream components then exit and the
// kubelet restarts them as new candidates.
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { KubeObject } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import type { Kernel, Timer } from '../kernel/kernel';
import { microTimestamp } from '../kernel/time';
import type { EventRecorder } from './event-recorder';

/** wait.Jitter's maxFactor for the candidates' retries (leaderelection.JitterFactor). */
export const JITTER_FACTOR = 1.2;

/** The defaults of --leader-elect-lease-duration, --leader-elect-renew-deadline and --leader-elect-retry-period. */
export const DEFAULT_LEADER_ELECTION = { leaseDuration: 15_000, renewDeadline: 10_000, retryPeriod: 2_000 } as const;

export interface LeaderElectorOptions {
  /** The Lease's name (--leader-elect-resource-name): "kube-scheduler", "kube-controller-manager". */
  lease: string;
  /** --leader-elect-resource-namespace (default kube-system). */
  namespace?: string;
  /** "<hostname>_<uuid>": unique per process, so a restarted one is a new candidate. */
  identity: string;
  leaseDuration?: number;
  renewDeadline?: number;
  retryPeriod?: number;
  /** Where the LeaderElection events go ("<identity> became leader"); none without it. */
  recorder?: EventRecorder;
  /** Give the Lease up when stopped gracefully (kube-scheduler sets it; kube-controller-manager does not). */
  releaseOnCancel?: boolean;
  onStartedLeading(): void;
  /** Leadership lost while the process runs (the renew deadline passed). Not called on stop(). */
  onStoppedLeading(): void;
  /** A different holder was observed (including the first one, and this client itself). */
  onNewLeader?(identity: string): void;
}

/** rl.LeaderElectionRecord: what a Lease's spec says about its holder. */
interface LeaderElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string;
  renewTime: string;
  leaseTransitions: number;
}

type Phase = 'stopped' | 'acquiring' | 'leading';

export class LeaderElector {
  readonly namespace: string;
  readonly identity: string;
  private readonly leaseDuration: number;
  private readonly renewDeadline: number;
  private readonly retryPeriod: number;
  private phase: Phase = 'stopped';
  private timer?: Timer;
  /** The Lease as last read or written (LeaseLock.lease): updates carry its resourceVersion. */
  private lease?: Lease;
  private observed?: LeaderElectionRecord;
  private observedRaw?: string;
  private observedTime = 0;
  private reportedLeader = '';
  /** When the current renew round gives up (renew's RenewDeadline timeout). */
  private deadline = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly client: ApiClient,
    private readonly options: LeaderElectorOptions,
  ) {
    this.namespace = options.namespace ?? 'kube-system';
    this.identity = options.identity;
    this.leaseDuration = options.leaseDuration ?? DEFAULT_LEADER_ELECTION.leaseDuration;
    this.renewDeadline = options.renewDeadline ?? DEFAULT_LEADER_ELECTION.renewDeadline;
    this.retryPeriod = options.retryPeriod ?? DEFAULT_LEADER_ELECTION.retryPeriod;
    // NewLeaderElector's checks: a standby must not take over from a leader still inside its deadline.
    if (!(this.leaseDuration > this.renewDeadline)) throw new Error('leaseDuration must be greater than renewDeadline');
    if (!(this.renewDeadline > JITTER_FACTOR * this.retryPeriod)) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
  }

  /** IsLeader: the last observed record names this client. */
  get isLeader(): boolean {
    return this.observed?.holderIdentity === this.identity;
  }

  /** Leading: acquired and not yet lost or stopped (what the component acts on). */
  get leading(): boolean {
    return this.phase === 'leading';
  }

  /** GetLeader: the holder this client last observed ('' before any). */
  get leader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  /** Run: the first attempt is immediate. */
  start(): void {
    if (this.phase !== 'stopped') return;
    this.phase = 'acquiring';
    this.acquireAttempt();
  }

  /**
   * The process ends (its context is cancelled). Gracefully, a leader
   * records "stopped leading" and, with releaseOnCancel, empties the Lease
   * so a standby takes over at its next try; `abrupt` (the machine lost
   * power) leaves the Lease as it was, to expire.
   */
  stop(opts: { abrupt?: boolean } = {}): void {
    if (this.phase === 'stopped') return;
    const wasLeading = this.phase === 'leading';
    this.phase = 'stopped';
    this.kernel.cancel(this.timer);
    this.timer = undefined;
    if (!wasLeading || opts.abrupt) return;
    this.recordEvent('stopped leading');
    if (this.options.releaseOnCancel) this.release();
  }

  // ---- the loops (acquire: wait.JitterUntil; renew: wait.Until around wait.PollImmediateUntil) ----

  private acquireAttempt(): void {
    const ok = this.tryAcquireOrRenew();
    this.maybeReportTransition();
    if (!ok) {
      // wait.Jitter(retryPeriod, 1.2): between 2 s and 4.4 s with the defaults.
      const wait = Math.round(this.retryPeriod * (1 + this.kernel.rng.float() * JITTER_FACTOR));
      this.timer = this.kernel.after(wait, 'leaderelection.acquire', () => this.acquireAttempt());
      return;
    }
    this.recordEvent('became leader');
    this.phase = 'leading';
    this.options.onStartedLeading();
    // The component may have stopped itself meanwhile; renew starts at once, as upstream's renew loop does.
    if (this.phase === 'leading') this.renewRound();
  }

  private renewRound(): void {
    this.deadline = this.kernel.now + this.renewDeadline;
    this.renewAttempt();
  }

  private renewAttempt(): void {
    if (this.tryAcquireOrRenew()) {
      this.maybeReportTransition();
      this.timer = this.kernel.after(this.retryPeriod, 'leaderelection.renew', () => this.renewRound());
      return;
    }
    // PollImmediateUntil: tries every retryPeriod until the round's timeout wins.
    if (this.kernel.now + this.retryPeriod < this.deadline) this.timer = this.kernel.after(this.retryPeriod, 'leaderelection.renew', () => this.renewAttempt());
    else this.timer = this.kernel.at(this.deadline, 'leaderelection.lost', () => this.lose());
  }

  private lose(): void {
    this.timer = undefined;
    this.maybeReportTransition();
    this.phase = 'stopped';
    this.recordEvent('stopped leading');
    if (this.options.releaseOnCancel) this.release();
    this.options.onStoppedLeading();
  }

  // ---- tryAcquireOrRenew and release ----------------------------------------

  private tryAcquireOrRenew(): boolean {
    const now = microTimestamp(this.kernel.now);
    const record: LeaderElectionRecord = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.floor(this.leaseDuration / 1000),
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    // 1. The leader's fast path: update the Lease it last wrote, assuming nobody else did.
    if (this.isLeader && this.isLeaseValid() && this.observed) {
      record.acquireTime = this.observed.acquireTime;
      record.leaseTransitions = this.observed.leaseTransitions;
      if (this.update(record)) {
        this.setObserved(record);
        return true;
      }
    }
    // 2. Read the record, or create it.
    const got = this.client.get('Lease', this.namespace, this.options.lease);
    if (!got.ok) {
      if (got.status.code !== 404 || !this.create(record)) return false;
      this.setObserved(record);
      return true;
    }
    this.lease = got.object as Lease;
    const old = recordOf(this.lease);
    const raw = JSON.stringify(old);
    if (raw !== this.observedRaw) {
      this.setObserved(old);
      this.observedRaw = raw;
    }
    // 3. Someone else holds it and this client saw it change less than leaseDuration ago.
    if (old.holderIdentity && this.isLeaseValid() && !this.isLeader) return false;
    // 4. Take it (a transition) or keep it.
    if (this.isLeader) {
      record.acquireTime = old.acquireTime;
      record.leaseTransitions = old.leaseTransitions;
    } else record.leaseTransitions = old.leaseTransitions + 1;
    if (!this.update(record)) return false;
    this.setObserved(record);
    return true;
  }

  /** ReleaseOnCancel: an empty holder with a 1 s duration, so candidates need not wait. */
  private release(): void {
    if (!this.isLeader || !this.observed) return;
    const now = microTimestamp(this.kernel.now);
    const record = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: this.observed.leaseTransitions };
    if (this.update(record)) this.setObserved(record);
  }

  private isLeaseValid(): boolean {
    return this.observedTime + (this.observed?.leaseDurationSeconds ?? 0) * 1000 > this.kernel.now;
  }

  private setObserved(record: LeaderElectionRecord): void {
    this.observed = record;
    this.observedTime = this.kernel.now;
  }

  private maybeReportTransition(): void {
    const holder = this.observed?.holderIdentity ?? '';
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    this.options.onNewLeader?.(holder);
  }

  // ---- LeaseLock -----------------------------------------------------------

  private create(record: LeaderElectionRecord): boolean {
    const r = this.client.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.options.lease, namespace: this.namespace },
      spec: { ...record },
    } as KubeObject);
    if (r.ok) this.lease = r.object as Lease;
    return r.ok;
  }

  private update(record: LeaderElectionRecord): boolean {
    if (!this.lease) return false;
    const r = this.client.update({ ...(this.lease as KubeObject), spec: { ...record } } as KubeObject);
    if (r.ok) this.lease = r.object as Lease;
    return r.ok;
  }

  /** LeaseLock.RecordEvent: a Normal LeaderElection event on the Lease, "<identity> <what>". */
  private recordEvent(what: string): void {
    if (!this.options.recorder || !this.lease) return;
    const subject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: this.lease.metadata };
    this.options.recorder.event(subject, 'Normal', 'LeaderElection', `${this.identity} ${what}`);
  }
}

/** LeaseSpecToLeaderElectionRecord: absent fields read as zero values. */
function recordOf(lease: Lease): LeaderElectionRecord {
  const s = lease.spec ?? {};
  return {
    holderIdentity: s.holderIdentity ?? '',
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    acquireTime: s.acquireTime ?? '',
    renewTime: s.renewTime ?? '',
    leaseTransitions: s.leaseTransitions ?? 0,
  };
}
