import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizedScoreFusion, reciprocalRankFusion } from '../../src/retrieve/fusion.js';

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `expected ${expected}, got ${actual}`);

describe('reciprocalRankFusion', () => {
  it('adds weight / (k + rank) over the lists a candidate appears in', () => {
    const fused = reciprocalRankFusion(
      [
        {
          name: 'bm25',
          weight: 1,
          hits: [
            { id: 'a', score: 9 },
            { id: 'b', score: 5 },
          ],
        },
        {
          name: 'vector',
          weight: 0.5,
          hits: [
            { id: 'b', score: 0.9 },
            { id: 'c', score: 0.8 },
          ],
        },
      ],
      10,
    );
    // a: 1/11; b: 1/12 + 0.5/11; c: 0.5/12
    assert.deepEqual(
      fused.map((c) => c.id),
      ['b', 'a', 'c'],
    );
    close(fused[0]!.score, 1 / 12 + 0.5 / 11);
    close(fused[1]!.score, 1 / 11);
    close(fused[2]!.score, 0.5 / 12);
    assert.deepEqual(fused[0]!.signals, { bm25: { rank: 2, score: 5 }, vector: { rank: 1, score: 0.9 } });
  });

  it('returns nothing for no lists', () => {
    assert.deepEqual(reciprocalRankFusion([]), []);
  });
});

describe('normalizedScoreFusion', () => {
  it('min-max normalises each list and adds the weighted values', () => {
    const fused = normalizedScoreFusion([
      {
        name: 'bm25',
        weight: 1,
        hits: [
          { id: 'a', score: 10 },
          { id: 'b', score: 6 },
          { id: 'c', score: 2 },
        ],
      },
      {
        name: 'vector',
        weight: 0.3,
        hits: [
          { id: 'c', score: 0.9 },
          { id: 'd', score: 0.5 },
          { id: 'a', score: 0.4 },
        ],
      },
    ]);
    // bm25: a 1, b 0.5, c 0; vector: c 1, d 0.2, a 0
    const byId = new Map(fused.map((c) => [c.id, c.score]));
    close(byId.get('a')!, 1);
    close(byId.get('b')!, 0.5);
    close(byId.get('c')!, 0.3);
    close(byId.get('d')!, 0.3 * 0.2);
    assert.deepEqual(
      fused.map((c) => c.id),
      ['a', 'b', 'c', 'd'],
    );
  });

  it('gives every hit of a list with equal scores the full weight', () => {
    const fused = normalizedScoreFusion([
      {
        name: 'bm25',
        weight: 2,
        hits: [
          { id: 'a', score: 3 },
          { id: 'b', score: 3 },
        ],
      },
    ]);
    assert.deepEqual(
      fused.map((c) => c.score),
      [2, 2],
    );
  });

  it('skips empty lists', () => {
    const fused = normalizedScoreFusion([
      { name: 'bm25', weight: 1, hits: [] },
      { name: 'vector', weight: 1, hits: [{ id: 'x', score: 0.1 }] },
    ]);
    assert.deepEqual(fused, [{ id: 'x', score: 1, signals: { vector: { rank: 1, score: 0.1 } } }]);
  });
});
