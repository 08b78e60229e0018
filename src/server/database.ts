/**
 * Opens the engine and the API key store on one SQLite file. Kept apart from the HTTP server so that
 * `engram keys` and `engram mcp` do not load Fastify.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { open } from '../memory/open.js';
import type { Engram, OpenOptions } from '../memory/types.js';
import type { ServerConfig } from './config.js';
import { SqliteKeyStore } from './keys.js';

/** Opens the engine and the key store on the same file; the engine first, since it creates and marks the file. */
export async function openDatabase(
  config: Pick<ServerConfig, 'db' | 'embedder' | 'maxTextLength'> & {
    reranker?: string;
    llm?: string;
    vectorCacheMb?: number;
  },
): Promise<{ engram: Engram; keys: SqliteKeyStore; path: string }> {
  const path = config.db === ':memory:' ? config.db : resolve(config.db);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
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
  const engram: Engram = await open(options);
  try {
    return { engram, keys: new SqliteKeyStore(path), path };
  } catch (e) {
    await engram.close();
    throw e;
  }
}
