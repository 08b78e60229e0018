/**
 * Opens the engine and the API key store on one database (a SQLite file or a PostgreSQL schema). Kept apart
 * from the HTTP server so that `engram keys` and `engram mcp` do not load Fastify.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { open, openStore } from '../memory/open.js';
import type { Engram, OpenOptions } from '../memory/types.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import { isPostgresUrl } from '../store/postgres/url.js';
import type { ServerConfig } from './config.js';
import { type KeyStore, SqliteKeyStore } from './keys.js';

/** Opens the engine and the key store on the same file; the engine first, since it creates and marks the file. */
export async function openDatabase(
  config: Pick<ServerConfig, 'db' | 'embedder' | 'maxTextLength'> & {
    reranker?: string;
    llm?: string;
    vectorCacheMb?: number;
  },
): Promise<{ engram: Engram; keys: KeyStore; path: string }> {
  const postgres = isPostgresUrl(config.db);
  const path = config.db === ':memory:' || postgres ? config.db : resolve(config.db);
  if (path !== ':memory:' && !postgres) mkdirSync(dirname(path), { recursive: true });
  const options: OpenOptions = {
    path,
    maxTextLength: config.maxTextLength,
    vectorCacheMb: config.vectorCacheMb,
    actor: 'server',
    // A spec string: open() builds the client (and rejects a malformed spec before serving).
    ...(config.llm && config.llm.trim() !== 'none' ? { llm: config.llm } : {}),
  };
  const embedder = config.embedder.trim();
  if (embedder === 'none' || embedder === 'glove') options.embedder = embedder;
  else {
    // Specs other than the two built-ins may load heavy runtimes (onnxruntime), so only when named.
    const { createEmbedder, parseEmbedderSpec } = await import('../embed/factory.js');
    options.embedder = await createEmbedder(parseEmbedderSpec(embedder));
  }
  const reranker = config.reranker?.trim();
  if (reranker && reranker !== 'none') {
    const { createReranker, parseRerankerSpec } = await import('../rerank/factory.js');
    options.reranker = await createReranker(parseRerankerSpec(reranker));
  }
  // The store first: it creates and marks a new database (and refuses one that is not Engram's).
  const store = await openStore(path, { vectorCacheMb: config.vectorCacheMb });
  let engram: Engram;
  try {
    engram = await open({ ...options, store });
  } catch (e) {
    await store.close();
    throw e;
  }
  try {
    if (store.kind === 'postgres') {
      // Keys share the store's pool and schema: a key created through one server works on every server.
      const { PostgresKeyStore } = await import('./keys-postgres.js');
      const pgStore = store as PostgresStore;
      return { engram, keys: new PostgresKeyStore(pgStore.database, pgStore.schema), path: pgStore.location };
    }
    return { engram, keys: new SqliteKeyStore(path), path };
  } catch (e) {
    await engram.close();
    throw e;
  }
}
