/**
 * A read-only word → rank table that lives in three typed arrays, so it can be stored in the GloVe cache file
 * and used straight from the bytes read: no per-word JavaScript strings or Map entries at load time.
 * Open addressing with linear probing over FNV-1a hashes of UTF-16 code units; the table is at most half full.
 */
export interface VocabularyArrays {
  /** Word r is `chars[offsets[r] .. offsets[r + 1])`. */
  offsets: Uint32Array;
  chars: Uint16Array;
  /** Ranks by hash slot; -1 marks an empty slot. Length is a power of two. */
  table: Int32Array;
}

const EMPTY = -1;

/** FNV-1a, 32 bits, over UTF-16 code units. */
function hashString(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    h ^= word.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function buildVocabularyArrays(words: readonly string[]): VocabularyArrays {
  const offsets = new Uint32Array(words.length + 1);
  let total = 0;
  for (let r = 0; r < words.length; r++) {
    offsets[r] = total;
    total += words[r].length;
  }
  offsets[words.length] = total;
  const chars = new Uint16Array(total);
  for (let r = 0; r < words.length; r++) {
    const word = words[r];
    for (let i = 0; i < word.length; i++) chars[offsets[r] + i] = word.charCodeAt(i);
  }
  let slots = 1;
  while (slots < words.length * 2) slots *= 2;
  const table = new Int32Array(slots).fill(EMPTY);
  const vocabulary = new GloveVocabulary({ offsets, chars, table });
  for (let r = 0; r < words.length; r++) {
    // A duplicate keeps its first (most frequent) rank, as a Map built in rank order would.
    if (vocabulary.rank(words[r]) !== EMPTY) continue;
    let slot = hashString(words[r]) & (slots - 1);
    while (table[slot] !== EMPTY) slot = (slot + 1) & (slots - 1);
    table[slot] = r;
  }
  return { offsets, chars, table };
}

export class GloveVocabulary {
  readonly size: number;
  private readonly offsets: Uint32Array;
  private readonly chars: Uint16Array;
  private readonly table: Int32Array;
  private readonly mask: number;

  constructor(arrays: VocabularyArrays) {
    this.offsets = arrays.offsets;
    this.chars = arrays.chars;
    this.table = arrays.table;
    this.size = arrays.offsets.length - 1;
    this.mask = arrays.table.length - 1;
  }

  /** The rank of `word`, or -1 when it is not in the vocabulary. */
  rank(word: string): number {
    const { offsets, chars, table, mask } = this;
    let slot = hashString(word) & mask;
    for (;;) {
      const r = table[slot];
      if (r === EMPTY) return EMPTY;
      const start = offsets[r];
      if (offsets[r + 1] - start === word.length) {
        let i = 0;
        while (i < word.length && chars[start + i] === word.charCodeAt(i)) i++;
        if (i === word.length) return r;
      }
      slot = (slot + 1) & mask;
    }
  }

  has(word: string): boolean {
    return this.rank(word) !== EMPTY;
  }

  /** First UTF-16 code unit of word `rank`, without building the string (for scans of the vocabulary). */
  firstCode(rank: number): number {
    return this.chars[this.offsets[rank]];
  }

  word(rank: number): string {
    return String.fromCharCode(...this.chars.subarray(this.offsets[rank], this.offsets[rank + 1]));
  }
}
