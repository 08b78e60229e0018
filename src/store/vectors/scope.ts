import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { Memory } from '../../core/types.js';
import type { ScopeFilter, ScoredId, StoredVector } from '../types.js';
import { VectorMatrix } from './matrix.js';
import { type FilterableRow, rowMatches } from './row-filter.js';
import { TopK } from './topk.js';

/**
 * One scope's vectors of one model held in memory for exact search (both stores, when the database does not
 * search vectors itself): row i of the matrix is the vector of ids[i], whose filterable fields are rows[i].
 */
export interface VectorScope {
  ids: string[];
  rows: FilterableRow[];
  /** Null while the scope holds no vector. */
  matrix: VectorMatrix | null;
}

/** What one cached row costs besides its vector: the id string and the filterable fields (measured ~200 B). */
const CACHED_ROW_BYTES = 200;

export function vectorScopeBytes(scope: VectorScope): number {
  return (scope.matrix?.byteLength ?? 0) + scope.ids.length * CACHED_ROW_BYTES;
}

/** A memory's vector row as both stores read it for exact search: the filterable fields and the raw Float32 blob. */
export interface VectorScopeRow {
  id: string;
  agent: string | null;
  session: string | null;
  kind: string;
  status: string;
  valid_from: string;
  valid_to: string | null;
  occurred_at: string;
  vector: Buffer;
}

/**
 * One scope's vectors as a matrix beside their ids and filterable fields, row i for ids[i]. One model has one
 * dimension; a stray blob of another size is left out rather than misread.
 */
export function vectorScope(all: VectorScopeRow[]): VectorScope {
  const bytes = all[0]?.vector.byteLength ?? 0;
  const rows = all.filter((r) => r.vector.byteLength === bytes);
  const matrix = bytes > 0 ? new VectorMatrix(bytes / 4, rows.length) : null;
  for (const r of rows) matrix!.pushBytes(r.vector);
  return {
    ids: rows.map((r) => r.id),
    rows: rows.map((r) => ({
      agent: r.agent,
      session: r.session,
      kind: r.kind,
      status: r.status,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      occurredAt: r.occurred_at,
    })),
    matrix,
  };
}

/**
 * Appends a memory this process has just stored. False when its vector's dimensions differ from the scope's
 * (the caller then drops the scope rather than mix sizes).
 */
export function appendToScope(scope: VectorScope, m: Memory, v: StoredVector): boolean {
  scope.matrix ??= new VectorMatrix(v.vector.length);
  if (scope.matrix.dims !== v.vector.length) return false;
  scope.matrix.push(v.vector);
  scope.ids.push(m.id);
  scope.rows.push({
    agent: m.agent,
    session: m.session,
    kind: m.kind,
    status: m.status,
    validFrom: m.validFrom,
    validTo: m.validTo,
    occurredAt: m.occurredAt,
  });
  return true;
}

/** The `limit` rows of the scope closest to `query` (cosine of normalised vectors = dot product) within `filter`. */
export function searchScope(
  scope: VectorScope,
  filter: ScopeFilter,
  model: string,
  query: Float32Array,
  limit: number,
): ScoredId[] {
  const { matrix, rows } = scope;
  if (!matrix || matrix.rows === 0 || limit <= 0) return [];
  if (matrix.dims !== query.length) {
    throw new EngramError(
      ErrorCodes.EMBEDDER_ERROR,
      `Query vector has ${query.length} dimensions but stored ${model} vectors have ${matrix.dims}`,
    );
  }
  const top = new TopK(limit);
  // Every row's score in one pass (SIMD), then the scope's rows among them.
  const scores = matrix.scores(query);
  if (isPlainScope(filter)) {
    // The common scope (active, current, no other filter): a flag per row instead of reading row objects
    // keeps the loop on typed arrays, twice as fast at 100k memories.
    const live = liveFlags(scope);
    for (let i = 0; i < rows.length; i++) if (live[i] === 1) top.push(i, scores[i]!);
  } else {
    for (let i = 0; i < rows.length; i++) {
      if (rowMatches(filter, rows[i]!)) top.push(i, scores[i]!);
    }
  }
  return top.result().map((r) => ({ id: scope.ids[r.index]!, score: r.score }));
}

const liveCache = new WeakMap<VectorScope, Uint8Array>();

/** 1 for each cached row that is active and current; rebuilt when the scope has grown. */
function liveFlags(scope: VectorScope): Uint8Array {
  let live = liveCache.get(scope);
  if (!live || live.length !== scope.rows.length) {
    live = Uint8Array.from(scope.rows, (r) => (r.status === 'active' && r.validTo === null ? 1 : 0));
    liveCache.set(scope, live);
  }
  return live;
}

/** Whether a filter asks for no more than the default: active, current memories of a tenant/user. */
function isPlainScope(f: ScopeFilter): boolean {
  return (
    f.agent === undefined &&
    f.session === undefined &&
    (f.kinds === undefined || f.kinds.length === 0) &&
    (f.statuses === undefined || (f.statuses.length === 1 && f.statuses[0] === 'active')) &&
    !f.includeSuperseded &&
    f.asOf === undefined &&
    f.occurredFrom === undefined &&
    f.occurredTo === undefined
  );
}
