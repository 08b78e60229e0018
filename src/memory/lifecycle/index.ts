/**
 * Memory that stays true: facts from conversations, supersession, decay and reinforcement, maintenance and
 * context for the prompt. The engine delegates `addConversation`, `maintain` and `buildContext` here and
 * uses `rankFactor` / `reinforceOnRecall` in search.
 */

export type { AttributeRule, FactCategory } from './attributes.js';
export { AttributeTable, DEFAULT_ATTRIBUTE_RULES, DEFAULT_ATTRIBUTE_TABLE } from './attributes.js';
export type { BuildContextOptions, BuiltContext, ContextItem } from './context.js';
export { buildContext, DEFAULT_TOKEN_BUDGET } from './context.js';
export type { AddConversationOptions, ConversationResult } from './conversation.js';
export { addConversation } from './conversation.js';
export { currentStrength, DECAY, halfLifeDays, reinforceOnRecall, reinforceOnRestatement } from './decay.js';
export { createLlmExtractor } from './extract/llm.js';
export { createRuleExtractor } from './extract/rules.js';
export type { ExtractedFact, ExtractionTurn, FactExtractor } from './extract/types.js';
export { estimateImportance } from './importance.js';
export type { LlmFallback } from './llm-fallback.js';
export { describeFallbacks, LLM_PENDING_KEY } from './llm-fallback.js';
export type { MaintainOptions, MaintainReport } from './maintain.js';
export { maintain } from './maintain.js';
export { mentionsOf, storedMentions } from './mentions.js';
export type {
  EntitiesOptions,
  EntityProfile,
  EntitySummary,
  ProfileFact,
  ProfileMention,
  ProfileOptions,
} from './profiles.js';
export { entityProfile, listEntities } from './profiles.js';
export { looksLikeInstruction, quoteAsData } from './quoting.js';
export type { RankWeights } from './rank.js';
export { DEFAULT_RANK_WEIGHTS, rankFactor } from './rank.js';
export { restate } from './restate.js';
