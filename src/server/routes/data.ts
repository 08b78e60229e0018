/** Whole-tenant operations: hard erase, export, import, stats, and who the key is. */
import { Readable } from 'node:stream';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import { defineRoute } from '../route.js';
import {
  EraseRequestSchema,
  EraseResponseSchema,
  ErrorSchema,
  ExportQuerySchema,
  ImportResponseSchema,
  StatsSchema,
  WhoAmISchema,
} from '../schemas.js';

const ERR = { description: 'Error', schema: ErrorSchema };
export const JSONL_TYPE = 'application/x-ndjson';

async function* asLines(lines: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const line of lines) yield line.endsWith('\n') ? line : `${line}\n`;
}

export const dataRoutes = [
  defineRoute({
    method: 'POST',
    url: '/v1/erase',
    operationId: 'erase',
    summary: 'Hard-erase one memory or every memory of a user',
    description: 'Removes the text everywhere: rows, vectors, full-text index and history. Cannot be undone.',
    tag: 'data',
    role: 'admin',
    body: EraseRequestSchema,
    responses: {
      200: { description: 'How many memories were erased', schema: EraseResponseSchema },
      400: ERR,
    },
    handler: ({ engram, body }) =>
      engram.erase(body.id !== undefined ? { id: body.id } : { user: body.user }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/export',
    operationId: 'export',
    summary: 'Export memories as JSONL (one memory per line, every field)',
    tag: 'data',
    role: 'read',
    query: ExportQuerySchema,
    responses: { 200: { description: 'JSONL stream', contentType: JSONL_TYPE } },
    handler: async ({ engram, query, reply }) => {
      reply.type(JSONL_TYPE);
      return Readable.from(
        asLines(engram.export(query.user !== undefined ? { user: query.user } : undefined)),
      );
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/import',
    operationId: 'import',
    summary: 'Import a JSONL export (all or nothing)',
    description: 'Memories keep their ids but land in the tenant of the API key, whatever the file says.',
    tag: 'data',
    role: 'admin',
    rawBody: { contentType: JSONL_TYPE, description: 'The output of GET /v1/export.' },
    responses: {
      200: { description: 'How many memories were imported', schema: ImportResponseSchema },
      400: ERR,
      413: ERR,
    },
    handler: ({ engram, request }) => {
      // The body's text in the chunks it arrived in (jsonl-body.ts).
      const body = request.body;
      if (!Array.isArray(body) || !body.some((chunk) => /\S/.test(chunk))) {
        throw new EngramError(
          ErrorCodes.INVALID_INPUT,
          `Send the JSONL export as the body with "Content-Type: ${JSONL_TYPE}".`,
        );
      }
      return engram.import(body);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/stats',
    operationId: 'stats',
    summary: 'Counts for the tenant of the API key',
    tag: 'data',
    role: 'read',
    responses: { 200: { description: 'Statistics', schema: StatsSchema } },
    handler: ({ engram }) => engram.stats(),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/whoami',
    operationId: 'whoami',
    summary: 'The tenant and role of the API key',
    tag: 'data',
    role: 'read',
    responses: { 200: { description: 'The caller', schema: WhoAmISchema }, 401: ERR },
    handler: async ({ caller }) => ({ tenant: caller.tenant, role: caller.role, keyId: caller.keyId }),
  }),
];
