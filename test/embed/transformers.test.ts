import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EngramError } from '../../src/core/errors.js';
import { createTransformersEmbedder } from '../../src/embed/transformers.js';
import type { Embedder } from '../../src/embed/types.js';
import { TINY_VOCAB, type TinyBert, tinyTokenIds, writeTinyBert } from '../helpers/tiny-bert.js';
import { embedderConformance } from './conformance.js';

const root = mkdtempSync(join(tmpdir(), 'engram-transformers-'));
after(() => rmSync(root, { recursive: true, force: true }));

const tiny = writeTinyBert({ dir: join(root, 'tiny-bert') });
const CLS = TINY_VOCAB.get('[CLS]') ?? -1;
const SEP = TINY_VOCAB.get('[SEP]') ?? -1;

const opened: Embedder[] = [];
async function open(options: Parameters<typeof createTransformersEmbedder>[0]): Promise<Embedder> {
  const embedder = await createTransformersEmbedder(options);
  opened.push(embedder);
  return embedder;
}
after(async () => {
  for (const embedder of opened) await embedder.close?.();
});

/** The tiny encoder computed by hand: token vector = word embedding + segment-0 embedding. */
function tokenStates(model: TinyBert, ids: number[]): number[][] {
  return ids.map((id) => model.wordEmbeddings[id].map((x, h) => x + model.typeEmbeddings[0][h]));
}

function reference(
  model: TinyBert,
  text: string,
  options: { pooling?: 'mean' | 'cls'; normalize?: boolean; maxLength?: number } = {},
): number[] {
  let ids = [CLS, ...tinyTokenIds(text), SEP];
  const maxLength = options.maxLength ?? 512;
  if (ids.length > maxLength) ids = [...ids.slice(0, maxLength - 1), SEP];
  const states = tokenStates(model, ids);
  const pooled =
    options.pooling === 'cls'
      ? states[0]
      : states[0].map((_, h) => states.reduce((sum, row) => sum + row[h], 0) / states.length);
  if (options.normalize === false) return pooled;
  const length = Math.hypot(...pooled);
  return pooled.map((x) => x / length);
}

function assertVector(actual: Float32Array, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) < 1e-5, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

const isModelNotFound = (pattern: RegExp) => (e: unknown) =>
  e instanceof EngramError && e.code === 'MODEL_NOT_FOUND' && pattern.test(e.message);

embedderConformance('transformers (tiny BERT, mean pooling)', () => open({ model: tiny.dir }), {
  skipSemantic: 'the tiny test model is a lookup table with no meaning',
  batchTolerance: 1e-6,
});

describe('transformers embedder on a tiny BERT', () => {
  const texts = ['The dog likes playing.', 'a red car', 'my small kitten is big, blue and red?', 'zebra'];

  it('equals mean pooling over the attention mask, normalised, in a padded batch', async () => {
    const embedder = await open({ model: tiny.dir });
    assert.equal(embedder.dimensions, tiny.hidden);
    assert.equal(embedder.id, 'transformers:tiny-bert:mean');
    const vectors = await embedder.embed(texts);
    for (const [i, text] of texts.entries()) assertVector(vectors[i], reference(tiny, text), text);
  });

  it('splits into batches of batchSize without changing the vectors', async () => {
    const embedder = await open({ model: tiny.dir, batchSize: 2 });
    const vectors = await embedder.embed([...texts, ...texts]);
    assert.equal(vectors.length, 8);
    for (const [i, text] of [...texts, ...texts].entries())
      assertVector(vectors[i], reference(tiny, text), text);
  });

  it('pools the [CLS] token when asked, and can skip normalisation', async () => {
    const cls = await open({ model: tiny.dir, pooling: 'cls' });
    assert.equal(cls.id, 'transformers:tiny-bert:cls');
    const [v] = await cls.embed(['a big dog']);
    assertVector(v, reference(tiny, 'a big dog', { pooling: 'cls' }), 'cls');
    const raw = await open({ model: tiny.dir, normalize: false });
    assert.equal(raw.id, 'transformers:tiny-bert:mean:raw');
    const [r] = await raw.embed(['a big dog']);
    assertVector(r, reference(tiny, 'a big dog', { normalize: false }), 'raw mean');
  });

  it('truncates to maxLength tokens and keeps the final [SEP]', async () => {
    const embedder = await open({ model: tiny.dir, maxLength: 5 });
    const long = 'the dog likes the cat and the puppy likes the kitten';
    const [v] = await embedder.embed([long]);
    assertVector(v, reference(tiny, long, { maxLength: 5 }), 'truncated');
    // Truncation must matter here, or this test proves nothing.
    assert.ok(Math.abs(v[0] - reference(tiny, long)[0]) > 1e-3);
  });

  it('respects the tokenizer model_max_length', async () => {
    const short = writeTinyBert({ dir: join(root, 'short-bert'), modelMaxLength: 4 });
    const embedder = await open({ model: short.dir });
    const [v] = await embedder.embed(['the dog likes the cat']);
    assertVector(v, reference(short, 'the dog likes the cat', { maxLength: 4 }), 'model max length');
  });

  it('applies the e5 preset: mean pooling with "query: " and "passage: " prefixes', async () => {
    const e5 = writeTinyBert({ dir: join(root, 'multilingual-e5-small') });
    const embedder = await open({ model: e5.dir });
    assert.match(embedder.id, /^transformers:multilingual-e5-small:mean:p[0-9a-f]{8}$/);
    const [query] = await embedder.embed(['red car'], { kind: 'query' });
    assertVector(query, reference(e5, 'query: red car'), 'query');
    const [passage] = await embedder.embed(['red car'], { kind: 'document' });
    assertVector(passage, reference(e5, 'passage: red car'), 'passage');
    const [plain] = await embedder.embed(['red car']);
    assertVector(plain, reference(e5, 'red car'), 'no kind');
  });

  it('applies the bge preset (CLS pooling) and lets options override a preset', async () => {
    const bge = writeTinyBert({ dir: join(root, 'bge-small-en-v1.5') });
    const embedder = await open({ model: bge.dir });
    assert.match(embedder.id, /^transformers:bge-small-en-v1\.5:cls:p[0-9a-f]{8}$/);
    const overridden = await open({ model: bge.dir, pooling: 'mean', queryPrefix: '', documentPrefix: '' });
    assert.equal(overridden.id, 'transformers:bge-small-en-v1.5:mean');
  });

  it('finds a hub id under modelDir', async () => {
    const hubRoot = join(root, 'hub');
    writeTinyBert({ dir: join(hubRoot, 'Xenova', 'all-MiniLM-L6-v2') });
    const embedder = await open({ model: 'Xenova/all-MiniLM-L6-v2', modelDir: hubRoot });
    assert.equal(embedder.id, 'transformers:all-MiniLM-L6-v2:mean');
    await assert.rejects(
      createTransformersEmbedder({ model: 'Xenova/absent-model', modelDir: hubRoot }),
      isModelNotFound(/absent-model does not exist/),
    );
  });

  it('loads quantised weights when only onnx/model_quantized.onnx exists', async () => {
    const q8 = writeTinyBert({ dir: join(root, 'q8-bert'), onnxFile: 'model_quantized.onnx' });
    const embedder = await open({ model: q8.dir });
    assert.equal(embedder.id, 'transformers:q8-bert:mean:q8');
    const [v] = await embedder.embed(['a red car']);
    assertVector(v, reference(q8, 'a red car'), 'q8 file');
    await assert.rejects(
      createTransformersEmbedder({ model: q8.dir, dtype: 'fp32' }),
      isModelNotFound(/has no onnx\/model\.onnx/),
    );
  });
});

describe('transformers embedder with a missing or broken model folder', () => {
  const broken = (name: string, damage: (dir: string) => void): string => {
    const { dir } = writeTinyBert({ dir: join(root, name) });
    damage(dir);
    return dir;
  };

  it('names the missing file', async () => {
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
      const dir = broken(`no-${file}`, (d) => rmSync(join(d, file)));
      await assert.rejects(
        createTransformersEmbedder({ model: dir }),
        isModelNotFound(new RegExp(`has no ${file.replace('.', '\\.')}`)),
      );
    }
    const noOnnx = broken('no-onnx', (d) => rmSync(join(d, 'onnx'), { recursive: true }));
    await assert.rejects(
      createTransformersEmbedder({ model: noOnnx }),
      isModelNotFound(/has no onnx\/model\.onnx/),
    );
    await assert.rejects(
      createTransformersEmbedder({ model: join(root, 'never-created') }),
      isModelNotFound(/never-created does not exist/),
    );
  });

  it('reports invalid JSON and a corrupt ONNX file', async () => {
    const badConfig = broken('bad-config', (d) =>
      writeFileSync(join(d, 'config.json'), '{"model_type": "bert",'),
    );
    await assert.rejects(
      createTransformersEmbedder({ model: badConfig }),
      isModelNotFound(/config\.json is not valid JSON/),
    );
    const badOnnx = broken('bad-onnx', (d) => writeFileSync(join(d, 'onnx', 'model.onnx'), 'not a protobuf'));
    await assert.rejects(
      createTransformersEmbedder({ model: badOnnx }),
      isModelNotFound(/Could not load the model/),
    );
  });

  it('accepts a model.onnx at the top of the folder', async () => {
    const flat = broken('flat-bert', (d) => {
      renameSync(join(d, 'onnx', 'model.onnx'), join(d, 'model.onnx'));
      rmSync(join(d, 'onnx'), { recursive: true });
      mkdirSync(join(d, 'unrelated'));
    });
    const embedder = await open({ model: flat });
    assert.equal((await embedder.embed(['dog']))[0].length, tiny.hidden);
  });
});
