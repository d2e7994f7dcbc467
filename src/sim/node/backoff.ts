// client-go's flowcontrol.Backoff (staging/src/k8s.io/client-go/util/flowcontrol/backoff.go),
// which the kubelet uses twice: for restarting crashed containers and for
// pulling images, both 10 s doubling to 300 s. An entry that has not been
// moved on for twice the maximum (10 minutes) counts as expired and starts
// over at 10 s: that is how a container that ran long enough loses its
// CrashLoopBackOff penalty. Times are virtual ms.

interface Entry {
  backoff: number;
  lastUpdate: number;
}

/** The kubelet's backOffPeriod and MaxContainerBackOff. */
export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;

export class Backoff {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly initial = BACKOFF_INITIAL_MS,
    private readonly max = BACKOFF_MAX_MS,
  ) {}

  /** The current backoff of `id` (0 when it has none). */
  get(id: string): number {
    return this.entries.get(id)?.backoff ?? 0;
  }

  /** Moves `id` to its next backoff: the initial one when new or expired, else doubled up to the maximum. */
  next(id: string, eventTime: number, now: number): void {
    const e = this.entries.get(id);
    if (!e || this.expired(eventTime, e)) this.entries.set(id, { backoff: this.initial, lastUpdate: now });
    else {
      e.backoff = Math.min(e.backoff * 2, this.max);
      e.lastUpdate = now;
    }
  }

  /** IsInBackOffSince: less than the backoff has passed since `eventTime` (a container's finishedAt). */
  inBackOffSince(id: string, eventTime: number, now: number): boolean {
    const e = this.entries.get(id);
    if (!e || this.expired(eventTime, e)) return false;
    return now - eventTime < e.backoff;
  }

  /** IsInBackOffSinceUpdate: less than the backoff has passed since the entry last moved (image pulls). */
  inBackOffSinceUpdate(id: string, now: number): boolean {
    const e = this.entries.get(id);
    if (!e || this.expired(now, e)) return false;
    return now - e.lastUpdate < e.backoff;
  }

  /** When a check of `inBackOffSince(id, eventTime)` first answers false, for timers. */
  endSince(id: string, eventTime: number): number {
    const e = this.entries.get(id);
    return e ? eventTime + e.backoff : eventTime;
  }

  /** When `inBackOffSinceUpdate(id)` first answers false. */
  endSinceUpdate(id: string): number {
    const e = this.entries.get(id);
    return e ? e.lastUpdate + e.backoff : 0;
  }

  /** GC: entries not moved for twice the maximum are dropped. */
  gc(now: number): void {
    for (const [id, e] of this.entries) if (now - e.lastUpdate > this.max * 2) this.entries.delete(id);
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  private expired(eventTime: number, e: Entry): boolean {
    return eventTime - e.lastUpdate > this.max * 2;
  }
}
