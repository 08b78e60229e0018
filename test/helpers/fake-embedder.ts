import type { Embedder } from '../../src/embed/types.js';

/**
 * A deterministic bag-of-words embedder over a fixed vocabulary: texts sharing words are close. Enough to
 * test the engine's vector path without a model.
 */
export function fakeEmbedder(
  id = 'fake-bow@1',
  vocabulary = ['dog', 'cat', 'pet', 'car', 'drive', 'city', 'live', 'food'],
): Embedder {
  const synonyms: Record<string, string> = {
    puppy: 'dog',
    kitten: 'cat',
    vehicle: 'car',
    reside: 'live',
    lives: 'live',
  };
  return {
    id,
    dimensions: vocabulary.length,
    async embed(texts) {
      return texts.map((t) => {
        const v = new Float32Array(vocabulary.length);
        for (const raw of t.toLowerCase().match(/[a-z]+/g) ?? []) {
          const w = synonyms[raw] ?? raw;
          const i = vocabulary.indexOf(w);
          if (i >= 0) v[i]! += 1;
        }
        const n = Math.hypot(...v);
        if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
        return v;
      });
    },
  };
}
