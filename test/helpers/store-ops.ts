import type { Memory } from '../../src/core/types.js';
import { DEFAULT_RETRIEVAL } from '../../src/retrieve/hybrid.js';
import { createTextIndexer } from '../../src/retrieve/text-index.js';
import type {
  Change,
  CommonTermsPlan,
  ScopeFilter,
  ScoredId,
  Store,
  StoredVector,
  TextIndexer,
} from '../../src/store/types.js';
import { analyze } from '../../src/text/analyzer.js';

/** The production indexer with a test version string (a changed version re-indexes an existing file). */
export function testIndexer(version = 'test-1', analyzer: (text: string) => string[] = analyze): TextIndexer {
  return createTextIndexer(analyzer, version);
}

const added: Change = { action: 'add', actor: 'test' };

/** Inserts memories (grouped per tenant, one change set each) with their vectors. */
export async function insert(
  store: Store,
  memories: Memory[],
  vectors: Map<string, StoredVector> = new Map(),
  change: Change = added,
): Promise<void> {
  const byTenant = new Map<string, Memory[]>();
  for (const m of memories) byTenant.set(m.tenant, [...(byTenant.get(m.tenant) ?? []), m]);
  for (const [tenant, ms] of byTenant) {
    await store.apply({
      tenant,
      ops: ms.map((memory) => {
        const vector = vectors.get(memory.id);
        return { op: 'insert' as const, memory, ...(vector ? { vector } : {}), change };
      }),
    });
  }
}

export async function replace(
  store: Store,
  memory: Memory,
  change: Change,
  vector?: StoredVector | null,
): Promise<Memory> {
  await store.apply({
    tenant: memory.tenant,
    ops: [{ op: 'replace', memory, ...(vector !== undefined ? { vector } : {}), change }],
  });
  return memory;
}

/** One BM25 list through `Store.search`, with retrieval's context weight unless given. */
export async function searchText(
  store: Store,
  filter: ScopeFilter,
  terms: string[],
  limit: number,
  options: { contextWeight?: number; commonTerms?: CommonTermsPlan } = {},
): Promise<ScoredId[]> {
  const q = {
    name: 'text',
    filter,
    terms,
    limit,
    contextWeight: options.contextWeight ?? DEFAULT_RETRIEVAL.contextWeight,
    ...(options.commonTerms ? { commonTerms: options.commonTerms } : {}),
  };
  return (await store.search({ text: [q], vector: [] })).lists.text ?? [];
}

export async function searchVector(
  store: Store,
  filter: ScopeFilter,
  model: string,
  vector: Float32Array,
  limit: number,
): Promise<ScoredId[]> {
  return (
    (await store.search({ text: [], vector: [{ name: 'v', filter, model, vector, limit }] })).lists.v ?? []
  );
}
