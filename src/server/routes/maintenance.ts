/** Whole-tenant upkeep: maintenance (dedupe, supersede, archive, TTL, summaries) and re-embedding. */
import { z } from 'zod';
import { defineRoute } from '../route.js';
import { ErrorSchema, LlmFallbackSchema } from '../schemas.js';

const ERR = { description: 'Error', schema: ErrorSchema };
/** Both walk a whole tenant; a request timeout sized for single writes would cut them off. */
const LONG_RUNNING_MS = 10 * 60_000;

export const MaintainRequestSchema = z
  .strictObject({
    user: z.string().min(1).max(256).optional().describe('One user; default every user of the tenant.'),
    now: z.string().min(1).max(64).optional(),
    dryRun: z.boolean().optional().describe('Report what would change, change nothing.'),
    ttlDays: z
      .union([z.number().positive(), z.record(z.string(), z.number().positive())])
      .optional()
      .describe('Days to keep memories: one figure, or per user ("*" for the rest).'),
    ttlAction: z.enum(['delete', 'erase']).optional(),
    resolveConflicts: z.boolean().optional(),
    mergeDuplicates: z.boolean().optional(),
    archive: z.boolean().optional(),
    archiveStrengthBelow: z.number().min(0).max(1).optional(),
    archiveImportanceBelow: z.number().min(0).max(1).optional(),
    summarize: z.boolean().optional(),
    minSessionTurns: z.number().int().min(1).optional(),
    useLlm: z.boolean().optional(),
  })
  .meta({ id: 'MaintainRequest' });

const MaintainReportSchema = z
  .object({
    dryRun: z.boolean(),
    now: z.string(),
    users: z.array(z.string()),
    expired: z.array(z.string()),
    resolved: z.array(z.object({ closed: z.string(), by: z.string() })),
    merged: z.array(z.object({ kept: z.string(), removed: z.array(z.string()) })),
    archived: z.array(z.string()),
    summaries: z.array(
      z.object({
        id: z.string(),
        session: z.string(),
        method: z.enum(['extractive', 'llm']),
        replaced: z.boolean(),
      }),
    ),
    llmRetried: z
      .object({ turns: z.number().int(), facts: z.number().int() })
      .describe('Turns whose failed LLM fact extraction was redone, and the facts that gave.'),
    llmFallbacks: z
      .array(LlmFallbackSchema)
      .describe('LLM work that failed in this run and was done offline instead (marked to be redone).'),
  })
  .meta({ id: 'MaintainReport' });

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
