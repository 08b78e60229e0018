import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { softMatchScore } from '../../src/retrieve/soft-match.js';
import { fakeWords } from './fake-words.js';

const words = fakeWords({
  stress: { vector: [1, 0, 0] },
  destress: { vector: [0.8, 0.6, 0] },
  guitar: { vector: [0, 0, 1] },
  the: { vector: [0.5, 0.5, 0.5], weight: 0 },
  pottery: { vector: [0, 1, 0] },
});
const score = (q: string, d: string, floor = 0.4) =>
  softMatchScore(words, words.ranks(q), words.ranks(d), floor);

describe('softMatchScore', () => {
  it('scores an exact match 1', () => {
    assert.equal(score('stress', 'so much stress lately'), 1);
  });

  it('scores unrelated words 0', () => {
    assert.equal(score('guitar', 'pottery and stress'), 0);
  });

  it('rescales a near miss above the floor: (cos - floor) / (1 - floor)', () => {
    // cos(stress, destress) = 0.8
    assert.ok(Math.abs(score('stress', 'destress') - (0.8 - 0.4) / 0.6) < 1e-6);
    assert.equal(score('stress', 'destress', 0.9), 0);
  });

  it('averages over query words by weight, ignoring weightless words', () => {
    // stress → 1 (exact), guitar → 0, "the" has weight 0
    assert.equal(score('the stress guitar', 'stress'), 0.5);
  });

  it('is 0 when either side has no known word', () => {
    assert.equal(score('unknown words', 'stress'), 0);
    assert.equal(score('stress', 'nothing known here'), 0);
  });
});
