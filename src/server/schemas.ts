/**
 * Request and response schemas of the REST API. The same zod schemas validate requests and generate the
 * OpenAPI document, so the document cannot drift from what the server accepts. Request objects are strict:
 * an unknown field (a typo, or a `tenant` that only the API key may set) is a 400, not silently ignored.
 */
import { z } from 'zod';
import { MAX_QUERY_LENGTH } from '../core/limits.js';
import { MEMORY_KINDS, MEMORY_STATUSES } from '../core/types.js';

const Id = z.string().min(1).max(200).describe('Memory id (ULID).');
const Name = z.string().min(1).max(256);
const Instant = z.string().min(1).max(64).describe('ISO 8601 date or date-time.');
const Kind = z.enum(MEMORY_KINDS);
const Kinds = z.union([Kind, z.array(Kind).min(1)]);
const Metadata = z.record(z.string(), z.unknown()).describe('Free-form JSON object, stored as given.');

export const MemoryInputSchema = z
  .strictObject({
    user: Name.describe('The person this memory is about.'),
    agent: Name.nullable().optional(),
    session: Name.nullable().optional(),
    kind: Kind.optional().describe('Default "note".'),
    speaker: z.string().max(256).nullable().optional(),
    role: z.string().max(64).nullable().optional(),
    text: z.string().describe('Stored verbatim. Empty or over the server limit is a 400.'),
    metadata: Metadata.optional(),
    occurredAt: Instant.optional().describe('When it happened or was said. Default: now.'),
    validFrom: Instant.optional(),
    importance: z.number().min(0).max(1).optional(),
  })
  .meta({ id: 'MemoryInput' });

export const MemoryBatchSchema = z
  .strictObject({ memories: z.array(MemoryInputSchema).min(1) })
  .meta({ id: 'MemoryBatch', description: 'Stored in one transaction: all or nothing.' });

export const MemoryPatchSchema = z
  .strictObject({
    text: z.string().optional(),
    metadata: Metadata.optional(),
    speaker: z.string().max(256).nullable().optional(),
    role: z.string().max(64).nullable().optional(),
    kind: Kind.optional(),
    occurredAt: Instant.optional(),
    importance: z.number().min(0).max(1).optional(),
    status: z.enum(['active', 'archived']).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'Give at least one field to change.' })
  .meta({ id: 'MemoryPatch' });

const BoolString = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const ListQuerySchema = z.strictObject({
  user: Name.optional(),
  agent: Name.optional(),
  session: Name.optional(),
  kind: z
    .string()
    .regex(new RegExp(`^(${MEMORY_KINDS.join('|')})(,(${MEMORY_KINDS.join('|')}))*$`), {
      message: `use one or more of ${MEMORY_KINDS.join(', ')}, comma-separated`,
    })
    .optional()
    .describe('One kind or several, comma-separated.'),
  occurredFrom: Instant.optional(),
  occurredTo: Instant.optional(),
  includeDeleted: BoolString,
  includeArchived: BoolString,
  includeSuperseded: BoolString,
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('Page size, default 50.'),
  cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page.'),
});

export const IdParamsSchema = z.strictObject({ id: Id });

export const SearchRequestSchema = z
  .strictObject({
    query: z.string().min(1).max(MAX_QUERY_LENGTH),
    user: Name,
    agent: Name.optional(),
    session: Name.optional(),
    kind: Kinds.optional(),
    k: z.number().int().min(1).max(100).optional().describe('Number of hits, default 10.'),
    now: Instant.optional().describe('Reference time for "last week" and recency.'),
    includeSuperseded: z.boolean().optional(),
    includeArchived: z.boolean().optional(),
    asOf: Instant.optional().describe(
      'Only memories valid at this time; relative words in the query mean it unless `now` is given.',
    ),
    explain: z.boolean().optional().describe('Attach a per-hit score breakdown.'),
    reinforce: z.boolean().optional().describe('Record the recall (default true).'),
  })
  .meta({ id: 'SearchRequest' });

export const ContextRequestSchema = z
  .strictObject({
    query: z.string().min(1).max(MAX_QUERY_LENGTH),
    user: Name,
    agent: Name.optional(),
    session: Name.optional(),
    now: Instant.optional().describe('Reference time for "last week" and recency.'),
    asOf: Instant.optional().describe(
      'Only memories valid at this time; relative words in the query mean it unless `now` is given.',
    ),
    maxTokens: z.number().int().min(16).max(100_000).optional().describe('Token budget, default 1500.'),
    dropFlagged: z
      .boolean()
      .optional()
      .describe('Leave out memories that read like instructions (default: quote them with a flag).'),
  })
  .meta({ id: 'ContextRequest' });

export const AskRequestSchema = z
  .strictObject({
    question: z.string().min(1).max(MAX_QUERY_LENGTH),
    user: Name,
    agent: Name.optional(),
    session: Name.optional(),
    now: Instant.optional().describe('Reference time for "last week" and the answer\'s "today".'),
    maxTokens: z
      .number()
      .int()
      .min(16)
      .max(100_000)
      .optional()
      .describe('Token budget of the memory context given to the LLM, default 1500.'),
  })
  .meta({ id: 'AskRequest' });

export const ConversationRequestSchema = z
  .strictObject({
    user: Name,
    agent: Name.optional(),
    session: Name,
    messages: z
      .array(
        z.strictObject({
          speaker: z.string().max(256).optional(),
          role: z.string().max(64).optional(),
          text: z.string(),
          at: Instant.optional(),
          metadata: Metadata.optional(),
        }),
      )
      .min(1),
  })
  .meta({ id: 'ConversationRequest' });

export const EraseRequestSchema = z
  .strictObject({
    id: Id.optional(),
    user: Name.optional(),
  })
  .refine((t) => (t.id === undefined) !== (t.user === undefined), {
    message: 'Give exactly one of "id" (one memory) or "user" (every memory of that user).',
  })
  .meta({ id: 'EraseRequest', description: 'Hard erasure: text, vectors, full-text entries and history.' });

export const ExportQuerySchema = z.strictObject({ user: Name.optional() });

// ---- responses (documentation only: the engine's own types are what is sent) ----

export const EventTimeSchema = z
  .object({
    text: z.string().describe('The words as written ("last Sunday", 上周六).'),
    start: z.string().describe('First day, YYYY-MM-DD.'),
    end: z.string().describe('Day after the last one, YYYY-MM-DD.'),
    granularity: z.enum(['day', 'week', 'month', 'year', 'range']),
  })
  .meta({ id: 'EventTime' });

export const MemorySchema = z
  .object({
    id: z.string(),
    tenant: z.string(),
    user: z.string(),
    agent: z.string().nullable(),
    session: z.string().nullable(),
    kind: Kind,
    speaker: z.string().nullable(),
    role: z.string().nullable(),
    text: z.string(),
    metadata: Metadata,
    occurredAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    supersededBy: z.string().nullable(),
    importance: z.number(),
    strength: z.number(),
    accessCount: z.number().int(),
    lastAccessedAt: z.string().nullable(),
    embeddingModel: z.string().nullable(),
    status: z.enum(MEMORY_STATUSES),
    eventTimes: z
      .array(EventTimeSchema)
      .optional()
      .describe('When what it tells of happened (derived on read; in GET /v1/memories/{id}).'),
  })
  .meta({ id: 'Memory' });

export const AddedMemorySchema = MemorySchema.extend({
  restated: z
    .boolean()
    .describe(
      'True when the text restated a stored memory, which was reinforced and updated instead of copied.',
    ),
}).meta({ id: 'AddedMemory' });

export const AddedMemoryListSchema = z
  .object({ memories: z.array(AddedMemorySchema) })
  .meta({ id: 'AddedMemoryList' });

export const PageSchema = z
  .object({ items: z.array(MemorySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'MemoryPage' });

export const SearchHitSchema = z
  .object({
    id: z.string(),
    text: z.string(),
    score: z.number(),
    kind: Kind,
    speaker: z.string().nullable(),
    session: z.string().nullable(),
    occurredAt: z.string(),
    metadata: Metadata,
    eventTimes: z.array(EventTimeSchema).describe('When what it tells of happened, from its words.'),
    memory: MemorySchema,
    explain: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'SearchHit' });

export const SearchResponseSchema = z
  .object({ hits: z.array(SearchHitSchema) })
  .meta({ id: 'SearchResponse' });

export const ContextResponseSchema = z
  .object({
    context: z.string().describe('Ready to paste into a prompt; memories are quoted as data.'),
    ids: z.array(z.string()).describe('Ids of the memories in the context, in order.'),
    tokens: z.number().int().describe('Tokens of the context (o200k).'),
    flagged: z.array(z.string()).describe('Ids of memories that read like instructions.'),
  })
  .meta({ id: 'ContextResponse' });

export const AskResponseSchema = z
  .object({
    answer: z.string().describe("The LLM's answer, from the user's memories only."),
    citations: z.array(z.string()).describe('Ids of the memories the answer cites.'),
    contextIds: z.array(z.string()).describe('Ids of every memory the LLM was shown, in order.'),
    model: z.string().describe('The chat model that answered.'),
  })
  .meta({ id: 'AskResponse' });

export const LlmFallbackSchema = z
  .object({
    task: z.enum(['extract', 'judge', 'summary']),
    code: z.string(),
    message: z.string(),
    items: z.number().int(),
    retryable: z.boolean().describe('Marked for `maintain` to redo with the LLM.'),
  })
  .meta({ id: 'LlmFallback' });

export const ConversationResponseSchema = z
  .object({
    turns: z.array(MemorySchema),
    facts: z.array(MemorySchema),
    llmFallbacks: z
      .array(LlmFallbackSchema)
      .optional()
      .describe('LLM work that failed and was done offline instead; the turns are stored either way.'),
  })
  .meta({ id: 'ConversationResponse' });

export const HistoryEntrySchema = z
  .object({
    seq: z.number().int(),
    memoryId: z.string(),
    tenant: z.string(),
    user: z.string(),
    action: z.string(),
    actor: z.string(),
    at: z.string(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'HistoryEntry' });

export const HistoryResponseSchema = z
  .object({ entries: z.array(HistoryEntrySchema) })
  .meta({ id: 'HistoryResponse' });

export const EraseResponseSchema = z
  .object({
    erased: z.number().int(),
    purged: z
      .boolean()
      .describe(
        'True: the erased text is gone from the database file and its WAL. False: a reader holds the purge back (see reason); it completes on its own when that reader finishes.',
      ),
    reason: z.string().optional().describe('Why the purge is not complete yet.'),
  })
  .meta({ id: 'EraseResponse' });
export const ImportResponseSchema = z.object({ imported: z.number().int() }).meta({ id: 'ImportResponse' });

export const StatsSchema = z
  .object({
    memories: z.number().int(),
    byKind: z.record(z.string(), z.number()),
    byStatus: z.record(z.string(), z.number()),
    users: z.number().int(),
    sessions: z.number().int(),
    historyEntries: z.number().int(),
    vectors: z.record(z.string(), z.number()),
    dbBytes: z.number().nullable(),
    schemaVersion: z.number().int(),
  })
  .meta({ id: 'Stats' });

export const WhoAmISchema = z
  .object({
    tenant: z.string(),
    role: z.enum(['read', 'write', 'admin']),
    keyId: z.string().nullable().describe('null in development mode (no keys).'),
  })
  .meta({ id: 'WhoAmI' });

export const HealthSchema = z.object({ status: z.string() }).meta({ id: 'Health' });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. NOT_FOUND, INVALID_INPUT, UNAUTHORIZED.'),
      message: z.string().describe('What went wrong and what to do about it.'),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

const ENTITY_TYPES = ['person', 'place', 'organization', 'pet', 'work', 'activity'] as const;

export const EntitiesQuerySchema = z.strictObject({
  user: Name,
  type: z.enum(ENTITY_TYPES).optional().describe('Only entities of this type.'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('At most this many (default 100).'),
});

export const EntityParamsSchema = z.strictObject({
  name: Name.describe('A name ("Ana"), an alias, or a relation such as "my sister".'),
});

export const ProfileQuerySchema = z.strictObject({
  user: Name,
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe('Timeline entries, latest kept (default 50).'),
});

export const EntitySummarySchema = z
  .object({
    key: z.string().describe('Stable key within the user: person:ana, place:lisbon, kin:maya:sister.'),
    name: z.string(),
    type: z.enum(ENTITY_TYPES),
    aliases: z.array(z.string()).describe('Other keys and names it is known by.'),
    mentions: z.number().int().describe('Memories that mention it.'),
    firstSeen: z.string(),
    lastSeen: z.string(),
  })
  .meta({ id: 'EntitySummary' });

export const EntityListSchema = z
  .object({ entities: z.array(EntitySummarySchema) })
  .meta({ id: 'EntityList' });

const ProfileFactSchema = z.object({
  id: z.string(),
  text: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  supersededBy: z.string().nullable(),
});

export const EntityProfileSchema = z
  .object({
    entity: EntitySummarySchema,
    facts: z.object({ current: z.array(ProfileFactSchema), superseded: z.array(ProfileFactSchema) }),
    timeline: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        text: z.string(),
        speaker: z.string().nullable(),
        session: z.string().nullable(),
        occurredAt: z.string(),
        role: z.enum(['speaker', 'subject', 'mentioned', 'tentative']),
      }),
    ),
    related: z.array(
      z.object({ key: z.string(), name: z.string(), type: z.enum(ENTITY_TYPES), together: z.number().int() }),
    ),
  })
  .meta({ id: 'EntityProfile' });
// ---- maintenance ----

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

export const MaintainReportSchema = z
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
    mentionsScanned: z
      .number()
      .int()
      .describe('Memories written before entity mentions were stored, read for theirs in this run.'),
  })
  .meta({ id: 'MaintainReport' });

// ---- dashboard summaries and key management ----

export const UsersQuerySchema = z.strictObject({
  q: z.string().max(256).optional().describe('Only users whose name contains this text (any case).'),
});

export const UserParamsSchema = z.strictObject({ user: Name });

const KindCounts = z.record(z.string(), z.number().int()).describe('Memories by kind (turn, fact, …).');

export const UserSummarySchema = z
  .object({
    user: z.string(),
    memories: z.number().int().describe('Active and archived memories, superseded facts included.'),
    byKind: KindCounts,
    superseded: z.number().int().describe('Memories closed by a newer one (validTo set).'),
    sessions: z.number().int(),
    firstActivity: z.string().nullable().describe('Earliest occurredAt.'),
    lastActivity: z.string().nullable().describe('Latest occurredAt.'),
    lastChange: z.string().nullable().describe('Latest updatedAt: when Engram last wrote to this user.'),
  })
  .meta({ id: 'UserSummary' });

export const UsersResponseSchema = z
  .object({
    users: z.array(UserSummarySchema).describe('Most recent activity first.'),
    scanned: z.number().int().describe('Memories read to build the summary.'),
  })
  .meta({ id: 'UsersResponse' });

export const SessionSummarySchema = z
  .object({
    session: z.string().nullable().describe('null: memories stored outside any session.'),
    byKind: KindCounts,
    memories: z.number().int(),
    from: z
      .string()
      .nullable()
      .describe('Earliest time a turn of the session was said (any memory if no turn).'),
    to: z.string().nullable(),
  })
  .meta({ id: 'SessionSummary' });

export const SessionsResponseSchema = z
  .object({ user: z.string(), sessions: z.array(SessionSummarySchema).describe('Newest first.') })
  .meta({ id: 'SessionsResponse' });

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    tenant: z.string(),
    role: z.enum(['read', 'write', 'admin']),
    prefix: z.string().describe('The first characters of the secret, to tell keys apart.'),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const KeysQuerySchema = z.strictObject({ includeRevoked: BoolString });

export const KeysResponseSchema = z.object({ keys: z.array(ApiKeySchema) }).meta({ id: 'ApiKeyList' });

export const KeyCreateSchema = z
  .strictObject({
    role: z.enum(['read', 'write', 'admin']),
    name: z.string().max(100).optional().describe('A label for people, e.g. "support bot".'),
  })
  .meta({ id: 'ApiKeyInput', description: 'The key is bound to the tenant of the calling key.' });

export const CreatedKeySchema = z
  .object({
    key: ApiKeySchema,
    secret: z.string().describe('The full key. Shown this once; only its hash is stored.'),
  })
  .meta({ id: 'CreatedApiKey' });

export const KeyParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });
