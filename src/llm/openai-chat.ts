import { EngramError, ErrorCodes } from '../core/errors.js';
import { postJson } from '../net/post-json.js';
import type { ChatMessage, ChatOptions, LlmClient } from './types.js';

export interface OpenAIChatClientOptions {
  /** API root, e.g. `http://127.0.0.1:11434/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Per request attempt; a call's own `timeoutMs` overrides it. Default 120 000 ms (generation is slow). */
  timeoutMs?: number;
  /** Retries on 429, 5xx, network errors and timeouts. Default 3. */
  maxRetries?: number;
  /** Default sampling temperature; a call's own `temperature` overrides it. Default 0 (repeatable extraction). */
  temperature?: number;
  /** First retry delay before jitter (default 500 ms); tests shorten it. */
  retryBaseDelayMs?: number;
}

export function chatCompletionsUrl(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return trimmed.endsWith('/chat/completions') ? trimmed : `${trimmed}/chat/completions`;
}

/**
 * An LlmClient over any OpenAI-compatible `/v1/chat/completions` endpoint. With `json: true` it asks for
 * `response_format: {type: "json_object"}`; the caller still validates the text it gets, since not every
 * server honours the format.
 */
export function createOpenAIChatClient(options: OpenAIChatClientOptions): LlmClient {
  try {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `The chat endpoint URL ${JSON.stringify(options.baseUrl)} is not an http(s) URL; use e.g. http://127.0.0.1:11434/v1.`,
    );
  }
  if (!options.model) throw new EngramError(ErrorCodes.INVALID_INPUT, 'The chat client needs a model name.');
  const url = chatCompletionsUrl(options.baseUrl);

  return {
    id: `openai-chat:${options.model}`,
    async chat(messages: ChatMessage[], chatOptions: ChatOptions = {}): Promise<string> {
      if (messages.length === 0)
        throw new EngramError(ErrorCodes.INVALID_INPUT, 'A chat needs at least one message.');
      const body: Record<string, unknown> = {
        model: options.model,
        messages,
        temperature: chatOptions.temperature ?? options.temperature ?? 0,
      };
      if (chatOptions.json) body.response_format = { type: 'json_object' };
      const answer = await postJson({
        url,
        body,
        apiKey: options.apiKey,
        timeoutMs: chatOptions.timeoutMs ?? options.timeoutMs ?? 120_000,
        maxRetries: options.maxRetries,
        baseDelayMs: options.retryBaseDelayMs,
        signal: chatOptions.signal,
        errorCode: ErrorCodes.LLM_ERROR,
        what: 'chat endpoint',
      });
      const choice = (
        answer as { choices?: { message?: { content?: unknown }; finish_reason?: unknown }[] } | null
      )?.choices?.[0];
      const content = choice?.message?.content;
      if (typeof content !== 'string') {
        throw new EngramError(
          ErrorCodes.LLM_ERROR,
          `The chat endpoint at ${url} answered without choices[0].message.content.`,
          { url },
        );
      }
      if (choice?.finish_reason === 'length' && chatOptions.json) {
        throw new EngramError(
          ErrorCodes.LLM_ERROR,
          `The chat endpoint at ${url} stopped at its length limit before finishing the JSON answer; use a model with a longer output limit.`,
          { url },
        );
      }
      return content;
    },
  };
}
