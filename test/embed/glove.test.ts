import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGloveEmbedder, GLOVE_EMBEDDER_ID, GLOVE_NOPC_EMBEDDER_ID } from '../../src/embed/glove.js';
import { embedderConformance } from './conformance.js';
import { sharedGloveCacheDir } from './glove-fixture.js';

const cos = (a: Float32Array, b: Float32Array): number => a.reduce((sum, x, i) => sum + x * b[i], 0);

embedderConformance('glove', async () => createGloveEmbedder({ cacheDir: await sharedGloveCacheDir() }), {
  zeroTexts: ['', '   ', '12345 678', '!!! ???', '日本語のテキスト', 'a i'],
  semanticTriples: [
    ['dog', 'puppy', 'spreadsheet'],
    ['I visited adoption agencies to learn how to adopt', 'adopting a child', 'car repair'],
    ['She went hiking in the mountains', 'a long walk on a trail up the hill', 'the quarterly tax report'],
  ],
});

embedderConformance(
  'glove without common-component removal',
  async () => createGloveEmbedder({ cacheDir: await sharedGloveCacheDir(), removeCommonComponent: false }),
  { zeroTexts: ['', '2023'] },
);

describe('glove embedder on the real vectors', () => {
  it('is identified by model and preprocessing', async () => {
    const cacheDir = await sharedGloveCacheDir();
    const embedder = await createGloveEmbedder({ cacheDir });
    assert.equal(embedder.id, GLOVE_EMBEDDER_ID);
    assert.equal(embedder.id, 'glove-sif-100d@1');
    assert.equal(embedder.dimensions, 100);
    const plain = await createGloveEmbedder({ cacheDir, removeCommonComponent: false });
    assert.equal(plain.id, GLOVE_NOPC_EMBEDDER_ID);
    assert.notEqual(plain.id, embedder.id);
  });

  it('puts dog nearer puppy than spreadsheet, and adoption agencies nearer adopting a child than car repair', async () => {
    const embedder = await createGloveEmbedder({ cacheDir: await sharedGloveCacheDir() });
    const [dog, puppy, spreadsheet] = await embedder.embed(['dog', 'puppy', 'spreadsheet']);
    assert.ok(cos(dog, puppy) > 0.5, `cos(dog, puppy) = ${cos(dog, puppy)}`);
    assert.ok(cos(dog, puppy) > cos(dog, spreadsheet) + 0.3);
    const [agencies, child, car] = await embedder.embed([
      'Last week I called a few adoption agencies about starting a family',
      'adopting a child',
      'car repair',
    ]);
    assert.ok(cos(agencies, child) > cos(agencies, car), `${cos(agencies, child)} vs ${cos(agencies, car)}`);
  });

  it('ignores case, accents, curly apostrophes and unknown tokens', async () => {
    const embedder = await createGloveEmbedder({ cacheDir: await sharedGloveCacheDir() });
    const [a, b, c] = await embedder.embed([
      'The Café closed early',
      'the cafe CLOSED early 12345',
      'the cafe closed early',
    ]);
    assert.deepEqual(a, c);
    assert.deepEqual(b, c);
    const [d, e] = await embedder.embed(['Caroline’s dog can’t swim', "caroline's dog can not swim"]);
    assert.deepEqual(d, e);
  });
});
