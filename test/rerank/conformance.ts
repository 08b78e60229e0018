import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Reranker } from '../../src/rerank/types.js';

/** One suite for every Reranker, written against the interface; implementations opt out of checks with a reason. */
export interface RerankerConformanceOptions {
  /** Skip the relevance check, with the reason (a tiny test model has no meaning). */
  skipSemantic?: string;
  /** (query, relevant passage, irrelevant passage) cases for the relevance check. */
  semanticCases?: [string, string, string][];
  /** Largest allowed difference between batched and one-by-one scores. */
  tolerance?: number;
}

const QUERY = 'Which pet does my friend have?';
const PASSAGES = [
  'My friend has a small dog.',
  'The car engine needs repair.',
  'A puppy likes to play.',
  'Blue is my favourite colour, and red is a close second.',
  'kitten',
];

const DEFAULT_CASES: [string, string, string][] = [
  ['what pet does she have', 'She has a guinea pig named Oscar.', 'The quarterly report is due on Friday.'],
];

export function rerankerConformance(
  name: string,
  factory: () => Promise<Reranker>,
  options: RerankerConformanceOptions = {},
): void {
  const tolerance = options.tolerance ?? 1e-5;

  describe(`Reranker conformance: ${name}`, () => {
    let reranker: Reranker;
    before(async () => {
      reranker = await factory();
    });
    after(async () => {
      await reranker?.close?.();
    });

    it('has a non-empty id', () => {
      assert.equal(typeof reranker.id, 'string');
      assert.ok(reranker.id.length > 0);
    });

    it('returns no scores for no passages', async () => {
      assert.deepEqual(await reranker.score(QUERY, []), []);
    });

    it('returns one finite score per passage, in passage order', async () => {
      const scores = await reranker.score(QUERY, PASSAGES);
      assert.equal(scores.length, PASSAGES.length);
      assert.ok(scores.every(Number.isFinite), `finite scores: ${scores}`);
      const reversed = await reranker.score(QUERY, [...PASSAGES].reverse());
      for (let i = 0; i < PASSAGES.length; i++) {
        assert.ok(Math.abs(reversed[PASSAGES.length - 1 - i] - scores[i]) <= tolerance, `passage ${i}`);
      }
      assert.ok(new Set(scores).size > 1, 'different passages get different scores');
    });

    it('is deterministic', async () => {
      assert.deepEqual(await reranker.score(QUERY, PASSAGES), await reranker.score(QUERY, PASSAGES));
    });

    it('scores a passage the same alone as in a batch', async () => {
      const batched = await reranker.score(QUERY, PASSAGES);
      for (const [i, passage] of PASSAGES.entries()) {
        const [alone] = await reranker.score(QUERY, [passage]);
        assert.ok(Math.abs(alone - batched[i]) <= tolerance, `passage ${i}: ${alone} vs ${batched[i]}`);
      }
    });

    it('scores passages far longer than the model input', async () => {
      const long = 'my friend has a small dog and the dog likes to play. '.repeat(300);
      const [score] = await reranker.score(QUERY, [long]);
      assert.ok(Number.isFinite(score));
    });

    if (options.skipSemantic) {
      it(`relevance (skipped: ${options.skipSemantic})`, { skip: options.skipSemantic }, () => {});
    } else {
      it('scores the relevant passage above the irrelevant one', async () => {
        for (const [query, relevant, irrelevant] of options.semanticCases ?? DEFAULT_CASES) {
          const [good, bad] = await reranker.score(query, [relevant, irrelevant]);
          assert.ok(good > bad, `${query}: ${good} should exceed ${bad}`);
        }
      });
    }
  });
}
