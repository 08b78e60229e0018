import type { Memory } from '../../core/types.js';
import type { EngineContext } from '../engine-context.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { type AttributeTable, DEFAULT_ATTRIBUTE_TABLE } from './attributes.js';
import type { ConflictJudge } from './conflict-judge.js';
import { reinforceOnRestatement } from './decay.js';
import type { ExtractedFact } from './extract/types.js';
import { listAll } from './list-all.js';
import { cosine, termSimilarity, valueKey } from './similarity.js';

/**
 * Brings extracted facts into the store, one at a time and in the order they were said:
 *
 *   same subject + attribute + value (or, for attributes that accumulate, the same statement in other
 *   words)                          → the stored fact is reinforced (strength, half-life, source turns)
 *   a single-valued attribute with a different value
 *                                   → the new fact is added and the old one closed: validTo = when the new
 *                                     one was said, supersededBy = the new id; nothing is deleted
 *   a correction ("actually it's Tuesday, not Monday")
 *                                   → the subject's latest fact mentioning "Monday" is closed and replaced
 *                                     by the same fact with "Tuesday"
 *   an attribute the table does not know, with a different value
 *                                   → the LLM judge decides when configured; otherwise both are kept
 *   anything else                   → added
 *
 * A turn whose every fact has been closed is closed too (it no longer states anything true), so search
 * returns "I live in Paris" only when asked for the past.
 */
export interface ReconcileOptions {
  table?: AttributeTable;
  /** Dice similarity of normalised terms at or above which two statements are the same fact. Default 0.8. */
  restateSimilarity?: number;
  /** Cosine at or above which two statements are the same fact, when an embedder is present. Default 0.92. */
  restateCosine?: number;
  /** Close turns whose every fact is closed. Default true. */
  supersedeSourceTurns?: boolean;
  judge?: ConflictJudge | null;
}

export interface ReconcileResult {
  added: Memory[];
  reinforced: Memory[];
  /** Facts (and turns) closed by newer ones, as stored after closing. */
  superseded: Memory[];
}

export interface FactMetadata {
  subject: string;
  attribute: string;
  value: string;
  sourceIds: string[];
  language: string;
  [key: string]: unknown;
}

export function factMetadata(m: Memory): FactMetadata | null {
  const md = m.metadata as Partial<FactMetadata>;
  if (
    m.kind !== 'fact' ||
    typeof md.subject !== 'string' ||
    typeof md.attribute !== 'string' ||
    typeof md.value !== 'string'
  ) {
    return null;
  }
  return { ...md, sourceIds: Array.isArray(md.sourceIds) ? md.sourceIds.map(String) : [] } as FactMetadata;
}

const EVENT_LIKE = new Set(['event', 'plan']);

/** The working set of one reconciliation: stored facts plus facts created in this run. */
class FactBook {
  readonly facts = new Map<string, Memory>();
  readonly fresh = new Set<string>();
  readonly changed = new Map<string, 'reinforce' | 'supersede'>();

  constructor(stored: Memory[]) {
    for (const m of stored) this.facts.set(m.id, m);
  }

  current(subject: string): Memory[] {
    const s = subject.toLowerCase();
    const out: Memory[] = [];
    for (const m of this.facts.values()) {
      const md = factMetadata(m);
      if (md && m.validTo === null && m.status !== 'deleted' && md.subject.toLowerCase() === s) out.push(m);
    }
    // Most recent statement first.
    return out.sort((a, b) =>
      a.validFrom < b.validFrom ? 1 : a.validFrom > b.validFrom ? -1 : a.id < b.id ? 1 : -1,
    );
  }

  set(m: Memory, action: 'reinforce' | 'supersede' | null): void {
    this.facts.set(m.id, m);
    // A fact created in this run is stored once, in its final state; a stored one is replaced with history.
    if (action && !this.fresh.has(m.id)) {
      const before = this.changed.get(m.id);
      this.changed.set(m.id, before === 'supersede' ? 'supersede' : action);
    }
  }
}

export async function reconcileFacts(
  ctx: EngineContext,
  unit: UnitOfWork,
  scope: { user: string; agent: string | null },
  extracted: ExtractedFact[],
  turns: Memory[],
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const table = options.table ?? DEFAULT_ATTRIBUTE_TABLE;
  const restateSimilarity = options.restateSimilarity ?? 0.8;
  const restateCosine = options.restateCosine ?? 0.92;
  const nowIso = ctx.now().toISOString();
  const stored = (
    await listAll(ctx.store, ctx.tenant, {
      user: scope.user,
      kind: 'fact',
      includeSuperseded: true,
      includeArchived: true,
    })
  ).filter((m) => m.agent === scope.agent);
  const book = new FactBook(stored);
  const reinforcedIds = new Set<string>();
  const closedIds = new Set<string>();
  const addedIds: string[] = [];
  /** Which fact closed which (for closing source turns). */
  const closedBy = new Map<string, string>();

  const close = (old: Memory, by: Memory) => {
    book.set(
      { ...old, validTo: laterOf(by.validFrom, old.validFrom), supersededBy: by.id, updatedAt: nowIso },
      'supersede',
    );
    closedIds.add(old.id);
    closedBy.set(old.id, by.id);
  };

  const add = (
    fact: ExtractedFact,
    turn: Memory,
    attribute: string,
    overrides: Partial<ExtractedFact> = {},
    extra = {},
  ) => {
    const f = { ...fact, ...overrides };
    const metadata: Record<string, unknown> = {
      subject: f.subject,
      attribute,
      value: f.value,
      sourceIds: [turn.id],
      language: f.language,
      extractor: f.extractor ?? 'rules',
      ...extra,
    };
    if (f.eventDate) {
      metadata.eventDate = f.eventDate;
      metadata.dateGranularity = f.dateGranularity ?? 'day';
    }
    if (typeof turn.metadata.dialogId === 'string') metadata.dialogIds = [turn.metadata.dialogId];
    const m = ctx.prepare({
      user: scope.user,
      agent: scope.agent,
      session: turn.session,
      kind: 'fact',
      speaker: turn.speaker,
      role: turn.role,
      text: f.text,
      metadata,
      // Events are remembered at the date they happened; states from when they were said.
      occurredAt: f.eventDate && EVENT_LIKE.has(attribute) ? `${f.eventDate}T00:00:00.000Z` : turn.occurredAt,
      validFrom: turn.occurredAt,
      importance: f.importance ?? table.importance(attribute),
    });
    book.fresh.add(m.id);
    book.set(m, null);
    addedIds.push(m.id);
    return m;
  };

  const reinforce = (m: Memory, turn: Memory) => {
    const md = factMetadata(m)!;
    // One turn saying a thing twice is one statement.
    if (md.sourceIds.includes(turn.id)) return;
    const at = laterOf(turn.occurredAt, m.lastAccessedAt ?? m.validFrom);
    const boosted = reinforceOnRestatement(m, new Date(at));
    const sourceIds = [...md.sourceIds, turn.id];
    const metadata: Record<string, unknown> = {
      ...m.metadata,
      sourceIds,
      restatements: Number(m.metadata.restatements ?? 0) + 1,
    };
    if (typeof turn.metadata.dialogId === 'string') {
      const ids = Array.isArray(m.metadata.dialogIds) ? (m.metadata.dialogIds as string[]) : [];
      if (!ids.includes(turn.metadata.dialogId)) metadata.dialogIds = [...ids, turn.metadata.dialogId];
    }
    // A restated memory that had faded into the archive comes back.
    book.set({ ...m, ...boosted, status: 'active', metadata, updatedAt: nowIso }, 'reinforce');
    reinforcedIds.add(m.id);
  };

  for (const fact of extracted) {
    const turn = turns[fact.turn];
    if (!turn) continue;
    const attribute = table.canonical(fact.attribute);
    const current = book.current(fact.subject);

    if (fact.correction) {
      const target = findCorrectionTarget(
        current,
        attribute === 'correction' ? null : attribute,
        fact,
        table,
      );
      if (!target) continue;
      const md = factMetadata(target)!;
      const from = fact.correction.from;
      const value =
        from && containsWord(md.value, from) ? replaceWord(md.value, from, fact.value) : fact.value;
      const text =
        from && containsWord(target.text, from) ? replaceWord(target.text, from, fact.value) : fact.text;
      const m = add(
        fact,
        turn,
        md.attribute,
        { value, text, language: (md.language as ExtractedFact['language']) ?? fact.language },
        { corrects: target.id },
      );
      close(target, m);
      continue;
    }

    const sameAttribute = current.filter((m) => table.canonical(factMetadata(m)!.attribute) === attribute);
    const key = valueKey(fact.value);
    let match = sameAttribute.find((m) => valueKey(factMetadata(m)!.value) === key && sameDate(m, fact));
    const single = table.isSingleValued(attribute);
    if (!match && !single) {
      const similar = sameAttribute.filter((m) => sameDate(m, fact));
      match = similar.find((m) => termSimilarity(m.text, fact.text) >= restateSimilarity);
      if (!match && ctx.embedder && similar.length > 0)
        match = await closestByEmbedding(ctx, fact.text, similar, restateCosine);
    }
    if (match) {
      reinforce(match, turn);
      continue;
    }
    let conflicting: Memory[] = [];
    if (single) conflicting = sameAttribute;
    else if (!table.rule(attribute) && options.judge && sameAttribute.length > 0) {
      for (const m of sameAttribute) if (await options.judge(m, fact)) conflicting.push(m);
    }
    const m = add(fact, turn, attribute);
    for (const old of conflicting) {
      if (old.validFrom <= m.validFrom) {
        close(old, m);
      } else {
        // Said earlier than what is stored (history ingested out of order): the new fact is the outdated one.
        close(book.facts.get(m.id)!, old);
        break;
      }
    }
  }

  // Plan the writes (committed by the caller with the rest of its unit): new facts, then every change to
  // stored facts with its history entry.
  const added = addedIds.map((id) => book.facts.get(id)!);
  if (added.length > 0) await unit.insert(added);
  const superseded: Memory[] = [];
  const reinforced: Memory[] = [];
  for (const [id, action] of book.changed) {
    const saved = unit.replace(book.facts.get(id)!, action);
    if (action === 'supersede') superseded.push(saved);
    else reinforced.push(saved);
  }
  for (const id of closedIds) if (book.fresh.has(id)) superseded.push(book.facts.get(id)!);
  if (options.supersedeSourceTurns !== false && closedIds.size > 0) {
    superseded.push(...(await closeSpentTurns(unit, book, closedIds, closedBy, nowIso)));
  }
  return {
    added: added.map((m) => book.facts.get(m.id)!),
    reinforced: reinforced.filter((m) => reinforcedIds.has(m.id)),
    superseded,
  };
}

/** Closes each source turn of a closed fact once none of the facts drawn from it is current. */
async function closeSpentTurns(
  unit: UnitOfWork,
  book: FactBook,
  closedIds: Set<string>,
  closedBy: Map<string, string>,
  nowIso: string,
): Promise<Memory[]> {
  const factsOfTurn = new Map<string, Memory[]>();
  for (const m of book.facts.values()) {
    for (const t of factMetadata(m)?.sourceIds ?? []) {
      const list = factsOfTurn.get(t) ?? [];
      list.push(m);
      factsOfTurn.set(t, list);
    }
  }
  const spent = new Map<string, string>();
  for (const id of closedIds) {
    for (const t of factMetadata(book.facts.get(id)!)?.sourceIds ?? []) {
      const facts = factsOfTurn.get(t) ?? [];
      if (facts.every((f) => f.validTo !== null || f.status === 'deleted')) spent.set(t, closedBy.get(id)!);
    }
  }
  if (spent.size === 0) return [];
  const out: Memory[] = [];
  for (const turn of await unit.getMany([...spent.keys()])) {
    if (turn.kind !== 'turn' || turn.validTo !== null) continue;
    const by = book.facts.get(spent.get(turn.id)!)!;
    const next = {
      ...turn,
      validTo: laterOf(by.validFrom, turn.validFrom),
      supersededBy: by.id,
      updatedAt: nowIso,
    };
    out.push(unit.replace(next, 'supersede'));
  }
  return out;
}

function laterOf(a: string, b: string): string {
  return a >= b ? a : b;
}

function sameDate(m: Memory, fact: ExtractedFact): boolean {
  const stored = typeof m.metadata.eventDate === 'string' ? m.metadata.eventDate : undefined;
  return stored === fact.eventDate;
}

async function closestByEmbedding(
  ctx: EngineContext,
  text: string,
  candidates: Memory[],
  threshold: number,
): Promise<Memory | undefined> {
  const vectors = await ctx.embedder!.embed([text, ...candidates.map((m) => m.text)], { kind: 'document' });
  let best: Memory | undefined;
  let bestScore = threshold;
  candidates.forEach((m, i) => {
    const score = cosine(vectors[0]!, vectors[i + 1]!);
    if (score >= bestScore) {
      best = m;
      bestScore = score;
    }
  });
  return best;
}

const WEEKDAY_SHAPE = /^(mon|tues|wednes|thurs|fri|satur|sun)day$|^(周|星期|礼拜)[一二三四五六日天]$/i;

/** Two values of the same kind: both weekdays, both numbers, both times. */
function sameShape(a: string, b: string): boolean {
  const shapes = [WEEKDAY_SHAPE, /^\d+(\.\d+)?$/, /^\d{1,2}(:\d{2})?\s*(am|pm)?$/i];
  return shapes.some((re) => re.test(a.trim()) && re.test(b.trim()));
}

function findCorrectionTarget(
  current: Memory[],
  attribute: string | null,
  fact: ExtractedFact,
  table: AttributeTable,
): Memory | undefined {
  const candidates = current.filter((m) => {
    const md = factMetadata(m)!;
    return attribute === null || table.canonical(md.attribute) === attribute;
  });
  const from = fact.correction?.from;
  if (from)
    return candidates.find((m) => containsWord(factMetadata(m)!.value, from) || containsWord(m.text, from));
  return candidates.find((m) => sameShape(factMetadata(m)!.value, fact.value));
}

function wordPattern(word: string): RegExp {
  const escaped = word.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Latin words match whole words (and their plural: "Mondays"); Han text matches as a substring.
  return /^[\p{Script=Latin}\d\s'-]+$/u.test(word)
    ? new RegExp(`\\b${escaped}s?\\b`, 'giu')
    : new RegExp(escaped, 'gu');
}

function containsWord(text: string, word: string): boolean {
  return word.trim() !== '' && wordPattern(word).test(text);
}

function replaceWord(text: string, word: string, replacement: string): string {
  return text.replace(wordPattern(word), replacement.trim());
}
