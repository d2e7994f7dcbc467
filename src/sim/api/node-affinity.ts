// Node selectors as k8s.io/component-helpers/scheduling/corev1/nodeaffinity
// reads them: a pod's nodeSelector and required node affinity terms (ORed
// terms of ANDed requirements on labels and on the metadata.name field), and
// its preferred terms with weights. A term that does not parse matches no node,
// as upstream's LazyErrorNodeSelector; empty terms are skipped.
import type { NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm } from 'kubernetes-types/core/v1';
import type { Node, Pod } from './types';
import { invalid, notSupported, type FieldError } from './field-errors';
import { makeSelector, requirementErrors, selectorFromSet, type Requirement, type Selector, type SelectorOperator } from './selector';

const NODE_OPS: Record<string, SelectorOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

/** metav1.ObjectNameField: the one field a node selector term may match. */
export const OBJECT_NAME_FIELD = 'metadata.name';

interface FieldTerm {
  key: string;
  value: string;
  equal: boolean;
}

export interface ParsedNodeSelectorTerm {
  labels?: Selector;
  fields?: FieldTerm[];
  /** A requirement that did not parse: the term matches nothing. */
  bad: boolean;
}

const isEmptyTerm = (t: NodeSelectorTerm | undefined): boolean => (t?.matchExpressions?.length ?? 0) + (t?.matchFields?.length ?? 0) === 0;

function parseRequirements(exprs: readonly NodeSelectorRequirement[], out: ParsedNodeSelectorTerm): void {
  const reqs: Requirement[] = [];
  for (const e of exprs) {
    const op = NODE_OPS[e.operator];
    const values = e.values ?? [];
    if (!op || requirementErrors(e.key, op, values).length) out.bad = true;
    else reqs.push({ key: e.key, operator: op, values });
  }
  out.labels = makeSelector(reqs);
}

export function parseNodeSelectorTerm(t: NodeSelectorTerm): ParsedNodeSelectorTerm {
  const out: ParsedNodeSelectorTerm = { bad: false };
  if (t.matchExpressions?.length) parseRequirements(t.matchExpressions, out);
  if (t.matchFields?.length) {
    out.fields = [];
    for (const f of t.matchFields) {
      // In or NotIn, exactly one value (validation allows only metadata.name as the key).
      if ((f.operator !== 'In' && f.operator !== 'NotIn') || f.values?.length !== 1) out.bad = true;
      else out.fields.push({ key: f.key, value: f.values[0], equal: f.operator === 'In' });
    }
  }
  return out;
}

export function nodeSelectorTermMatches(t: ParsedNodeSelectorTerm, node: Node): boolean {
  if (t.bad) return false;
  if (t.labels && !t.labels.matches(node.metadata?.labels)) return false;
  // A node's only field is its name; any other key reads as "". A node without
  // a name has no fields, and upstream then skips the field requirements.
  const name = node.metadata?.name ?? '';
  if (t.fields && name) {
    for (const f of t.fields) if (((f.key === OBJECT_NAME_FIELD ? name : '') === f.value) !== f.equal) return false;
  }
  return true;
}

/** NodeSelector.Match: any non-empty term matches. */
export function compileNodeSelector(ns: NodeSelector): (node: Node) => boolean {
  const terms = (ns.nodeSelectorTerms ?? []).filter((t) => !isEmptyTerm(t)).map(parseNodeSelectorTerm);
  return (node) => terms.some((t) => nodeSelectorTermMatches(t, node));
}

export type NodeMatcher = (node: Node) => boolean;

/**
 * GetRequiredNodeAffinity(pod).Match: spec.nodeSelector and the required
 * node affinity terms must both match. null when the pod has neither.
 */
export function requiredNodeAffinity(pod: Pod): NodeMatcher | null {
  const nodeSelector = pod.spec?.nodeSelector;
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const sel = nodeSelector && Object.keys(nodeSelector).length > 0 ? selectorFromSet(nodeSelector) : undefined;
  if (!sel && !req) return null;
  const terms = req ? compileNodeSelector(req) : undefined;
  return (node) => {
    if (sel && !sel.matches(node.metadata?.labels)) return false;
    return terms ? terms(node) : true;
  };
}

/** True when the pod's nodeSelector and required node affinity allow the node. */
export const podMatchesNodeSelectorAndAffinity = (pod: Pod, node: Node): boolean => {
  const m = requiredNodeAffinity(pod);
  return m === null || m(node);
};

export interface PreferredTerms {
  /** Sum of the weights of the terms that match the node. */
  score(node: Node): number;
}

/** NewPreferredSchedulingTerms: terms of weight 0 and empty terms are dropped. */
export function preferredSchedulingTerms(terms: readonly PreferredSchedulingTerm[]): PreferredTerms {
  const parsed: Array<{ weight: number; term: ParsedNodeSelectorTerm }> = [];
  for (const t of terms) {
    if (!t.weight || isEmptyTerm(t.preference)) continue;
    parsed.push({ weight: t.weight, term: parseNodeSelectorTerm(t.preference) });
  }
  return {
    score(node) {
      let s = 0;
      for (const p of parsed) if (nodeSelectorTermMatches(p.term, node)) s += p.weight;
      return s;
    },
  };
}

/** The parse errors of a term, at path, as newNodeSelectorTerm collects them. */
function nodeSelectorTermErrors(t: NodeSelectorTerm, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (t.matchExpressions ?? []).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const op = NODE_OPS[e.operator];
    if (!op) errs.push(notSupported(`${p}.operator`, e.operator, Object.keys(NODE_OPS)));
    else for (const err of requirementErrors(e.key, op, e.values ?? [])) errs.push({ ...err, field: `${p}.${err.field}` });
  });
  (t.matchFields ?? []).forEach((f, i) => {
    const p = `${path}.matchFields[${i}]`;
    if (f.operator !== 'In' && f.operator !== 'NotIn') errs.push(notSupported(`${p}.operator`, f.operator, ['In', 'NotIn']));
    else if (f.values?.length !== 1) errs.push(invalid(`${p}.values`, f.values ?? [], 'must have one element'));
  });
  return errs;
}

/** NewNodeSelector's errors: those of every non-empty term (at path.nodeSelectorTerms[i]). */
export const nodeSelectorErrors = (ns: NodeSelector, path: string): FieldError[] =>
  (ns.nodeSelectorTerms ?? []).flatMap((t, i) => (isEmptyTerm(t) ? [] : nodeSelectorTermErrors(t, `${path}.nodeSelectorTerms[${i}]`)));

/** NewPreferredSchedulingTerms' errors: terms it drops (weight 0, empty) are not parsed; a term's path is path[i]. */
export const preferredSchedulingTermsErrors = (terms: readonly PreferredSchedulingTerm[], path: string): FieldError[] =>
  terms.flatMap((t, i) => (!t.weight || isEmptyTerm(t.preference) ? [] : nodeSelectorTermErrors(t.preference, `${path}[${i}]`)));
