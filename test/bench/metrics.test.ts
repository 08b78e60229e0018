import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allAtK,
  hitAtK,
  meanMetrics,
  metricKeys,
  metricPlan,
  ndcgAtK,
  rankingDepth,
  rankSessions,
  recallAtK,
  scoreQuestion,
} from '../../src/bench/metrics.js';
import { median, percentile } from '../../src/bench/stats.js';
import { ISSUE_METRICS } from '../helpers/issue-metrics.js';

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`);

describe('turn metrics', () => {
  const ranking = ['x', 'y', 'ev', 'z', 'w'];

  it('finds evidence at rank 3 within 5 but not within 2', () => {
    const relevant = new Set(['ev']);
    assert.equal(recallAtK(ranking, relevant, 5), 1);
    assert.equal(recallAtK(ranking, relevant, 2), 0);
    assert.equal(recallAtK(ranking, relevant, 3), 1);
    assert.equal(allAtK(ranking, relevant, 2), 0);
    assert.equal(hitAtK(ranking, relevant, 3), 1);
  });

  it('counts the fraction of several evidence turns and whether all were found', () => {
    const relevant = new Set(['x', 'ev', 'missing']);
    close(recallAtK(ranking, relevant, 5), 2 / 3);
    assert.equal(allAtK(ranking, relevant, 5), 0);
    assert.equal(allAtK(ranking, new Set(['x', 'ev']), 3), 1);
    assert.equal(allAtK(ranking, new Set(['x', 'ev']), 2), 0);
  });

  it('does not count an id twice when a ranking repeats it', () => {
    const relevant = new Set(['a', 'b']);
    assert.equal(recallAtK(['a', 'a', 'c'], relevant, 3), 0.5);
    close(ndcgAtK(['a', 'a'], relevant, 2), 1 / (1 + 1 / Math.log2(3)));
  });

  it('computes NDCG with binary relevance as worked out by hand', () => {
    // relevant at ranks 1, 3, 5 of 5: DCG = 1 + 1/log2(4) + 1/log2(6) = 1.886853;
    // IDCG = 1 + 1/log2(3) + 1/log2(4) = 2.130930; NDCG = 0.885460.
    close(ndcgAtK(['a', 'x', 'b', 'y', 'c'], new Set(['a', 'b', 'c']), 5), 0.8854598815714874);
    // single relevant item at rank 3: (1/log2(4)) / 1 = 0.5
    assert.equal(ndcgAtK(ranking, new Set(['ev']), 5), 0.5);
    // relevant at ranks 2 and 7, cut at 5: (1/log2(3)) / (1 + 1/log2(3)) = 0.386853
    close(ndcgAtK(['x', 'a', 'y', 'z', 'w', 'v', 'b'], new Set(['a', 'b']), 5), 0.38685280723454163);
    assert.equal(ndcgAtK(['a', 'b'], new Set(['a', 'b']), 5), 1);
    assert.equal(ndcgAtK(['x'], new Set(['a']), 5), 0);
  });

  it('returns NaN, not zero, when there is nothing relevant to find', () => {
    assert.ok(Number.isNaN(recallAtK(ranking, new Set(), 5)));
    assert.ok(Number.isNaN(ndcgAtK(ranking, new Set(), 5)));
  });
});

describe('session ranking', () => {
  const sessionOf = (id: string) => id.split(':')[0];

  it('ranks a session by its best turn', () => {
    assert.deepEqual(rankSessions(['s2:1', 's1:4', 's2:3', 's3:1', 's1:1'], sessionOf), ['s2', 's1', 's3']);
  });

  it('scores session hit, recall and NDCG from the turn ranking', () => {
    const plan = metricPlan();
    const ranked = ['s2:1', 's1:4', 's2:3', 's3:1', 's4:2', 's5:1', 's6:1'];
    const scores = scoreQuestion(
      ranked,
      { evidenceTurns: ['s1:4', 's3:9'], evidenceSessions: ['s1', 's3'] },
      sessionOf,
      plan,
    );
    // turn s1:4 at rank 2 is found; s3:9 never is
    assert.equal(scores['turnRecall@5'], 0.5);
    assert.equal(scores['allEvidence@10'], 0);
    // sessions ranked s2, s1, s3, s4, s5, s6: best session s2 holds no evidence
    assert.equal(scores['sessionHit@1'], 0);
    assert.equal(scores['sessionRecall@5'], 1);
    close(scores['sessionNdcg@5']!, (1 / Math.log2(3) + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3)));
  });

  it('leaves turn metrics out when only session evidence exists', () => {
    const scores = scoreQuestion(
      ['a:1'],
      { evidenceTurns: [], evidenceSessions: ['a'] },
      sessionOf,
      metricPlan(),
    );
    assert.equal(scores['turnRecall@5'], undefined);
    assert.equal(scores['sessionHit@1'], 1);
  });
});

describe('plans and aggregation', () => {
  it('always reports the issue keys and adds requested cut-offs', () => {
    const plan = metricPlan([3, 50]);
    assert.deepEqual(plan.turnKs, [3, 5, 10, 20, 50]);
    assert.equal(rankingDepth(plan), 50);
    const keys = metricKeys(plan);
    assert.deepEqual(keys.slice(0, ISSUE_METRICS.length), [...ISSUE_METRICS]);
    assert.ok(keys.includes('turnRecall@3'));
    assert.ok(keys.includes('turnNdcg@50'));
    assert.equal(new Set(keys).size, keys.length);
  });

  it('averages each metric over the questions that define it', () => {
    const mean = meanMetrics([{ a: 1, b: 0 }, { a: 0 }, { a: 0.5, b: Number.NaN }], ['a', 'b', 'c']);
    assert.deepEqual(mean, { a: 0.5, b: 0 });
  });
});

describe('order statistics', () => {
  it('takes nearest-rank percentiles and medians', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    assert.equal(percentile(xs, 50), 5);
    assert.equal(percentile(xs, 95), 10);
    assert.equal(percentile(xs, 10), 1);
    assert.equal(percentile([7], 99), 7);
    assert.equal(median(xs), 5.5);
    assert.equal(median([3, 1, 2]), 2);
  });
});
