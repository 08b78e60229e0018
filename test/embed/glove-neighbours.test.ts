import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadSharedGloveCache } from '../../src/embed/glove.js';
import { gloveWordVectors } from '../../src/embed/glove-words.js';
import { categoryNeighbours, DEFAULT_CATEGORY_EXPANSION } from '../../src/retrieve/category-expansion.js';
import type { WordVectors } from '../../src/retrieve/soft-match.js';
import { sharedGloveCacheDir } from './glove-fixture.js';

describe('GloVe neighbour search', () => {
  let words: WordVectors;
  before(async () => {
    const cache = loadSharedGloveCache({ cacheDir: await sharedGloveCacheDir() });
    assert.ok(cache);
    words = gloveWordVectors(cache);
  });

  it('finds a word itself at similarity 1 over the int8 rows', () => {
    const [rank] = words.ranks('guitar');
    const hits = words.neighbours!.above(words.vector(rank!), 20_000, 0.99);
    assert.deepEqual(
      hits.map((h) => words.neighbours!.word(h.rank)),
      ['guitar'],
    );
    assert.ok(Math.abs(hits[0]!.similarity - 1) < 0.01);
  });

  it('expands a concrete category to members', () => {
    const sports = categoryNeighbours(words, ['sports'], DEFAULT_CATEGORY_EXPANSION);
    assert.ok(sports.includes('soccer') && sports.includes('basketball'), sports.join(', '));
    const pets = categoryNeighbours(words, ['pets'], DEFAULT_CATEGORY_EXPANSION);
    assert.ok(pets.includes('cats') && pets.includes('dogs'), pets.join(', '));
    assert.ok(!pets.includes('pet'), 'an inflection of the category word is not a member');
  });
});
