import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EngramError, ErrorCodes } from '../core/errors.js';
import type { Embedder } from '../embed/types.js';
import { resolveLlm } from '../llm/spec.js';
import { createEventTimeIndexer } from '../retrieve/event-times.js';
import { DEFAULT_RETRIEVAL, type RetrievalConfig } from '../retrieve/hybrid.js';
import type { WordVectors } from '../retrieve/soft-match.js';
import { createTextIndexer } from '../retrieve/text-index.js';
import { isPostgresUrl } from '../store/postgres/url.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import { type AnalysisCache, sharedAnalysisCache } from '../text/analysis-cache.js';
import { analyze, analyzeQuery } from '../text/analyzer.js';
import { EngramEngine } from './engine.js';
import { DEFAULT_RANK_WEIGHTS } from './lifecycle/index.js';
import { checkName, DEFAULT_MAX_TEXT_LENGTH } from './prepare.js';
import type { Engram, OpenOptions } from './types.js';

/**
 * Names the analyzer's output format in the database file; bump it whenever `analyze` changes what terms it
 * emits, so that existing files rebuild their full-text index on open.
 */
export const ANALYZER_VERSION = 'analyzer-7';

/** $ENGRAM_DB (a file path or a postgres:// URL), else ./engram.db in the working directory (never inside node_modules). */
export function defaultDbPath(): string {
  return process.env.ENGRAM_DB && process.env.ENGRAM_DB.trim() !== ''
    ? process.env.ENGRAM_DB
    : resolve('engram.db');
}

async function resolveEmbedder(choice: OpenOptions['embedder']): Promise<Embedder | null> {
  if (choice === 'none') return null;
  if (choice === undefined || choice === 'glove') {
    const { createGloveEmbedder } = await import('../embed/glove.js');
    return createGloveEmbedder();
  }
  if (typeof choice === 'object' && typeof choice.embed === 'function') return choice;
  throw new EngramError(ErrorCodes.INVALID_INPUT, 'embedder must be "glove", "none" or an Embedder object');
}

/**
 * Opens (creating if needed) the store at a location: a `postgres://` / `postgresql://` URL (PostgreSQL; the
 * driver is loaded only then) or a SQLite file path (`:memory:` for a private in-memory database).
 */
export async function openStore(
  location: string,
  options: Pick<OpenOptions, 'vectorCacheMb'> = {},
  analysis: AnalysisCache = sharedAnalysisCache(),
): Promise<Store> {
  const cacheMb = options.vectorCacheMb ?? 512;
  if (!Number.isFinite(cacheMb) || cacheMb <= 0) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `vectorCacheMb must be a positive number of MiB, got ${options.vectorCacheMb}`,
    );
  }
  const indexer = createTextIndexer(analysis.analyze, ANALYZER_VERSION);
  const eventTimes = createEventTimeIndexer();
  if (isPostgresUrl(location)) {
    const { PostgresStore } = await import('../store/postgres/postgres-store.js');
    return PostgresStore.open(location, { indexer, eventTimes, vectorCacheBytes: cacheMb * 1024 * 1024 });
  }
  if (location !== ':memory:') mkdirSync(dirname(resolve(location)), { recursive: true });
  return SqliteStore.open(location, { indexer, eventTimes, vectorCacheBytes: cacheMb * 1024 * 1024 });
}

/**
 * Opens (creating if needed) an Engram memory. The returned handle is confined to one tenant; use
 * `withContext({ tenant })` for others.
 */
export async function open(options: OpenOptions = {}): Promise<Engram> {
  const tenant = options.tenant === undefined ? 'default' : checkName(options.tenant, 'tenant', true);
  // Before the store: a malformed spec must not leave a new database file behind.
  const llm = resolveLlm(options.llm);
  // Writes analyse their texts ahead, a slice at a time, and the store's transaction finds them here.
  const analysis = sharedAnalysisCache();
  const store = options.store ?? (await openStore(options.path ?? defaultDbPath(), options, analysis));
  let embedder: Embedder | null;
  try {
    embedder = await resolveEmbedder(options.embedder);
  } catch (e) {
    await store.close();
    throw e;
  }
  const retrieval: RetrievalConfig = { ...DEFAULT_RETRIEVAL, ...options.retrieval };
  const engine = new EngramEngine(
    {
      store,
      embedder,
      reranker: options.reranker ?? null,
      llm,
      analyzeQuery,
      analyze,
      prewarm: (texts) => analysis.prewarm(texts),
      words: await loadWordVectors(embedder),
      rankWeights: { ...DEFAULT_RANK_WEIGHTS, ...options.rankWeights },
      retrieval,
      maxTextLength: options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH,
      now: options.now ?? (() => new Date()),
      dispose: async () => {
        await store.close();
        await embedder?.close?.();
        await options.reranker?.close?.();
      },
    },
    tenant,
    options.actor ?? 'library',
    true,
  );
  return engine;
}

/** Soft matching uses GloVe word vectors; they come with the GloVe embedder's cache. */
async function loadWordVectors(embedder: Embedder | null): Promise<WordVectors | null> {
  if (!embedder?.id.startsWith('glove-')) return null;
  const { loadSharedGloveCache } = await import('../embed/glove.js');
  const { gloveWordVectors } = await import('../embed/glove-words.js');
  const cache = loadSharedGloveCache();
  return cache ? gloveWordVectors(cache) : null;
}
