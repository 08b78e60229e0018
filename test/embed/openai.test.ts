import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EngramError } from '../../src/core/errors.js';
import { createOpenAIEmbedder, embeddingsUrl } from '../../src/embed/openai.js';
import { type FakeOpenAIServer, fakeVector, startFakeOpenAIServer } from '../helpers/tiny-openai-server.js';
import { embedderConformance } from './conformance.js';

let server: FakeOpenAIServer;
before(async () => {
  server = await startFakeOpenAIServer({ dims: 8 });
});
after(async () => {
  await server.close();
});

const fast = { retryBaseDelayMs: 1, timeoutMs: 5000 };

embedderConformance(
  'openai (local fake server)',
  async () => createOpenAIEmbedder({ baseUrl: server.url, model: 'fake', ...fast }),
  {
    skipSemantic: 'the fake server returns hash-based vectors with no meaning',
    zeroTexts: ['', '   '],
  },
);

const isEngramError = (code: string, pattern?: RegExp) => (e: unknown) =>
  e instanceof EngramError && e.code === code && (!pattern || pattern.test(e.message));

function normalised(values: number[]): number[] {
  const length = Math.hypot(...values);
  return values.map((x) => x / length);
}

/** Float32 rounding differs from the float64 reference in the last bits only. */
function assertNear(actual: Float32Array, expected: number[]): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) < 1e-6, `component ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('openai embedder', () => {
  before(() => {
    server.requests.length = 0;
  });

  it('learns the dimensions from one probe request, or takes them without any request', async () => {
    server.requests.length = 0;
    const probed = await createOpenAIEmbedder({ baseUrl: server.url, model: 'fake', ...fast });
    assert.equal(probed.dimensions, 8);
    assert.equal(probed.id, 'openai:fake:8d');
    assert.equal(server.requests.length, 1);
    const given = await createOpenAIEmbedder({ baseUrl: server.url, model: 'fake', dimensions: 8, ...fast });
    assert.equal(given.dimensions, 8);
    assert.equal(server.requests.length, 1, 'no request when the dimensions are given');
  });

  it('sends the model, inputs and key, and returns the server vectors normalised, in input order', async () => {
    server.requests.length = 0;
    const embedder = await createOpenAIEmbedder({
      baseUrl: `${server.url}/`,
      model: 'fake',
      apiKey: 'sk-test',
      dimensions: 8,
      ...fast,
    });
    const vectors = await embedder.embed(['alpha', 'beta']);
    assertNear(vectors[0], normalised(fakeVector('alpha', 8)));
    assertNear(vectors[1], normalised(fakeVector('beta', 8)));
    const [request] = server.requests;
    assert.equal(request.path, '/v1/embeddings');
    assert.equal(request.headers.authorization, 'Bearer sk-test');
    assert.deepEqual(request.body, { model: 'fake', input: ['alpha', 'beta'], encoding_format: 'float' });
  });

  it('splits large inputs into batches and skips blank texts', async () => {
    server.requests.length = 0;
    const embedder = await createOpenAIEmbedder({
      baseUrl: server.url,
      model: 'fake',
      dimensions: 8,
      batchSize: 4,
      ...fast,
    });
    const texts = Array.from({ length: 10 }, (_, i) => (i === 5 ? ' ' : `text ${i}`));
    const vectors = await embedder.embed(texts);
    assert.deepEqual(
      server.requests.map((r) => (r.body as { input: string[] }).input.length),
      [4, 4, 1],
    );
    assert.ok(vectors[5].every((x) => x === 0));
    for (const i of [0, 4, 9]) assertNear(vectors[i], normalised(fakeVector(`text ${i}`, 8)));
  });

  it('adds the query and document prefixes, and names them in the id', async () => {
    server.requests.length = 0;
    const embedder = await createOpenAIEmbedder({
      baseUrl: server.url,
      model: 'fake',
      dimensions: 8,
      queryPrefix: 'search_query: ',
      documentPrefix: 'search_document: ',
      ...fast,
    });
    await embedder.embed(['x'], { kind: 'query' });
    await embedder.embed(['y'], { kind: 'document' });
    await embedder.embed(['z']);
    assert.deepEqual(
      server.requests.map((r) => (r.body as { input: string[] }).input[0]),
      ['search_query: x', 'search_document: y', 'z'],
    );
    assert.match(embedder.id, /^openai:fake:8d:p[0-9a-f]{8}$/);
  });

  it('sends dimensions only when asked to', async () => {
    server.requests.length = 0;
    const embedder = await createOpenAIEmbedder({
      baseUrl: server.url,
      model: 'fake',
      dimensions: 8,
      requestDimensions: true,
      ...fast,
    });
    await embedder.embed(['x']);
    assert.equal((server.requests[0].body as { dimensions?: number }).dimensions, 8);
  });

  it('reads base64-encoded embeddings', async () => {
    const values = [3, 4, 0, 0];
    const bytes = Buffer.alloc(16);
    for (const [i, v] of values.entries()) bytes.writeFloatLE(v, i * 4);
    server.queue({ json: { data: [{ index: 0, embedding: bytes.toString('base64') }] } });
    const embedder = await createOpenAIEmbedder({
      baseUrl: server.url,
      model: 'fake',
      dimensions: 4,
      ...fast,
    });
    const [vector] = await embedder.embed(['x']);
    assertNear(vector, [0.6, 0.8, 0, 0]);
  });

  it('retries a 429 and succeeds', async () => {
    server.requests.length = 0;
    server.queue({ status: 429, headers: { 'retry-after': '0' }, json: { error: { message: 'slow down' } } });
    const embedder = await createOpenAIEmbedder({
      baseUrl: server.url,
      model: 'fake',
      dimensions: 8,
      ...fast,
    });
    const [vector] = await embedder.embed(['after the limit']);
    assertNear(vector, normalised(fakeVector('after the limit', 8)));
    assert.equal(server.requests.length, 2);
  });

  it('gives up with EMBEDDER_ERROR after maxRetries server errors', async () => {
    server.requests.length = 0;
    const failure = { status: 500, json: { error: { message: 'model crashed' } } };
    server.queue(failure, failure, failure);
    const embedder = await createOpenAIEmbedder({
      baseUrl: server.url,
      model: 'fake',
      dimensions: 8,
      maxRetries: 2,
      ...fast,
    });
    await assert.rejects(
      embedder.embed(['x']),
      isEngramError('EMBEDDER_ERROR', /HTTP 500: model crashed.*gave up after 3 attempts/),
    );
    assert.equal(server.requests.length, 3);
  });

  it('fails at once on a client error, quoting the server', async () => {
    server.requests.length = 0;
    server.queue({ status: 400, json: { error: { message: 'input too long' } } });
    const embedder = await createOpenAIEmbedder({
      baseUrl: server.url,
      model: 'fake',
      dimensions: 8,
      ...fast,
    });
    await assert.rejects(embedder.embed(['x']), isEngramError('EMBEDDER_ERROR', /HTTP 400: input too long/));
    assert.equal(server.requests.length, 1);
  });

  it('times out a hanging server with TIMEOUT', async () => {
    server.queue('hang');
    const embedder = await createOpenAIEmbedder({
      baseUrl: server.url,
      model: 'fake',
      dimensions: 8,
      timeoutMs: 200,
      maxRetries: 0,
    });
    await assert.rejects(embedder.embed(['x']), isEngramError('TIMEOUT', /did not answer within 200 ms/));
  });

  it('rejects malformed JSON and malformed answers with EMBEDDER_ERROR', async () => {
    const embedder = await createOpenAIEmbedder({
      baseUrl: server.url,
      model: 'fake',
      dimensions: 8,
      ...fast,
    });
    server.requests.length = 0;
    server.queue({ text: '{"data": [' });
    await assert.rejects(embedder.embed(['x']), isEngramError('EMBEDDER_ERROR', /invalid JSON/));
    assert.equal(server.requests.length, 1, 'broken JSON is not retried');
    server.queue({ json: { data: [{ index: 0, embedding: [1, 2, 3] }] } });
    await assert.rejects(
      embedder.embed(['x']),
      isEngramError('EMBEDDER_ERROR', /3-dimensional embedding where 8/),
    );
    server.queue({ json: { data: [] } });
    await assert.rejects(embedder.embed(['x']), isEngramError('EMBEDDER_ERROR', /0 embeddings for 1 inputs/));
    server.queue({ json: { data: [{ index: 0, embedding: ['a', 'b'] }] } });
    await assert.rejects(embedder.embed(['x']), isEngramError('EMBEDDER_ERROR', /malformed embedding/));
    server.queue({ json: { result: [] } });
    await assert.rejects(embedder.embed(['x']), isEngramError('EMBEDDER_ERROR', /without a "data" array/));
  });

  it('reports an unreachable server and a bad URL', async () => {
    const closed = await startFakeOpenAIServer();
    await closed.close();
    await assert.rejects(
      createOpenAIEmbedder({ baseUrl: closed.url, model: 'fake', maxRetries: 1, retryBaseDelayMs: 1 }),
      isEngramError('EMBEDDER_ERROR', /Could not reach the embedding endpoint.*ECONNREFUSED/),
    );
    await assert.rejects(
      createOpenAIEmbedder({ baseUrl: 'localhost:11434', model: 'x' }),
      isEngramError('INVALID_INPUT'),
    );
    await assert.rejects(
      createOpenAIEmbedder({ baseUrl: server.url, model: 'x', dimensions: 0 }),
      isEngramError('INVALID_INPUT'),
    );
  });

  it('builds the endpoint URL from the API root', () => {
    assert.equal(embeddingsUrl('http://h:1/v1'), 'http://h:1/v1/embeddings');
    assert.equal(embeddingsUrl('http://h:1/v1/'), 'http://h:1/v1/embeddings');
    assert.equal(embeddingsUrl('http://h:1/v1/embeddings'), 'http://h:1/v1/embeddings');
  });
});
