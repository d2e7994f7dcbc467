// Pod (anti-)affinity terms as kube-scheduler parses them once per pod
// (framework.PodInfo: RequiredAffinityTerms, PreferredAffinityTerms, ...
// and AffinityTerm.Matches), and the topology-pair counters InterPodAffinity
// keeps in its cycle state. Stored pods are immutable, so a pod's parsed
// terms are cached per pod object.
import type { PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1';
import type { Pod } from '../../api/types';
import { labelSelectorAsSelector, nothing, type Selector } from '../../api/selector';

export interface AffinityTerm {
  /** term.namespaces, or the pod's own namespace when both namespaces and namespaceSelector are unset. */
  readonly namespaces: ReadonlySet<string>;
  readonly selector: Selector;
  readonly topologyKey: string;
  /** Nothing when unset; Everything (empty) for {}. */
  readonly nsSelector: Selector;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

export interface PodTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  /** PodInfo.Update's aggregated parse error; the list that failed is left empty, as upstream. */
  readonly error?: string;
}

const NONE: PodTerms = Object.freeze({ requiredAffinity: [], requiredAntiAffinity: [], preferredAffinity: [], preferredAntiAffinity: [] });
const parsed = new WeakMap<Pod, PodTerms>();

/** framework.newAffinityTerm; throws SelectorError for a bad selector. */
function newAffinityTerm(pod: Pod, t: PodAffinityTerm): AffinityTerm {
  const selector = labelSelectorAsSelector(t.labelSelector);
  const useOwn = (t.namespaces?.length ?? 0) === 0 && t.namespaceSelector == null;
  const namespaces = new Set<string>(useOwn ? [pod.metadata?.namespace ?? ''] : (t.namespaces ?? []));
  const nsSelector = labelSelectorAsSelector(t.namespaceSelector);
  return { namespaces, selector, topologyKey: t.topologyKey ?? '', nsSelector };
}

function parseList<T>(pod: Pod, list: readonly T[] | undefined, make: (pod: Pod, t: T) => AffinityTerm, what: string, errs: string[]): AffinityTerm[] {
  if (!list || list.length === 0) return [];
  try {
    return list.map((t) => make(pod, t));
  } catch (e) {
    errs.push(`${what}: ${(e as Error).message}`);
    return [];
  }
}

const weighted = (pod: Pod, w: WeightedPodAffinityTerm): WeightedAffinityTerm => ({ ...newAffinityTerm(pod, w.podAffinityTerm), weight: w.weight });

/** A pod's parsed terms (framework.NewPodInfo), cached per pod object. */
export function podTerms(pod: Pod): PodTerms {
  const a = pod.spec?.affinity;
  if (!a || (!a.podAffinity && !a.podAntiAffinity)) return NONE;
  let t = parsed.get(pod);
  if (t) return t;
  const errs: string[] = [];
  const requiredAffinity = parseList(pod, a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, newAffinityTerm, 'requiredAffinityTerms', errs);
  const requiredAntiAffinity = parseList(pod, a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, newAffinityTerm, 'requiredAntiAffinityTerms', errs);
  const preferredAffinity = parseList(pod, a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, weighted, 'preferredAffinityTerms', errs) as WeightedAffinityTerm[];
  const preferredAntiAffinity = parseList(pod, a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, weighted, 'preferredAntiAffinityTerms', errs) as WeightedAffinityTerm[];
  t = { requiredAffinity, requiredAntiAffinity, preferredAffinity, preferredAntiAffinity };
  if (errs.length) t = { ...t, error: errs.length === 1 ? errs[0] : `[${errs.join(', ')}]` };
  parsed.set(pod, t);
  return t;
}

type Labels = Readonly<Record<string, string>> | undefined;

/**
 * AffinityTerm.Matches for an existing pod's term against the incoming pod:
 * its namespace is listed, or its namespace's labels (nsLabels) match the namespaceSelector.
 */
export function termMatches(t: AffinityTerm, pod: Pod, nsLabels: Labels): boolean {
  if (t.namespaces.has(pod.metadata?.namespace ?? '') || t.nsSelector.matches(nsLabels)) return t.selector.matches(pod.metadata?.labels);
  return false;
}

/**
 * An incoming pod's term: upstream unrolls a non-empty namespaceSelector into
 * the namespaces that exist and match it (mergeAffinityTermNamespacesIfNotEmpty)
 * and then matches existing pods by namespace name only. Here a namespace is
 * looked up when first seen, which selects the same pods.
 */
export class IncomingTerm {
  private seen: Map<string, boolean> | undefined;
  constructor(
    readonly term: AffinityTerm,
    private readonly lookup: ((ns: string) => Labels) | undefined,
  ) {}

  get topologyKey(): string {
    return this.term.topologyKey;
  }

  private namespaceSelected(ns: string): boolean {
    const t = this.term;
    if (t.namespaces.has(ns)) return true;
    const sel = t.nsSelector;
    if (sel.empty) return true;
    if (sel === nothing()) return false;
    let ok = (this.seen ??= new Map()).get(ns);
    if (ok === undefined) {
      const labels = this.lookup?.(ns);
      ok = labels !== undefined && sel.matches(labels);
      this.seen.set(ns, ok);
    }
    return ok;
  }

  matches(pod: Pod): boolean {
    return this.namespaceSelected(pod.metadata?.namespace ?? '') && this.term.selector.matches(pod.metadata?.labels);
  }
}

export class IncomingWeightedTerm extends IncomingTerm {
  readonly weight: number;
  constructor(term: WeightedAffinityTerm, lookup: ((ns: string) => Labels) | undefined) {
    super(term, lookup);
    this.weight = term.weight;
  }
}

/** podMatchesAllAffinityTerms: false for no terms. */
export function matchesAll(terms: readonly IncomingTerm[], pod: Pod): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!t.matches(pod)) return false;
  return true;
}

/** A node label value, or undefined (also for keys that only exist on Object.prototype). */
export function labelValue(labels: Labels, key: string): string | undefined {
  const v = labels?.[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * topologyToMatchedTermCount: (topologyKey, value) -> count, entries removed
 * when they drop to zero so that `size` is upstream's len(map).
 */
export class TopologyCounts {
  private readonly m: Map<string, Map<string, number>>;
  size = 0;

  constructor(from?: TopologyCounts) {
    this.m = new Map();
    if (from) {
      for (const [k, vs] of from.m) this.m.set(k, new Map(vs));
      this.size = from.size;
    }
  }

  get(key: string, value: string): number {
    return this.m.get(key)?.get(value) ?? 0;
  }

  /** update(): adds delta at the node's value for key, when the node has the label. */
  update(labels: Labels, key: string, delta: number): void {
    const value = labelValue(labels, key);
    if (value === undefined) return;
    let vs = this.m.get(key);
    if (!vs) this.m.set(key, (vs = new Map()));
    const prev = vs.get(value);
    const next = (prev ?? 0) + delta;
    if (next === 0) {
      if (prev !== undefined) {
        vs.delete(value);
        this.size--;
        if (vs.size === 0) this.m.delete(key);
      } else if (vs.size === 0) this.m.delete(key);
      return;
    }
    if (prev === undefined) this.size++;
    vs.set(value, next);
  }

  /** True when some pair with a positive count has the node's value for its key. */
  anyPositiveOn(labels: Labels): boolean {
    for (const [k, vs] of this.m) {
      const v = labelValue(labels, k);
      if (v !== undefined && (vs.get(v) ?? 0) > 0) return true;
    }
    return false;
  }

  entries(): Array<[string, string, number]> {
    const out: Array<[string, string, number]> = [];
    for (const [k, vs] of this.m) for (const [v, n] of vs) out.push([k, v, n]);
    return out;
  }
}
