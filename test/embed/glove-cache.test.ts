import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EngramError } from '../../src/core/errors.js';
import { createGloveEmbedder, gloveEmbedderFromCache } from '../../src/embed/glove.js';
import {
  decodeGloveCache,
  encodeGloveCache,
  GLOVE_CACHE_FILE,
  gloveCachePath,
  loadGloveCache,
  prepareGloveCache,
  SIF_A,
  sifWeightsByRank,
} from '../../src/embed/glove-cache.js';
import { type GloveSource, parseGloveJson } from '../../src/embed/glove-source.js';
import { gloveTokenRanks, gloveWords } from '../../src/embed/glove-tokens.js';
import { buildVocabularyArrays, GloveVocabulary } from '../../src/embed/glove-vocab.js';

const tempDirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'engram-glove-'));
  tempDirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A vocabulary small enough to check by hand, in frequency order like the real one. */
const WORDS = ['the', 'of', 'dog', 'cat', 'puppy', 'well-known', 'do', 'not', 'can', 'spreadsheet', 'café'];
const DIMS = 4;

function syntheticSource(): GloveSource {
  const vectors = new Float32Array(WORDS.length * DIMS);
  for (let r = 0; r < WORDS.length; r++) {
    for (let d = 0; d < DIMS; d++) vectors[r * DIMS + d] = Math.sin(r * 7.1 + d * 1.3) * (1 + r / 10);
  }
  return { dims: DIMS, words: WORDS, vectors, packageVersion: 'test' };
}

/** The package's JSON shape, as `JSON.stringify` writes it (plus the spacing variations a file may have). */
function winkJson(words: string[], vectors: number[][], spaced = false): string {
  const entries = Object.fromEntries(
    words.map((w, i) => [w, [...vectors[i], Math.hypot(...vectors[i]), i]] as [string, number[]]),
  );
  const value = {
    precision: 8,
    l2NormIndex: vectors[0].length,
    wordIndex: vectors[0].length + 1,
    size: words.length,
    dimensions: vectors[0].length,
    words,
    vectors: entries,
    unkVector: [...vectors[0].map(() => 0), -1],
  };
  return spaced ? JSON.stringify(value, null, 2) : JSON.stringify(value);
}

describe('parseGloveJson', () => {
  const words = ['the', ',', 'say "hi"', 'back\\slash', 'naïve', '“quoted”'];
  const vectors = [
    [0.1, -0.25, 3],
    [1e-7, -2.5e10, 0],
    [0.123456789012345, -0.987654321098765, 1.5e-3],
    [-0, 42, -17.25],
    [7, 8, 9],
    [0.30816999077796936, 1e-300, 123456789.123],
  ];

  for (const spaced of [false, true]) {
    it(`reads words and vectors exactly as JSON.parse does${spaced ? ' (indented file)' : ''}`, () => {
      const text = winkJson(words, vectors, spaced);
      const parsed = parseGloveJson(Buffer.from(text));
      assert.deepEqual(parsed.words, words);
      assert.equal(parsed.dims, 3);
      const reference = JSON.parse(text) as { vectors: Record<string, number[]> };
      for (const [r, word] of words.entries()) {
        for (let d = 0; d < 3; d++) {
          assert.equal(parsed.vectors[r * 3 + d], Math.fround(reference.vectors[word][d]), `${word}[${d}]`);
        }
      }
    });
  }

  it('rejects a vector whose stored index does not match its word', () => {
    const text = winkJson(
      ['a', 'b'],
      [
        [1, 2],
        [3, 4],
      ],
    ).replace('"b":[3,4,5,1]', '"b":[3,4,5,0]');
    assert.throws(
      () => parseGloveJson(Buffer.from(text)),
      (e: unknown) =>
        e instanceof EngramError && e.code === 'MODEL_NOT_FOUND' && /inconsistent index/.test(e.message),
    );
  });

  it('rejects a word without a vector and a truncated file', () => {
    const text = winkJson(
      ['a', 'b'],
      [
        [1, 2],
        [3, 4],
      ],
    );
    const missing = text.replace(',"b":[3,4,5,1]', '');
    assert.throws(() => parseGloveJson(Buffer.from(missing)), /no vector for word "b"/);
    assert.throws(() => parseGloveJson(Buffer.from(text.slice(0, text.length / 2))), EngramError);
  });
});

describe('GloveVocabulary', () => {
  it('finds every word at its rank and nothing else', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`).concat(['naïve', '“', '']);
    const vocabulary = new GloveVocabulary(buildVocabularyArrays(words));
    assert.equal(vocabulary.size, words.length);
    for (const [r, word] of words.entries()) {
      assert.equal(vocabulary.rank(word), r);
      assert.equal(vocabulary.word(r), word);
    }
    for (const absent of ['w', 'w0x', 'W1', 'naive', 'zzzzzz']) assert.equal(vocabulary.rank(absent), -1);
  });

  it('keeps the first (most frequent) rank of a duplicated word', () => {
    const vocabulary = new GloveVocabulary(buildVocabularyArrays(['a', 'b', 'a']));
    assert.equal(vocabulary.rank('a'), 0);
  });
});

describe('gloveTokenRanks', () => {
  const vocabulary = new GloveVocabulary(buildVocabularyArrays(WORDS));
  const tokens = (text: string): string[] => gloveTokenRanks(text, vocabulary).map((r) => vocabulary.word(r));

  it('lower-cases, folds accents and keeps numbers as (out-of-vocabulary) words', () => {
    assert.deepEqual(gloveWords('The DOG, 42 cafés!'), ['the', 'dog', '42', 'cafes']);
    assert.deepEqual(tokens('The DOG and the Cat'), ['the', 'dog', 'the', 'cat']);
    assert.deepEqual(tokens('Café'), []);
  });

  it('expands contractions the way GloVe was tokenised and drops the possessive', () => {
    assert.deepEqual(tokens("Don't"), ['do', 'not']);
    assert.deepEqual(tokens('can’t'), ['can', 'not']);
    assert.deepEqual(tokens("the dog's puppy"), ['the', 'dog', 'puppy']);
  });

  it('keeps known hyphenated compounds and splits unknown ones', () => {
    assert.deepEqual(tokens('a well-known dog-cat'), ['well-known', 'dog', 'cat']);
  });
});

describe('GloVe cache file', () => {
  it('encodes deterministically and decodes to the same vocabulary and (quantised) vectors', () => {
    const source = syntheticSource();
    const bytes = encodeGloveCache(source);
    assert.deepEqual(encodeGloveCache(syntheticSource()), bytes);
    const cache = decodeGloveCache(bytes);
    assert.equal(cache.dims, DIMS);
    assert.equal(cache.header.size, WORDS.length);
    assert.equal(cache.header.sourceVersion, 'test');
    for (const [r, word] of WORDS.entries()) {
      assert.equal(cache.vocab.rank(word), r);
      for (let d = 0; d < DIMS; d++) {
        const restored = cache.matrix[r * DIMS + d] * cache.scales[r];
        assert.ok(Math.abs(restored - source.vectors[r * DIMS + d]) <= cache.scales[r] / 2 + 1e-7);
      }
    }
    const componentNorm = Math.hypot(...cache.commonComponent);
    assert.ok(Math.abs(componentNorm - 1) < 1e-5);
  });

  it('weights words by a / (a + p) with Zipf probabilities from the rank', () => {
    const size = 1000;
    const weights = sifWeightsByRank(size);
    let harmonic = 0;
    for (let k = 1; k <= size; k++) harmonic += 1 / k;
    for (const r of [0, 1, 10, 999]) {
      const p = 1 / ((r + 1) * harmonic);
      assert.ok(Math.abs(weights[r] - SIF_A / (SIF_A + p)) < 1e-6);
    }
    for (let r = 1; r < size; r++) assert.ok(weights[r] > weights[r - 1], 'rarer words weigh more');
  });

  it('embeds as the hand-computed SIF average minus the common component, normalised', async () => {
    const cache = decodeGloveCache(encodeGloveCache(syntheticSource()));
    const text = 'The dog and the puppy';
    const expected = new Float64Array(DIMS);
    for (const word of ['the', 'dog', 'the', 'puppy']) {
      const r = WORDS.indexOf(word);
      for (let d = 0; d < DIMS; d++) {
        expected[d] += (cache.sifWeights[r] * cache.matrix[r * DIMS + d] * cache.scales[r]) / 4;
      }
    }
    const u = cache.commonComponent;
    const projection = expected.reduce((sum, x, d) => sum + x * u[d], 0);
    for (let d = 0; d < DIMS; d++) expected[d] -= projection * u[d];
    const length = Math.hypot(...expected);

    const [actual] = await gloveEmbedderFromCache(cache).embed([text]);
    for (let d = 0; d < DIMS; d++) assert.ok(Math.abs(actual[d] - expected[d] / length) < 1e-6, `dim ${d}`);
    assert.ok(
      Math.abs(actual.reduce((sum, x, d) => sum + x * u[d], 0)) < 1e-6,
      'orthogonal to the component',
    );

    const [kept] = await gloveEmbedderFromCache(cache, { removeCommonComponent: false }).embed([text]);
    assert.ok(Math.abs(kept.reduce((sum, x, d) => sum + x * u[d], 0)) > 1e-3, 'component kept when asked');
  });

  it('prepares once, then reuses the valid file', async () => {
    const cacheDir = tempDir();
    const first = await prepareGloveCache({ cacheDir, source: syntheticSource });
    assert.equal(first.written, true);
    assert.equal(first.path, join(cacheDir, GLOVE_CACHE_FILE));
    const second = await prepareGloveCache({
      cacheDir,
      source: () => assert.fail('a valid cache must not be rebuilt'),
    });
    assert.equal(second.written, false);
    assert.equal(second.bytes, first.bytes);
    const forced = await prepareGloveCache({ cacheDir, source: syntheticSource, force: true });
    assert.equal(forced.written, true);
    assert.deepEqual(readdirSync(cacheDir), [GLOVE_CACHE_FILE]);
  });

  it('reports a damaged cache with what to do, and rebuilds it on prepare', async () => {
    const cacheDir = tempDir();
    const { path } = await prepareGloveCache({ cacheDir, source: syntheticSource });
    truncateSync(path, 100);
    assert.throws(
      () => loadGloveCache({ cacheDir }),
      (e: unknown) =>
        e instanceof EngramError && e.code === 'MODEL_NOT_FOUND' && /engram prepare/.test(e.message),
    );
    writeFileSync(path, 'not a cache at all');
    assert.throws(() => loadGloveCache({ cacheDir }), /not an Engram GloVe cache/);
    assert.equal((await prepareGloveCache({ cacheDir, source: syntheticSource })).written, true);
    assert.equal(loadGloveCache({ cacheDir })?.vocab.rank('dog'), 2);
  });

  it('returns null for a missing cache, and createGloveEmbedder without autoPrepare says to run prepare', async () => {
    const cacheDir = tempDir();
    assert.equal(loadGloveCache({ cacheDir }), null);
    await assert.rejects(
      createGloveEmbedder({ cacheDir, autoPrepare: false }),
      (e: unknown) =>
        e instanceof EngramError &&
        e.code === 'MODEL_NOT_FOUND' &&
        e.message.includes(gloveCachePath({ cacheDir })) &&
        e.message.includes('engram prepare'),
    );
  });

  it('survives several processes preparing the same cache at once', async () => {
    const cacheDir = tempDir();
    const cacheModule = fileURLToPath(new URL('../../src/embed/glove-cache.ts', import.meta.url));
    const script = `
      const { prepareGloveCache } = await import(${JSON.stringify(cacheModule)});
      const words = Array.from({ length: 20000 }, (_, i) => 'w' + i);
      const vectors = Float32Array.from({ length: words.length * 50 }, (_, i) => Math.sin(i));
      const result = await prepareGloveCache({ cacheDir: ${JSON.stringify(cacheDir)}, force: true,
        source: () => ({ dims: 50, words, vectors, packageVersion: 'race' }) });
      console.log(JSON.stringify(result));
    `;
    const runs = Array.from(
      { length: 3 },
      () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let out = '';
          child.stdout.on('data', (chunk) => {
            out += chunk;
          });
          child.on('error', reject);
          child.on('exit', (code) =>
            code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}`)),
          );
        }),
    );
    const outputs = await Promise.all(runs);
    for (const out of outputs) assert.equal(JSON.parse(out).written, true);
    assert.deepEqual(readdirSync(cacheDir), [GLOVE_CACHE_FILE], 'no temporary files left behind');
    const cache = decodeGloveCache(readFileSync(join(cacheDir, GLOVE_CACHE_FILE)));
    assert.equal(cache.vocab.rank('w19999'), 19999);
    assert.equal(cache.dims, 50);
  });
});
