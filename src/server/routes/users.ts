/** Who the tenant's memories are about: a summary per user and per session, for browsing. */
import { defineRoute } from '../route.js';
import {
  ErrorSchema,
  SessionsResponseSchema,
  UserParamsSchema,
  UsersQuerySchema,
  UsersResponseSchema,
} from '../schemas.js';
import { summariseSessions, summariseUsers } from '../summaries.js';

const ERR = { description: 'Error', schema: ErrorSchema };
/** Both read every memory in their scope. */
const SCAN_TIMEOUT_MS = 2 * 60_000;

export const userRoutes = [
  defineRoute({
    method: 'GET',
    url: '/v1/users',
    operationId: 'listUsers',
    summary: 'Every user of the tenant with counts by kind, sessions and last activity',
    description: 'Reads every memory of the tenant (deleted ones left out); `scanned` says how many.',
    tag: 'users',
    role: 'read',
    query: UsersQuerySchema,
    timeoutMs: SCAN_TIMEOUT_MS,
    responses: {
      200: { description: 'Users, most recent activity first', schema: UsersResponseSchema },
      400: ERR,
    },
    handler: ({ engram, query }) => summariseUsers(engram, query.q),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/users/:user/sessions',
    operationId: 'listSessions',
    summary: 'The sessions of one user, newest first, with counts by kind and time span',
    tag: 'users',
    role: 'read',
    params: UserParamsSchema,
    timeoutMs: SCAN_TIMEOUT_MS,
    responses: {
      200: { description: 'Sessions (none for an unknown user)', schema: SessionsResponseSchema },
      400: ERR,
    },
    // A user is only a name on memories: one with none (never seen, or erased) has no sessions, not a 404.
    handler: async ({ engram, params }) => ({
      user: params.user,
      sessions: await summariseSessions(engram, params.user),
    }),
  }),
];
