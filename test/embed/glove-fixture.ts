import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GLOVE_CACHE_FORMAT, prepareGloveCache } from '../../src/embed/glove-cache.js';
import { gloveSourceVersion } from '../../src/embed/glove-source.js';

/**
 * A GloVe cache prepared once per machine for all test runs: a fixed directory under the OS temp dir keyed by
 * package and cache format version. Preparing from the real 300 MB JSON takes seconds, so test files share it;
 * concurrent test processes are safe because preparation renames its file into place atomically.
 */
export async function sharedGloveCacheDir(): Promise<string> {
  const dir = join(tmpdir(), `engram-test-glove-${gloveSourceVersion()}-v${GLOVE_CACHE_FORMAT}`);
  await prepareGloveCache({ cacheDir: dir });
  return dir;
}
