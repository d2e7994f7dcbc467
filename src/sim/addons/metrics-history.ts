// What the usage charts draw: the usage metrics-server reported after each
// scrape round, for the last ROUNDS rounds (10 minutes at the 15 s
// resolution, plus the round they start from). Not part of metrics-server,
// which keeps only the last two points (metrics-storage.ts); a monitoring
// system would keep these. Bounded: a fixed ring of round timestamps and,
// per node and per pod, one small typed array; a series no round has
// touched for ROUNDS rounds (a deleted pod) is dropped.

/** 10 minutes of 15 s rounds, and the one before the first. */
export const HISTORY_ROUNDS = 41;

/** One point of a chart: CPU in millicores, memory in bytes, at virtual ms `t`. */
export interface UsageSample {
  t: number;
  cpuMilli: number;
  memoryBytes: number;
}

interface Series {
  /** [cpuMilli, memoryBytes] per slot of the ring; NaN where that round had no value. */
  values: Float32Array;
  /** The last round that wrote it. */
  last: number;
}

export class UsageHistory {
  /** Timestamp of each round, by round number modulo the capacity. */
  private readonly times: Float64Array;
  private readonly series = new Map<string, Series>();
  /** Rounds begun so far; the current one is rounds - 1. */
  private rounds = 0;

  constructor(readonly capacity = HISTORY_ROUNDS) {
    this.times = new Float64Array(capacity);
  }

  /** How many rounds were recorded (the charts' cue to redraw). */
  get roundCount(): number {
    return this.rounds;
  }

  get seriesCount(): number {
    return this.series.size;
  }

  beginRound(t: number): void {
    const slot = this.rounds % this.capacity;
    this.times[slot] = t;
    this.rounds++;
    // The slot now belongs to this round: no series keeps an older value there.
    for (const s of this.series.values()) {
      s.values[slot * 2] = NaN;
      s.values[slot * 2 + 1] = NaN;
    }
  }

  record(key: string, cpuMilli: number, memoryBytes: number): void {
    const round = this.rounds - 1;
    if (round < 0) return;
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { values: new Float32Array(this.capacity * 2).fill(NaN), last: round }));
    const slot = round % this.capacity;
    s.values[slot * 2] = cpuMilli;
    s.values[slot * 2 + 1] = memoryBytes;
    s.last = round;
  }

  /** Drops the series that no round within the ring has written. */
  endRound(): void {
    const oldest = this.rounds - this.capacity;
    for (const [key, s] of this.series) if (s.last < oldest) this.series.delete(key);
  }

  /** The series of `key`, oldest first, only the rounds that had a value. */
  samples(key: string): UsageSample[] {
    const s = this.series.get(key);
    if (!s) return [];
    const out: UsageSample[] = [];
    const first = Math.max(0, this.rounds - this.capacity);
    for (let r = first; r < this.rounds; r++) {
      const slot = r % this.capacity;
      const cpu = s.values[slot * 2];
      if (Number.isNaN(cpu)) continue;
      out.push({ t: this.times[slot], cpuMilli: cpu, memoryBytes: s.values[slot * 2 + 1] });
    }
    return out;
  }

  clear(): void {
    this.series.clear();
    this.rounds = 0;
  }
}
