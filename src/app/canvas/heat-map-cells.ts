// What the heat map draws of each worker node, in typed arrays (issue 9:
// 5,000 nodes and 150,000 pods): a tile's heat (0..100% cpu requested), its
// marks (NotReady, Unknown, cordoned) and the phase of each of its first
// PODS_PER_TILE pods, one byte each. update() reads only the worker views
// whose identity changed (the store replaces a node's view only when what
// its card shows changed) and lists the tiles whose cells moved, so the
// layer redraws those tiles and nothing else; the totals the canvas reports
// (pods drawn, Running, NotReady and Unknown tiles) are kept by the same
// differences, never recounted.
import { podPhaseIndex, POD_TOKEN_PHASES, type PodTokenPhase, type WorkerView } from '../store/worker-views';
import { PODS_PER_TILE } from './heat-map-geometry';
import { heatIndex } from './heat-map-palette';

/** Bits of a tile's marks. */
export const MARK_NOT_READY = 1;
export const MARK_UNKNOWN = 2;
export const MARK_CORDONED = 4;

/** A phase's index in POD_TOKEN_PHASES: the byte a pod's cell holds. */
export const PHASE_INDEX: ReadonlyMap<PodTokenPhase, number> = new Map(POD_TOKEN_PHASES.map((p, i) => [p, i]));
const RUNNING = PHASE_INDEX.get('Running')!;

export class HeatCells {
  readonly count: number;
  /** Per tile: cpu requested over allocatable, 0..100. */
  readonly heat: Uint8Array;
  /** Per tile: MARK_* bits. */
  readonly marks: Uint8Array;
  /** Per tile: how many pods it draws (at most PODS_PER_TILE). */
  readonly podCount: Uint8Array;
  /** PODS_PER_TILE per tile: each pod's phase (PHASE_INDEX). */
  readonly phases: Uint8Array;
  /** Pods drawn in all, and how many of them are Running. */
  pods = 0;
  running = 0;
  /** Tiles whose node is NotReady (Ready=False), and Unknown (Ready=Unknown or no Ready condition). */
  notReady = 0;
  unknown = 0;

  private shown: readonly WorkerView[] = [];
  private readonly names = new Map<string, number>();
  private readonly dirtyFlag: Uint8Array;
  private readonly dirtyList: Uint32Array;
  private dirtyCount = 0;

  constructor(count: number) {
    this.count = count;
    this.heat = new Uint8Array(count);
    this.marks = new Uint8Array(count);
    this.podCount = new Uint8Array(count);
    this.phases = new Uint8Array(count * PODS_PER_TILE);
    this.dirtyFlag = new Uint8Array(count);
    this.dirtyList = new Uint32Array(count);
  }

  /** Takes in the store's views (one per tile, in the grid's order); true when a tile's cells changed. */
  update(workers: readonly WorkerView[]): boolean {
    if (workers === this.shown) return false;
    const before = this.dirtyCount;
    const n = Math.min(this.count, workers.length);
    for (let i = 0; i < n; i++) {
      const w = workers[i];
      const old = this.shown[i];
      if (w === old) continue;
      if (old?.name !== w.name) {
        if (old && this.names.get(old.name) === i) this.names.delete(old.name);
        this.names.set(w.name, i);
      }
      if (this.write(i, w)) this.markDirty(i);
    }
    // Tiles past the views' end (a node just deleted, before the grid follows) are drawn empty.
    for (let i = n; i < Math.min(this.count, this.shown.length); i++) {
      const name = this.shown[i].name;
      if (this.names.get(name) === i) this.names.delete(name);
      if (this.clear(i)) this.markDirty(i);
    }
    this.shown = workers;
    return this.dirtyCount > before;
  }

  /** The tile of a node, or -1. */
  indexOf(name: string): number {
    return this.names.get(name) ?? -1;
  }

  /** Whether tile i draws anything (a view has been read for it). */
  has(i: number): boolean {
    return i < this.count && i < this.shown.length;
  }

  /** The tiles changed since the last call, each once; the list is reused by the next update. */
  takeDirty(): Uint32Array {
    const out = this.dirtyList.subarray(0, this.dirtyCount);
    for (let k = 0; k < this.dirtyCount; k++) this.dirtyFlag[this.dirtyList[k]] = 0;
    this.dirtyCount = 0;
    return out;
  }

  private markDirty(i: number): void {
    if (this.dirtyFlag[i]) return;
    this.dirtyFlag[i] = 1;
    this.dirtyList[this.dirtyCount++] = i;
  }

  /** Writes a view into tile i's cells; true when they changed. */
  private write(i: number, w: WorkerView): boolean {
    let changed = false;
    const heat = heatIndex(w.cpu.requested, w.cpu.allocatable);
    if (this.heat[i] !== heat) {
      this.heat[i] = heat;
      changed = true;
    }
    const marks = (w.ready === 'NotReady' ? MARK_NOT_READY : w.ready === 'Unknown' ? MARK_UNKNOWN : 0) | (w.cordoned ? MARK_CORDONED : 0);
    if (this.marks[i] !== marks) {
      this.countMarks(this.marks[i], -1);
      this.countMarks(marks, 1);
      this.marks[i] = marks;
      changed = true;
    }
    const base = i * PODS_PER_TILE;
    const had = this.podCount[i];
    const n = Math.min(w.podPhases.length, PODS_PER_TILE);
    for (let j = 0; j < n; j++) {
      const phase = podPhaseIndex(w, j);
      const old = this.phases[base + j];
      if (j < had && old === phase) continue;
      if (j < had && old === RUNNING) this.running--;
      if (phase === RUNNING) this.running++;
      this.phases[base + j] = phase;
      changed = true;
    }
    for (let j = n; j < had; j++) if (this.phases[base + j] === RUNNING) this.running--;
    if (n !== had) {
      this.pods += n - had;
      this.podCount[i] = n;
      changed = true;
    }
    return changed;
  }

  private countMarks(marks: number, by: 1 | -1): void {
    if (marks & MARK_NOT_READY) this.notReady += by;
    if (marks & MARK_UNKNOWN) this.unknown += by;
  }

  private clear(i: number): boolean {
    const had = this.podCount[i];
    const base = i * PODS_PER_TILE;
    for (let j = 0; j < had; j++) if (this.phases[base + j] === RUNNING) this.running--;
    this.pods -= had;
    const changed = had > 0 || this.heat[i] !== 0 || this.marks[i] !== 0;
    this.podCount[i] = 0;
    this.heat[i] = 0;
    this.countMarks(this.marks[i], -1);
    this.marks[i] = 0;
    return changed;
  }
}
