// The message builders of k8s.io/apimachinery/pkg/util/validation, word for word,
// so the errors read exactly as a real apiserver prints them.

export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) out += ' or ';
    out += `'${ex}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

export const maxLenError = (length: number): string => `must be no more than ${length} characters`;
export const EMPTY_ERROR = 'must be non-empty';
export const inclusiveRangeError = (lo: number, hi: number): string => `must be between ${lo} and ${hi}, inclusive`;

export const IS_NEGATIVE_ERROR = 'must be greater than or equal to 0';
export const IS_NOT_INTEGER_ERROR = 'must be an integer';
export const IS_NOT_POSITIVE_ERROR = 'must be greater than zero';
export const FIELD_IMMUTABLE = 'field is immutable';

/** Length in UTF-8 bytes, which is what Go's len() measures. */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
