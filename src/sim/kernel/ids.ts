import type { Rng } from './rng';

// Identifiers drawn from the seed, so a replay names everything the same.

const HEX_CODES = Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0));
const hexValue = (code: number) => (code <= 57 ? code - 48 : code - 87);
/** One uid's character codes, reused by every draw: the dashes never move. */
const UID_CODES: number[] = new Array<number>(36).fill(45);
// k8s.io/apimachinery/pkg/util/rand: vowels and look-alike digits are left
// out so generated names never spell words.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class IdSource {
  constructor(private readonly rng: Rng) {}

  /**
   * An RFC 4122 version-4 UUID, as metadata.uid holds. Built from character
   * codes in one flat string: appending 36 characters one by one would leave
   * a tree of concatenations in every stored object's uid (~250 bytes, not 48).
   */
  uid(): string {
    const c = UID_CODES;
    let at = 0;
    for (let i = 0; i < 4; i++) {
      let w = this.rng.nextUint32();
      for (let j = 0; j < 8; j++) {
        if (at === 8 || at === 13 || at === 18 || at === 23) at++; // the dashes stay
        c[at++] = HEX_CODES[w & 15];
        w >>>= 4;
      }
    }
    // The version nibble is 4, and the variant's top bits are 10 over the digit drawn there.
    c[14] = HEX_CODES[4];
    c[19] = HEX_CODES[8 + (hexValue(c[19]) & 3)];
    return String.fromCharCode.apply(null, c);
  }

  /** The suffix the apiserver appends to metadata.generateName: five characters. */
  nameSuffix(length = 5): string {
    let s = '';
    for (let i = 0; i < length; i++) s += NAME_ALPHABET[this.rng.int(NAME_ALPHABET.length)];
    return s;
  }
}
