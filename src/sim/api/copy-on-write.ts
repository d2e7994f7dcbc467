// Copy-on-write helpers for defaulting: an object or array is copied only
// when something in it changes, so unchanged sub-objects stay shared.

/** obj itself when changes is empty, else a shallow copy with the changes applied. */
export function withChanges<T extends object>(obj: T, changes: Partial<T>): T {
  for (const _ in changes) return { ...obj, ...changes };
  return obj;
}

/** arr itself when fn returns every element unchanged, else a new array. */
export function mapShared<T>(arr: readonly T[] | undefined, fn: (item: T) => T): T[] | undefined {
  if (!Array.isArray(arr)) return arr as T[] | undefined;
  let out: T[] | undefined;
  for (let i = 0; i < arr.length; i++) {
    const next = fn(arr[i]);
    if (next !== arr[i]) (out ??= arr.slice())[i] = next;
  }
  return out ?? (arr as T[]);
}

/** A present, non-array object; narrows without widening the type. */
export function isObject<T>(v: T): v is NonNullable<T> & object {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
