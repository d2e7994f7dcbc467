// The numbers Filter and Score read on every node, as columns indexed by a
// node's slot (a struct of arrays). A cycle examines hundreds of nodes; read
// through NodeInfo each one costs several dependent loads scattered over the
// heap (NodeInfo -> Node -> spec, NodeInfo -> allocatable, -> requested),
// where a column is one contiguous array. NodeInfo stays the plugins' object
// and the truth: the cache copies a NodeInfo's row in after every change
// (`sync`), so a row always equals what its NodeInfo says.
import type { Taint } from 'kubernetes-types/core/v1';
import type { ImageStateSummary, NodeInfo } from './types';

interface ImageColumn {
  /** How many slots hold the image (the column goes when none does). */
  holders: number;
  bySlot: (ImageStateSummary | undefined)[];
}

export class NodeTable {
  /** The NodeInfo in each slot (undefined for a free slot). */
  infos: (NodeInfo | undefined)[] = [];
  names: string[] = [];
  /** status.allocatable: milli-CPU, bytes, bytes, pods. */
  allocCpu = new Float64Array(0);
  allocMem = new Float64Array(0);
  allocEph = new Float64Array(0);
  allocPods = new Float64Array(0);
  /** Sum of the pods' requests (NodeInfo.requested). */
  reqCpu = new Float64Array(0);
  reqMem = new Float64Array(0);
  reqEph = new Float64Array(0);
  /** The same with the scoring defaults (NodeInfo.nonZeroRequested). */
  nzCpu = new Float64Array(0);
  nzMem = new Float64Array(0);
  podCount = new Int32Array(0);
  /** 1 when spec.unschedulable (cordoned). */
  unschedulable = new Uint8Array(0);
  /** spec.taints, undefined when the node has none. */
  taints: (readonly Taint[] | undefined)[] = [];
  /** NodeInfo.imageStates as last synced (to tell what changed). */
  private images: (Record<string, ImageStateSummary> | undefined)[] = [];
  /** The same by image name: each slot's summary of that name, or undefined where the node does not hold it. */
  private imageColumns = new Map<string, ImageColumn>();
  private slotByName = new Map<string, number>();
  private free: number[] = [];
  private capacity = 0;

  /** A table of these NodeInfos, in slots 0..n-1 (for a snapshot not kept by the cache). */
  static of(infos: readonly NodeInfo[]): NodeTable {
    const t = new NodeTable();
    for (const info of infos) t.sync(info);
    return t;
  }

  /** The slot of a node, if it has one. */
  slot(name: string): number | undefined {
    return this.slotByName.get(name);
  }

  /** Writes the NodeInfo's row, giving it a slot when it has none. Returns the slot. */
  sync(info: NodeInfo): number {
    let slot = this.slotByName.get(info.name);
    if (slot === undefined) {
      slot = this.free.length ? this.free.pop()! : this.infos.length;
      if (slot >= this.capacity) this.grow(Math.max(64, this.capacity * 2));
      this.slotByName.set(info.name, slot);
    }
    this.infos[slot] = info;
    this.names[slot] = info.name;
    const a = info.allocatable;
    this.allocCpu[slot] = a.milliCPU;
    this.allocMem[slot] = a.memory;
    this.allocEph[slot] = a.ephemeralStorage;
    this.allocPods[slot] = a.allowedPodNumber;
    this.writePodSums(slot, info);
    const spec = info.node.spec;
    this.unschedulable[slot] = spec?.unschedulable ? 1 : 0;
    const taints = spec?.taints;
    this.taints[slot] = taints && taints.length ? taints : undefined;
    if (this.images[slot] !== info.imageStates) {
      this.dropImages(slot);
      this.images[slot] = info.imageStates;
      for (const name in info.imageStates) {
        let col = this.imageColumns.get(name);
        if (!col) this.imageColumns.set(name, (col = { holders: 0, bySlot: new Array<ImageStateSummary | undefined>(this.capacity).fill(undefined) }));
        if (col.bySlot[slot] === undefined) col.holders++;
        col.bySlot[slot] = info.imageStates[name];
      }
    }
    return slot;
  }

  /**
   * Each slot's ImageStateSummary of one image name (undefined where the
   * node does not hold it), or undefined when no node does: what
   * `infos[slot].imageStates[name]` says, without reading every NodeInfo.
   */
  imageColumn(name: string): readonly (ImageStateSummary | undefined)[] | undefined {
    return this.imageColumns.get(name)?.bySlot;
  }

  private dropImages(slot: number): void {
    const prev = this.images[slot];
    if (!prev) return;
    for (const name in prev) {
      const col = this.imageColumns.get(name);
      if (!col || col.bySlot[slot] === undefined) continue;
      col.bySlot[slot] = undefined;
      if (--col.holders === 0) this.imageColumns.delete(name);
    }
    this.images[slot] = undefined;
  }

  /** Writes the part of a synced row that placing or removing a pod changes: the sums and the pod count. */
  syncPods(info: NodeInfo): void {
    const slot = this.slotByName.get(info.name);
    if (slot === undefined) {
      this.sync(info);
      return;
    }
    this.writePodSums(slot, info);
  }

  /** The sums of the node's pods' requests and its pod count, into the row of `slot`. */
  private writePodSums(slot: number, info: NodeInfo): void {
    const r = info.requested;
    this.reqCpu[slot] = r.milliCPU;
    this.reqMem[slot] = r.memory;
    this.reqEph[slot] = r.ephemeralStorage;
    this.nzCpu[slot] = info.nonZeroRequested.milliCPU;
    this.nzMem[slot] = info.nonZeroRequested.memory;
    this.podCount[slot] = info.pods.length;
  }

  /** Frees the node's slot (a later node may take it). */
  remove(name: string): void {
    const slot = this.slotByName.get(name);
    if (slot === undefined) return;
    this.slotByName.delete(name);
    this.infos[slot] = undefined;
    this.names[slot] = '';
    this.taints[slot] = undefined;
    this.dropImages(slot);
    this.free.push(slot);
  }

  private grow(capacity: number): void {
    const f64 = (old: Float64Array) => {
      const a = new Float64Array(capacity);
      a.set(old);
      return a;
    };
    this.allocCpu = f64(this.allocCpu);
    this.allocMem = f64(this.allocMem);
    this.allocEph = f64(this.allocEph);
    this.allocPods = f64(this.allocPods);
    this.reqCpu = f64(this.reqCpu);
    this.reqMem = f64(this.reqMem);
    this.reqEph = f64(this.reqEph);
    this.nzCpu = f64(this.nzCpu);
    this.nzMem = f64(this.nzMem);
    const pods = new Int32Array(capacity);
    pods.set(this.podCount);
    this.podCount = pods;
    const unsched = new Uint8Array(capacity);
    unsched.set(this.unschedulable);
    this.unschedulable = unsched;
    for (const col of this.imageColumns.values()) while (col.bySlot.length < capacity) col.bySlot.push(undefined);
    this.capacity = capacity;
  }
}
