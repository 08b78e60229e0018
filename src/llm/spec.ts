import { z } from 'zod';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { createOpenAIChatClient, type OpenAIChatClientOptions } from './openai-chat.js';
import type { LlmClient } from './types.js';

/**
 * Chat model configuration, shared by `open({ llm })`, the CLI's `--llm` and the server's `llm` setting:
 *
 *   spec    = "none" | "openai:" base-url "#" model [ "?" options ]     the model follows the last "#"
 *   options = timeoutMs=… & maxRetries=… & temperature=…
 *
 * e.g. `openai:https://api.openai.com/v1#gpt-4o-mini`, `openai:http://127.0.0.1:11434/v1#llama3.1`. Any
 * OpenAI-compatible `/chat/completions` endpoint works (OpenAI, Azure's OpenAI-compatible route, vLLM, Ollama,
 * llama.cpp server). The API key is never part of a spec (it would land in shell history and logs): it comes
 * from `$ENGRAM_LLM_KEY`, else `$OPENAI_API_KEY`.
 */
const llmConfigSchema = z.strictObject({
  baseUrl: z.string().url(),
  model: z.string().min(1),
  apiKey: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
  maxRetries: z.number().int().min(0).optional(),
  temperature: z.number().min(0).max(2).optional(),
});

/** What `--llm`, `ENGRAM_LLM` and `open({ llm })` accept. */
export type LlmChoice = LlmClient | string;

export const LLM_SPEC_HELP =
  'openai:<base-url>#<model>, e.g. openai:http://127.0.0.1:11434/v1#llama3.1 (key from $ENGRAM_LLM_KEY or $OPENAI_API_KEY)';

/** What a user reads when an operation needs a chat model and none is set. */
export const LLM_NOT_CONFIGURED_HELP =
  'This needs a chat model and none is configured: pass --llm openai:<base-url>#<model> on the command line, ' +
  'set ENGRAM_LLM for the server, or open({ llm }) in code (the key comes from $ENGRAM_LLM_KEY or $OPENAI_API_KEY).';

export function parseLlmSpec(spec: string, env: NodeJS.ProcessEnv = process.env): OpenAIChatClientOptions {
  const trimmed = spec.trim();
  if (!trimmed.startsWith('openai:')) throw specError(spec, `write ${LLM_SPEC_HELP}`);
  const rest = trimmed.slice('openai:'.length);
  const hash = rest.lastIndexOf('#');
  if (hash <= 0) throw specError(spec, `write ${LLM_SPEC_HELP}`);
  const baseUrl = rest.slice(0, hash);
  const afterHash = rest.slice(hash + 1);
  const question = afterHash.indexOf('?');
  const model = question < 0 ? afterHash : afterHash.slice(0, question);
  const options: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(question < 0 ? '' : afterHash.slice(question + 1))) {
    // Every option is a number; zod names the key when one is not.
    options[key] = value.trim() === '' ? value : Number(value);
  }
  const apiKey = env.ENGRAM_LLM_KEY || env.OPENAI_API_KEY;
  const parsed = llmConfigSchema.safeParse({ baseUrl, model, ...(apiKey ? { apiKey } : {}), ...options });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(spec)'}: ${i.message}`);
    throw specError(spec, issues.join('; '));
  }
  return parsed.data;
}

/** A client from a spec string (or the client itself); null for "none" or nothing. */
export function resolveLlm(
  choice: LlmChoice | null | undefined,
  env: NodeJS.ProcessEnv = process.env,
): LlmClient | null {
  if (choice === undefined || choice === null) return null;
  if (typeof choice === 'string') {
    if (choice.trim() === '' || choice.trim() === 'none') return null;
    return createOpenAIChatClient(parseLlmSpec(choice, env));
  }
  if (typeof choice === 'object' && typeof choice.chat === 'function' && typeof choice.id === 'string') {
    return choice;
  }
  throw new EngramError(
    ErrorCodes.INVALID_INPUT,
    `llm must be a spec string (${LLM_SPEC_HELP}) or an object with id and chat(messages)`,
  );
}

/** The configured client, or the error that tells the user how to configure one. */
export function requireLlm(llm: LlmClient | null): LlmClient {
  if (!llm) throw new EngramError(ErrorCodes.LLM_NOT_CONFIGURED, LLM_NOT_CONFIGURED_HELP);
  return llm;
}

function specError(spec: string, reason: string): EngramError {
  return new EngramError(ErrorCodes.INVALID_INPUT, `Invalid LLM ${JSON.stringify(spec)}: ${reason}.`);
}
