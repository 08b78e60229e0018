import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EngramError } from '../../src/core/errors.js';
import { createEmbedder, type EmbedderConfig, parseEmbedderSpec } from '../../src/embed/factory.js';
import { writeTinyBert } from '../helpers/tiny-bert.js';
import { startFakeOpenAIServer } from '../helpers/tiny-openai-server.js';
import { sharedGloveCacheDir } from './glove-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'engram-embed-factory-'));
after(() => rmSync(root, { recursive: true, force: true }));

const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof EngramError && e.code === 'INVALID_INPUT' && pattern.test(e.message);

describe('parseEmbedderSpec', () => {
  const noEnv = {};
  const cases: [string, EmbedderConfig][] = [
    ['glove', { type: 'glove' }],
    [
      'glove?removeCommonComponent=false&cacheDir=C:/cache',
      { type: 'glove', removeCommonComponent: false, cacheDir: 'C:/cache' },
    ],
    ['transformers:/path/to/dir', { type: 'transformers', model: '/path/to/dir' }],
    ['transformers:Xenova/all-MiniLM-L6-v2', { type: 'transformers', model: 'Xenova/all-MiniLM-L6-v2' }],
    [
      'transformers:./models/bge?dtype=q8&maxLength=256&pooling=cls&normalize=false',
      {
        type: 'transformers',
        model: './models/bge',
        dtype: 'q8',
        maxLength: 256,
        pooling: 'cls',
        normalize: false,
      },
    ],
    [
      'openai:http://127.0.0.1:11434/v1#nomic-embed-text',
      { type: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', model: 'nomic-embed-text' },
    ],
    [
      'openai:http://127.0.0.1:11434/v1#nomic-embed-text:latest?dimensions=768&queryPrefix=search_query%3A%20',
      {
        type: 'openai',
        baseUrl: 'http://127.0.0.1:11434/v1',
        model: 'nomic-embed-text:latest',
        dimensions: 768,
        queryPrefix: 'search_query: ',
      },
    ],
  ];
  for (const [spec, expected] of cases) {
    it(`parses ${spec}`, () => {
      assert.deepEqual(parseEmbedderSpec(spec, noEnv), expected);
    });
  }

  it('takes the OpenAI key from the environment, never from the spec', () => {
    const spec = 'openai:https://api.openai.com/v1#text-embedding-3-small';
    assert.equal(parseEmbedderSpec(spec, { OPENAI_API_KEY: 'sk-a' }).type, 'openai');
    assert.deepEqual(parseEmbedderSpec(spec, { OPENAI_API_KEY: 'sk-a', ENGRAM_OPENAI_API_KEY: 'sk-b' }), {
      type: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      model: 'text-embedding-3-small',
      apiKey: 'sk-b',
    });
  });

  it('rejects malformed specs with a message saying what to write', () => {
    assert.throws(
      () => parseEmbedderSpec('bogus'),
      invalid(/must start with glove, transformers: or openai:/),
    );
    assert.throws(() => parseEmbedderSpec('glove:extra'), invalid(/glove takes no target/));
    assert.throws(() => parseEmbedderSpec('transformers:'), invalid(/name a model folder or hub id/));
    assert.throws(() => parseEmbedderSpec('openai:http://h/v1'), invalid(/openai:<base-url>#<model>/));
    assert.throws(() => parseEmbedderSpec('openai:not-a-url#m'), invalid(/baseUrl/));
    assert.throws(
      () => parseEmbedderSpec('transformers:/m?maxLength=abc'),
      invalid(/maxLength must be a number/),
    );
    assert.throws(() => parseEmbedderSpec('transformers:/m?maxLenght=3'), invalid(/maxLenght/));
    assert.throws(() => parseEmbedderSpec('transformers:/m?pooling=max'), invalid(/pooling/));
    assert.throws(
      () => parseEmbedderSpec('glove?autoPrepare=yes'),
      invalid(/autoPrepare must be true or false/),
    );
  });
});

describe('createEmbedder', () => {
  it('builds each kind of embedder from its configuration', async () => {
    const glove = await createEmbedder({ type: 'glove', cacheDir: await sharedGloveCacheDir() });
    assert.equal(glove.id, 'glove-sif-100d@1');
    const tiny = writeTinyBert({ dir: join(root, 'tiny') });
    const transformers = await createEmbedder(parseEmbedderSpec(`transformers:${tiny.dir}?pooling=cls`));
    assert.equal(transformers.id, 'transformers:tiny:cls');
    assert.equal(transformers.dimensions, tiny.hidden);
    await transformers.close?.();
    const server = await startFakeOpenAIServer({ dims: 5 });
    try {
      const openai = await createEmbedder(parseEmbedderSpec(`openai:${server.url}#fake`, {}));
      assert.equal(openai.dimensions, 5);
      assert.equal(openai.id, 'openai:fake:5d');
    } finally {
      await server.close();
    }
  });

  it('rejects an invalid configuration before doing anything', async () => {
    await assert.rejects(
      createEmbedder({ type: 'glove', cacheDir: '/x', extra: 1 } as unknown as EmbedderConfig),
      invalid(/Invalid embedder configuration.*extra/),
    );
    await assert.rejects(
      createEmbedder({ type: 'nope' } as unknown as EmbedderConfig),
      invalid(/Invalid embedder configuration/),
    );
  });

  it('loads onnxruntime only when the transformers embedder is chosen', async () => {
    const cacheDir = await sharedGloveCacheDir();
    const tiny = writeTinyBert({ dir: join(root, 'light') });
    const factory = fileURLToPath(new URL('../../src/embed/factory.ts', import.meta.url));
    const script = `
      import { createRequire } from 'node:module';
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('onnxruntime')).length;
      const { createEmbedder } = await import(${JSON.stringify(factory)});
      await createEmbedder({ type: 'glove', cacheDir: ${JSON.stringify(cacheDir)} });
      const afterGlove = loaded();
      const t = await createEmbedder({ type: 'transformers', model: ${JSON.stringify(tiny.dir)} });
      await t.close();
      console.log(JSON.stringify({ afterGlove, afterTransformers: loaded() }));
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    const { afterGlove, afterTransformers } = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
    assert.equal(afterGlove, 0);
    assert.ok(afterTransformers > 0);
  });
});
