/**
 * The systems of the perf benchmark, each holding every user's memories in one store or index and
 * answering searches scoped to one user, in each retrieval mode it supports.
 */

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngramError, ErrorCodes } from '../core/errors.js';
import type { Embedder } from '../embed/types.js';
import type { Engram } from '../memory/types.js';
import { dropSchema, scratchSchemaUrl } from '../store/postgres/scratch-schema.js';
import type { SyntheticMemory } from './synthetic.js';
import type { OpenEngram, SearchMode } from './systems/engram.js';
import { miniSearchPeer } from './systems/minisearch.js';
import { oramaPeer } from './systems/orama.js';
import type { PeerIndex } from './systems/peer.js';

export const PERF_SYSTEMS = ['engram', 'orama', 'minisearch'] as const;
export type PerfSystemName = (typeof PERF_SYSTEMS)[number];

export interface PerfStore {
  readonly modes: readonly SearchMode[];
  ingest(batch: readonly SyntheticMemory[], firstId: number): Promise<void>;
  search(user: string, query: string, k: number, mode: SearchMode): Promise<number>;
  /** Bytes on disk per memory, for stores that have a disk; measured after close. */
  close(): Promise<{ diskBytes: number | null }>;
}

export interface PerfStoreOptions {
  /** Needed for Engram only. */
  open?: OpenEngram;
  embedder: Embedder | null;
  /** A PostgreSQL URL for Engram's store (a scratch schema next to it, dropped on close). */
  postgres?: string;
}

export async function createPerfStore(name: PerfSystemName, options: PerfStoreOptions): Promise<PerfStore> {
  if (name === 'engram') {
    if (!options.open) throw new EngramError(ErrorCodes.INVALID_INPUT, 'The engram perf store needs open()');
    return engramStore(options.open, options.embedder, options.postgres);
  }
  if (name === 'orama') {
    if (!options.embedder) return peerStore(await oramaPeer({ mode: 'bm25' }).create(), ['bm25']);
    // One index serves all three modes: its vector property is filled at ingest either way.
    const index = await oramaPeer({ mode: 'hybrid', embedder: options.embedder }).create();
    return peerStore(index, ['bm25', 'vector', 'hybrid']);
  }
  return peerStore(await miniSearchPeer().create(), ['bm25']);
}

async function engramStore(
  open: OpenEngram,
  embedder: Embedder | null,
  postgres?: string,
): Promise<PerfStore> {
  const dir = mkdtempSync(join(tmpdir(), 'engram-perf-'));
  const pgUrl = postgres ? scratchSchemaUrl(postgres, 'perf') : null;
  const path = pgUrl ?? join(dir, 'perf.db');
  const engram: Engram = await open({ path, embedder: embedder ?? 'none', actor: 'bench' });
  return {
    modes: embedder ? ['bm25', 'vector', 'hybrid'] : ['bm25'],
    async ingest(batch) {
      await engram.addMany(
        batch.map((m) => ({
          user: m.user,
          session: m.session,
          kind: 'turn',
          text: m.text,
          occurredAt: m.occurredAt,
        })),
      );
    },
    async search(user, query, k, mode) {
      const hits = await engram.search(query, { user, k, mode, reinforce: false });
      return hits.length;
    },
    async close() {
      if (pgUrl) {
        const { dbBytes } = await engram.stats();
        await engram.close();
        await dropSchema(pgUrl);
        rmSync(dir, { recursive: true, force: true });
        return { diskBytes: dbBytes };
      }
      await engram.close();
      let bytes = 0;
      for (const suffix of ['', '-wal', '-shm']) {
        try {
          bytes += statSync(path + suffix).size;
        } catch {
          // WAL files are gone after a clean close.
        }
      }
      rmSync(dir, { recursive: true, force: true });
      return { diskBytes: bytes };
    },
  };
}

/**
 * A peer index with Orama's modes exposed separately. The Orama index built for hybrid search answers
 * bm25 and vector queries too, through the same `search` call with a different mode.
 */
function peerStore(index: PeerIndex, modes: SearchMode[]): PerfStore {
  return {
    modes,
    async ingest(batch, firstId) {
      await index.add(batch.map((m, i) => ({ id: String(firstId + i), text: m.text, user: m.user })));
    },
    async search(user, query, k, mode) {
      const ids = await (index.searchMode
        ? index.searchMode(query, k, mode, user)
        : index.search(query, k, user));
      return ids.length;
    },
    async close() {
      return { diskBytes: null };
    },
  };
}
