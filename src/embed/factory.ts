import { z } from 'zod';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { createGloveEmbedder } from './glove.js';
import { createOpenAIEmbedder } from './openai.js';
import type { Embedder } from './types.js';

/**
 * Embedder configuration: what a config file or the CLI names, validated here so a typo is an INVALID_INPUT
 * error naming the field instead of a surprise later. Heavy implementations are imported only when chosen.
 */
const positiveInt = z.number().int().positive();
const dtypes = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;

export const gloveConfigSchema = z.strictObject({
  type: z.literal('glove'),
  cacheDir: z.string().min(1).optional(),
  autoPrepare: z.boolean().optional(),
  removeCommonComponent: z.boolean().optional(),
});

export const transformersConfigSchema = z.strictObject({
  type: z.literal('transformers'),
  model: z.string().min(1),
  modelDir: z.string().min(1).optional(),
  pooling: z.enum(['mean', 'cls']).optional(),
  normalize: z.boolean().optional(),
  queryPrefix: z.string().optional(),
  documentPrefix: z.string().optional(),
  batchSize: positiveInt.optional(),
  maxLength: z.number().int().min(2).optional(),
  dtype: z.enum(dtypes).optional(),
  threads: positiveInt.optional(),
});

export const openAIConfigSchema = z.strictObject({
  type: z.literal('openai'),
  baseUrl: z.string().url(),
  model: z.string().min(1),
  apiKey: z.string().optional(),
  dimensions: positiveInt.optional(),
  requestDimensions: z.boolean().optional(),
  batchSize: positiveInt.optional(),
  timeoutMs: positiveInt.optional(),
  maxRetries: z.number().int().min(0).optional(),
  queryPrefix: z.string().optional(),
  documentPrefix: z.string().optional(),
});

export const embedderConfigSchema = z.discriminatedUnion('type', [
  gloveConfigSchema,
  transformersConfigSchema,
  openAIConfigSchema,
]);

export type GloveEmbedderConfig = z.infer<typeof gloveConfigSchema>;
export type TransformersEmbedderConfig = z.infer<typeof transformersConfigSchema>;
export type OpenAIEmbedderConfig = z.infer<typeof openAIConfigSchema>;
export type EmbedderConfig = z.infer<typeof embedderConfigSchema>;

/** Formats zod issues as `field: problem; …` for an error message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`).join('; ');
}

export function validateEmbedderConfig(config: unknown): EmbedderConfig {
  const parsed = embedderConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `Invalid embedder configuration: ${describeIssues(parsed.error)}.`,
    );
  }
  return parsed.data;
}

/** Builds the embedder a configuration names. */
export async function createEmbedder(config: EmbedderConfig): Promise<Embedder> {
  const valid = validateEmbedderConfig(config);
  switch (valid.type) {
    case 'glove': {
      const { type: _, ...options } = valid;
      return createGloveEmbedder(options);
    }
    case 'transformers': {
      const { type: _, ...options } = valid;
      // Dynamic import: onnxruntime and transformers.js load only for users who chose this embedder.
      const { createTransformersEmbedder } = await import('./transformers.js');
      return createTransformersEmbedder(options);
    }
    case 'openai': {
      const { type: _, ...options } = valid;
      return createOpenAIEmbedder(options);
    }
  }
}

const NUMBER_KEYS = new Set(['batchSize', 'maxLength', 'threads', 'dimensions', 'timeoutMs', 'maxRetries']);
const BOOLEAN_KEYS = new Set(['normalize', 'removeCommonComponent', 'autoPrepare', 'requestDimensions']);

/** Parses `key=value&key=value` into typed values (numbers and booleans by key). */
export function parseSpecOptions(query: string, spec: string): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (!query) return options;
  for (const [key, value] of new URLSearchParams(query)) {
    if (NUMBER_KEYS.has(key)) {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) {
        throw new EngramError(
          ErrorCodes.INVALID_INPUT,
          `In ${JSON.stringify(spec)}, ${key} must be a number, not ${JSON.stringify(value)}.`,
        );
      }
      options[key] = n;
    } else if (BOOLEAN_KEYS.has(key)) {
      if (value !== 'true' && value !== 'false') {
        throw new EngramError(
          ErrorCodes.INVALID_INPUT,
          `In ${JSON.stringify(spec)}, ${key} must be true or false.`,
        );
      }
      options[key] = value === 'true';
    } else options[key] = value;
  }
  return options;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}

function splitLast(text: string, separator: string): [string, string | null] {
  const at = text.lastIndexOf(separator);
  return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + separator.length)];
}

/**
 * Parses an embedder spec string, as given to `--embedder`:
 *
 *   spec     = "glove" [ "?" options ]
 *            | "transformers:" model [ "?" options ]          model = folder path or hub id
 *            | "openai:" base-url "#" model [ "?" options ]   the model follows the last "#"
 *   options  = key "=" value *( "&" key "=" value )           any config field; values URL-encoded
 *
 * Examples: `glove`, `glove?removeCommonComponent=false`, `transformers:/models/all-MiniLM-L6-v2`,
 * `transformers:Xenova/bge-small-en-v1.5?dtype=q8&maxLength=256`,
 * `openai:http://127.0.0.1:11434/v1#nomic-embed-text?dimensions=768`.
 * The OpenAI API key is never part of a spec (it would land in shell history): it comes from
 * `$ENGRAM_OPENAI_API_KEY`, else `$OPENAI_API_KEY`.
 */
export function parseEmbedderSpec(spec: string, env: NodeJS.ProcessEnv = process.env): EmbedderConfig {
  const trimmed = spec.trim();
  const type = /^[a-z][a-z-]*/.exec(trimmed)?.[0] ?? '';
  const after = trimmed.slice(type.length);
  const rest = after.startsWith(':') ? after.slice(1) : '';
  let config: Record<string, unknown>;
  switch (type) {
    case 'glove': {
      if (after && !after.startsWith('?'))
        throw specError(spec, 'glove takes no target; give options as glove?key=value');
      config = { type: 'glove', ...parseSpecOptions(after.slice(1), spec) };
      break;
    }
    case 'transformers': {
      const [model, query] = splitOnce(rest, '?');
      if (!after.startsWith(':')) throw specError(spec, 'write transformers:<model folder or hub id>');
      if (!model) throw specError(spec, 'name a model folder or hub id: transformers:/path/to/model');
      config = { type: 'transformers', model, ...parseSpecOptions(query, spec) };
      break;
    }
    case 'openai': {
      const [baseUrl, modelAndOptions] = splitLast(rest, '#');
      if (!baseUrl || modelAndOptions === null) {
        throw specError(
          spec,
          'write openai:<base-url>#<model>, e.g. openai:http://127.0.0.1:11434/v1#nomic-embed-text',
        );
      }
      const [model, query] = splitOnce(modelAndOptions, '?');
      const apiKey = env.ENGRAM_OPENAI_API_KEY || env.OPENAI_API_KEY;
      config = {
        type: 'openai',
        baseUrl,
        model,
        ...(apiKey ? { apiKey } : {}),
        ...parseSpecOptions(query, spec),
      };
      break;
    }
    default:
      throw specError(spec, 'it must start with glove, transformers: or openai:');
  }
  const parsed = embedderConfigSchema.safeParse(config);
  if (!parsed.success) throw specError(spec, describeIssues(parsed.error));
  return parsed.data;
}

function specError(spec: string, reason: string): EngramError {
  return new EngramError(ErrorCodes.INVALID_INPUT, `Invalid embedder ${JSON.stringify(spec)}: ${reason}.`);
}
