/**
 * Engram as a benchmark system: a fresh temporary store per corpus (one user), the turns ingested with
 * `addMany` (or `addConversation`, session by session), each question asked with `now` set to the
 * question's reference time and without reinforcement, so asking never changes what later questions see.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemoryInput } from '../../core/types.js';
import type { Embedder } from '../../embed/types.js';
import type { Engram, OpenOptions, SearchHit, SearchOptions } from '../../memory/types.js';
import type { Reranker } from '../../rerank/types.js';
import { DEFAULT_RETRIEVAL } from '../../retrieve/hybrid.js';
import { dropSchema, scratchSchemaUrl } from '../../store/postgres/scratch-schema.js';
import type { BenchCorpus, BenchQuestion, RetrievalIndex, RetrievalSystem } from '../types.js';

export type SearchMode = NonNullable<SearchOptions['mode']>;

export type OpenEngram = (options: OpenOptions) => Promise<Engram>;

export interface EngramSystemOptions {
  open: OpenEngram;
  /** Embedder instance (shared by every corpus, so the model loads once), "glove" or "none". */
  embedder: Embedder | 'glove' | 'none';
  /** Search mode; omitted means the engine's default. */
  mode?: SearchMode;
  /** Overrides of the engine's retrieval configuration (fusion, weights, candidates). */
  retrieval?: OpenOptions['retrieval'];
  /** Cross-encoder reranker, shared by every corpus like the embedder. */
  reranker?: Reranker;
  /** `turns` (default): addMany of the turns; `conversation`: addConversation per session. */
  ingest?: 'turns' | 'conversation';
  /** Store on a temporary file (default, as in real use) or in memory. */
  storage?: 'file' | 'memory';
  /**
   * Run `maintain` (archive, summaries, merges) this many days after the corpus's last turn, before the
   * questions: what a store looks like after it has been left alone for a while.
   */
  maintainAfterDays?: number;
  /** A PostgreSQL URL: each corpus gets a scratch schema next to its schema (dropped afterwards) instead of a file. */
  postgres?: string;
  /** Shown in the report as `engram` unless several Engram variants run side by side. */
  name?: string;
}

export class EngramSystem implements RetrievalSystem {
  readonly name: string;
  readonly config: Record<string, unknown>;

  constructor(private readonly options: EngramSystemOptions) {
    this.name = options.name ?? 'engram';
    const embedder = options.embedder;
    this.config = {
      system: 'engram',
      embedder: typeof embedder === 'string' ? embedder : embedder.id,
      mode: options.mode ?? 'hybrid',
      retrieval: { ...DEFAULT_RETRIEVAL, ...options.retrieval },
      reranker: options.reranker?.id ?? null,
      ingest: options.ingest ?? 'turns',
      storage: options.postgres ? 'postgres' : (options.storage ?? 'file'),
      maintainAfterDays: options.maintainAfterDays ?? null,
    };
  }

  async index(corpus: BenchCorpus): Promise<RetrievalIndex> {
    const pgUrl = this.options.postgres ? scratchSchemaUrl(this.options.postgres, 'bench') : null;
    const dir =
      this.options.storage === 'memory' || pgUrl ? null : mkdtempSync(join(tmpdir(), 'engram-bench-'));
    const engram = await this.options.open({
      path: pgUrl ?? (dir ? join(dir, 'bench.db') : ':memory:'),
      embedder: borrowedEmbedder(this.options.embedder),
      ...(this.options.reranker ? { reranker: borrowedReranker(this.options.reranker) } : {}),
      actor: 'bench',
      ...(this.options.retrieval ? { retrieval: this.options.retrieval } : {}),
    });
    try {
      if (this.options.ingest === 'conversation') await ingestConversation(engram, corpus);
      else await engram.addMany(corpus.docs.map((d) => turnInput(corpus.user, d)));
      if (this.options.maintainAfterDays !== undefined) {
        const last = Math.max(...corpus.docs.map((d) => Date.parse(d.at)));
        const now = new Date(last + this.options.maintainAfterDays * 86_400_000);
        await engram.maintain({ user: corpus.user, now });
      }
    } catch (e) {
      await closeStore(engram, dir, pgUrl);
      throw e;
    }
    const mode = this.options.mode;
    return {
      search: async (question: BenchQuestion, k: number) => {
        const options: SearchOptions = { user: corpus.user, k, now: question.now, reinforce: false };
        if (question.asOf !== undefined) options.asOf = question.asOf;
        if (mode) options.mode = mode;
        return hitDialogIds(await engram.search(question.question, options), k);
      },
      context: async (question: BenchQuestion, budget: number) => {
        const block = await engram.buildContext({
          user: corpus.user,
          query: question.question,
          now: question.now,
          tokenBudget: budget,
          reinforce: false,
        });
        const ids = new Set<string>();
        for (const m of await Promise.all(block.ids.map((id) => engram.get(id)))) {
          if (!m) continue;
          for (const id of hitDialogIds([{ metadata: m.metadata } as SearchHit], Number.MAX_SAFE_INTEGER))
            ids.add(id);
        }
        return ids;
      },
      close: () => closeStore(engram, dir, pgUrl),
    };
  }
}

/**
 * The engine closes its embedder and reranker when the store closes; the bench shares one of each across
 * many stores, so each store gets a view without `close`, and the bench closes the real ones at the end.
 */
function borrowedEmbedder(embedder: EngramSystemOptions['embedder']): EngramSystemOptions['embedder'] {
  if (typeof embedder === 'string') return embedder;
  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    embed: (texts, options) => embedder.embed(texts, options),
  };
}

function borrowedReranker(reranker: Reranker): Reranker {
  return { id: reranker.id, score: (query, passages) => reranker.score(query, passages) };
}

/** A corpus turn as Engram stores it, its dialog id in the metadata (the scripts in scripts/ use it too). */
export function turnInput(user: string, doc: BenchCorpus['docs'][number]): MemoryInput {
  return {
    user,
    session: doc.session,
    kind: 'turn',
    speaker: doc.speaker,
    role: doc.role,
    text: doc.text,
    occurredAt: doc.at,
    metadata: { ...doc.metadata, dialogId: doc.id },
  };
}

async function ingestConversation(engram: Engram, corpus: BenchCorpus): Promise<void> {
  const bySession = new Map<string, BenchCorpus['docs']>();
  for (const doc of corpus.docs) {
    const list = bySession.get(doc.session) ?? [];
    list.push(doc);
    bySession.set(doc.session, list);
  }
  for (const [session, docs] of bySession) {
    await engram.addConversation({
      user: corpus.user,
      session,
      messages: docs.map((d) => ({
        ...(d.speaker ? { speaker: d.speaker } : {}),
        ...(d.role ? { role: d.role } : {}),
        text: d.text,
        at: d.at,
        metadata: { ...d.metadata, dialogId: d.id },
      })),
    });
  }
}

/**
 * Maps hits to dialog ids. Hits that are not turns (facts, summaries) name the turns they came from in
 * `metadata.dialogId`/`metadata.dialogIds` when the engine links them; hits naming none are skipped.
 */
export function hitDialogIds(hits: readonly SearchHit[], k: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const hit of hits) {
    const ids: unknown[] = [];
    if (typeof hit.metadata.dialogId === 'string') ids.push(hit.metadata.dialogId);
    if (Array.isArray(hit.metadata.dialogIds)) ids.push(...hit.metadata.dialogIds);
    for (const id of ids) {
      if (typeof id !== 'string' || seen.has(id)) continue;
      seen.add(id);
      out.push(id);
    }
  }
  return out.slice(0, k);
}

async function closeStore(engram: Engram, dir: string | null, pgUrl: string | null): Promise<void> {
  try {
    await engram.close();
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (pgUrl) await dropSchema(pgUrl);
  }
}
