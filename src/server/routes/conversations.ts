/** Conversation ingest. */
import { defineRoute } from '../route.js';
import { ConversationRequestSchema, ConversationResponseSchema, ErrorSchema } from '../schemas.js';
import { checkBatch } from './memories.js';

const ERR = { description: 'Error', schema: ErrorSchema };

export const conversationRoutes = [
  defineRoute({
    method: 'POST',
    url: '/v1/conversations',
    operationId: 'addConversation',
    summary: 'Ingest a conversation session: turns stored verbatim, facts derived from them',
    tag: 'memories',
    role: 'write',
    body: ConversationRequestSchema,
    status: 201,
    responses: {
      201: { description: 'Stored turns and derived facts', schema: ConversationResponseSchema },
      400: ERR,
      413: ERR,
    },
    handler: ({ engram, body, limits }) => {
      checkBatch(body.messages.length, limits, 'messages');
      return engram.addConversation(body);
    },
  }),
];
