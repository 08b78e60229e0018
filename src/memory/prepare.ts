import { monotonicFactory } from 'ulid';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { parseIsoDate } from '../core/iso-date.js';
import { checkJsonDepth, MAX_METADATA_DEPTH } from '../core/json-depth.js';
import { MAX_QUERY_LENGTH } from '../core/limits.js';
import {
  MEMORY_KINDS,
  type Memory,
  type MemoryInput,
  type MemoryKind,
  type Metadata,
} from '../core/types.js';

export const DEFAULT_MAX_TEXT_LENGTH = 32_000;
const MAX_ID_LENGTH = 256;
// Monotonic, so ids minted within one millisecond still sort in creation order.
const ulid = monotonicFactory();

/**
 * Parses a date given as Date or ISO 8601 string into canonical ISO 8601 (UTC, milliseconds). Strings must be
 * real calendar dates in ISO 8601 (see core/iso-date.ts): "2024-02-30" and "1" are refused, not repaired.
 */
export function toIso(value: string | Date, field: string): string {
  if (typeof value === 'string' && value.trim() === '') {
    throw new EngramError(
      ErrorCodes.INVALID_DATE,
      `${field} is empty; give an ISO 8601 date such as 2024-05-01T10:00:00Z`,
    );
  }
  const d = value instanceof Date ? value : typeof value === 'string' ? parseIsoDate(value) : null;
  if (d === null || Number.isNaN(d.getTime())) {
    throw new EngramError(
      ErrorCodes.INVALID_DATE,
      `${field} "${String(value).slice(0, 80)}" is not a valid date; give a real calendar date in ISO 8601 such as 2024-05-01 or 2024-05-01T10:00:00Z`,
    );
  }
  return d.toISOString();
}

/** In a `u` regex a surrogate pair is one code point, so this matches only unpaired halves. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Refuses strings with an unpaired UTF-16 surrogate: SQLite stores UTF-8, where such a string has no
 * encoding, so it would come back changed (as U+FFFD) while the answer echoed what was sent.
 */
export function checkWellFormed(value: string, field: string): string {
  const m = LONE_SURROGATE.exec(value);
  if (m) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `${field} contains an unpaired UTF-16 surrogate (\\u${m[0].charCodeAt(0).toString(16).toUpperCase()} at index ${m.index}); ` +
        'send valid Unicode text',
      { field, index: m.index },
    );
  }
  return value;
}

export function checkText(text: unknown, maxLength: number): string {
  if (typeof text !== 'string') {
    throw new EngramError(ErrorCodes.INVALID_INPUT, 'text must be a string');
  }
  checkWellFormed(text, 'text');
  if (text.trim().length === 0) {
    throw new EngramError(ErrorCodes.EMPTY_TEXT, 'text is empty; a memory needs some words');
  }
  if (text.length > maxLength) {
    throw new EngramError(
      ErrorCodes.TEXT_TOO_LONG,
      `text has ${text.length} characters; the limit is ${maxLength} (split it, or raise maxTextLength)`,
      { length: text.length, limit: maxLength },
    );
  }
  return text;
}

/** A search query: a non-empty, well-formed string of at most MAX_QUERY_LENGTH characters. */
export function checkQuery(query: unknown): string {
  if (typeof query !== 'string' || query.trim() === '') {
    throw new EngramError(ErrorCodes.EMPTY_TEXT, 'search query is empty');
  }
  checkWellFormed(query, 'query');
  if (query.length > MAX_QUERY_LENGTH) {
    throw new EngramError(
      ErrorCodes.TEXT_TOO_LONG,
      `query has ${query.length} characters; the limit is ${MAX_QUERY_LENGTH} (shorten it to the question itself)`,
      { length: query.length, limit: MAX_QUERY_LENGTH },
    );
  }
  return query;
}

export function checkName(value: unknown, field: string, required: true): string;
export function checkName(value: unknown, field: string, required: false): string | null;
export function checkName(value: unknown, field: string, required: boolean): string | null {
  if (value === undefined || value === null) {
    if (required) throw new EngramError(ErrorCodes.INVALID_INPUT, `${field} is required`);
    return null;
  }
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, `${field} must be a non-empty string`);
  }
  if (value.length > MAX_ID_LENGTH) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, `${field} is longer than ${MAX_ID_LENGTH} characters`);
  }
  return checkWellFormed(value, field);
}

export function checkKind(kind: unknown): MemoryKind {
  if (kind === undefined) return 'note';
  if (typeof kind !== 'string' || !(MEMORY_KINDS as readonly string[]).includes(kind)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `kind must be one of ${MEMORY_KINDS.join(', ')}; got "${String(kind)}"`,
    );
  }
  return kind as MemoryKind;
}

export function checkMetadata(metadata: unknown): Metadata {
  if (metadata === undefined || metadata === null) return {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, 'metadata must be a JSON object');
  }
  checkJsonDepth(metadata, 'metadata', MAX_METADATA_DEPTH);
  return metadata as Metadata;
}

export function checkImportance(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, 'importance must be a number from 0 to 1');
  }
  return value;
}

/** Turns validated input into a complete memory; nothing is stored. */
export function prepareMemory(
  input: MemoryInput,
  ctx: { tenant: string; now: Date; maxTextLength: number; defaultImportance?: number },
): Memory {
  if (!input || typeof input !== 'object') {
    throw new EngramError(ErrorCodes.INVALID_INPUT, 'a memory must be an object with at least user and text');
  }
  const text = checkText(input.text, ctx.maxTextLength);
  const nowIso = ctx.now.toISOString();
  const occurredAt = input.occurredAt !== undefined ? toIso(input.occurredAt, 'occurredAt') : nowIso;
  return {
    id: ulid(ctx.now.getTime()),
    tenant: ctx.tenant,
    user: checkName(input.user, 'user', true),
    agent: checkName(input.agent, 'agent', false),
    session: checkName(input.session, 'session', false),
    kind: checkKind(input.kind),
    speaker: checkName(input.speaker, 'speaker', false),
    role: checkName(input.role, 'role', false),
    text,
    metadata: checkMetadata(input.metadata),
    occurredAt,
    createdAt: nowIso,
    updatedAt: nowIso,
    validFrom: input.validFrom !== undefined ? toIso(input.validFrom, 'validFrom') : occurredAt,
    validTo: null,
    supersededBy: null,
    importance: checkImportance(input.importance, ctx.defaultImportance ?? 0.5),
    strength: 1,
    accessCount: 0,
    lastAccessedAt: null,
    embeddingModel: null,
    status: 'active',
  };
}
