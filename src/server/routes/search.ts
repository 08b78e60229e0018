/** Search and context. */
import type { z } from 'zod';
import { buildContextFor } from '../../mcp/context.js';
import type { SearchOptions } from '../../memory/types.js';
import { defineRoute } from '../route.js';
import {
  ContextRequestSchema,
  ContextResponseSchema,
  ErrorSchema,
  SearchRequestSchema,
  SearchResponseSchema,
} from '../schemas.js';

const ERR = { description: 'Error', schema: ErrorSchema };

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
];
