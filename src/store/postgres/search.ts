import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { ScoredId, SearchRequest, SearchResult, VectorQuery } from '../types.js';
import type { Database } from './db.js';
import { Params } from './filters.js';
import { textListSql } from './text-search.js';
import type { ExactVectors, PgvectorSearch } from './vector-search.js';

/**
 * Runs a search in as few round trips as the vectors allow. Every text list, and the version of each user whose
 * vectors this process scans itself, are the branches of one statement (one round trip, one snapshot); a cached
 * matrix that is still current then costs nothing more. With pgvector the vector lists run beside that
 * statement on other connections (their scan settings need a transaction of their own).
 *
 * One statement rather than a statement per list on as many connections: on a busy machine each extra
 * server process a search wakes waits for a time slice of its own, which is what its p95 was made of.
 */
export async function searchLists(
  db: Database,
  s: string,
  request: SearchRequest,
  vectors: { exact: ExactVectors | null; pgvector: PgvectorSearch | null },
): Promise<SearchResult> {
  const names = [...request.text.map((q) => q.name), ...request.vector.map((q) => q.name)];
  if (new Set(names).size !== names.length) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, 'Each query of a search needs its own name');
  }
  for (const q of request.text) {
    if (!Number.isFinite(q.contextWeight) || q.contextWeight < 0) {
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'contextWeight must be >= 0');
    }
  }
  const lists: Record<string, ScoredId[]> = Object.fromEntries(names.map((n) => [n, []]));
  const p = new Params();
  // Branch i of the statement answers part i: a text list, or the version of a vector query's user.
  const parts: { sql: string; text?: string; vector?: VectorQuery }[] = [];
  for (const q of request.text) {
    const sql = textListSql(s, q, p);
    if (sql !== null) parts.push({ sql, text: q.name });
  }
  const exact = vectors.exact;
  const tenantWide: VectorQuery[] = [];
  if (exact) {
    for (const q of request.vector) {
      const sql = exact.versionSql(q, p);
      if (sql !== null) parts.push({ sql, vector: q });
      else if (q.limit > 0) tenantWide.push(q);
    }
  }
  const statement =
    parts.length === 0
      ? null
      : parts
          .map((part, i) => `SELECT ${i} AS part, id, score, seq FROM (${part.sql}) AS p${i}`)
          .join('\nUNION ALL\n');
  const [rows, ...others] = await Promise.all([
    statement === null
      ? Promise.resolve([])
      : db.query<{ part: number; id: string; score: number; seq: string }>(statement, p.values, {
          prepare: true,
        }),
    ...(vectors.pgvector
      ? request.vector.map((q) => vectors.pgvector!.search(q, (fn) => db.transaction(fn)))
      : tenantWide.map((q) => exact!.search(db, q, null))),
  ]);
  const byPart = parts.map(() => [] as { id: string; score: number; seq: bigint }[]);
  for (const r of rows) byPart[r.part]!.push({ id: r.id, score: Number(r.score), seq: BigInt(r.seq) });
  const scanned: Promise<void>[] = [];
  parts.forEach((part, i) => {
    const got = byPart[i]!;
    if (part.text !== undefined) {
      // UNION ALL keeps no order: each list is put back in its own (best first, then write order).
      got.sort((a, b) => b.score - a.score || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
      lists[part.text] = got.map(({ id, score }) => ({ id, score }));
    } else if (part.vector) {
      const q = part.vector;
      scanned.push(
        exact!.search(db, q, got[0]?.id ?? '0').then((hits) => {
          lists[q.name] = hits;
        }),
      );
    }
  });
  await Promise.all(scanned);
  const direct = vectors.pgvector ? request.vector : tenantWide;
  direct.forEach((q, i) => {
    lists[q.name] = others[i]!;
  });
  return { lists };
}
