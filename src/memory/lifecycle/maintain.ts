import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { HistoryAction, Memory } from '../../core/types.js';
import type { EngineContext } from '../engine-context.js';
import { type AttributeTable, DEFAULT_ATTRIBUTE_TABLE } from './attributes.js';
import { currentStrength } from './decay.js';
import { listAll } from './list-all.js';
import { LLM_PENDING_KEY, type LlmFallback, llmFallback } from './llm-fallback.js';
import { type LlmRetryReport, redoPendingExtraction } from './llm-retry.js';
import { scanOldMentions } from './mentions.js';
import { factMetadata } from './reconcile.js';
import { normalizedTerms, valueKey } from './similarity.js';
import { summarizeSession } from './summaries.js';

/**
 * Maintenance, run on demand (`engram maintain`) or on a schedule. In order, per user:
 *
 *  1. TTL: memories older than the user's TTL (by occurredAt) are deleted (soft, kept in history) or, with
 *     ttlAction "erase", erased.
 *  2. Conflicts: where a single-valued attribute has more than one current fact (two writers raced, or a run
 *     stopped half-way), all but the latest statement are closed.
 *  3. Duplicates: current facts with the same subject, attribute, value and date, and notes with the same
 *     normalised words, merge into the oldest: it takes the others' source turns, access counts, highest
 *     strength and importance; the others are deleted (soft) with `mergedInto`.
 *  4. Summaries: each session with at least minSessionTurns turns gets a `summary` memory, rewritten when the
 *     session has grown since (or, with an LLM, when the last one had to be written without it).
 *  5. Archive: memories that have faded (strength below archiveStrengthBelow) and matter little (importance
 *     below archiveImportanceBelow) move to `archived`: gone from default search, found with
 *     includeArchived, never erased; a restatement brings a fact back. Turns only when a current fact or a
 *     summary still holds what they said, or when they say nothing (small talk).
 *
 * First of all, with an LLM: turns stored while the LLM was failing get their facts extracted again.
 *
 * Before anything else, memories of the tenant (every user, whatever `user` says) written before the store kept
 * entity mentions get theirs (`mentionsScanned`): once per database, in transactions of their own, not in
 * the run's change set; skipped by a dry run.
 */
export interface MaintainOptions {
  /** One user; default every user of the tenant. */
  user?: string;
  now?: string | Date;
  /** Report what would change, change nothing. */
  dryRun?: boolean;
  /** Days to keep memories: one figure for everyone, or per user (key "*" for the rest). Default: no TTL. */
  ttlDays?: number | Record<string, number>;
  /** Default "delete" (soft). */
  ttlAction?: 'delete' | 'erase';
  resolveConflicts?: boolean;
  mergeDuplicates?: boolean;
  archive?: boolean;
  /** Default 0.05. */
  archiveStrengthBelow?: number;
  /** Default 0.3. */
  archiveImportanceBelow?: number;
  summarize?: boolean;
  /** Default 4. */
  minSessionTurns?: number;
  /** Use the engine's LLM (summaries, redoing failed extraction) when it has one. Default true. */
  useLlm?: boolean;
  table?: AttributeTable;
}

export interface MaintainReport {
  dryRun: boolean;
  now: string;
  users: string[];
  expired: string[];
  resolved: Array<{ closed: string; by: string }>;
  merged: Array<{ kept: string; removed: string[] }>;
  archived: string[];
  summaries: Array<{ id: string; session: string; method: 'extractive' | 'llm'; replaced: boolean }>;
  /** Turns whose failed LLM fact extraction was redone, and the facts that gave. */
  llmRetried: LlmRetryReport;
  /** LLM work that failed in this run and was done offline instead (marked to be redone next time). */
  llmFallbacks: LlmFallback[];
  /** Memories written before entity mentions were stored, read for theirs in this run. */
  mentionsScanned: number;
}

function checkNumber(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, `${name} must be a number from ${min} to ${max}`);
  }
  return value;
}

function ttlFor(user: string, ttl: MaintainOptions['ttlDays']): number | null {
  if (ttl === undefined) return null;
  const days = typeof ttl === 'number' ? ttl : (ttl[user] ?? ttl['*']);
  if (days === undefined) return null;
  return checkNumber(days, `ttlDays for ${user}`, 0, 0, 1_000_000);
}

const DAY_MS = 86_400_000;
/** Importance the heuristic gives pure small talk (importance.ts): such a turn says nothing to lose. */
const SMALL_TALK_IMPORTANCE = 0.1;

export async function maintain(ctx: EngineContext, options: MaintainOptions = {}): Promise<MaintainReport> {
  const nowDate = options.now === undefined ? ctx.now() : new Date(options.now);
  if (Number.isNaN(nowDate.getTime())) {
    throw new EngramError(
      ErrorCodes.INVALID_DATE,
      `now "${String(options.now)}" is not a valid date; give ISO 8601`,
    );
  }
  const strengthBelow = checkNumber(options.archiveStrengthBelow, 'archiveStrengthBelow', 0.05, 0, 1);
  const importanceBelow = checkNumber(options.archiveImportanceBelow, 'archiveImportanceBelow', 0.3, 0, 1);
  const minTurns = checkNumber(options.minSessionTurns, 'minSessionTurns', 4, 1, 1_000_000);
  if (options.ttlAction !== undefined && options.ttlAction !== 'delete' && options.ttlAction !== 'erase') {
    throw new EngramError(ErrorCodes.INVALID_INPUT, 'ttlAction must be "delete" or "erase"');
  }
  const table = options.table ?? DEFAULT_ATTRIBUTE_TABLE;
  const dryRun = options.dryRun === true;
  const now = nowDate.toISOString();
  const report: MaintainReport = {
    dryRun,
    now,
    users: [],
    expired: [],
    resolved: [],
    merged: [],
    archived: [],
    summaries: [],
    llmRetried: { turns: 0, facts: 0 },
    llmFallbacks: [],
    mentionsScanned: 0,
  };
  if (!dryRun) report.mentionsScanned = await scanOldMentions(ctx.store, ctx.tenant);
  const llm = options.useLlm === false ? null : ctx.llm;

  const users =
    options.user !== undefined
      ? [options.user]
      : [
          ...new Set((await listAll(ctx.store, ctx.tenant, { includeArchived: true })).map((m) => m.user)),
        ].sort();
  for (const user of users) ttlFor(user, options.ttlDays);
  report.users = users;

  // Every change of the run is planned against the in-memory lists below and written in one transaction at
  // the end: a crash leaves the store as it was before or as the report says.
  const unit = ctx.unit();
  const save = async (m: Memory, action: HistoryAction) => {
    if (!dryRun) unit.replace({ ...m, updatedAt: now }, action);
  };

  for (const user of users) {
    const load = () =>
      listAll(ctx.store, ctx.tenant, { user, includeArchived: true, includeSuperseded: true });
    let memories = await load();

    // 0. Fact extraction the LLM failed at earlier
    if (llm) {
      const retried = await redoPendingExtraction(ctx, memories, { table, dryRun, now }, report.llmFallbacks);
      report.llmRetried.turns += retried.turns;
      report.llmRetried.facts += retried.facts;
      if (retried.turns > 0 && !dryRun) memories = await load();
    }

    // 1. TTL
    const ttl = ttlFor(user, options.ttlDays);
    if (ttl !== null) {
      const cutoff = new Date(nowDate.getTime() - ttl * DAY_MS).toISOString();
      const expired = memories.filter((m) => m.occurredAt < cutoff);
      for (const m of expired) {
        report.expired.push(m.id);
        if (dryRun) continue;
        if (options.ttlAction === 'erase') unit.erase(m.id);
        else await save({ ...m, status: 'deleted' }, 'delete');
      }
      const gone = new Set(expired.map((m) => m.id));
      memories = memories.filter((m) => !gone.has(m.id));
    }

    const current = () => memories.filter((m) => m.status === 'active' && m.validTo === null);
    const replaceLocal = (next: Memory) => {
      memories = memories.map((m) => (m.id === next.id ? next : m));
    };

    // 2. Conflicts on single-valued attributes
    if (options.resolveConflicts !== false) {
      const groups = groupBy(
        current().filter((m) => {
          const md = factMetadata(m);
          return md !== null && table.isSingleValued(md.attribute);
        }),
        (m) => {
          const md = factMetadata(m)!;
          return JSON.stringify([m.agent, md.subject.toLowerCase(), table.canonical(md.attribute)]);
        },
      );
      for (const group of groups.values()) {
        if (group.length < 2) continue;
        const [latest, ...older] = group.sort((a, b) =>
          a.validFrom < b.validFrom ? 1 : a.validFrom > b.validFrom ? -1 : a.id < b.id ? 1 : -1,
        );
        for (const old of older) {
          // Values that are the same are duplicates, merged below, not conflicts.
          if (valueKey(factMetadata(old)!.value) === valueKey(factMetadata(latest!)!.value)) continue;
          const next = { ...old, validTo: latest!.validFrom, supersededBy: latest!.id };
          report.resolved.push({ closed: old.id, by: latest!.id });
          replaceLocal(next);
          await save(next, 'supersede');
        }
      }
    }

    // 3. Duplicates
    if (options.mergeDuplicates !== false) {
      const groups = groupBy(
        current().filter((m) => m.kind === 'fact' || m.kind === 'note'),
        (m) => {
          const md = factMetadata(m);
          if (md) {
            return JSON.stringify([
              m.agent,
              'fact',
              md.subject.toLowerCase(),
              table.canonical(md.attribute),
              valueKey(md.value),
              md.eventDate ?? null,
            ]);
          }
          return JSON.stringify([m.agent, m.kind, normalizedTerms(m.text).join(' ') || m.text.trim()]);
        },
      );
      for (const group of groups.values()) {
        if (group.length < 2) continue;
        const [kept, ...rest] = group.sort((a, b) => (a.id < b.id ? -1 : 1));
        const sourceIds = new Set<string>();
        const dialogIds = new Set<string>();
        for (const m of group) {
          for (const id of factMetadata(m)?.sourceIds ?? []) sourceIds.add(id);
          // The caller's links to its own turn ids (the bench's dialog ids) follow the sources.
          if (Array.isArray(m.metadata.dialogIds))
            for (const id of m.metadata.dialogIds) dialogIds.add(String(id));
        }
        const merged: Memory = {
          ...kept!,
          accessCount: group.reduce((n, m) => n + m.accessCount, 0),
          strength: Math.max(...group.map((m) => m.strength)),
          importance: Math.max(...group.map((m) => m.importance)),
          lastAccessedAt: latestOf(group.map((m) => m.lastAccessedAt)),
          metadata: {
            ...kept!.metadata,
            ...(kept!.kind === 'fact' ? { sourceIds: [...sourceIds] } : {}),
            ...(dialogIds.size > 0 ? { dialogIds: [...dialogIds] } : {}),
            mergedFrom: [
              ...((kept!.metadata.mergedFrom as string[] | undefined) ?? []),
              ...rest.map((m) => m.id),
            ],
          },
        };
        replaceLocal(merged);
        await save(merged, 'update');
        for (const m of rest) {
          const gone: Memory = { ...m, status: 'deleted', metadata: { ...m.metadata, mergedInto: kept!.id } };
          replaceLocal(gone);
          await save(gone, 'delete');
        }
        report.merged.push({ kept: kept!.id, removed: rest.map((m) => m.id) });
      }
    }

    const summarySources = new Set<string>();
    // 4. Session summaries (before archiving, which asks what they cover)
    if (options.summarize !== false) {
      const turnsBySession = groupBy(
        memories.filter((m) => m.kind === 'turn' && m.session !== null && m.status !== 'deleted'),
        (m) => JSON.stringify([m.agent, m.session]),
      );
      const existing = new Map(
        memories
          .filter(
            (m) => m.kind === 'summary' && m.status !== 'deleted' && typeof m.metadata.summaryOf === 'string',
          )
          .map((m) => [JSON.stringify([m.agent, m.metadata.summaryOf]), m]),
      );
      for (const [key, turns] of turnsBySession) {
        if (turns.length < minTurns) continue;
        const old = existing.get(key);
        const redo = llm !== null && old?.metadata[LLM_PENDING_KEY] === 'summary';
        if (old && old.metadata.turnCount === turns.length && !redo) {
          for (const id of (old.metadata.sourceIds as string[] | undefined) ?? []) summarySources.add(id);
          continue;
        }
        const sorted = turns.sort((a, b) =>
          a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : 1,
        );
        const last = sorted[sorted.length - 1]!;
        const session = last.session!;
        const summary = await summarizeSession(sorted, llm);
        for (const id of summary.sourceIds) summarySources.add(id);
        if (summary.llmError !== undefined) {
          report.llmFallbacks.push(llmFallback('summary', summary.llmError, 1, true));
        }
        const metadata = {
          summaryOf: session,
          turnCount: turns.length,
          method: summary.method,
          sourceIds: summary.sourceIds,
          ...(summary.llmError !== undefined ? { [LLM_PENDING_KEY]: 'summary' } : {}),
        };
        if (old) {
          report.summaries.push({ id: old.id, session, method: summary.method, replaced: true });
          if (!dryRun) {
            // New words need a new vector, or vector search would keep finding the old summary's.
            const vector = ctx.embedder
              ? {
                  model: ctx.embedder.id,
                  vector: (await ctx.embedder.embed([summary.text], { kind: 'document' }))[0]!,
                }
              : null;
            unit.replace(
              {
                ...old,
                text: summary.text,
                metadata,
                occurredAt: last.occurredAt,
                updatedAt: now,
                embeddingModel: vector?.model ?? null,
              },
              'update',
              vector,
            );
          }
          continue;
        }
        const memory = ctx.prepare({
          user,
          agent: last.agent,
          session,
          kind: 'summary',
          text: summary.text,
          metadata,
          occurredAt: last.occurredAt,
          importance: 0.5,
        });
        report.summaries.push({ id: memory.id, session, method: summary.method, replaced: false });
        if (!dryRun) await unit.insert([memory]);
      }
    }
    // 5. Archive what has faded and matters little. A turn is the record of what was said, and people ask
    // about the smallest of them later: it is archived only when something current still says it (a fact
    // drawn from it, a session summary quoting it), or when it says nothing (a greeting, "lol").
    if (options.archive !== false) {
      const covered = new Set(summarySources);
      for (const m of memories) {
        if (m.kind !== 'fact' || m.status !== 'active' || m.validTo !== null) continue;
        for (const id of factMetadata(m)?.sourceIds ?? []) covered.add(id);
      }
      for (const m of memories) {
        if (m.status !== 'active' || m.kind === 'summary') continue;
        if (m.kind === 'turn' && !covered.has(m.id) && m.importance > SMALL_TALK_IMPORTANCE) continue;
        if (m.importance >= importanceBelow || currentStrength(m, nowDate) >= strengthBelow) continue;
        report.archived.push(m.id);
        const next: Memory = { ...m, status: 'archived' };
        replaceLocal(next);
        await save(next, 'archive');
      }
    }
  }
  await unit.commit();
  return report;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function latestOf(values: Array<string | null>): string | null {
  let best: string | null = null;
  for (const v of values) if (v !== null && (best === null || v > best)) best = v;
  return best;
}
