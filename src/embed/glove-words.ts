import type { WordVectors } from '../retrieve/soft-match.js';
import type { GloveCache } from './glove-cache.js';
import { gloveTokenRanks } from './glove-tokens.js';

/** Word-level access to the GloVe cache (dequantised and normalised lazily, then kept). */
export function gloveWordVectors(cache: GloveCache): WordVectors {
  const { dims, matrix, scales, sifWeights, vocab } = cache;
  const vectors = new Map<number, Float32Array>();
  return {
    ranks(text) {
      return [...new Set(gloveTokenRanks(text, vocab))];
    },
    vector(rank) {
      let v = vectors.get(rank);
      if (!v) {
        v = new Float32Array(dims);
        let n = 0;
        for (let d = 0; d < dims; d++) {
          v[d] = matrix[rank * dims + d]! * scales[rank]!;
          n += v[d]! * v[d]!;
        }
        n = Math.sqrt(n) || 1;
        for (let d = 0; d < dims; d++) v[d]! /= n;
        vectors.set(rank, v);
      }
      return v;
    },
    weight(rank) {
      return sifWeights[rank]!;
    },
    dictionary: vocab,
  };
}
