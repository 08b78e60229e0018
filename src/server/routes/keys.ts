/**
 * API keys over HTTP, for admin keys. A key only ever sees and manages keys of its own tenant; new keys are
 * bound to that tenant too, so an admin of one customer cannot mint access to another.
 */
import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { ApiKey } from '../keys.js';
import { defineRoute } from '../route.js';
import {
  ApiKeySchema,
  CreatedKeySchema,
  ErrorSchema,
  KeyCreateSchema,
  KeyParamsSchema,
  KeysQuerySchema,
  KeysResponseSchema,
} from '../schemas.js';

const ERR = { description: 'Error', schema: ErrorSchema };

export const keyRoutes = [
  defineRoute({
    method: 'GET',
    url: '/v1/keys',
    operationId: 'listKeys',
    summary: 'API keys of the tenant (never their secrets)',
    tag: 'keys',
    role: 'admin',
    query: KeysQuerySchema,
    responses: { 200: { description: 'Keys, oldest first', schema: KeysResponseSchema }, 403: ERR },
    handler: async ({ keys, caller, query }) => ({
      keys: (await keys.list({ includeRevoked: query.includeRevoked ?? false })).filter(
        (k) => k.tenant === caller.tenant,
      ),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/keys',
    operationId: 'createKey',
    summary: 'Create an API key for the tenant; the secret is in this answer only',
    tag: 'keys',
    role: 'admin',
    body: KeyCreateSchema,
    status: 201,
    responses: {
      201: { description: 'The key and its secret', schema: CreatedKeySchema },
      400: ERR,
      403: ERR,
    },
    handler: async ({ keys, caller, body }) =>
      keys.create({ tenant: caller.tenant, role: body.role, name: body.name ?? null }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/keys/:id',
    operationId: 'revokeKey',
    summary: 'Revoke an API key of the tenant (requests with it fail from now on)',
    tag: 'keys',
    role: 'admin',
    params: KeyParamsSchema,
    responses: { 200: { description: 'The revoked key', schema: ApiKeySchema }, 404: ERR },
    handler: async ({ keys, caller, params }) => {
      const own: ApiKey | undefined = (await keys.list({ includeRevoked: true })).find(
        (k) => k.id === params.id && k.tenant === caller.tenant,
      );
      // Another tenant's key is "not found" rather than "forbidden": its existence is not ours to reveal.
      if (!own) throw new EngramError(ErrorCodes.NOT_FOUND, `No API key ${params.id} in this tenant.`);
      return keys.revoke(own.id);
    },
  }),
];
