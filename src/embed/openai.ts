import { createHash } from 'node:crypto';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { postJson } from '../net/post-json.js';
import type { Embedder, EmbedOptions } from './types.js';
import { normalizeInPlace } from './vector.js';

export interface OpenAIEmbedderOptions {
  /** API root, e.g. `http://127.0.0.1:11434/v1` (Ollama), `https://api.openai.com/v1`; `/embeddings` is appended. */
  baseUrl: string;
  /** Model name as the server knows it, e.g. `nomic-embed-text`, `text-embedding-3-small`. */
  model: string;
  /** Sent as a Bearer token. Local servers usually need none. */
  apiKey?: string;
  /**
   * Vector length. When omitted, `createOpenAIEmbedder` embeds one probe text at creation to learn it (so the
   * server must be reachable then); give it to create the embedder without any request.
   */
  dimensions?: number;
  /**
   * Also send `dimensions` in each request, for models that can shorten their vectors (OpenAI
   * text-embedding-3-*). Default false: most servers reject or ignore the field.
   */
  requestDimensions?: boolean;
  /** Texts per request. Default 64. */
  batchSize?: number;
  /** Per request attempt. Default 60 000 ms. */
  timeoutMs?: number;
  /** Retries on 429, 5xx, network errors and timeouts. Default 3. */
  maxRetries?: number;
  /** Prepended to queries / documents, for models trained with prefixes (nomic: "search_query: "). */
  queryPrefix?: string;
  documentPrefix?: string;
  /** First retry delay before jitter (default 500 ms); tests shorten it. */
  retryBaseDelayMs?: number;
}

const PROBE_TEXT = 'dimension probe';

/**
 * An embedder over any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, vLLM, TEI, LM Studio …).
 * Vectors are L2-normalised here, since not every server does. Empty or blank texts are not sent (servers
 * reject them) and get the all-zeros vector.
 */
export async function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Promise<Embedder> {
  validate(options);
  if (options.dimensions !== undefined) return openAIEmbedder(options, options.dimensions);
  const [probe] = await requestEmbeddings(options, [PROBE_TEXT], undefined);
  return openAIEmbedder(options, probe.length);
}

function validate(options: OpenAIEmbedderOptions): void {
  try {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `The embedding endpoint URL ${JSON.stringify(options.baseUrl)} is not an http(s) URL; use e.g. http://127.0.0.1:11434/v1.`,
    );
  }
  if (!options.model)
    throw new EngramError(ErrorCodes.INVALID_INPUT, 'The OpenAI-compatible embedder needs a model name.');
  if (options.dimensions !== undefined && !(Number.isInteger(options.dimensions) && options.dimensions > 0)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `dimensions must be a positive integer, not ${options.dimensions}.`,
    );
  }
  if (options.batchSize !== undefined && !(Number.isInteger(options.batchSize) && options.batchSize > 0)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `batchSize must be a positive integer, not ${options.batchSize}.`,
    );
  }
}

export function embeddingsUrl(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return trimmed.endsWith('/embeddings') ? trimmed : `${trimmed}/embeddings`;
}

function openAIEmbedder(options: OpenAIEmbedderOptions, dimensions: number): Embedder {
  const batchSize = options.batchSize ?? 64;
  const prefixes = [options.queryPrefix ?? '', options.documentPrefix ?? ''];
  // Prefixes change the vectors, so they are part of the id; a short hash keeps the id readable.
  const prefixTag = prefixes.some(Boolean)
    ? `:p${createHash('sha256').update(prefixes.join('\u0000')).digest('hex').slice(0, 8)}`
    : '';
  const id = `openai:${options.model}:${dimensions}d${prefixTag}`;

  return {
    id,
    dimensions,
    async embed(texts: string[], embedOptions?: EmbedOptions): Promise<Float32Array[]> {
      const prefix =
        embedOptions?.kind === 'query' ? prefixes[0] : embedOptions?.kind === 'document' ? prefixes[1] : '';
      const out: Float32Array[] = texts.map(() => new Float32Array(dimensions));
      const pending = texts.flatMap((text, i) => (text.trim() === '' ? [] : [i]));
      for (let start = 0; start < pending.length; start += batchSize) {
        const indices = pending.slice(start, start + batchSize);
        const vectors = await requestEmbeddings(
          options,
          indices.map((i) => prefix + texts[i]),
          dimensions,
        );
        for (const [k, i] of indices.entries()) out[i] = vectors[k];
      }
      return out;
    },
  };
}

interface EmbeddingItem {
  index?: unknown;
  embedding?: unknown;
}

async function requestEmbeddings(
  options: OpenAIEmbedderOptions,
  input: string[],
  dimensions: number | undefined,
): Promise<Float32Array[]> {
  const url = embeddingsUrl(options.baseUrl);
  const body: Record<string, unknown> = { model: options.model, input, encoding_format: 'float' };
  if (options.requestDimensions && options.dimensions) body.dimensions = options.dimensions;
  const answer = await postJson({
    url,
    body,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    baseDelayMs: options.retryBaseDelayMs,
    errorCode: ErrorCodes.EMBEDDER_ERROR,
    what: 'embedding endpoint',
  });
  const bad = (reason: string): EngramError =>
    new EngramError(ErrorCodes.EMBEDDER_ERROR, `The embedding endpoint at ${url} answered ${reason}.`, {
      url,
    });
  const data = (answer as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw bad('without a "data" array');
  if (data.length !== input.length) throw bad(`${data.length} embeddings for ${input.length} inputs`);

  const vectors: Float32Array[] = new Array(input.length);
  for (const [position, item] of (data as EmbeddingItem[]).entries()) {
    // Servers should return items in input order with an `index`; trust the index when there is one.
    const index = typeof item?.index === 'number' ? item.index : position;
    if (!Number.isInteger(index) || index < 0 || index >= input.length || vectors[index]) {
      throw bad(`an embedding with a bad or repeated index ${String(item?.index)}`);
    }
    const vector = toVector(item?.embedding);
    if (!vector)
      throw bad(`a malformed embedding at index ${index} (expected a list of numbers or base64 floats)`);
    const expected = dimensions ?? vectors.find(Boolean)?.length ?? vector.length;
    if (vector.length !== expected) {
      throw bad(
        `a ${vector.length}-dimensional embedding where ${expected} dimensions were expected (set "dimensions" to the model's size)`,
      );
    }
    vectors[index] = normalizeInPlace(vector) as Float32Array;
  }
  return vectors;
}

function toVector(embedding: unknown): Float32Array | null {
  if (Array.isArray(embedding)) {
    if (embedding.length === 0 || !embedding.every((x) => typeof x === 'number' && Number.isFinite(x)))
      return null;
    return Float32Array.from(embedding as number[]);
  }
  if (typeof embedding === 'string') {
    // encoding_format "base64": little-endian float32s.
    const bytes = Buffer.from(embedding, 'base64');
    if (bytes.length === 0 || bytes.length % 4 !== 0) return null;
    const vector = new Float32Array(bytes.length / 4);
    for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
    return vector.every(Number.isFinite) ? vector : null;
  }
  return null;
}
