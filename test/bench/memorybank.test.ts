import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scorePairs } from '../../src/bench/memorybank-bench.js';
import { loadMemoryBank, pairOf } from '../../src/bench/memorybank-dataset.js';

const fixtures = fileURLToPath(new URL('./fixtures/memorybank-fx/', import.meta.url));

describe('MemoryBank dataset', () => {
  it('reads both language folders: a user per corpus, a session per day, two docs per pair', () => {
    const data = loadMemoryBank(fixtures);
    assert.deepEqual(data.languages, ['cn', 'en']);
    assert.deepEqual(
      data.corpora.map((c) => c.id),
      ['cn:林小雨', 'cn:陈默', 'en:Rain'],
    );
    const [xiaoyu] = data.corpora;
    assert.equal(xiaoyu!.docs.length, 10);
    assert.deepEqual(
      xiaoyu!.docs.slice(0, 2).map((d) => [d.id, d.session, d.speaker, d.role]),
      [
        ['2024-03-01#0/q', '2024-03-01', '林小雨', 'user'],
        ['2024-03-01#0/r', '2024-03-01', 'AI', 'assistant'],
      ],
    );
    // Asked the day after the last day of that user's history.
    assert.equal(xiaoyu!.questions[0]!.now, '2024-03-04T00:00:00.000Z');
    // The user key " 陈默 " is trimmed to match the evidence file; the question without evidence is not scored.
    assert.equal(data.corpora[1]!.questions.length, 2);
    assert.equal(data.questionsTotal, 8);
    assert.equal(data.questionsWithoutEvidence, 1);
  });

  it('reads one language folder given directly, or only the language asked for', () => {
    assert.deepEqual(loadMemoryBank(join(fixtures, 'en')).languages, ['en']);
    assert.deepEqual(loadMemoryBank(fixtures, 'cn').languages, ['cn']);
  });
});

describe('pair scoring', () => {
  it('ranks pairs by the first appearance of either of their two docs', () => {
    assert.equal(pairOf('2024-03-01#3/r'), '2024-03-01#3');
    const ranked = ['d#2/r', 'd#1/q', 'd#2/q', 'd#0/q', 'd#1/r'];
    assert.deepEqual(scorePairs(ranked, ['d#1']), { 'pairHit@1': 0, 'pairRecall@5': 1, 'pairRecall@10': 1 });
    assert.deepEqual(scorePairs(ranked, ['d#2', 'd#9']), {
      'pairHit@1': 1,
      'pairRecall@5': 0.5,
      'pairRecall@10': 0.5,
    });
  });
});
