import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reranker } from '../../src/rerank/types.js';
import { rerankTop } from '../../src/retrieve/rerank-stage.js';
import type { ScoredMemory } from '../../src/retrieve/signals.js';
import { makeMemory } from '../helpers/memory-factory.js';

/** Scores passages in reverse of their given order, recording what it was asked. */
function reversingReranker(): Reranker & { calls: { query: string; passages: string[] }[] } {
  const calls: { query: string; passages: string[] }[] = [];
  return {
    id: 'reverse',
    calls,
    async score(query, passages) {
      calls.push({ query, passages });
      return passages.map((_, i) => i);
    },
  };
}

const scored = (n: number): ScoredMemory[] =>
  Array.from({ length: n }, (_, i) => ({
    memory: makeMemory({ id: `m${i}`, text: `text ${i}` }),
    score: 2 - i * 0.1,
    signals: {},
  }));

describe('rerankTop', () => {
  it('with weight 1 the reranker alone orders the top N; the rest keep their order below', async () => {
    const reranker = reversingReranker();
    const out = await rerankTop(reranker, 'q', scored(6), { topN: 3, weight: 1 });
    assert.deepEqual(
      out.map((s) => s.memory.id),
      ['m2', 'm1', 'm0', 'm3', 'm4', 'm5'],
    );
    assert.deepEqual(reranker.calls, [{ query: 'q', passages: ['text 0', 'text 1', 'text 2'] }]);
    assert.deepEqual(
      out.slice(0, 3).map((s) => s.signals.rerank),
      [2, 1, 0],
    );
    // Reranked hits stay above the ones that were not re-scored.
    assert.ok(out[2]!.score >= out[3]!.score);
  });

  it('with weight 0 the first-stage order stands', async () => {
    const out = await rerankTop(reversingReranker(), 'q', scored(4), { topN: 4, weight: 0 });
    assert.deepEqual(
      out.map((s) => s.memory.id),
      ['m0', 'm1', 'm2', 'm3'],
    );
  });

  it('blends both normalised scores half and half', async () => {
    // First stage (normalised): 1, 0.5, 0; reranker (normalised): 0, 0.5, 1 → all 0.5: a tie, stable order.
    const out = await rerankTop(reversingReranker(), 'q', scored(3), { topN: 3, weight: 0.5 });
    assert.equal(new Set(out.map((s) => Math.round(s.score * 1e9))).size, 1);
  });

  it('does not call the reranker for fewer than two candidates', async () => {
    const reranker = reversingReranker();
    const one = scored(1);
    assert.deepEqual(await rerankTop(reranker, 'q', one, { topN: 10, weight: 1 }), one);
    assert.equal(reranker.calls.length, 0);
  });
});
