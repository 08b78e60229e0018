/**
 * The REST API's request and answer types, inferred from the zod schemas that validate requests and describe
 * answers in OpenAPI. The dashboard (web/) imports these types, so the UI and the server cannot drift apart.
 * Types only: nothing here is bundled into the browser.
 */
import type { z } from 'zod';
import type {
  ApiKeySchema,
  ContextRequestSchema,
  ContextResponseSchema,
  CreatedKeySchema,
  EntityListSchema,
  EntityProfileSchema,
  EntitySummarySchema,
  ErrorSchema,
  HistoryEntrySchema,
  ImportResponseSchema,
  KeyCreateSchema,
  MaintainReportSchema,
  MaintainRequestSchema,
  MemoryPatchSchema,
  MemorySchema,
  PageSchema,
  SearchHitSchema,
  SearchRequestSchema,
  SessionSummarySchema,
  SessionsResponseSchema,
  StatsSchema,
  UserSummarySchema,
  UsersResponseSchema,
  WhoAmISchema,
} from './schemas.js';

export type Memory = z.output<typeof MemorySchema>;
export type MemoryPage = z.output<typeof PageSchema>;
export type MemoryPatch = z.input<typeof MemoryPatchSchema>;
export type HistoryEntry = z.output<typeof HistoryEntrySchema>;
export type SearchRequest = z.input<typeof SearchRequestSchema>;
export type SearchHit = z.output<typeof SearchHitSchema>;
export type ContextRequest = z.input<typeof ContextRequestSchema>;
export type ContextResponse = z.output<typeof ContextResponseSchema>;
export type Stats = z.output<typeof StatsSchema>;
export type WhoAmI = z.output<typeof WhoAmISchema>;
export type UserSummary = z.output<typeof UserSummarySchema>;
export type UsersResponse = z.output<typeof UsersResponseSchema>;
export type SessionSummary = z.output<typeof SessionSummarySchema>;
export type SessionsResponse = z.output<typeof SessionsResponseSchema>;
export type ApiKey = z.output<typeof ApiKeySchema>;
export type KeyCreate = z.input<typeof KeyCreateSchema>;
export type CreatedKey = z.output<typeof CreatedKeySchema>;
export type ImportResponse = z.output<typeof ImportResponseSchema>;
export type MaintainRequest = z.input<typeof MaintainRequestSchema>;
export type MaintainReport = z.output<typeof MaintainReportSchema>;
export type ApiError = z.output<typeof ErrorSchema>;
export type EntitySummary = z.output<typeof EntitySummarySchema>;
export type EntityList = z.output<typeof EntityListSchema>;
export type EntityProfile = z.output<typeof EntityProfileSchema>;
