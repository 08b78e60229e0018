import { z } from 'zod';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { describeIssues, parseSpecOptions } from '../embed/factory.js';
import type { Reranker } from './types.js';

/** Reranker configuration, validated; the cross-encoder and its ONNX runtime load only when chosen. */
export const crossEncoderConfigSchema = z.strictObject({
  type: z.literal('cross-encoder'),
  model: z.string().min(1),
  modelDir: z.string().min(1).optional(),
  batchSize: z.number().int().positive().optional(),
  maxLength: z.number().int().min(2).optional(),
  dtype: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']).optional(),
  threads: z.number().int().positive().optional(),
  activation: z.enum(['none', 'sigmoid']).optional(),
});

export const rerankerConfigSchema = z.discriminatedUnion('type', [crossEncoderConfigSchema]);

export type CrossEncoderConfig = z.infer<typeof crossEncoderConfigSchema>;
export type RerankerConfig = z.infer<typeof rerankerConfigSchema>;

export function validateRerankerConfig(config: unknown): RerankerConfig {
  const parsed = rerankerConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `Invalid reranker configuration: ${describeIssues(parsed.error)}.`,
    );
  }
  return parsed.data;
}

export async function createReranker(config: RerankerConfig): Promise<Reranker> {
  const { type: _, ...options } = validateRerankerConfig(config);
  const { createCrossEncoderReranker } = await import('./cross-encoder.js');
  return createCrossEncoderReranker(options);
}

/**
 * Parses a reranker spec string, as given to `--reranker`:
 *
 *   spec    = "cross-encoder:" model [ "?" options ]   model = folder path or hub id
 *   options = key "=" value *( "&" key "=" value )
 *
 * Examples: `cross-encoder:/models/ms-marco-MiniLM-L-6-v2`,
 * `cross-encoder:Xenova/ms-marco-MiniLM-L-6-v2?activation=sigmoid&maxLength=256`.
 */
export function parseRerankerSpec(spec: string): RerankerConfig {
  const trimmed = spec.trim();
  const prefix = 'cross-encoder:';
  if (!trimmed.startsWith(prefix)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `Invalid reranker ${JSON.stringify(spec)}: write cross-encoder:<model folder or hub id>.`,
    );
  }
  const rest = trimmed.slice(prefix.length);
  const at = rest.indexOf('?');
  const model = at < 0 ? rest : rest.slice(0, at);
  const query = at < 0 ? '' : rest.slice(at + 1);
  const parsed = rerankerConfigSchema.safeParse({
    type: 'cross-encoder',
    model,
    ...parseSpecOptions(query, spec),
  });
  if (!parsed.success) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `Invalid reranker ${JSON.stringify(spec)}: ${describeIssues(parsed.error)}.`,
    );
  }
  return parsed.data;
}
