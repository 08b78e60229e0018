/** Entities and profiles: who and what a user's memories are about. */
import { defineRoute } from '../route.js';
import {
  EntitiesQuerySchema,
  EntityListSchema,
  EntityParamsSchema,
  EntityProfileSchema,
  ErrorSchema,
  ProfileQuerySchema,
} from '../schemas.js';

const ERR = { description: 'Error', schema: ErrorSchema };

export const entityRoutes = [
  defineRoute({
    method: 'GET',
    url: '/v1/entities',
    operationId: 'listEntities',
    summary: 'People, places, organisations, pets, works and activities a user’s memories mention',
    description: 'Most mentioned first. A relation linked to a name ("my sister" → Ana) is one entity.',
    tag: 'entities',
    role: 'read',
    query: EntitiesQuerySchema,
    responses: { 200: { description: 'Entities', schema: EntityListSchema }, 400: ERR },
    handler: async ({ engram, query }) => ({
      entities: await engram.entities({
        user: query.user,
        ...(query.type !== undefined ? { type: query.type } : {}),
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
      }),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/entities/:name',
    operationId: 'entityProfile',
    summary: 'What memory knows about one entity',
    description: 'Current and superseded facts, the timeline of memories that mention it, related entities.',
    tag: 'entities',
    role: 'read',
    params: EntityParamsSchema,
    query: ProfileQuerySchema,
    responses: {
      200: { description: 'The profile', schema: EntityProfileSchema },
      400: ERR,
      404: ERR,
    },
    handler: ({ engram, params, query }) =>
      engram.profile({
        user: query.user,
        entity: params.name,
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
      }),
  }),
];
