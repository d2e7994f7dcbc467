// Which nodes a monitor pass of the node lifecycle controller must look at.
// Upstream's monitorNodeHealth walks every node every 5 s; at 5,000 nodes
// nearly all of them come out of the walk as they went in, and the walk
// was the controller-manager's main cost in an idle cluster. A node is
// left out of a pass when nothing it is judged on changed since the pass
// that last looked at it:
//  - its Node and its Lease are the objects that pass saw (informer events
//    mark it otherwise),
//  - it came out healthy: Ready=True, no update written, the lease it saw on
//    record, neither NoExecute taint, not queued for tainting, no pods left
//    to mark not ready ("quiet"),
//  - and its grace period has not run out (now > probe + grace: a deadline).
// Looking at such a node changes nothing, so a pass over the others does
// what the walk over all of them did, in the same order. Its part in its
// zone's health (counted or not, Ready or not) stays what that pass found.
// Anything that changes the set of nodes or of zones, or the grace periods,
// asks for a walk over every node again, which rebuilds all of this.

/** What one look at a node found, for the plan. */
export interface NodeOutcome {
  /** The zone whose health it counts in this pass; undefined when excluded from disruption, or not judged (its status write failed). */
  zone?: string;
  /** Its Ready condition is True (after this pass). */
  ready: boolean;
  /** Quiet: the next pass may leave it out until this instant is past (its probe time + grace period). */
  quietUntil?: number;
}

/** A zone's part in handleDisruption: how many of its counted nodes are Ready and not. */
export interface ZoneCount {
  ready: number;
  notReady: number;
}

interface Entry {
  /** Its place in the node list at the last full pass (nodes are neither added nor removed until the next). */
  position: number;
  zone?: string;
  ready: boolean;
  /** The instant after which a quiet node must be looked at again; undefined while it is not quiet. */
  deadline?: number;
}

/** A min-heap of (deadline, node); entries made stale by a later look are dropped when they surface. */
class DeadlineHeap {
  private readonly at: number[] = [];
  private readonly names: string[] = [];

  push(at: number, name: string): void {
    let i = this.at.length;
    this.at.push(at);
    this.names.push(name);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.at[p] <= at) break;
      this.at[i] = this.at[p];
      this.names[i] = this.names[p];
      i = p;
    }
    this.at[i] = at;
    this.names[i] = name;
  }

  /** Takes every entry whose deadline is before `now`. */
  popBefore(now: number, each: (at: number, name: string) => void): void {
    while (this.at.length && this.at[0] < now) {
      const at = this.at[0];
      const name = this.names[0];
      const lastAt = this.at.pop()!;
      const lastName = this.names.pop()!;
      if (this.at.length) this.siftDown(lastAt, lastName);
      each(at, name);
    }
  }

  clear(): void {
    this.at.length = 0;
    this.names.length = 0;
  }

  private siftDown(at: number, name: string): void {
    const n = this.at.length;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.at[c + 1] < this.at[c]) c++;
      if (this.at[c] >= at) break;
      this.at[i] = this.at[c];
      this.names[i] = this.names[c];
      i = c;
    }
    this.at[i] = at;
    this.names[i] = name;
  }
}

export class MonitorPlan {
  /** The next pass must look at every node. */
  private full = true;
  /** This pass looks at every node (zones are met in list order). */
  private walking = false;
  private readonly entries = new Map<string, Entry>();
  /** The nodes in list order (at the last full pass). */
  private byPosition: readonly string[] = [];
  /** Nodes whose Node or Lease changed since the pass that last looked at them. */
  private readonly dirty = new Set<string>();
  /** Of those, the ones whose Node changed. */
  private readonly nodeChanged = new Set<string>();
  /** Nodes that must be looked at every pass (not quiet). */
  private readonly unsettled = new Set<string>();
  private readonly deadlines = new DeadlineHeap();
  /** Counted nodes by zone, in the order of each zone's first counted node in the list. */
  private zoneCounts = new Map<string, ZoneCount>();
  /** A node started or stopped counting in a zone: the zones' order must be worked out again. */
  private orderStale = false;
  /** Every zone a node is in (counted or not), from the last full pass. */
  private readonly nodeZones = new Set<string>();
  /** The grace periods of the last pass: quiet deadlines were worked out with them. */
  private grace = '';

  /** A Node or its Lease changed. */
  touched(name: string, what: 'node' | 'lease'): void {
    this.dirty.add(name);
    if (what === 'node') this.nodeChanged.add(name);
  }

  /**
   * A quiet node whose Lease alone changed, its grace period not run out:
   * a look at it would only take the renewal (the rest of it did nothing
   * last time and would do nothing now).
   */
  onlyLeaseMoved(name: string, now: number): boolean {
    const deadline = this.entries.get(name)?.deadline;
    return deadline !== undefined && !(now > deadline) && !this.nodeChanged.has(name);
  }

  /** Nodes or zones changed, or every node's health record did: the next pass looks at every node. */
  reset(): void {
    this.full = true;
  }

  /**
   * The nodes to look at now, in list order; undefined when it must be all
   * of them (and then begin() it). `zoneKnown` says whether a zone is in
   * the controller's zone states: a node of a zone that is not gets that
   * zone added by the full pass.
   */
  pick(now: number, grace: string, zoneKnown: (zone: string) => boolean): string[] | undefined {
    if (this.full || grace !== this.grace) return undefined;
    for (const z of this.nodeZones) if (!zoneKnown(z)) return undefined;
    // Marked by list position, then read in list order: no sort.
    const marked = new Uint8Array(this.byPosition.length);
    const mark = (name: string) => {
      const e = this.entries.get(name);
      if (e) marked[e.position] = 1;
    };
    for (const name of this.dirty) mark(name);
    for (const name of this.unsettled) mark(name);
    this.deadlines.popBefore(now, (at, name) => {
      if (this.entries.get(name)?.deadline === at) mark(name);
    });
    const out: string[] = [];
    for (let i = 0; i < marked.length; i++) if (marked[i]) out.push(this.byPosition[i]);
    return out;
  }

  /** A pass over every node, in this order, starts: what was known is dropped. */
  begin(names: readonly string[], zoneOf: (i: number) => string): void {
    this.full = false;
    this.walking = true;
    this.entries.clear();
    this.unsettled.clear();
    this.deadlines.clear();
    this.zoneCounts = new Map();
    this.nodeZones.clear();
    this.orderStale = false;
    this.byPosition = [...names];
    names.forEach((name, position) => {
      this.entries.set(name, { position, ready: false });
      this.unsettled.add(name);
      this.nodeZones.add(zoneOf(position));
    });
  }

  /** What this pass found of a node. */
  record(name: string, o: NodeOutcome): void {
    const e = this.entries.get(name);
    if (!e) return;
    if (e.zone !== undefined) this.count(e.zone, e.ready, -1);
    if (o.zone !== undefined) this.count(o.zone, o.ready, 1);
    if (e.zone !== o.zone && !this.walking) this.orderStale = true;
    e.zone = o.zone;
    e.ready = o.ready;
    e.deadline = o.quietUntil;
    if (o.quietUntil === undefined) this.unsettled.add(name);
    else {
      this.unsettled.delete(name);
      this.deadlines.push(o.quietUntil, name);
    }
  }

  /** What the look at a quiet node's renewal found: still quiet until then, or not quiet. Its zone's counts stand. */
  recordLease(name: string, quietUntil: number | undefined): void {
    const e = this.entries.get(name)!;
    this.record(name, { zone: e.zone, ready: e.ready, quietUntil });
  }

  /** The zones' counts as this pass's walk over every node would have gathered them (zoneReady), zones in list order. */
  zones(): ReadonlyMap<string, ZoneCount> {
    if (this.orderStale) {
      const next = new Map<string, ZoneCount>();
      for (const name of this.byPosition) {
        const zone = this.entries.get(name)!.zone;
        if (zone !== undefined && !next.has(zone)) next.set(zone, this.zoneCounts.get(zone)!);
      }
      this.zoneCounts = next;
      this.orderStale = false;
    }
    const out = new Map<string, ZoneCount>();
    for (const [z, c] of this.zoneCounts) if (c.ready + c.notReady > 0) out.set(z, c);
    return out;
  }

  /** The pass is over: what it looked at is no longer dirty (a reset() asked for meanwhile stands). */
  end(grace: string): void {
    this.dirty.clear();
    this.nodeChanged.clear();
    this.walking = false;
    this.grace = grace;
  }

  private count(zone: string, ready: boolean, by: 1 | -1): void {
    let c = this.zoneCounts.get(zone);
    if (!c) this.zoneCounts.set(zone, (c = { ready: 0, notReady: 0 }));
    if (ready) c.ready += by;
    else c.notReady += by;
  }
}
