import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { categoryNeighbours, categoryWords } from '../../src/retrieve/category-expansion.js';
import type { NeighbourSearch, WordVectors } from '../../src/retrieve/soft-match.js';
import { fakeWords } from './fake-words.js';

describe('categoryWords', () => {
  it('reads the category a set question names', () => {
    assert.deepEqual(categoryWords('What sports does Priya play?'), ['sports']);
    assert.deepEqual(categoryWords('Which board games has Omar taught his nephews?'), ['board', 'games']);
    assert.deepEqual(categoryWords('What kind of music does Priya listen to?'), ['music']);
    assert.deepEqual(categoryWords('Which instruments has Omar learnt?'), ['instruments']);
  });

  it('finds none where no noun follows what/which', () => {
    assert.deepEqual(categoryWords('What did Priya say about the move?'), []);
    assert.deepEqual(categoryWords('When did Omar start the new job?'), []);
  });
});

/** Fake vectors with a brute-force neighbour search over the whole table. */
function withNeighbours(table: Parameters<typeof fakeWords>[0]): WordVectors {
  const words = fakeWords(table);
  const names = Object.keys(table);
  const neighbours: NeighbourSearch = {
    above(unit, vocabulary, min) {
      const out: { rank: number; similarity: number }[] = [];
      for (let r = 0; r < Math.min(vocabulary, names.length); r++) {
        const v = words.vector(r);
        const similarity = v.reduce((sum, x, i) => sum + x * unit[i]!, 0);
        if (similarity >= min) out.push({ rank: r, similarity });
      }
      return out;
    },
    word: (rank) => names[rank]!,
  };
  return { ...words, neighbours };
}

const TABLE = {
  sports: { vector: [1, 0, 0] },
  sport: { vector: [0.98, 0.2, 0] },
  rugby: { vector: [0.9, 0.3, 0.1] },
  netball: { vector: [0.85, 0.1, 0.4] },
  various: { vector: [0.9, 0, 0.3], weight: 0.1 },
  casserole: { vector: [0, 1, 0] },
  lentils: { vector: [0, 0.9, 0.4] },
};

describe('categoryNeighbours', () => {
  const config = { neighbours: 5, minSimilarity: 0.7, vocabulary: 100 };

  it('gives the members of a category, best first, without its inflections or weightless words', () => {
    const words = withNeighbours(TABLE);
    assert.deepEqual(categoryNeighbours(words, ['sports'], config), ['rugby', 'netball']);
  });

  it('searches only the first `vocabulary` words and stops at `neighbours`', () => {
    const words = withNeighbours(TABLE);
    assert.deepEqual(categoryNeighbours(words, ['sports'], { ...config, vocabulary: 3 }), ['rugby']);
    assert.deepEqual(categoryNeighbours(words, ['sports'], { ...config, neighbours: 1 }), ['rugby']);
  });

  it('expands nothing without a neighbour search or a known word', () => {
    assert.deepEqual(categoryNeighbours(fakeWords(TABLE), ['sports'], config), []);
    assert.deepEqual(categoryNeighbours(withNeighbours(TABLE), ['quidditch'], config), []);
  });
});
