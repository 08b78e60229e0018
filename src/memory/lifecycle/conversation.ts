import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { Memory } from '../../core/types.js';
import type { LlmEntity } from '../../entities/llm-mentions.js';
import type { EngineContext } from '../engine-context.js';
import type { ConversationInput, ConversationMessage } from '../types.js';
import { type AttributeTable, DEFAULT_ATTRIBUTE_TABLE } from './attributes.js';
import { createLlmConflictJudge } from './conflict-judge.js';
import { createLlmExtractor } from './extract/llm.js';
import { createRuleExtractor } from './extract/rules.js';
import type { ExtractedFact, FactExtractor } from './extract/types.js';
import { estimateImportance } from './importance.js';
import { LLM_PENDING_KEY, type LlmFallback, llmFallback } from './llm-fallback.js';
import { type ReconcileOptions, reconcileFacts } from './reconcile.js';

export interface AddConversationOptions {
  /** Default: the LLM extractor when the engine has an LLM (falling back to rules), else the rules. */
  extractor?: FactExtractor;
  table?: AttributeTable;
  reconcile?: Omit<ReconcileOptions, 'table'>;
  /** Store the turns only. Default true. */
  extractFacts?: boolean;
}

const MAX_MESSAGES = 10_000;

function checkConversation(input: ConversationInput): void {
  if (!input || typeof input !== 'object') {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      'a conversation is an object { user, session, messages: [...] }',
    );
  }
  if (typeof input.session !== 'string' || input.session.trim() === '') {
    throw new EngramError(ErrorCodes.INVALID_INPUT, 'a conversation needs a session id (a non-empty string)');
  }
  if (!Array.isArray(input.messages) || input.messages.length === 0) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, 'a conversation needs a non-empty messages array');
  }
  if (input.messages.length > MAX_MESSAGES) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `at most ${MAX_MESSAGES} messages per call; got ${input.messages.length}`,
    );
  }
}

function prepareTurn(
  ctx: EngineContext,
  input: ConversationInput,
  message: ConversationMessage,
  index: number,
  importance: number,
): Memory {
  if (!message || typeof message !== 'object') {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `message ${index}: a message is an object { speaker | role, text, at? }`,
    );
  }
  try {
    return ctx.prepare({
      user: input.user,
      agent: input.agent ?? null,
      session: input.session,
      kind: 'turn',
      speaker: message.speaker ?? null,
      role: message.role ?? null,
      text: message.text,
      ...(message.metadata !== undefined ? { metadata: message.metadata } : {}),
      ...(message.at !== undefined ? { occurredAt: message.at } : {}),
      importance,
    });
  } catch (e) {
    if (e instanceof EngramError)
      throw new EngramError(e.code, `message ${index}: ${e.message}`, { ...e.details, index });
    throw e;
  }
}

/**
 * Stores a conversation's turns verbatim, derives facts from them and reconciles those with what the user's
 * memory already holds (reinforce, supersede, add), all in one transaction: a crash leaves the whole
 * conversation or none of it. Every message is validated before anything is written.
 */
export async function addConversation(
  ctx: EngineContext,
  input: ConversationInput,
  options: AddConversationOptions = {},
): Promise<ConversationResult> {
  checkConversation(input);
  const table = options.table ?? DEFAULT_ATTRIBUTE_TABLE;
  // Validate every turn first (importance is filled in below, once facts are known).
  let turns = input.messages.map((m, i) => prepareTurn(ctx, input, m, i, 0.5));
  const extract = options.extractFacts !== false;
  const fallbacks: LlmFallback[] = [];
  const withImportance = (list: Memory[], facts: ExtractedFact[]) =>
    list.map((t, i) => ({
      ...t,
      importance: estimateImportance(
        t.text,
        facts.filter((f) => f.turn === i),
        table,
      ),
    }));
  const extractionTurns = () =>
    turns.map((t) => ({
      id: t.id,
      text: t.text,
      speaker: t.speaker,
      role: t.role,
      at: new Date(t.occurredAt),
    }));
  let facts: ExtractedFact[] = [];
  // Turns, facts, supersessions and their history are planned first and written in one transaction…
  const unit = ctx.unit();
  if (extract && !options.extractor && ctx.llm) {
    // …except with an LLM: the turns are committed before the model is asked, marked as waiting for it, so a
    // model that hangs, fails or outlives the process costs no turn, and `maintain` redoes what stays marked.
    turns = withImportance(
      turns.map((t) => ({ ...t, metadata: { ...t.metadata, [LLM_PENDING_KEY]: 'extract' } })),
      await createRuleExtractor().extract(extractionTurns()),
    );
    turns = await unit.insert(turns);
    await unit.commit();
    const failed = new Set<string>();
    const entities = new Map<string, LlmEntity[]>();
    facts = await createLlmExtractor(ctx.llm, {
      table,
      onFallback: (error, batch) => {
        fallbacks.push(llmFallback('extract', error, batch.length, true));
        for (const t of batch) if (t.id) failed.add(t.id);
      },
      onEntities: (turn, named) => {
        if (turn.id) entities.set(turn.id, named);
      },
    }).extract(extractionTurns());
    // The mark comes off where the LLM answered (with the facts, in one transaction), and importance follows
    // the LLM's facts.
    const updatedAt = ctx.now().toISOString();
    turns = withImportance(turns, facts).map((t) => {
      if (failed.has(t.id)) return t;
      const { [LLM_PENDING_KEY]: _, ...metadata } = t.metadata;
      // The entities the model named join the rules' mentions, in the same transaction as the facts.
      return unit.replace({ ...t, metadata, updatedAt }, 'update', undefined, entities.get(t.id));
    });
  } else {
    if (extract) facts = await (options.extractor ?? createRuleExtractor()).extract(extractionTurns());
    turns = withImportance(turns, facts);
    await unit.insert(turns);
  }
  if (!extract || facts.length === 0) {
    await unit.commit();
    return { turns, facts: [], llmFallbacks: fallbacks };
  }
  const judge =
    options.reconcile?.judge !== undefined
      ? options.reconcile.judge
      : ctx.llm
        ? createLlmConflictJudge(ctx.llm, {
            onFallback: (error) => fallbacks.push(llmFallback('judge', error, 1, false)),
          })
        : null;
  const result = await reconcileFacts(
    ctx,
    unit,
    { user: turns[0]!.user, agent: turns[0]!.agent },
    facts,
    turns,
    { ...options.reconcile, table, judge },
  );
  await unit.commit();
  // Turns closed because every fact they stated was superseded come back in their stored state.
  const closedTurns = new Map(result.superseded.filter((m) => m.kind === 'turn').map((m) => [m.id, m]));
  return {
    turns: turns.map((t) => closedTurns.get(t.id) ?? t),
    facts: [...result.added, ...result.reinforced],
    llmFallbacks: fallbacks,
  };
}

export interface ConversationResult {
  turns: Memory[];
  facts: Memory[];
  /** LLM work that failed and was done offline instead; empty when all went well or no LLM is set. */
  llmFallbacks: LlmFallback[];
}
