/**
 * Engram's public API: open a memory, and the types and errors it speaks. Models and stores to pass to
 * `open()` come from the subpath exports: `engram-memory/embedders`, `/reranker`, `/stores`, `/llm`; the
 * framework adapters from `engram-memory/ai-sdk` and `engram-memory/langchain`.
 */

export { EngramError, type ErrorCode, ErrorCodes, isEngramError } from './core/errors.js';
export type {
  HistoryAction,
  HistoryEntry,
  ListQuery,
  Memory,
  MemoryInput,
  MemoryKind,
  MemoryPatch,
  MemoryStatus,
  Metadata,
  Page,
  Scope,
  Stats,
  TimeRange,
} from './core/types.js';
export { MEMORY_KINDS, MEMORY_STATUSES } from './core/types.js';
export type { Embedder, EmbedOptions } from './embed/types.js';
export type { EntityType, MentionRole } from './entities/types.js';
export type { LlmChoice } from './llm/spec.js';
export type { ChatMessage, ChatOptions, LlmClient } from './llm/types.js';
export type { AskOptions, AskResult } from './memory/ask.js';
export type {
  BuildContextOptions,
  BuiltContext,
  ContextItem,
  ConversationResult,
  EntitiesOptions,
  EntityProfile,
  EntitySummary,
  LlmFallback,
  MaintainOptions,
  MaintainReport,
  ProfileFact,
  ProfileMention,
  ProfileOptions,
} from './memory/lifecycle/index.js';
export { defaultDbPath, open } from './memory/open.js';
export type {
  AddOutcome,
  ConversationInput,
  ConversationMessage,
  Engram,
  EraseResult,
  EraseTarget,
  ImportResult,
  OpenOptions,
  ScoreBreakdown,
  SearchHit,
  SearchOptions,
} from './memory/types.js';
export type { Reranker } from './rerank/types.js';
export type { Store } from './store/types.js';
