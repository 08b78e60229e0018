/** Who the tenant's memories are about: a summary per user and per session, for browsing. */
import { EngramError, ErrorCodes } from '../../core/errors.js';
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
    responses: { 200: { description: 'Sessions', schema: SessionsResponseSchema }, 404: ERR },
    handler: async ({ engram, params }) => {
      const sessions = await summariseSessions(engram, params.user);
      if (sessions.length === 0) {
        throw new EngramError(ErrorCodes.NOT_FOUND, `No memories of user "${params.user}" in this tenant.`);
      }
      return { user: params.user, sessions };
    },
  }),
];
