import type { Memory } from '../../core/types.js';
import type { LlmEntity } from '../../entities/llm-mentions.js';
import type { EngineContext } from '../engine-context.js';
import type { AttributeTable } from './attributes.js';
import { createLlmConflictJudge } from './conflict-judge.js';
import { createLlmExtractor } from './extract/llm.js';
import { LLM_PENDING_KEY, type LlmFallback, llmFallback } from './llm-fallback.js';
import { reconcileFacts } from './reconcile.js';

export interface LlmRetryReport {
  /** Marked turns whose facts the LLM has now extracted (or would, in a dry run). */
  turns: number;
  facts: number;
}

function bySession(turns: Memory[]): Memory[][] {
  const groups = new Map<string, Memory[]>();
  for (const t of turns) {
    const key = JSON.stringify([t.agent, t.session]);
    const group = groups.get(key);
    if (group) group.push(t);
    else groups.set(key, [t]);
  }
  return [...groups.values()].map((g) =>
    g.sort((a, b) =>
      a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : 1,
    ),
  );
}

/**
 * Redoes, with the LLM, the fact extraction of turns stored while the LLM was failing (they carry
 * `metadata.llmPending = "extract"`), one session at a time. A session whose LLM call fails again keeps its
 * mark and is reported; one that succeeds has its facts reconciled and the mark removed.
 */
export async function redoPendingExtraction(
  ctx: EngineContext,
  memories: readonly Memory[],
  options: { table: AttributeTable; dryRun: boolean; now: string },
  fallbacks: LlmFallback[],
): Promise<LlmRetryReport> {
  const report: LlmRetryReport = { turns: 0, facts: 0 };
  const pending = memories.filter(
    (m) => m.kind === 'turn' && m.status !== 'deleted' && m.metadata[LLM_PENDING_KEY] === 'extract',
  );
  if (pending.length === 0 || !ctx.llm) return report;
  if (options.dryRun) {
    report.turns = pending.length;
    return report;
  }
  const entities = new Map<string, LlmEntity[]>();
  const extractor = createLlmExtractor(ctx.llm, {
    table: options.table,
    fallback: null,
    onEntities: (turn, named) => {
      if (turn.id) entities.set(turn.id, named);
    },
  });
  const judge = createLlmConflictJudge(ctx.llm, {
    onFallback: (error) => fallbacks.push(llmFallback('judge', error, 1, false)),
  });
  for (const turns of bySession(pending)) {
    let facts: Awaited<ReturnType<typeof extractor.extract>>;
    try {
      facts = await extractor.extract(
        turns.map((t) => ({
          id: t.id,
          text: t.text,
          speaker: t.speaker,
          role: t.role,
          at: new Date(t.occurredAt),
        })),
      );
    } catch (error) {
      fallbacks.push(llmFallback('extract', error, turns.length, true));
      continue;
    }
    const first = turns[0]!;
    // The facts, any supersession and the cleared marks are written together.
    const unit = ctx.unit();
    const result = await reconcileFacts(ctx, unit, { user: first.user, agent: first.agent }, facts, turns, {
      table: options.table,
      judge,
    });
    report.turns += turns.length;
    report.facts += result.added.length + result.reinforced.length;
    // Reconciling may have closed a turn: the mark comes off the state the unit leaves it in.
    for (const t of await unit.getMany(turns.map((turn) => turn.id))) {
      const { [LLM_PENDING_KEY]: _, ...metadata } = t.metadata;
      unit.replace({ ...t, metadata, updatedAt: options.now }, 'update', undefined, entities.get(t.id));
    }
    await unit.commit();
  }
  return report;
}
