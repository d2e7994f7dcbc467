// The order in which the scheduler walks nodes: zone by zone in turn
// (upstream's nodeTree), so the first nodes examined in a cycle already
// cover every zone. Zones appear in the order their first node was added.
import type { Node } from '../api/types';

/** Upstream's utilnode.GetZoneKey: region and zone, or "" when the node has neither. */
export function zoneKey(node: Node): string {
  const labels = node.metadata?.labels ?? {};
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\x00:${zone}`;
}

export class NodeTree {
  private zones: string[] = [];
  private byZone = new Map<string, string[]>();
  private zoneOf = new Map<string, string>();
  private cached: string[] | undefined;

  /** Adds the node, or moves it to its new zone; true when the order changed. */
  add(node: Node): boolean {
    const name = node.metadata!.name!;
    const zone = zoneKey(node);
    const prev = this.zoneOf.get(name);
    if (prev === zone) return false;
    if (prev !== undefined) this.remove(name);
    let list = this.byZone.get(zone);
    if (!list) {
      this.byZone.set(zone, (list = []));
      this.zones.push(zone);
    }
    list.push(name);
    this.zoneOf.set(name, zone);
    this.cached = undefined;
    return true;
  }

  remove(name: string): void {
    const zone = this.zoneOf.get(name);
    if (zone === undefined) return;
    const list = this.byZone.get(zone)!;
    list.splice(list.indexOf(name), 1);
    if (list.length === 0) {
      this.byZone.delete(zone);
      this.zones.splice(this.zones.indexOf(zone), 1);
    }
    this.zoneOf.delete(name);
    this.cached = undefined;
  }

  get size(): number {
    return this.zoneOf.size;
  }

  /** Node names, one from each zone in turn. */
  list(): readonly string[] {
    if (this.cached) return this.cached;
    const out: string[] = [];
    const lists = this.zones.map((z) => this.byZone.get(z)!);
    for (let i = 0; out.length < this.zoneOf.size; i++) for (const l of lists) if (i < l.length) out.push(l[i]);
    return (this.cached = out);
  }
}
