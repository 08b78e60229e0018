import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EngramError } from '../../src/core/errors.js';
import { createCrossEncoderReranker } from '../../src/rerank/cross-encoder.js';
import type { Reranker } from '../../src/rerank/types.js';
import { TINY_VOCAB, type TinyBert, tinyTokenIds, writeTinyBert } from '../helpers/tiny-bert.js';
import { rerankerConformance } from './conformance.js';

const root = mkdtempSync(join(tmpdir(), 'engram-cross-encoder-'));
after(() => rmSync(root, { recursive: true, force: true }));

const oneLabel = writeTinyBert({ dir: join(root, 'tiny-ms-marco'), classifierLabels: 1 });
const twoLabels = writeTinyBert({ dir: join(root, 'tiny-two-label'), classifierLabels: 2 });
const CLS = TINY_VOCAB.get('[CLS]') ?? -1;
const SEP = TINY_VOCAB.get('[SEP]') ?? -1;

const opened: Reranker[] = [];
async function open(options: Parameters<typeof createCrossEncoderReranker>[0]): Promise<Reranker> {
  const reranker = await createCrossEncoderReranker(options);
  opened.push(reranker);
  return reranker;
}
after(async () => {
  for (const reranker of opened) await reranker.close?.();
});

/** The tiny classifier by hand: [CLS] q [SEP] p [SEP] with segment ids, masked mean of states, then W and b. */
function referenceLogits(model: TinyBert, query: string, passage: string, maxLength = 512): number[] {
  const first = [CLS, ...tinyTokenIds(query), SEP];
  const second = [...tinyTokenIds(passage), SEP];
  let ids = [...first, ...second];
  let types = [...first.map(() => 0), ...second.map(() => 1)];
  if (ids.length > maxLength) {
    ids = [...ids.slice(0, maxLength - 1), SEP];
    types = [...types.slice(0, maxLength - 1), 1];
  }
  const states = ids.map((id, t) =>
    model.wordEmbeddings[id].map((x, h) => x + model.typeEmbeddings[types[t]][h]),
  );
  const pooled = states[0].map((_, h) => states.reduce((sum, row) => sum + row[h], 0) / states.length);
  const { weights, bias } = model.classifier ?? assert.fail('not a classifier');
  return bias.map((b, label) => pooled.reduce((sum, x, h) => sum + x * weights[h][label], b));
}

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-5, `${what}: ${actual} vs ${expected}`);

rerankerConformance('cross-encoder (tiny BERT classifier)', () => open({ model: oneLabel.dir }), {
  skipSemantic: 'the tiny test classifier is a fixed linear function with no notion of relevance',
});

rerankerConformance(
  'cross-encoder (tiny two-label classifier, sigmoid)',
  () => open({ model: twoLabels.dir, activation: 'sigmoid', batchSize: 2 }),
  { skipSemantic: 'the tiny test classifier has no notion of relevance' },
);

describe('cross-encoder on a tiny BERT classifier', () => {
  const query = 'which pet is big?';
  const passages = ['a big dog', 'the red car engine', 'my kitten likes playing', 'puppy'];

  it('returns the raw logit of a one-label model for each (query, passage) pair', async () => {
    const reranker = await open({ model: oneLabel.dir });
    assert.equal(reranker.id, 'cross-encoder:tiny-ms-marco');
    const scores = await reranker.score(query, passages);
    for (const [i, passage] of passages.entries())
      close(scores[i], referenceLogits(oneLabel, query, passage)[0], passage);
  });

  it('returns logit₁ − logit₀ for a two-label model, and its sigmoid when asked', async () => {
    const raw = await open({ model: twoLabels.dir });
    const sigmoid = await open({ model: twoLabels.dir, activation: 'sigmoid' });
    assert.equal(sigmoid.id, 'cross-encoder:tiny-two-label:sigmoid');
    const rawScores = await raw.score(query, passages);
    const probabilities = await sigmoid.score(query, passages);
    for (const [i, passage] of passages.entries()) {
      const [l0, l1] = referenceLogits(twoLabels, query, passage);
      close(rawScores[i], l1 - l0, passage);
      close(probabilities[i], 1 / (1 + Math.exp(-(l1 - l0))), `sigmoid ${passage}`);
      assert.ok(probabilities[i] > 0 && probabilities[i] < 1);
    }
  });

  it('cuts the passage at maxLength, keeping the final [SEP]', async () => {
    const reranker = await open({ model: oneLabel.dir, maxLength: 8 });
    const passage = 'the dog likes the cat and the puppy likes the kitten';
    const [score] = await reranker.score('big dog', [passage]);
    close(score, referenceLogits(oneLabel, 'big dog', passage, 8)[0], 'truncated');
    assert.ok(
      Math.abs(score - referenceLogits(oneLabel, 'big dog', passage)[0]) > 1e-3,
      'truncation mattered',
    );
  });

  it('reports a missing model file with MODEL_NOT_FOUND', async () => {
    await assert.rejects(
      createCrossEncoderReranker({ model: join(root, 'absent') }),
      (e: unknown) =>
        e instanceof EngramError && e.code === 'MODEL_NOT_FOUND' && /absent does not exist/.test(e.message),
    );
  });

  it('refuses to score after close', async () => {
    const reranker = await createCrossEncoderReranker({ model: oneLabel.dir });
    await reranker.close?.();
    await assert.rejects(
      reranker.score('q', ['p']),
      (e: unknown) => e instanceof EngramError && e.code === 'RERANKER_ERROR',
    );
  });
});
