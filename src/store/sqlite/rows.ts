import type { HistoryEntry, Memory } from '../../core/types.js';

/** A `memories` row as SQLite returns it. */
export interface MemoryRow {
  seq: number;
  id: string;
  tenant: string;
  user_id: string;
  agent: string | null;
  session: string | null;
  kind: string;
  speaker: string | null;
  role: string | null;
  text: string;
  metadata: string;
  occurred_at: string;
  created_at: string;
  updated_at: string;
  valid_from: string;
  valid_to: string | null;
  superseded_by: string | null;
  importance: number;
  strength: number;
  access_count: number;
  last_accessed_at: string | null;
  embedding_model: string | null;
  status: string;
}

export interface HistoryRow {
  seq: number;
  memory_id: string;
  tenant: string;
  user_id: string;
  action: string;
  actor: string;
  at: string;
  before: string | null;
  after: string | null;
}

export function rowToMemory(r: MemoryRow): Memory {
  return {
    id: r.id,
    tenant: r.tenant,
    user: r.user_id,
    agent: r.agent,
    session: r.session,
    kind: r.kind as Memory['kind'],
    speaker: r.speaker,
    role: r.role,
    text: r.text,
    metadata: JSON.parse(r.metadata) as Memory['metadata'],
    occurredAt: r.occurred_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    supersededBy: r.superseded_by,
    importance: r.importance,
    strength: r.strength,
    accessCount: r.access_count,
    lastAccessedAt: r.last_accessed_at,
    embeddingModel: r.embedding_model,
    status: r.status as Memory['status'],
  };
}

/** Named parameters for the INSERT/UPDATE statements. */
export function memoryParams(m: Memory): Record<string, unknown> {
  return {
    id: m.id,
    tenant: m.tenant,
    user_id: m.user,
    agent: m.agent,
    session: m.session,
    kind: m.kind,
    speaker: m.speaker,
    role: m.role,
    text: m.text,
    metadata: JSON.stringify(m.metadata ?? {}),
    occurred_at: m.occurredAt,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    valid_from: m.validFrom,
    valid_to: m.validTo,
    superseded_by: m.supersededBy,
    importance: m.importance,
    strength: m.strength,
    access_count: m.accessCount,
    last_accessed_at: m.lastAccessedAt,
    embedding_model: m.embeddingModel,
    status: m.status,
  };
}

export function rowToHistory(r: HistoryRow): HistoryEntry {
  return {
    seq: r.seq,
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

export function vectorToBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function blobToVector(b: Buffer): Float32Array {
  // Copy: the Buffer may sit at an offset that is not 4-byte aligned inside SQLite's result memory.
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}
