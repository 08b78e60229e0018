/**
 * The one place that maps a Memory to `memories` columns and back (and history rows, vectors). A field added
 * to Memory is added here and in a migration.
 */
import type { HistoryEntry, Memory } from '../../core/types.js';

/** Columns of `memories` in Memory order, with how each is read from and written to the row. */
const FIELDS: ReadonlyArray<[column: string, field: keyof Memory]> = [
  ['id', 'id'],
  ['tenant', 'tenant'],
  ['user_id', 'user'],
  ['agent', 'agent'],
  ['session', 'session'],
  ['kind', 'kind'],
  ['speaker', 'speaker'],
  ['role', 'role'],
  ['text', 'text'],
  ['metadata', 'metadata'],
  ['occurred_at', 'occurredAt'],
  ['created_at', 'createdAt'],
  ['updated_at', 'updatedAt'],
  ['valid_from', 'validFrom'],
  ['valid_to', 'validTo'],
  ['superseded_by', 'supersededBy'],
  ['importance', 'importance'],
  ['strength', 'strength'],
  ['access_count', 'accessCount'],
  ['last_accessed_at', 'lastAccessedAt'],
  ['embedding_model', 'embeddingModel'],
  ['status', 'status'],
];

export const MEMORY_COLUMNS: readonly string[] = FIELDS.map(([c]) => c);
export const MEMORY_SELECT = MEMORY_COLUMNS.map((c) => `m.${c}`).join(', ');

export type MemoryRow = Record<string, unknown>;

export function rowToMemory(r: MemoryRow): Memory {
  const m: Record<string, unknown> = {};
  for (const [column, field] of FIELDS) {
    const v = r[column];
    // Metadata is kept as the JSON text it was written as (jsonb would reorder keys and change exports).
    m[field] = field === 'metadata' ? JSON.parse(v as string) : field === 'accessCount' ? Number(v) : v;
  }
  return m as unknown as Memory;
}

/** Values for `MEMORY_COLUMNS`, in order. */
export function memoryValues(m: Memory): unknown[] {
  return FIELDS.map(([, field]) => (field === 'metadata' ? JSON.stringify(m.metadata ?? {}) : m[field]));
}

export interface HistoryRow {
  seq: string;
  memory_id: string;
  tenant: string;
  user_id: string;
  action: string;
  actor: string;
  at: string;
  before: string | null;
  after: string | null;
}

export function rowToHistory(r: HistoryRow): HistoryEntry {
  return {
    seq: Number(r.seq),
    memoryId: r.memory_id,
    tenant: r.tenant,
    user: r.user_id,
    action: r.action as HistoryEntry['action'],
    actor: r.actor,
    at: r.at,
    before: r.before ? (JSON.parse(r.before) as HistoryEntry['before']) : null,
    after: r.after ? (JSON.parse(r.after) as HistoryEntry['after']) : null,
  };
}

export function vectorToBytes(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function bytesToVector(b: Buffer): Float32Array {
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** pgvector's text form. Float32 values print exactly with 9 significant digits. */
export function vectorLiteral(v: Float32Array): string {
  return `[${Array.from(v, (x) => Number(x.toPrecision(9))).join(',')}]`;
}
