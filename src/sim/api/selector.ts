// Label selectors as k8s.io/apimachinery/pkg/labels and metav1 build them:
// a LabelSelector (matchLabels + matchExpressions) becomes a list of
// requirements, sorted by key, that all must match. A missing selector
// matches nothing; an empty one matches everything.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { FieldError } from './field-errors';
import { forbidden, formatFieldError, invalid, notSupported, required } from './field-errors';
import { isQualifiedName, isValidLabelValue, validateLabelName, validateLabels } from './labels';

/** selection.Operator values, as upstream spells them. */
export type SelectorOperator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

export type LabelMatcher = (labels?: Readonly<Record<string, string>> | null) => boolean;

export interface Selector {
  readonly requirements: readonly Requirement[];
  readonly matches: LabelMatcher;
  /** True for the match-everything selector (no requirements). */
  readonly empty: boolean;
  toString(): string;
}

export class SelectorError extends Error {
  override name = 'SelectorError';
}

const INTEGER_RE = /^[+-]?[0-9]+$/;
const VALID_OPERATORS: string[] = ['!', '=', '==', 'in', '!=', 'notin', 'exists', 'gt', 'lt'];

/** NewRequirement's checks; the errors are field errors at "key" and "values" as upstream reports them. */
export function requirementErrors(key: string, op: string, values: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  const keyMsgs = isQualifiedName(key);
  if (keyMsgs.length) errs.push(invalid('key', key, keyMsgs.join('; ')));
  switch (op) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(invalid('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(invalid('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(invalid('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(invalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!INTEGER_RE.test(v)) errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(notSupported('operator', op, VALID_OPERATORS));
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(invalid(`values[${i}][${key}]`, v, msgs.join('; ')));
  });
  return errs;
}

/** The text of an aggregate of field errors, as errors.ToAggregate().Error() prints it. */
export function aggregateMessage(errs: FieldError[]): string {
  const parts = errs.map(formatFieldError);
  return parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
}

function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>> | null | undefined): boolean {
  const has = labels != null && Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(labels![r.key]);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(labels![r.key]);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const v = labels![r.key];
      if (!INTEGER_RE.test(v) || !INTEGER_RE.test(r.values[0])) return false;
      const lhs = Number(v);
      const rhs = Number(r.values[0]);
      return r.operator === 'gt' ? lhs > rhs : lhs < rhs;
    }
  }
}

function requirementString(r: Requirement): string {
  let out = r.operator === '!' ? `!${r.key}` : r.key;
  switch (r.operator) {
    case 'exists':
    case '!':
      return out;
    case 'in':
      out += ' in ';
      break;
    case 'notin':
      out += ' notin ';
      break;
    case 'gt':
      out += '>';
      break;
    case 'lt':
      out += '<';
      break;
    default:
      out += r.operator;
  }
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${out}(${values})` : out + values;
}

/** A selector from requirements (sorted by key here, as Selector.Add does). */
export function makeSelector(requirements: Requirement[]): Selector {
  const reqs = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const n = reqs.length;
  const matches: LabelMatcher = (labels) => {
    for (let i = 0; i < n; i++) if (!requirementMatches(reqs[i], labels)) return false;
    return true;
  };
  return { requirements: reqs, matches, empty: n === 0, toString: () => reqs.map(requirementString).join(',') };
}

const EVERYTHING = makeSelector([]);
const NOTHING: Selector = { requirements: [], matches: () => false, empty: false, toString: () => '' };

export const everything = (): Selector => EVERYTHING;
export const nothing = (): Selector => NOTHING;

const LABEL_SELECTOR_OPS: Record<string, SelectorOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/** metav1.LabelSelectorAsSelector; throws SelectorError with upstream's message when the selector is invalid. */
export function labelSelectorAsSelector(ps: LabelSelector | null | undefined): Selector {
  if (ps == null) return NOTHING;
  const matchLabels = ps.matchLabels ?? {};
  const exprs = ps.matchExpressions ?? [];
  const labelKeys = Object.keys(matchLabels);
  if (labelKeys.length + exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = [];
  for (const key of labelKeys) {
    const values = [matchLabels[key]];
    const errs = requirementErrors(key, '=', values);
    if (errs.length) throw new SelectorError(aggregateMessage(errs));
    reqs.push({ key, operator: '=', values });
  }
  for (const expr of exprs) {
    const op = LABEL_SELECTOR_OPS[expr?.operator];
    if (!op) throw new SelectorError(`${JSON.stringify(expr?.operator ?? '')} is not a valid label selector operator`);
    const values = [...(expr.values ?? [])];
    const errs = requirementErrors(expr.key, op, values);
    if (errs.length) throw new SelectorError(aggregateMessage(errs));
    reqs.push({ key: expr.key, operator: op, values });
  }
  return makeSelector(reqs);
}

// Stored objects are immutable by convention, so a selector object compiles once.
const compiled = new WeakMap<object, LabelMatcher>();
const matchNothing: LabelMatcher = () => false;

/**
 * A matcher for a LabelSelector, cached per selector object. A missing or
 * invalid selector matches nothing (controllers skip what they can not parse).
 */
export function compileLabelSelector(ps: LabelSelector | null | undefined): LabelMatcher {
  if (ps == null || typeof ps !== 'object') return matchNothing;
  let m = compiled.get(ps);
  if (!m) {
    try {
      m = labelSelectorAsSelector(ps).matches;
    } catch {
      m = matchNothing;
    }
    compiled.set(ps, m);
  }
  return m;
}

/** metav1.FormatLabelSelector, as kubectl shows selectors: "app=web,tier in (a,b)", "<none>", "<error>". */
export function selectorToString(ps: LabelSelector | null | undefined): string {
  try {
    return labelSelectorAsSelector(ps).toString() || '<none>';
  } catch {
    return '<error>';
  }
}

/** labels.SelectorFromSet: equality on every pair; an empty set selects everything. */
export function selectorFromSet(set: Readonly<Record<string, string>> | null | undefined): Selector {
  if (!set) return EVERYTHING;
  return makeSelector(Object.keys(set).map((key) => ({ key, operator: '=' as const, values: [set[key]] })));
}

/** metav1validation.ValidateLabelSelector, strict about values as apps/v1 is. */
export function validateLabelSelector(ps: LabelSelector | null | undefined, path: string): FieldError[] {
  if (ps == null) return [];
  const errs = validateLabels(ps.matchLabels, `${path}.matchLabels`);
  const exprs = Array.isArray(ps.matchExpressions) ? ps.matchExpressions : [];
  exprs.forEach((sr, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = Array.isArray(sr?.values) ? sr.values : [];
    switch (sr?.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(`${p}.operator`, sr?.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(sr?.key ?? '', `${p}.key`));
    values.forEach((v, vi) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalid(`${p}.values[${vi}]`, v, msg));
    });
  });
  return errs;
}
