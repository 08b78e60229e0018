import { type Stats, statSync } from 'node:fs';
import { EngramError, ErrorCodes } from '../core/errors.js';
import {
  GLOVE_EMBEDDER_ID,
  GLOVE_NOPC_EMBEDDER_ID,
  type GloveCache,
  gloveCachePath,
  loadGloveCache,
  prepareGloveCache,
} from './glove-cache.js';
import { gloveTokenRanks } from './glove-tokens.js';
import type { Embedder } from './types.js';
import { normalizeInPlace } from './vector.js';

export { GLOVE_EMBEDDER_ID, GLOVE_NOPC_EMBEDDER_ID, prepareGloveCache } from './glove-cache.js';

export interface GloveEmbedderOptions {
  /**
   * Directory of the binary cache. Default: `$ENGRAM_CACHE_DIR`, else `$XDG_CACHE_HOME/engram`, else
   * `~/.cache/engram`.
   */
  cacheDir?: string;
  /**
   * Build the cache from the wink package when it is missing (a few seconds, once). Default true; with false a
   * missing cache is a MODEL_NOT_FOUND error telling the user to run `engram prepare`.
   */
  autoPrepare?: boolean;
  /**
   * Remove the common component (SIF's second step). Default true. Measured on LoCoMo turns (docs/embedders.md)
   * the fixed component helps less than the textbook suggests, so it can be switched off; the id then changes
   * to `glove-sif-nopc-100d@1`, because the vectors differ.
   */
  removeCommonComponent?: boolean;
}

/**
 * The default embedder: SIF (smooth inverse frequency, Arora et al. 2017) over GloVe 100d word vectors.
 * A text's vector is the average of its in-vocabulary words' vectors weighted by a / (a + p(word)), minus its
 * projection on the common component, L2-normalised.
 *
 * A text without a single in-vocabulary word (empty, numbers only, another script) gets the all-zeros vector,
 * never NaN: its cosine with every vector is 0, so it simply never matches by meaning.
 */
export async function createGloveEmbedder(options: GloveEmbedderOptions = {}): Promise<Embedder> {
  let cache = loadSharedGloveCache(options);
  if (!cache) {
    if (options.autoPrepare === false) {
      throw new EngramError(
        ErrorCodes.MODEL_NOT_FOUND,
        `The GloVe cache ${gloveCachePath(options)} does not exist yet; run \`engram prepare\` once to build it.`,
      );
    }
    await prepareGloveCache(options);
    cache = loadSharedGloveCache(options);
    if (!cache)
      throw new EngramError(ErrorCodes.INTERNAL, `The GloVe cache ${gloveCachePath(options)} vanished.`);
  }
  return gloveEmbedderFromCache(cache, options);
}

/**
 * Embedders of one process share the loaded cache (47 MB) as long as its file is unchanged: an engine opening
 * several stores, or a test suite, reads it once. Other users of the word vectors (soft term matching) should
 * take the cache from here too rather than read the file again.
 */
const loaded = new Map<string, { mtimeMs: number; size: number; cache: GloveCache }>();

/** The process-wide loaded cache of `options.cacheDir` (or the default dir), or null when it is not prepared. */
export function loadSharedGloveCache(
  options: Pick<GloveEmbedderOptions, 'cacheDir'> = {},
): GloveCache | null {
  const path = gloveCachePath(options);
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch {
    loaded.delete(path);
    return null;
  }
  const known = loaded.get(path);
  if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.cache;
  const cache = loadGloveCache(options);
  if (cache) loaded.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, cache });
  return cache;
}

/** Builds the embedder over an already loaded cache (tests use small synthetic caches). */
export function gloveEmbedderFromCache(
  cache: GloveCache,
  options: Pick<GloveEmbedderOptions, 'removeCommonComponent'> = {},
): Embedder {
  const { dims, vocab, scales, sifWeights, matrix } = cache;
  const removeComponent = options.removeCommonComponent !== false;
  const commonComponent = removeComponent ? cache.commonComponent : new Float32Array(dims);
  const ranks: number[] = [];

  const embedOne = (text: string): Float32Array => {
    ranks.length = 0;
    gloveTokenRanks(text, vocab, ranks);
    const sum = new Float64Array(dims);
    for (const rank of ranks) {
      const factor = sifWeights[rank] * scales[rank];
      const row = rank * dims;
      for (let d = 0; d < dims; d++) sum[d] += factor * matrix[row + d];
    }
    // The average's 1/n factor cancels in the normalisation, so it is skipped.
    let projection = 0;
    for (let d = 0; d < dims; d++) projection += sum[d] * commonComponent[d];
    for (let d = 0; d < dims; d++) sum[d] -= projection * commonComponent[d];
    return Float32Array.from(normalizeInPlace(sum));
  };

  return {
    id: removeComponent ? GLOVE_EMBEDDER_ID : GLOVE_NOPC_EMBEDDER_ID,
    dimensions: dims,
    async embed(texts: string[]): Promise<Float32Array[]> {
      return texts.map(embedOne);
    },
  };
}
