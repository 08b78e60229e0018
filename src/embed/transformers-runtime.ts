import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { isModuleNotFound, missingDependency } from '../core/optional-import.js';
import { defaultCacheDir } from './cache-dir.js';

/**
 * What the transformers embedder and the cross-encoder share: finding and checking a model folder, loading
 * `@huggingface/transformers` only when one of them is chosen, and turning texts into padded input tensors.
 */

export type TransformersModule = typeof import('@huggingface/transformers');

/** ONNX weight variants transformers.js knows, by the file suffix it looks for under `onnx/`. */
export const DTYPE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;
export type ModelDtype = keyof typeof DTYPE_SUFFIX;

export interface ModelLocation {
  /** What to hand to `from_pretrained`: an absolute folder, or a hub id. */
  source: string;
  /** True when `source` is a folder on disk; then nothing is ever downloaded. */
  local: boolean;
  /** Short model name for ids and messages (`all-MiniLM-L6-v2`). */
  name: string;
}

export interface ModelFiles {
  /** Folder under the model holding the ONNX file ('onnx', or '' for a file at the top). */
  subfolder: string;
  /** Model file name without suffix and extension, as transformers.js wants it. */
  fileName: string;
  dtype: ModelDtype;
  /** The model's config.json. */
  config: Record<string, unknown>;
}

let transformers: Promise<TransformersModule> | null = null;

/** Imports @huggingface/transformers (and onnxruntime) once, on first use. */
export function loadTransformers(): Promise<TransformersModule> {
  transformers ??= import('@huggingface/transformers').catch((e: unknown) => {
    transformers = null;
    if (isModuleNotFound(e, '@huggingface/transformers')) {
      throw missingDependency('@huggingface/transformers', 'Transformers.js embedders and rerankers', e);
    }
    throw new EngramError(
      ErrorCodes.UNSUPPORTED,
      `Could not load @huggingface/transformers (${(e as Error).message}); install it with \`npm install @huggingface/transformers\`.`,
      undefined,
      { cause: e },
    );
  });
  return transformers;
}

function looksLikePath(model: string): boolean {
  return isAbsolute(model) || /^(\.{1,2}|~)([\\/]|$)/.test(model) || existsSync(model);
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

/**
 * A model given as a path (absolute, `./…`, `~/…`, or an existing folder) is that folder; a hub id with
 * `modelDir` is the folder `modelDir/<hub id>` (the layout `huggingface-cli download --local-dir` and
 * transformers.js's `localModelPath` use); a bare hub id is downloaded by transformers.js on first use.
 */
export function locateModel(model: string, modelDir?: string): ModelLocation {
  if (!model)
    throw new EngramError(ErrorCodes.INVALID_INPUT, 'No model given: pass a model folder or a hub id.');
  const name =
    model
      .split(/[\\/]+/)
      .filter(Boolean)
      .pop() ?? model;
  if (looksLikePath(model)) return { source: resolve(expandHome(model)), local: true, name };
  if (modelDir) return { source: resolve(expandHome(modelDir), model), local: true, name };
  return { source: model, local: false, name };
}

function missing(dir: string, file: string, hint: string): EngramError {
  return new EngramError(ErrorCodes.MODEL_NOT_FOUND, `The model folder ${dir} has no ${file}; ${hint}`, {
    dir,
    file,
  });
}

function readJson(dir: string, file: string): Record<string, unknown> {
  const path = join(dir, file);
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (e) {
    throw new EngramError(
      ErrorCodes.MODEL_NOT_FOUND,
      `The model file ${path} is not valid JSON (${(e as Error).message}); download the model again.`,
      { dir, file },
      { cause: e },
    );
  }
  throw new EngramError(ErrorCodes.MODEL_NOT_FOUND, `The model file ${path} is not a JSON object.`, {
    dir,
    file,
  });
}

/**
 * Checks a local model folder before transformers.js sees it, so a broken folder gets an error naming the
 * missing file instead of a stack trace from deep inside the loader. Picks the ONNX file: the requested dtype,
 * else `onnx/model.onnx` (fp32), else `onnx/model_quantized.onnx` (q8), else a `model.onnx` at the top.
 */
export function checkModelFolder(dir: string, dtype?: ModelDtype): ModelFiles {
  const hint =
    'a transformers.js model folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx.';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new EngramError(ErrorCodes.MODEL_NOT_FOUND, `The model folder ${dir} does not exist; ${hint}`, {
      dir,
    });
  }
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    if (!existsSync(join(dir, file))) throw missing(dir, file, hint);
  }
  const config = readJson(dir, 'config.json');
  readJson(dir, 'tokenizer_config.json');
  const candidates: { subfolder: string; dtype: ModelDtype }[] = dtype
    ? [
        { subfolder: 'onnx', dtype },
        { subfolder: '', dtype },
      ]
    : [
        { subfolder: 'onnx', dtype: 'fp32' },
        { subfolder: 'onnx', dtype: 'q8' },
        { subfolder: '', dtype: 'fp32' },
      ];
  for (const candidate of candidates) {
    const file = `model${DTYPE_SUFFIX[candidate.dtype]}.onnx`;
    if (existsSync(join(dir, candidate.subfolder, file))) return { ...candidate, fileName: 'model', config };
  }
  const wanted = `onnx/model${DTYPE_SUFFIX[dtype ?? 'fp32']}.onnx`;
  throw missing(dir, wanted, dtype ? `export the ${dtype} weights or choose another dtype.` : hint);
}

export interface LoadOptions {
  dtype?: ModelDtype;
  /** ONNX Runtime intra-op threads; default lets ONNX Runtime decide. */
  threads?: number;
}

/** Options for `from_pretrained` of a located, checked model. */
export function pretrainedOptions(location: ModelLocation, files: ModelFiles | null, options: LoadOptions) {
  return {
    // A local folder never touches the network, whatever the global transformers.js env says.
    local_files_only: location.local,
    cache_dir: location.local ? undefined : join(defaultCacheDir(), 'transformers'),
    subfolder: files?.subfolder ?? 'onnx',
    model_file_name: files?.fileName ?? 'model',
    dtype: files?.dtype ?? options.dtype ?? 'fp32',
    device: 'cpu' as const,
    session_options: options.threads ? { intraOpNumThreads: options.threads } : {},
  };
}

/** Wraps a loader failure into MODEL_NOT_FOUND naming the model, keeping the library's reason. */
export function loadFailure(location: ModelLocation, e: unknown): EngramError {
  if (e instanceof EngramError) return e;
  const reason = (e as Error)?.message ?? String(e);
  const advice = location.local
    ? 'check that the folder holds a complete ONNX export (config.json, tokenizer files, onnx/model.onnx).'
    : 'give a local folder (--model-dir) on a machine without internet access.';
  return new EngramError(
    ErrorCodes.MODEL_NOT_FOUND,
    `Could not load the model ${location.source}: ${reason}; ${advice}`,
    { model: location.source },
    { cause: e },
  );
}

export interface EncodedBatch {
  input_ids: Tensor;
  attention_mask: Tensor;
  token_type_ids: Tensor;
  /** Row-major attention mask, for pooling. */
  mask: Uint8Array;
  sequence: number;
}

/** Token ids of each text (or text pair) with special tokens, before truncation and padding. */
export function tokenizeAll(
  tokenizer: PreTrainedTokenizer,
  texts: string[],
  pairs?: string[],
): { ids: number[]; types: number[] }[] {
  const encoded = tokenizer(texts, {
    text_pair: pairs ?? null,
    padding: false,
    truncation: false,
    return_tensor: false,
    return_token_type_ids: true,
  }) as unknown as { input_ids: number[][]; token_type_ids?: number[][] };
  return encoded.input_ids.map((ids, i) => ({
    ids,
    types: encoded.token_type_ids?.[i] ?? ids.map(() => 0),
  }));
}

/**
 * Truncates to `maxLength` tokens keeping the final special token ([SEP]): the model was trained on sequences
 * that end with it. transformers.js's own truncation cuts it off. For a (query, passage) pair this shortens the
 * passage, which is what rerankers want as long as the query fits.
 */
export function truncateTokens(
  encoded: { ids: number[]; types: number[] },
  maxLength: number,
  specialIds: ReadonlySet<number>,
): { ids: number[]; types: number[] } {
  const { ids, types } = encoded;
  if (ids.length <= maxLength) return encoded;
  const last = ids.length - 1;
  if (!specialIds.has(ids[last]) || maxLength < 2) {
    return { ids: ids.slice(0, maxLength), types: types.slice(0, maxLength) };
  }
  return {
    ids: [...ids.slice(0, maxLength - 1), ids[last]],
    types: [...types.slice(0, maxLength - 1), types[last]],
  };
}

/** Pads token lists to the longest one and builds the int64 input tensors. */
export function padToTensors(
  module: TransformersModule,
  rows: { ids: number[]; types: number[] }[],
  padId: number,
): EncodedBatch {
  const sequence = Math.max(...rows.map((r) => r.ids.length));
  const size = rows.length * sequence;
  const ids = new BigInt64Array(size).fill(BigInt(padId));
  const types = new BigInt64Array(size);
  const maskBig = new BigInt64Array(size);
  const mask = new Uint8Array(size);
  for (const [b, row] of rows.entries()) {
    for (let t = 0; t < row.ids.length; t++) {
      ids[b * sequence + t] = BigInt(row.ids[t]);
      types[b * sequence + t] = BigInt(row.types[t]);
      maskBig[b * sequence + t] = 1n;
      mask[b * sequence + t] = 1;
    }
  }
  const dims = [rows.length, sequence];
  return {
    input_ids: new module.Tensor('int64', ids, dims),
    attention_mask: new module.Tensor('int64', maskBig, dims),
    token_type_ids: new module.Tensor('int64', types, dims),
    mask,
    sequence,
  };
}

/** The tokenizer's maximum length, capped by what the caller asked and by BERT's usual 512 positions. */
export function effectiveMaxLength(
  tokenizer: PreTrainedTokenizer,
  config: Record<string, unknown> | undefined,
  requested?: number,
): number {
  if (requested !== undefined && !(Number.isInteger(requested) && requested >= 2)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `maxLength must be an integer of at least 2, not ${requested}.`,
    );
  }
  const positions =
    typeof config?.max_position_embeddings === 'number' ? config.max_position_embeddings : 512;
  const modelMax = Number.isFinite(tokenizer.model_max_length) ? tokenizer.model_max_length : positions;
  return Math.min(requested ?? 512, modelMax, positions);
}

export function specialIdsOf(tokenizer: PreTrainedTokenizer): Set<number> {
  return new Set((tokenizer as unknown as { all_special_ids: number[] }).all_special_ids ?? []);
}

/** Runs `work` over `items` in batches of texts of similar length (less padding), results in input order. */
export async function inLengthBatches<T, R>(
  items: T[],
  length: (item: T) => number,
  batchSize: number,
  work: (batch: T[]) => Promise<R[]>,
): Promise<R[]> {
  const order = items.map((_, i) => i).sort((a, b) => length(items[a]) - length(items[b]) || a - b);
  const results: R[] = new Array(items.length);
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    const out = await work(indices.map((i) => items[i]));
    for (const [k, i] of indices.entries()) results[i] = out[k];
  }
  return results;
}
