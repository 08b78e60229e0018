import type { WordVectors } from '../../src/retrieve/soft-match.js';

/**
 * A tiny word-vector table for soft-match tests: each word has a unit vector and a weight, chosen so that
 * similarities are easy to compute by hand.
 */
export function fakeWords(table: Record<string, { vector: number[]; weight?: number }>): WordVectors {
  const words = Object.keys(table);
  const vectors = words.map((w) => {
    const v = table[w]!.vector;
    const n = Math.hypot(...v) || 1;
    return Float32Array.from(v.map((x) => x / n));
  });
  return {
    ranks(text) {
      const seen = new Set<number>();
      for (const token of text.toLowerCase().match(/[a-z]+/g) ?? []) {
        const r = words.indexOf(token);
        if (r >= 0) seen.add(r);
      }
      return [...seen];
    },
    vector: (rank) => vectors[rank]!,
    weight: (rank) => table[words[rank]!]!.weight ?? 1,
  };
}
