import { monotonicFactory } from 'ulid';
import type { Memory } from '../../src/core/types.js';

const ulid = monotonicFactory();

/** A complete memory with sensible defaults, for store-level tests. */
export function makeMemory(overrides: Partial<Memory> = {}): Memory {
  const at = overrides.occurredAt ?? '2024-01-01T00:00:00.000Z';
  return {
    id: ulid(),
    tenant: 't1',
    user: 'u1',
    agent: null,
    session: 's1',
    kind: 'note',
    speaker: null,
    role: null,
    text: 'hello world',
    metadata: {},
    occurredAt: at,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    validFrom: at,
    validTo: null,
    supersededBy: null,
    importance: 0.5,
    strength: 1,
    accessCount: 0,
    lastAccessedAt: null,
    embeddingModel: null,
    status: 'active',
    ...overrides,
  };
}

export function unitVector(values: number[]): Float32Array {
  const n = Math.hypot(...values) || 1;
  return Float32Array.from(values.map((v) => v / n));
}
