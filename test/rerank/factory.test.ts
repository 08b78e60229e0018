import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EngramError } from '../../src/core/errors.js';
import { createReranker, parseRerankerSpec, type RerankerConfig } from '../../src/rerank/factory.js';
import { writeTinyBert } from '../helpers/tiny-bert.js';

const root = mkdtempSync(join(tmpdir(), 'engram-rerank-factory-'));
after(() => rmSync(root, { recursive: true, force: true }));

const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof EngramError && e.code === 'INVALID_INPUT' && pattern.test(e.message);

describe('parseRerankerSpec', () => {
  it('parses a model and options', () => {
    assert.deepEqual(parseRerankerSpec('cross-encoder:/models/ms-marco-MiniLM-L-6-v2'), {
      type: 'cross-encoder',
      model: '/models/ms-marco-MiniLM-L-6-v2',
    });
    assert.deepEqual(
      parseRerankerSpec('cross-encoder:Xenova/ms-marco-MiniLM-L-6-v2?activation=sigmoid&maxLength=256'),
      {
        type: 'cross-encoder',
        model: 'Xenova/ms-marco-MiniLM-L-6-v2',
        activation: 'sigmoid',
        maxLength: 256,
      },
    );
  });

  it('rejects what it cannot parse', () => {
    assert.throws(() => parseRerankerSpec('colbert:/m'), invalid(/write cross-encoder:/));
    assert.throws(() => parseRerankerSpec('cross-encoder:'), invalid(/model/));
    assert.throws(() => parseRerankerSpec('cross-encoder:/m?activation=softmax'), invalid(/activation/));
  });
});

describe('createReranker', () => {
  it('builds a cross-encoder from its configuration', async () => {
    const tiny = writeTinyBert({ dir: join(root, 'tiny-ce'), classifierLabels: 1 });
    const reranker = await createReranker(parseRerankerSpec(`cross-encoder:${tiny.dir}`));
    try {
      assert.equal(reranker.id, 'cross-encoder:tiny-ce');
      assert.equal((await reranker.score('dog', ['a dog', 'a car'])).length, 2);
    } finally {
      await reranker.close?.();
    }
  });

  it('rejects an invalid configuration', async () => {
    await assert.rejects(
      createReranker({ type: 'cross-encoder', model: '' } as RerankerConfig),
      invalid(/Invalid reranker configuration/),
    );
  });
});
