// Field errors as k8s.io/apimachinery/pkg/util/validation/field prints them:
// "spec.replicas: Invalid value: -1: must be greater than or equal to 0".

export type FieldErrorType = 'Required' | 'Invalid' | 'NotSupported' | 'Duplicate' | 'Forbidden' | 'TooLong' | 'TooMany';

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with indices, as upstream: "spec.template.spec.containers[0].image". */
  field: string;
  value?: unknown;
  detail?: string;
  /** For NotSupported: the values that are. */
  supported?: string[];
}

export const required = (field: string, detail?: string): FieldError => ({ type: 'Required', field, detail });
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'Invalid', field, value, detail });
export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'NotSupported',
  field,
  value,
  supported,
});
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'Duplicate', field, value });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'Forbidden', field, detail });
export const tooLong = (field: string, value: unknown, max: number): FieldError => ({
  type: 'TooLong',
  field,
  value,
  detail: `may not be more than ${max} bytes`,
});

export const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: 'TooMany',
  field,
  value: actual,
  detail: `${actual}: must have at most ${max} ${max === 1 ? 'item' : 'items'}`,
});

/**
 * A value already rendered the way Go's %#v prints it (structs such as
 * `v1.LabelSelector{...}`), which formatValue shows verbatim.
 */
export class GoLiteral {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}
export const goLiteral = (text: string): GoLiteral => new GoLiteral(text);

/** Go's %#v-ish rendering that upstream uses for the value: strings quoted, numbers bare. */
export function formatValue(v: unknown): string {
  if (v instanceof GoLiteral) return v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[]string{${v.map(formatValue).join(', ')}}`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${formatValue(x)}`).join(', ')}}`;
  }
  return String(v);
}

export function formatFieldError(e: FieldError): string {
  switch (e.type) {
    case 'Required':
      return `${e.field}: Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'Invalid':
      return `${e.field}: Invalid value: ${formatValue(e.value)}: ${e.detail ?? ''}`;
    case 'NotSupported':
      return `${e.field}: Unsupported value: ${formatValue(e.value)}: supported values: ${(e.supported ?? []).map((s) => JSON.stringify(s)).join(', ')}`;
    case 'Duplicate':
      // Upstream appends a detail to any error type that has one (e.g. duplicate taints).
      return `${e.field}: Duplicate value: ${formatValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'Forbidden':
      return `${e.field}: Forbidden: ${e.detail ?? ''}`;
    case 'TooLong':
      return `${e.field}: Too long: ${e.detail ?? ''}`;
    case 'TooMany':
      return `${e.field}: Too many: ${e.detail ?? ''}`;
  }
}

/**
 * The message of a 422 Invalid status: `Deployment.apps "web" is invalid: spec.replicas: ...`,
 * with several errors in brackets as upstream's aggregate prints them.
 */
export function invalidMessage(qualifiedKind: string, name: string, errors: FieldError[]): string {
  const parts = errors.map(formatFieldError);
  const body = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return `${qualifiedKind} ${JSON.stringify(name)} is invalid: ${body}`;
}
