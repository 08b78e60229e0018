import { z } from 'zod';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { parseIsoDate } from '../core/iso-date.js';
import { jsonDepth, MAX_BODY_DEPTH, MAX_METADATA_DEPTH } from '../core/json-depth.js';
import { pace } from '../core/pace.js';
import { MEMORY_KINDS, MEMORY_STATUSES, type Memory } from '../core/types.js';

const isoDate = z.string().refine((s) => parseIsoDate(s) !== null, 'not a valid ISO 8601 date');

/** Every field of a memory, as exported; import accepts exactly this. */
export const memoryRecordSchema = z.strictObject({
  id: z.string().min(1),
  tenant: z.string().min(1),
  user: z.string().min(1),
  agent: z.string().nullable(),
  session: z.string().nullable(),
  kind: z.enum(MEMORY_KINDS),
  speaker: z.string().nullable(),
  role: z.string().nullable(),
  text: z.string().refine((s) => s.trim().length > 0, 'text is empty'),
  metadata: z.record(z.string(), z.unknown()),
  occurredAt: isoDate,
  createdAt: isoDate,
  updatedAt: isoDate,
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  supersededBy: z.string().nullable(),
  importance: z.number().min(0).max(1),
  strength: z.number().min(0).max(1),
  accessCount: z.number().int().min(0),
  lastAccessedAt: isoDate.nullable(),
  embeddingModel: z.string().nullable(),
  status: z.enum(MEMORY_STATUSES),
});

export function memoryToJsonl(m: Memory): string {
  return JSON.stringify(m);
}

/**
 * Parses a whole JSONL document before anything is written, so that import is all-or-nothing; the first bad
 * line is reported by number. An import may be tens of megabytes (parsing and validating 10 MB takes ~150 ms):
 * lines are parsed in slices with turns of the event loop between them. The text may come in chunks split
 * anywhere (as read from a request): they are never joined, only the pieces of each line.
 */
export async function parseMemoryJsonl(chunks: readonly string[]): Promise<Memory[]> {
  const out: Memory[] = [];
  let lineNo = 0;
  // The start of the current line, from earlier chunks.
  let pending: string[] = [];
  const take = async (line: string) => {
    lineNo += 1;
    const trimmed = line.trim();
    if (trimmed !== '') out.push(parseLine(trimmed, lineNo));
    await pace();
  };
  for (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end >= 0; end = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, end);
      await take(pending.length > 0 ? pending.join('') + piece : piece);
      pending = [];
      start = end + 1;
    }
    if (start < chunk.length) pending.push(chunk.slice(start));
  }
  await take(pending.join(''));
  return out;
}

function parseLine(line: string, lineNo: number): Memory {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    throw new EngramError(
      ErrorCodes.INVALID_JSON,
      `line ${lineNo}: malformed JSON (${(e as Error).message}); nothing was imported`,
      { line: lineNo },
    );
  }
  const tooDeep =
    jsonDepth(value, MAX_BODY_DEPTH) > MAX_BODY_DEPTH ||
    jsonDepth((value as { metadata?: unknown } | null)?.metadata, MAX_METADATA_DEPTH) > MAX_METADATA_DEPTH;
  if (tooDeep) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `line ${lineNo}: metadata nests deeper than ${MAX_METADATA_DEPTH} levels; nothing was imported`,
      { line: lineNo, limit: MAX_METADATA_DEPTH },
    );
  }
  const parsed = memoryRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `line ${lineNo}: ${issue.path.join('.') || 'record'}: ${issue.message}; nothing was imported`,
      { line: lineNo },
    );
  }
  return parsed.data as Memory;
}
