import type { Rng } from './rng';

// Identifiers drawn from the seed, so a replay names everything the same.

const HEX = '0123456789abcdef';
// k8s.io/apimachinery/pkg/util/rand: vowels and look-alike digits are left
// out so generated names never spell words.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class IdSource {
  constructor(private readonly rng: Rng) {}

  /**
   * An RFC 4122 version-4 UUID, as metadata.uid holds. Built as one flat
   * string: appending 36 characters one by one would leave a tree of
   * concatenations in every stored object's uid (~250 bytes, not 48).
   */
  uid(): string {
    const c = new Array<string>(36);
    let at = 0;
    for (let i = 0; i < 4; i++) {
      let w = this.rng.nextUint32();
      for (let j = 0; j < 8; j++) {
        if (at === 8 || at === 13 || at === 18 || at === 23) c[at++] = '-';
        c[at++] = HEX[w & 15];
        w >>>= 4;
      }
    }
    // The version nibble is 4 and the variant's top bits are 10, over the digits drawn there.
    c[14] = '4';
    c[19] = HEX[8 + (parseInt(c[19], 16) & 3)];
    return c.join('');
  }

  /** The suffix the apiserver appends to metadata.generateName: five characters. */
  nameSuffix(length = 5): string {
    let s = '';
    for (let i = 0; i < length; i++) s += NAME_ALPHABET[this.rng.int(NAME_ALPHABET.length)];
    return s;
  }
}
