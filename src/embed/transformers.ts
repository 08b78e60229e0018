import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { type Pooling, poolTokens } from './pooling.js';
import { presetFor } from './transformers-presets.js';
import {
  checkModelFolder,
  effectiveMaxLength,
  inLengthBatches,
  type LoadOptions,
  loadFailure,
  loadTransformers,
  locateModel,
  type ModelDtype,
  type ModelFiles,
  padToTensors,
  pretrainedOptions,
  specialIdsOf,
  tokenizeAll,
  truncateTokens,
} from './transformers-runtime.js';
import type { Embedder, EmbedOptions } from './types.js';
import { normalizeInPlace } from './vector.js';

export interface TransformersEmbedderOptions {
  /**
   * A local model folder (`/models/all-MiniLM-L6-v2`, `./bge-small`) or a hub id (`Xenova/all-MiniLM-L6-v2`).
   * A folder is never left: nothing is downloaded. A hub id is downloaded on first use into
   * `<cache dir>/transformers`, unless `modelDir` is given.
   */
  model: string;
  /** Folder holding hub ids as sub-folders (`<modelDir>/Xenova/all-MiniLM-L6-v2`); then `model` is looked up there. */
  modelDir?: string;
  /** Default from the model's preset: cls for bge, mean otherwise. */
  pooling?: Pooling;
  /** L2-normalise the pooled vector. Default true (the interface promises unit vectors). */
  normalize?: boolean;
  /** Prepended to queries / documents; defaults from the preset (bge: query instruction; e5: "query: "/"passage: "). */
  queryPrefix?: string;
  documentPrefix?: string;
  /** Texts per model call. Default 32. */
  batchSize?: number;
  /** Tokens per text, [CLS] and [SEP] included; longer texts are cut. Default: the model's limit (at most 512). */
  maxLength?: number;
  /** Which ONNX weights: fp32 (`onnx/model.onnx`), q8 (`onnx/model_quantized.onnx`), … Default: fp32 if present, else q8. */
  dtype?: ModelDtype;
  /** @deprecated alias of `dtype: 'q8'` (transformers.js v2 naming). */
  quantized?: boolean;
  /** ONNX Runtime intra-op threads. Default: ONNX Runtime's choice. */
  threads?: number;
}

/**
 * Any BERT-family sentence-embedding model in ONNX, run by @huggingface/transformers (loaded only here, with a
 * dynamic import). Loads the tokenizer and model at creation, so a missing or broken model fails right away
 * with MODEL_NOT_FOUND naming the file. The id names model, pooling and the options that change vectors:
 * `transformers:all-MiniLM-L6-v2:mean`.
 */
export async function createTransformersEmbedder(options: TransformersEmbedderOptions): Promise<Embedder> {
  const location = locateModel(options.model, options.modelDir);
  const requestedDtype = options.dtype ?? (options.quantized ? 'q8' : undefined);
  const files: ModelFiles | null = location.local ? checkModelFolder(location.source, requestedDtype) : null;
  const loadOptions: LoadOptions = { dtype: requestedDtype, threads: options.threads };
  const preset = presetFor(location.name);
  const pooling = options.pooling ?? preset.pooling;
  const normalize = options.normalize ?? preset.normalize;
  const queryPrefix = options.queryPrefix ?? preset.queryPrefix ?? '';
  const documentPrefix = options.documentPrefix ?? preset.documentPrefix ?? '';
  const batchSize = options.batchSize ?? 32;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `batchSize must be a positive integer, not ${batchSize}.`,
    );
  }
  if (pooling !== 'mean' && pooling !== 'cls') {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `pooling must be "mean" or "cls", not ${JSON.stringify(pooling)}.`,
    );
  }

  const transformers = await loadTransformers();
  const fromPretrained = pretrainedOptions(location, files, loadOptions);
  let tokenizer: Awaited<ReturnType<typeof transformers.AutoTokenizer.from_pretrained>>;
  let model: Awaited<ReturnType<typeof transformers.AutoModel.from_pretrained>>;
  try {
    tokenizer = await transformers.AutoTokenizer.from_pretrained(location.source, fromPretrained);
    model = await transformers.AutoModel.from_pretrained(location.source, fromPretrained);
  } catch (e) {
    throw loadFailure(location, e);
  }
  const config = (files?.config ?? (model.config as unknown as Record<string, unknown>)) as Record<
    string,
    unknown
  >;
  const dimensions = Number(config.hidden_size ?? config.d_model ?? config.dim);
  if (!(Number.isInteger(dimensions) && dimensions > 0)) {
    throw new EngramError(
      ErrorCodes.MODEL_NOT_FOUND,
      `The model ${location.source} has no hidden_size in config.json, so its vector size is unknown.`,
    );
  }
  const maxLength = effectiveMaxLength(
    tokenizer,
    config,
    options.maxLength ?? sentenceTransformersMaxLength(location),
  );
  const specialIds = specialIdsOf(tokenizer);
  const padId = tokenizer.pad_token_id ?? 0;

  const tags = [pooling, normalize ? '' : 'raw', files && files.dtype !== 'fp32' ? files.dtype : ''];
  if (queryPrefix || documentPrefix) {
    tags.push(
      `p${createHash('sha256').update(`${queryPrefix}\u0000${documentPrefix}`).digest('hex').slice(0, 8)}`,
    );
  }
  const id = `transformers:${location.name}:${tags.filter(Boolean).join(':')}`;

  const embedBatch = async (batch: { ids: number[]; types: number[] }[]): Promise<Float32Array[]> => {
    const inputs = padToTensors(transformers, batch, padId);
    let output: Record<string, { data: unknown; dims: number[] }>;
    try {
      output = (await model({
        input_ids: inputs.input_ids,
        attention_mask: inputs.attention_mask,
        token_type_ids: inputs.token_type_ids,
      })) as Record<string, { data: unknown; dims: number[] }>;
    } catch (e) {
      throw new EngramError(
        ErrorCodes.EMBEDDER_ERROR,
        `The model ${location.name} failed: ${(e as Error).message}`,
        undefined,
        {
          cause: e,
        },
      );
    }
    const tokens = output.last_hidden_state ?? output.token_embeddings;
    let vectors: Float32Array[];
    if (tokens) {
      checkWidth(tokens.dims[2], dimensions, location.name);
      vectors = poolTokens(pooling, tokens.data as Float32Array, tokens.dims, inputs.mask);
    } else if (output.sentence_embedding) {
      const pooled = output.sentence_embedding;
      checkWidth(pooled.dims[1], dimensions, location.name);
      const data = pooled.data as Float32Array;
      vectors = batch.map((_, b) => data.slice(b * dimensions, (b + 1) * dimensions));
    } else {
      throw new EngramError(
        ErrorCodes.EMBEDDER_ERROR,
        `The model ${location.name} has none of the outputs last_hidden_state, token_embeddings or sentence_embedding (it has ${Object.keys(output).join(', ')}).`,
      );
    }
    return normalize ? vectors.map((v) => normalizeInPlace(v) as Float32Array) : vectors;
  };

  let closed: Promise<unknown> | null = null;
  return {
    id,
    dimensions,
    async embed(texts: string[], embedOptions?: EmbedOptions): Promise<Float32Array[]> {
      if (closed) throw new EngramError(ErrorCodes.EMBEDDER_ERROR, `The embedder ${id} is closed.`);
      if (texts.length === 0) return [];
      const prefix =
        embedOptions?.kind === 'query'
          ? queryPrefix
          : embedOptions?.kind === 'document'
            ? documentPrefix
            : '';
      const encoded = tokenizeAll(
        tokenizer,
        texts.map((t) => prefix + t),
      ).map((e) => truncateTokens(e, maxLength, specialIds));
      return inLengthBatches(encoded, (e) => e.ids.length, batchSize, embedBatch);
    },
    async close(): Promise<void> {
      closed ??= model.dispose();
      await closed;
    },
  };
}

function checkWidth(actual: number | undefined, expected: number, name: string): void {
  if (actual !== expected) {
    throw new EngramError(
      ErrorCodes.EMBEDDER_ERROR,
      `The model ${name} produced ${actual}-dimensional vectors but its config.json says hidden_size ${expected}.`,
    );
  }
}

/** sentence-transformers exports record the length the model was trained for (all-MiniLM-L6-v2: 256). */
function sentenceTransformersMaxLength(location: { source: string; local: boolean }): number | undefined {
  const path = join(location.source, 'sentence_bert_config.json');
  if (!location.local || !existsSync(path)) return undefined;
  try {
    const value = (JSON.parse(readFileSync(path, 'utf8')) as { max_seq_length?: unknown }).max_seq_length;
    return typeof value === 'number' && Number.isInteger(value) && value >= 2 ? value : undefined;
  } catch {
    return undefined;
  }
}
