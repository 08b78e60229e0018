/** Search and context. */
import type { z } from 'zod';
import { buildContextFor } from '../../mcp/context.js';
import type { SearchOptions } from '../../memory/types.js';
import { defineRoute } from '../route.js';
import {
  AskRequestSchema,
  AskResponseSchema,
  ContextRequestSchema,
  ContextResponseSchema,
  ErrorSchema,
  SearchRequestSchema,
  SearchResponseSchema,
} from '../schemas.js';

const ERR = { description: 'Error', schema: ErrorSchema };
/** A chat model answers in seconds to minutes; the request timeout sized for searches would cut it off. */
const ASK_TIMEOUT_MS = 5 * 60_000;

function toSearchOptions(body: z.output<typeof SearchRequestSchema>): SearchOptions {
  const { query: _query, ...options } = body;
  return options;
}

export const searchRoutes = [
  defineRoute({
    method: 'POST',
    url: '/v1/search',
    operationId: 'search',
    summary: 'Hybrid search (BM25 + vectors) over one user’s memories',
    description: 'A POST so that the query text stays out of URLs and access logs.',
    tag: 'search',
    role: 'read',
    body: SearchRequestSchema,
    responses: { 200: { description: 'Best hits first', schema: SearchResponseSchema }, 400: ERR },
    handler: async ({ engram, body }) => ({ hits: await engram.search(body.query, toSearchOptions(body)) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/context',
    operationId: 'context',
    summary: 'Prompt-ready context for a query, within a token budget',
    description: 'Recalled memories are framed as quoted data, not instructions.',
    tag: 'search',
    role: 'read',
    body: ContextRequestSchema,
    responses: {
      200: { description: 'Context text and the hits it quotes', schema: ContextResponseSchema },
      400: ERR,
    },
    handler: ({ engram, body }) => buildContextFor(engram, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/ask',
    operationId: 'ask',
    summary: 'Answer a question from memory with the configured LLM, citing memory ids',
    description:
      'Needs a chat model (`llm` in the server configuration, or `ENGRAM_LLM`); without one the answer is 501 `LLM_NOT_CONFIGURED`. ' +
      'A failing model is 502 `LLM_ERROR` or 503 `TIMEOUT`.',
    tag: 'search',
    role: 'read',
    body: AskRequestSchema,
    timeoutMs: ASK_TIMEOUT_MS,
    responses: {
      200: { description: 'The answer and the memories it cites', schema: AskResponseSchema },
      400: ERR,
      501: ERR,
      502: ERR,
    },
    handler: ({ engram, body }) => {
      const { maxTokens, ...rest } = body;
      return engram.ask({ ...rest, ...(maxTokens !== undefined ? { tokenBudget: maxTokens } : {}) });
    },
  }),
];
