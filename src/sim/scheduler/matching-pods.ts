// How many pods of a namespace a label selector matches, per node and per
// topology domain, kept by the scheduler cache as pods and nodes change.
// PodTopologySpread asks it for every pod it spreads: upstream counts the
// pods of every node in PreFilter / PreScore (countPodsMatchSelector); here
// those counts are read instead of walking 150,000 pods, and come out the same.
import type { Selector } from '../api/selector';
import type { Pod } from '../api/types';
import type { MatchingPodCounts, NodeInfo, PodInfo } from './framework/types';

type Labels = Readonly<Record<string, string>> | undefined;

/** The domain of a node for a key, as PodTopologySpread's PreScore names it ("" without the label). */
export const domainOf = (labels: Labels, key: string): string => {
  const v = labels?.[key];
  return typeof v === 'string' ? v : '';
};

/** countPodsMatchSelector's test for one pod: same namespace, not terminating, selected. */
export function podMatches(pod: Pod, ns: string, selector: Selector): boolean {
  const m = pod.metadata;
  return !m?.deletionTimestamp && (m?.namespace ?? '') === ns && selector.matches(m?.labels);
}

/** countPodsMatchSelector over one node's pods. */
export function countPods(pods: readonly PodInfo[], selector: Selector, ns: string): number {
  let n = 0;
  for (const pi of pods) if (podMatches(pi.pod, ns, selector)) n++;
  return n;
}

/**
 * One (namespace, selector)'s counts, built from every node when first asked
 * and then moved by the cache's events: a matching pod placed or taken off
 * a node, a node relabelled or removed. Nodes with no matching pod have no
 * entry; domain maps are made per topology key the first time it is asked.
 */
export class KeptPodCounts implements MatchingPodCounts {
  private readonly perNode = new Map<NodeInfo, number>();
  private readonly domains = new Map<string, Map<string, number>>();

  constructor(
    readonly ns: string,
    readonly selector: Selector,
    nodes: Iterable<NodeInfo>,
  ) {
    for (const ni of nodes) {
      const n = countPods(ni.pods, selector, ns);
      if (n > 0) this.perNode.set(ni, n);
    }
  }

  matches(pod: Pod): boolean {
    return podMatches(pod, this.ns, this.selector);
  }

  of(ni: NodeInfo): number {
    return this.perNode.get(ni) ?? 0;
  }

  byDomain(key: string): ReadonlyMap<string, number> {
    let m = this.domains.get(key);
    if (!m) {
      m = new Map();
      for (const [ni, n] of this.perNode) {
        const v = domainOf(ni.node.metadata?.labels, key);
        m.set(v, (m.get(v) ?? 0) + n);
      }
      this.domains.set(key, m);
    }
    return m;
  }

  /** A matching pod placed on (+1) or taken off (-1) the node. */
  moved(ni: NodeInfo, delta: 1 | -1): void {
    const n = (this.perNode.get(ni) ?? 0) + delta;
    if (n === 0) this.perNode.delete(ni);
    else this.perNode.set(ni, n);
    const labels = ni.node.metadata?.labels;
    for (const [key, m] of this.domains) {
      const v = domainOf(labels, key);
      m.set(v, (m.get(v) ?? 0) + delta);
    }
  }

  /** The node's labels changed from `before`: its pods move to its new domains. */
  relabelled(ni: NodeInfo, before: Labels): void {
    const n = this.perNode.get(ni);
    if (!n) return;
    const after = ni.node.metadata?.labels;
    for (const [key, m] of this.domains) {
      const was = domainOf(before, key);
      const is = domainOf(after, key);
      if (was === is) continue;
      m.set(was, m.get(was)! - n);
      m.set(is, (m.get(is) ?? 0) + n);
    }
  }

  /** The node left the cache: its pods are no longer on any node the scheduler walks. */
  removed(ni: NodeInfo): void {
    const n = this.perNode.get(ni);
    if (!n) return;
    this.perNode.delete(ni);
    const labels = ni.node.metadata?.labels;
    for (const [key, m] of this.domains) {
      const v = domainOf(labels, key);
      m.set(v, m.get(v)! - n);
    }
  }
}

/** The same answers worked out from the nodes each time (a snapshot the cache did not make). */
export class WalkedPodCounts implements MatchingPodCounts {
  constructor(
    private readonly ns: string,
    private readonly selector: Selector,
    private readonly nodes: readonly NodeInfo[],
  ) {}

  of(ni: NodeInfo): number {
    return countPods(ni.pods, this.selector, this.ns);
  }

  byDomain(key: string): ReadonlyMap<string, number> {
    const m = new Map<string, number>();
    for (const ni of this.nodes) {
      const n = this.of(ni);
      if (n === 0) continue;
      const v = domainOf(ni.node.metadata?.labels, key);
      m.set(v, (m.get(v) ?? 0) + n);
    }
    return m;
  }
}

/** Selectors kept at once; the least recently asked goes first (each costs a test per pod event). */
const KEPT_SELECTORS = 64;

/** The cache's kept counts by namespace and selector, most recently asked last. */
export class MatchingPodIndex {
  private readonly kept = new Map<string, KeptPodCounts>();

  /** The counts for (ns, selector), built over `nodes` the first time. */
  get(ns: string, selector: Selector, nodes: () => Iterable<NodeInfo>): KeptPodCounts {
    const key = `${ns}\n${selector.empty ? '*' : selector.toString()}`;
    let c = this.kept.get(key);
    if (c) this.kept.delete(key);
    else {
      c = new KeptPodCounts(ns, selector, nodes());
      if (this.kept.size >= KEPT_SELECTORS) this.kept.delete(this.kept.keys().next().value!);
    }
    this.kept.set(key, c);
    return c;
  }

  get size(): number {
    return this.kept.size;
  }

  placed(ni: NodeInfo, pod: Pod): void {
    for (const c of this.kept.values()) if (c.matches(pod)) c.moved(ni, 1);
  }

  unplaced(ni: NodeInfo, pod: Pod): void {
    for (const c of this.kept.values()) if (c.matches(pod)) c.moved(ni, -1);
  }

  /** A placed pod's new version (labels, deletionTimestamp may differ). */
  changed(ni: NodeInfo, before: Pod, after: Pod): void {
    for (const c of this.kept.values()) {
      const was = c.matches(before);
      if (was !== c.matches(after)) c.moved(ni, was ? -1 : 1);
    }
  }

  relabelled(ni: NodeInfo, before: Labels): void {
    for (const c of this.kept.values()) c.relabelled(ni, before);
  }

  removed(ni: NodeInfo): void {
    for (const c of this.kept.values()) c.removed(ni);
  }
}

/**
 * How many nodes lack each asked label key (PodTopologySpread reads domain
 * sums only when every node has the keys its constraints require).
 */
export class LabelCoverage {
  private readonly missing = new Map<string, number>();

  /** Nodes without `key`, counted over `nodes` the first time. */
  without(key: string, nodes: () => Iterable<NodeInfo>): number {
    let n = this.missing.get(key);
    if (n === undefined) {
      n = 0;
      for (const ni of nodes()) if (typeof ni.node.metadata?.labels?.[key] !== 'string') n++;
      this.missing.set(key, n);
    }
    return n;
  }

  /** A node came (+1) or went (-1) with these labels. */
  counted(labels: Labels, delta: 1 | -1): void {
    for (const [key, n] of this.missing) if (typeof labels?.[key] !== 'string') this.missing.set(key, n + delta);
  }

  relabelled(before: Labels, after: Labels): void {
    this.counted(before, -1);
    this.counted(after, 1);
  }
}
