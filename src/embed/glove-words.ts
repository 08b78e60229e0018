import type { WordVectors } from '../retrieve/soft-match.js';
import type { GloveCache } from './glove-cache.js';
import { gloveTokenRanks } from './glove-tokens.js';

/** Word-level access to the GloVe cache (dequantised and normalised lazily, then kept). */
export function gloveWordVectors(cache: GloveCache): WordVectors {
  const { dims, matrix, scales, sifWeights, vocab } = cache;
  const vectors = new Map<number, Float32Array>();
  let rowNorms: Float32Array | null = null;
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
    neighbours: {
      above(unit, vocabulary, min) {
        const n = Math.min(vocabulary, vocab.size);
        // Cosine over the int8 rows directly (the scale cancels): no per-word vector is built.
        if (!rowNorms || rowNorms.length < n) rowNorms = int8RowNorms(matrix, dims, n);
        const norms = rowNorms;
        const out: { rank: number; similarity: number }[] = [];
        for (let r = 0; r < n; r++) {
          const base = r * dims;
          let dot = 0;
          for (let d = 0; d < dims; d++) dot += unit[d]! * matrix[base + d]!;
          const similarity = norms[r]! > 0 ? (dot / norms[r]!) * Math.sign(scales[r]!) : 0;
          if (similarity >= min) out.push({ rank: r, similarity });
        }
        return out;
      },
      word: (rank) => vocab.word(rank),
    },
  };
}

function int8RowNorms(matrix: Int8Array, dims: number, rows: number): Float32Array {
  const norms = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let d = 0; d < dims; d++) sum += matrix[r * dims + d]! * matrix[r * dims + d]!;
    norms[r] = Math.sqrt(sum);
  }
  return norms;
}
