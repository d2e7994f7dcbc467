// The pod-template-hash, after upstream pkg/controller/controller_utils.go
// ComputeHash: FNV-32a over the pod template, then the collision count
// (uint32, little-endian, in 8 bytes) when the Deployment has one, and the
// decimal hash rendered with SafeEncodeString (k8s.io/apimachinery util/rand).
// Upstream hashes Go's deep object dump (hashutil.DeepHashObject), which we can
// not reproduce byte for byte; we hash the template's canonical JSON (keys
// sorted), which is as stable and changes exactly when the template does.

/** rand.SafeEncodeString's alphabet: no vowels, no look-alike digits. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over bytes. */
export function fnv32a(bytes: Iterable<number>, seed = FNV_OFFSET): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
  return h >>> 0;
}

/** The UTF-8 bytes of a string. */
export function* utf8(s: string): Generator<number> {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) yield c;
    else if (c < 0x800) {
      yield 0xc0 | (c >> 6);
      yield 0x80 | (c & 63);
    } else if (c < 0x10000) {
      yield 0xe0 | (c >> 12);
      yield 0x80 | ((c >> 6) & 63);
      yield 0x80 | (c & 63);
    } else {
      yield 0xf0 | (c >> 18);
      yield 0x80 | ((c >> 12) & 63);
      yield 0x80 | ((c >> 6) & 63);
      yield 0x80 | (c & 63);
    }
  }
}

/** JSON with object keys sorted at every level and undefined members left out. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** rand.SafeEncodeString: each byte of s mapped into the safe alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** ComputeHash: the pod-template-hash of a template, salted by the Deployment's collisionCount. */
export function computeHash(template: unknown, collisionCount?: number | null): string {
  let h = fnv32a(utf8(canonicalJson(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const c = collisionCount >>> 0;
    h = fnv32a([c & 255, (c >>> 8) & 255, (c >>> 16) & 255, (c >>> 24) & 255, 0, 0, 0, 0], h);
  }
  return safeEncodeString(String(h));
}
