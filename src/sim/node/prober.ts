// The kubelet's prober (pkg/kubelet/prober: worker.go, prober.go): one
// worker per container and probe. A probe runs every periodSeconds once
// initialDelaySeconds have passed since the container started; readiness and
// liveness wait until the startup probe has succeeded. A result changes only
// after successThreshold successes or failureThreshold failures in a row.
// Readiness starts as Failure, liveness as Success, startup as Unknown.
//
// Checks fall at start + initialDelay + k * period. What a check answers
// comes from the container's behavior, which changes at most once, so a
// worker needs a timer only while something can change or while it fails
// (each failing check is an Unhealthy event): a healthy container's probes
// cost nothing between transitions.
import type { Probe } from 'kubernetes-types/core/v1';
import type { Kernel, Timer } from '../kernel/kernel';
import { outcomeAt, type ProbeOutcome, type ProbeResult } from './behavior';

export type ProbeType = 'readiness' | 'liveness' | 'startup';

export type ManagedResult = 'unknown' | ProbeResult;

export interface ProbeHooks {
  /** A check failed: the Unhealthy event. */
  failed(type: ProbeType, message: string): void;
  /** The result the kubelet acts on changed. */
  changed(type: ProbeType, result: ProbeResult): void;
}

const LABEL: Record<ProbeType, string> = { readiness: 'Readiness', liveness: 'Liveness', startup: 'Startup' };

/** What a failed check prints, by handler, as the kubelet's probers word it. */
export function probeFailureOutput(probe: Probe, podIP: string): string {
  if (probe.httpGet) return 'HTTP probe failed with statuscode: 503';
  if (probe.tcpSocket) return `dial tcp ${podIP}:${String(probe.tcpSocket.port)}: connect: connection refused`;
  if (probe.grpc) return `timeout: failed to connect service "${podIP}:${probe.grpc.port}" within ${probe.timeoutSeconds ?? 1}s`;
  // An exec probe's message is the command's output, which our containers do not print.
  return '';
}

export function unhealthyMessage(type: ProbeType, output: string): string {
  return `${LABEL[type]} probe failed: ${output}`;
}

export class ProbeWorker {
  result: ManagedResult;
  private lastOutcome?: ProbeResult;
  private run = 0;
  private timer?: Timer;
  private stopped = false;
  private readonly first: number;
  private readonly period: number;

  constructor(
    private readonly kernel: Kernel,
    readonly type: ProbeType,
    private readonly probe: Probe,
    /** When the container started (ms). */
    private readonly start: number,
    private readonly outcome: ProbeOutcome | undefined,
    private readonly output: string,
    private readonly hooks: ProbeHooks,
  ) {
    this.result = type === 'readiness' ? 'failure' : type === 'liveness' ? 'success' : 'unknown';
    this.first = start + (probe.initialDelaySeconds ?? 0) * 1000;
    this.period = Math.max(1, probe.periodSeconds ?? 10) * 1000;
  }

  /** Begin checking at `from` (the container's start, or the startup probe's success for the others). */
  begin(from: number): void {
    if (this.stopped) return;
    this.arm(from);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.kernel.cancel(this.timer);
    this.timer = undefined;
  }

  /** The first check at or after `t`. */
  private checkAt(t: number): number {
    if (t <= this.first) return this.first;
    return this.first + Math.ceil((t - this.first) / this.period) * this.period;
  }

  private arm(from: number): void {
    if (this.timer) this.kernel.cancel(this.timer);
    const at = this.checkAt(Math.max(from, this.kernel.now));
    this.timer = this.kernel.after(at - this.kernel.now, `probe.${this.type}`, () => {
      this.timer = undefined;
      this.check(at);
    });
  }

  private check(at: number): void {
    if (this.stopped) return;
    const o = outcomeAt(this.outcome, at - this.start);
    if (o === this.lastOutcome) this.run++;
    else {
      this.lastOutcome = o;
      this.run = 1;
    }
    if (o === 'failure') this.hooks.failed(this.type, unhealthyMessage(this.type, this.output));
    const threshold = o === 'success' ? (this.probe.successThreshold ?? 1) : (this.probe.failureThreshold ?? 3);
    if (this.run >= threshold && this.result !== o) {
      this.result = o;
      this.hooks.changed(this.type, o);
      if (this.stopped) return;
    }
    this.next(at);
  }

  private next(at: number): void {
    // A startup probe is done once it succeeds; a failed startup or liveness probe gets the container killed.
    if (this.type === 'startup' && this.result === 'success') return;
    if (this.result === 'failure' && this.type !== 'readiness') return;
    const settled = this.lastOutcome === this.result && this.run >= 1;
    if (settled && this.result === 'success') {
      // Nothing changes until the behavior turns to failing (if it ever does).
      const o = this.outcome;
      if (o?.switchAt !== undefined && o.after === 'failure' && this.start + o.switchAt > at) this.arm(this.start + o.switchAt);
      return;
    }
    this.arm(at + 1);
  }
}
