import type { Rng } from './rng';

// Identifiers drawn from the seed, so a replay names everything the same.

const HEX = '0123456789abcdef';
// k8s.io/apimachinery/pkg/util/rand: vowels and look-alike digits are left
// out so generated names never spell words.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class IdSource {
  constructor(private readonly rng: Rng) {}

  /** An RFC 4122 version-4 UUID, as metadata.uid holds. */
  uid(): string {
    let s = '';
    for (let i = 0; i < 4; i++) {
      let w = this.rng.nextUint32();
      for (let j = 0; j < 8; j++) {
        s += HEX[w & 15];
        w >>>= 4;
      }
    }
    const variant = HEX[8 + (parseInt(s[16], 16) & 3)];
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
  }

  /** The suffix the apiserver appends to metadata.generateName: five characters. */
  nameSuffix(length = 5): string {
    let s = '';
    for (let i = 0; i < length; i++) s += NAME_ALPHABET[this.rng.int(NAME_ALPHABET.length)];
    return s;
  }
}
