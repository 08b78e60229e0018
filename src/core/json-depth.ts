/**
 * Limits on how deeply JSON may nest. Serialising (JSON.stringify, loggers, zod) recurses once per level, so a
 * value nested a few thousand levels deep overflows the stack wherever it is next written out. Every JSON
 * that enters Engram — metadata, request bodies, MCP calls, import lines — is measured here first, with an
 * explicit stack so that measuring cannot overflow either.
 */
import { EngramError, ErrorCodes } from './errors.js';

/** Deepest nesting of a memory's metadata: `{}` is 1 level, `{"a": {}}` is 2. */
export const MAX_METADATA_DEPTH = 400;

/**
 * Deepest nesting of a whole request body (REST or MCP) or import line: the metadata limit plus room for the
 * envelope around it (`{"memories": [{"metadata": …}]}`, a JSON-RPC call's `params.arguments`), so that a
 * body is never refused for metadata that is itself within the limit.
 */
export const MAX_BODY_DEPTH = MAX_METADATA_DEPTH + 10;

/** Nesting depth of a JSON-like value (scalars 0), counting no further than `limit + 1`. */
export function jsonDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth]);
  }
  return deepest;
}

/** Throws INVALID_INPUT when `value` nests deeper than `limit` levels. */
export function checkJsonDepth(value: unknown, what: string, limit: number): void {
  const depth = jsonDepth(value, limit);
  if (depth > limit) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `${what} nests deeper than ${limit} levels; flatten it (the limit protects the server from values that ` +
        'cannot be serialised).',
      { limit },
    );
  }
}
