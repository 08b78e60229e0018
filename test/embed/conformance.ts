import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Embedder } from '../../src/embed/types.js';

/**
 * One suite for every Embedder, written against the interface only. Each implementation's test file plugs in
 * its factory and says, with a reason, which checks do not apply to it.
 */
export interface EmbedderConformanceOptions {
  /**
   * Skip the "similar texts are closer" checks, with the reason (a tiny test model has no meaning).
   * Omit to run them.
   */
  skipSemantic?: string;
  /** Triples (anchor, related, unrelated): cos(anchor, related) must beat cos(anchor, unrelated). */
  semanticTriples?: [string, string, string][];
  /**
   * Texts the embedder documents as having no vector (all zeros rather than unit length), e.g. text with no
   * known word. Every other text must be unit length.
   */
  zeroTexts?: string[];
  /** Largest allowed difference between a batched and a one-by-one vector (padding changes float rounding). */
  batchTolerance?: number;
}

const TEXTS = [
  'The cat sat on the mat.',
  'I adopted a puppy from the shelter last weekend.',
  'Quarterly revenue grew by twelve percent.',
  'She painted a sunrise over the lake.',
  'How do I reset my password?',
  'Grandma taught me to knit scarves when I was little.',
];

const DEFAULT_TRIPLES: [string, string, string][] = [
  ['dog', 'puppy', 'spreadsheet'],
  [
    'I went to the doctor because I felt sick',
    'the physician examined my illness',
    'the stock market fell today',
  ],
  ['she loves painting landscapes', 'he enjoys drawing pictures of mountains', 'the engine needs new oil'],
];

const cosine = (a: Float32Array, b: Float32Array): number => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
};

const norm = (v: Float32Array): number => Math.sqrt(cosine(v, v));

function assertClose(actual: Float32Array, expected: Float32Array, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: lengths differ`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  assert.ok(worst <= tolerance, `${what}: differs by ${worst} > ${tolerance}`);
}

export function embedderConformance(
  name: string,
  factory: () => Promise<Embedder>,
  options: EmbedderConformanceOptions = {},
): void {
  const tolerance = options.batchTolerance ?? 1e-5;
  const zeroTexts = new Set(options.zeroTexts ?? []);

  describe(`Embedder conformance: ${name}`, () => {
    let embedder: Embedder;
    before(async () => {
      embedder = await factory();
    });
    after(async () => {
      await embedder?.close?.();
    });

    it('has a non-empty id and positive integer dimensions', () => {
      assert.equal(typeof embedder.id, 'string');
      assert.ok(embedder.id.length > 0);
      assert.ok(
        Number.isInteger(embedder.dimensions) && embedder.dimensions > 0,
        `dimensions ${embedder.dimensions}`,
      );
    });

    it('returns an empty list for an empty input list', async () => {
      assert.deepEqual(await embedder.embed([]), []);
    });

    it('returns one Float32Array of length `dimensions` per text, unit length', async () => {
      const vectors = await embedder.embed(TEXTS);
      assert.equal(vectors.length, TEXTS.length);
      for (const [i, v] of vectors.entries()) {
        assert.ok(v instanceof Float32Array, `vector ${i} is a Float32Array`);
        assert.equal(v.length, embedder.dimensions);
        assert.ok(v.every(Number.isFinite), `vector ${i} is finite`);
        assert.ok(Math.abs(norm(v) - 1) < 1e-4, `vector ${i} has norm ${norm(v)}`);
      }
    });

    it('keeps the input order', async () => {
      const forward = await embedder.embed(TEXTS);
      const backward = await embedder.embed([...TEXTS].reverse());
      for (let i = 0; i < TEXTS.length; i++) {
        assertClose(backward[TEXTS.length - 1 - i], forward[i], tolerance, `text ${i}`);
      }
      // Different texts must not collapse to one vector, or the order check above proves nothing.
      assert.ok(cosine(forward[0], forward[2]) < 0.9999, 'distinct texts give distinct vectors');
    });

    it('is deterministic', async () => {
      const first = await embedder.embed(TEXTS);
      const second = await embedder.embed(TEXTS);
      assert.deepEqual(second, first);
    });

    it('gives the same vectors in one batch as one by one', async () => {
      const texts = [...TEXTS, 'a much longer text that makes the batch ragged '.repeat(5)];
      const batched = await embedder.embed(texts);
      for (const [i, text] of texts.entries()) {
        const [single] = await embedder.embed([text]);
        assertClose(batched[i], single, tolerance, `text ${i}`);
      }
    });

    it('embeds a batch of 100 texts', async () => {
      const texts = Array.from(
        { length: 100 },
        (_, i) => `memory number ${i} about ${TEXTS[i % TEXTS.length]}`,
      );
      const vectors = await embedder.embed(texts);
      assert.equal(vectors.length, 100);
      assert.ok(vectors.every((v) => v.length === embedder.dimensions));
    });

    it('accepts query and document kinds', async () => {
      const [query] = await embedder.embed([TEXTS[1]], { kind: 'query' });
      const [document] = await embedder.embed([TEXTS[1]], { kind: 'document' });
      assert.equal(query.length, embedder.dimensions);
      assert.equal(document.length, embedder.dimensions);
      assert.ok(Math.abs(norm(query) - 1) < 1e-4);
      assert.ok(Math.abs(norm(document) - 1) < 1e-4);
    });

    if (zeroTexts.size > 0) {
      it('gives the documented all-zeros vector (cosine 0, never NaN) for texts without content', async () => {
        const [known] = await embedder.embed([TEXTS[0]]);
        for (const text of zeroTexts) {
          const [v] = await embedder.embed([text]);
          assert.equal(v.length, embedder.dimensions);
          assert.ok(
            v.every((x) => x === 0),
            `${JSON.stringify(text)} gives all zeros`,
          );
          assert.equal(cosine(v, known), 0);
        }
      });
    }

    if (options.skipSemantic) {
      it(`semantic similarity (skipped: ${options.skipSemantic})`, { skip: options.skipSemantic }, () => {});
    } else {
      it('puts related texts closer than unrelated ones', async () => {
        for (const [anchor, related, unrelated] of options.semanticTriples ?? DEFAULT_TRIPLES) {
          const [a, r, u] = await embedder.embed([anchor, related, unrelated]);
          assert.ok(
            cosine(a, r) > cosine(a, u),
            `cos(${anchor}, ${related}) = ${cosine(a, r)} should exceed cos(${anchor}, ${unrelated}) = ${cosine(a, u)}`,
          );
        }
      });
    }
  });
}
