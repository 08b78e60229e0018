/** Memories CRUD and history. */
import type { z } from 'zod';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { ListQuery, MemoryKind } from '../../core/types.js';
import { defineRoute, type Limits } from '../route.js';
import {
  AddedMemoryListSchema,
  AddedMemorySchema,
  ErrorSchema,
  HistoryResponseSchema,
  IdParamsSchema,
  ListQuerySchema,
  MemoryBatchSchema,
  MemoryInputSchema,
  MemoryPatchSchema,
  MemorySchema,
  PageSchema,
} from '../schemas.js';

const ERR = { description: 'Error', schema: ErrorSchema };

export function checkBatch(count: number, limits: Limits, what: string): void {
  if (count > limits.maxBatch) {
    throw new EngramError(
      ErrorCodes.PAYLOAD_TOO_LARGE,
      `${count} ${what} in one request; this server accepts at most ${limits.maxBatch}. Split the batch.`,
    );
  }
}

export function toListQuery(q: z.output<typeof ListQuerySchema>): ListQuery {
  const query: ListQuery = {};
  if (q.user !== undefined) query.user = q.user;
  if (q.agent !== undefined) query.agent = q.agent;
  if (q.session !== undefined) query.session = q.session;
  if (q.kind !== undefined) {
    const kinds = q.kind.split(',') as MemoryKind[];
    query.kind = kinds.length === 1 ? kinds[0] : kinds;
  }
  if (q.occurredFrom !== undefined || q.occurredTo !== undefined) {
    query.occurred = {};
    if (q.occurredFrom !== undefined) query.occurred.from = q.occurredFrom;
    if (q.occurredTo !== undefined) query.occurred.to = q.occurredTo;
  }
  if (q.includeDeleted !== undefined) query.includeDeleted = q.includeDeleted;
  if (q.includeArchived !== undefined) query.includeArchived = q.includeArchived;
  if (q.includeSuperseded !== undefined) query.includeSuperseded = q.includeSuperseded;
  query.limit = q.limit ?? 50;
  if (q.cursor !== undefined) query.cursor = q.cursor;
  return query;
}

export const memoryRoutes = [
  defineRoute({
    method: 'POST',
    url: '/v1/memories',
    operationId: 'addMemory',
    summary: 'Store one memory',
    description:
      'Stores the text verbatim in the tenant of the API key. The same text again for the same user, agent and ' +
      'kind (not a turn) is a restatement: it reinforces the stored memory, merges the new metadata, takes a ' +
      'given importance and occurredAt, and answers 200 with `restated: true` instead of 201.',
    tag: 'memories',
    role: 'write',
    body: MemoryInputSchema,
    status: 201,
    responses: {
      200: { description: 'A restatement: the stored memory, updated', schema: AddedMemorySchema },
      201: { description: 'The stored memory', schema: AddedMemorySchema },
      400: ERR,
      413: ERR,
    },
    handler: async ({ engram, body, reply }) => {
      const [outcome] = await engram.addWithOutcome([body]);
      if (outcome!.restated) reply.status(200);
      return { ...outcome!.memory, restated: outcome!.restated };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/memories/batch',
    operationId: 'addMemories',
    summary: 'Store several memories in one transaction',
    tag: 'memories',
    role: 'write',
    body: MemoryBatchSchema,
    description:
      'Each item is stored new or, when restated word for word, reinforces the stored memory (see addMemory); ' +
      '`restated` says which. 201 when at least one memory is new, 200 when every item was a restatement.',
    status: 201,
    responses: {
      200: { description: 'Every item restated a stored memory', schema: AddedMemoryListSchema },
      201: { description: 'The stored memories, in order', schema: AddedMemoryListSchema },
      400: ERR,
      413: ERR,
    },
    handler: async ({ engram, body, limits, reply }) => {
      checkBatch(body.memories.length, limits, 'memories');
      const outcomes = await engram.addWithOutcome(body.memories);
      if (outcomes.every((o) => o.restated)) reply.status(200);
      return { memories: outcomes.map((o) => ({ ...o.memory, restated: o.restated })) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/memories',
    operationId: 'listMemories',
    summary: 'List memories, newest first, one page at a time',
    tag: 'memories',
    role: 'read',
    query: ListQuerySchema,
    responses: { 200: { description: 'One page', schema: PageSchema }, 400: ERR },
    handler: ({ engram, query }) => engram.list(toListQuery(query)),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/memories/:id',
    operationId: 'getMemory',
    summary: 'Get one memory',
    tag: 'memories',
    role: 'read',
    params: IdParamsSchema,
    responses: { 200: { description: 'The memory', schema: MemorySchema }, 404: ERR },
    handler: ({ engram, params }) => engram.get(params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/v1/memories/:id',
    operationId: 'updateMemory',
    summary: 'Change a memory (recorded in its history)',
    tag: 'memories',
    role: 'write',
    params: IdParamsSchema,
    body: MemoryPatchSchema,
    responses: { 200: { description: 'The updated memory', schema: MemorySchema }, 400: ERR, 404: ERR },
    handler: ({ engram, params, body }) => engram.update(params.id, body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/memories/:id',
    operationId: 'deleteMemory',
    summary: 'Delete a memory (soft: gone from search and lists, kept in history)',
    description: 'For hard erasure of the text everywhere, use POST /v1/erase.',
    tag: 'memories',
    role: 'write',
    params: IdParamsSchema,
    responses: { 200: { description: 'The deleted memory', schema: MemorySchema }, 404: ERR },
    handler: ({ engram, params }) => engram.delete(params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/memories/:id/history',
    operationId: 'memoryHistory',
    summary: 'Every change of a memory, oldest first',
    tag: 'memories',
    role: 'read',
    params: IdParamsSchema,
    responses: { 200: { description: 'History entries', schema: HistoryResponseSchema }, 404: ERR },
    handler: async ({ engram, params }) => ({ entries: await engram.history(params.id) }),
  }),
];
