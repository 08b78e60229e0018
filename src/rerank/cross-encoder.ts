import { EngramError, ErrorCodes } from '../core/errors.js';
import {
  checkModelFolder,
  effectiveMaxLength,
  inLengthBatches,
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
} from '../embed/transformers-runtime.js';
import type { Reranker } from './types.js';

export interface CrossEncoderOptions {
  /** A local model folder or a hub id (e.g. `Xenova/ms-marco-MiniLM-L-6-v2`), as for the transformers embedder. */
  model: string;
  /** Folder holding hub ids as sub-folders. */
  modelDir?: string;
  /** (query, passage) pairs per model call. Default 16. */
  batchSize?: number;
  /** Tokens per pair, special tokens included; the passage is cut first. Default: the model's limit (≤ 512). */
  maxLength?: number;
  /** ONNX weights variant; default fp32 if present, else q8. */
  dtype?: ModelDtype;
  /** ONNX Runtime intra-op threads. */
  threads?: number;
  /**
   * `none` (default): the raw relevance logit, unbounded, as sentence-transformers' CrossEncoder.predict
   * returns for ms-marco models; `sigmoid`: squashed into (0, 1), a probability-like score for thresholds.
   * Both give the same order.
   */
  activation?: 'none' | 'sigmoid';
}

/**
 * A BertForSequenceClassification cross-encoder (ms-marco MiniLM and kin) run by @huggingface/transformers:
 * each (query, passage) pair is read jointly and scored. A one-label model's logit is the score; a two-label
 * (not relevant, relevant) model scores logit₁ − logit₀, the log-odds of "relevant", so both kinds rank the same
 * way and the sigmoid of either is a probability.
 */
export async function createCrossEncoderReranker(options: CrossEncoderOptions): Promise<Reranker> {
  const location = locateModel(options.model, options.modelDir);
  const files: ModelFiles | null = location.local ? checkModelFolder(location.source, options.dtype) : null;
  const batchSize = options.batchSize ?? 16;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `batchSize must be a positive integer, not ${batchSize}.`,
    );
  }
  const activation = options.activation ?? 'none';
  if (activation !== 'none' && activation !== 'sigmoid') {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `activation must be "none" or "sigmoid", not ${activation}.`,
    );
  }

  const transformers = await loadTransformers();
  const fromPretrained = pretrainedOptions(location, files, {
    dtype: options.dtype,
    threads: options.threads,
  });
  let tokenizer: Awaited<ReturnType<typeof transformers.AutoTokenizer.from_pretrained>>;
  let model: Awaited<ReturnType<typeof transformers.AutoModelForSequenceClassification.from_pretrained>>;
  try {
    tokenizer = await transformers.AutoTokenizer.from_pretrained(location.source, fromPretrained);
    model = await transformers.AutoModelForSequenceClassification.from_pretrained(
      location.source,
      fromPretrained,
    );
  } catch (e) {
    throw loadFailure(location, e);
  }
  const config = (files?.config ?? (model.config as unknown as Record<string, unknown>)) as Record<
    string,
    unknown
  >;
  const maxLength = effectiveMaxLength(tokenizer, config, options.maxLength);
  const specialIds = specialIdsOf(tokenizer);
  const padId = tokenizer.pad_token_id ?? 0;
  const tags = [
    activation === 'sigmoid' ? 'sigmoid' : '',
    files && files.dtype !== 'fp32' ? files.dtype : '',
  ];
  const id = [`cross-encoder:${location.name}`, ...tags.filter(Boolean)].join(':');

  const scoreBatch = async (batch: { ids: number[]; types: number[] }[]): Promise<number[]> => {
    const inputs = padToTensors(transformers, batch, padId);
    let logits: { data: unknown; dims: number[] };
    try {
      const output = (await model({
        input_ids: inputs.input_ids,
        attention_mask: inputs.attention_mask,
        token_type_ids: inputs.token_type_ids,
      })) as { logits?: { data: unknown; dims: number[] } };
      if (!output.logits) throw new Error('the model has no "logits" output');
      logits = output.logits;
    } catch (e) {
      throw new EngramError(
        ErrorCodes.RERANKER_ERROR,
        `The cross-encoder ${location.name} failed: ${(e as Error).message}`,
        undefined,
        { cause: e },
      );
    }
    const labels = logits.dims[1] ?? 1;
    if (labels !== 1 && labels !== 2) {
      throw new EngramError(
        ErrorCodes.RERANKER_ERROR,
        `The cross-encoder ${location.name} has ${labels} output labels; only 1 (relevance) or 2 (not relevant, relevant) can rank.`,
      );
    }
    const data = logits.data as Float32Array;
    return batch.map((_, b) => {
      const logit = labels === 1 ? data[b] : data[b * 2 + 1] - data[b * 2];
      return activation === 'sigmoid' ? 1 / (1 + Math.exp(-logit)) : logit;
    });
  };

  let closed: Promise<unknown> | null = null;
  return {
    id,
    async score(query: string, passages: string[]): Promise<number[]> {
      if (closed) throw new EngramError(ErrorCodes.RERANKER_ERROR, `The reranker ${id} is closed.`);
      if (passages.length === 0) return [];
      const encoded = tokenizeAll(
        tokenizer,
        passages.map(() => query),
        passages,
      ).map((e) => truncateTokens(e, maxLength, specialIds));
      return inLengthBatches(encoded, (e) => e.ids.length, batchSize, scoreBatch);
    },
    async close(): Promise<void> {
      closed ??= model.dispose();
      await closed;
    },
  };
}
