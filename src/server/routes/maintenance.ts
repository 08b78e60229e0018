/** Whole-tenant upkeep: maintenance (dedupe, supersede, archive, TTL, summaries) and re-embedding. */
import { z } from 'zod';
import { defineRoute } from '../route.js';
import { ErrorSchema, MaintainReportSchema, MaintainRequestSchema } from '../schemas.js';

const ERR = { description: 'Error', schema: ErrorSchema };
/** Both walk a whole tenant; a request timeout sized for single writes would cut them off. */
const LONG_RUNNING_MS = 10 * 60_000;

const ReindexResponseSchema = z
  .object({ embedded: z.number().int(), model: z.string().nullable() })
  .meta({ id: 'ReindexResponse' });

export const maintenanceRoutes = [
  defineRoute({
    method: 'POST',
    url: '/v1/maintain',
    operationId: 'maintain',
    summary:
      'Maintain the tenant’s memories: merge duplicates, resolve conflicts, archive, expire, summarise',
    description: 'Use dryRun to see what would change.',
    tag: 'data',
    role: 'admin',
    body: MaintainRequestSchema,
    timeoutMs: LONG_RUNNING_MS,
    responses: { 200: { description: 'What changed (or would)', schema: MaintainReportSchema }, 400: ERR },
    handler: ({ engram, body }) => engram.maintain(body),
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/reindex',
    operationId: 'reindex',
    summary: 'Embed every memory that lacks a vector of the server’s embedder',
    tag: 'data',
    role: 'admin',
    timeoutMs: LONG_RUNNING_MS,
    responses: {
      200: { description: 'How many were embedded, with which model', schema: ReindexResponseSchema },
    },
    handler: ({ engram }) => engram.reindex(),
  }),
];
