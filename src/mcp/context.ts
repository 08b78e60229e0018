/**
 * The context operation shared by `POST /v1/context` and the MCP `get_context` tool. When the engine offers
 * `buildContext` (facts, supporting turns and summaries within a token budget, quoted as data) it is used;
 * until then the context is the search hits, quoted as data, within the budget.
 */
import type { Engram, SearchHit, SearchOptions } from '../memory/types.js';
import { formatAsData, quoteHit } from './format.js';

export interface ContextRequest {
  query: string;
  user: string;
  agent?: string;
  session?: string;
  k?: number;
  now?: string;
  maxTokens?: number;
}

export interface ContextResult {
  /** Ready to paste into a prompt; every memory in it is quoted as data. */
  context: string;
  /** Ids of the memories in the context, in order. */
  ids: string[];
  /** Token count of `context`, when the engine measured it. */
  tokens?: number;
  /** Ids of memories whose text reads like an instruction (quoted and flagged, never obeyed). */
  flagged?: string[];
}

/** The engine's context builder, as the lifecycle module defines it (`src/memory/lifecycle/context.ts`). */
interface EngineBuildContext {
  (options: {
    user: string;
    query: string;
    tokenBudget?: number;
    agent?: string;
    session?: string;
    now?: string;
  }): Promise<{ text: string; ids: string[]; tokens?: number; flagged?: string[] }>;
}

export const DEFAULT_MAX_TOKENS = 1500;
/** Rough characters per token for the fallback, which must stay dependency-free. */
const CHARS_PER_TOKEN = 4;

function searchOptions(req: ContextRequest): SearchOptions {
  const o: SearchOptions = { user: req.user, k: req.k ?? 10 };
  if (req.agent !== undefined) o.agent = req.agent;
  if (req.session !== undefined) o.session = req.session;
  if (req.now !== undefined) o.now = req.now;
  return o;
}

export async function buildContextFor(engram: Engram, req: ContextRequest): Promise<ContextResult> {
  const build = (engram as Engram & { buildContext?: EngineBuildContext }).buildContext;
  if (typeof build === 'function') {
    const options: Parameters<EngineBuildContext>[0] = {
      user: req.user,
      query: req.query,
      tokenBudget: req.maxTokens ?? DEFAULT_MAX_TOKENS,
    };
    if (req.agent !== undefined) options.agent = req.agent;
    if (req.session !== undefined) options.session = req.session;
    if (req.now !== undefined) options.now = req.now;
    const built = await build.call(engram, options);
    const result: ContextResult = { context: built.text, ids: built.ids };
    if (built.tokens !== undefined) result.tokens = built.tokens;
    if (built.flagged !== undefined) result.flagged = built.flagged;
    return result;
  }
  const hits = await engram.search(req.query, searchOptions(req));
  const budget = (req.maxTokens ?? DEFAULT_MAX_TOKENS) * CHARS_PER_TOKEN;
  const kept: SearchHit[] = [];
  let used = 0;
  for (const hit of hits) {
    const cost = hit.text.length + 80;
    if (kept.length > 0 && used + cost > budget) break;
    kept.push(hit);
    used += cost;
  }
  return { context: formatAsData(kept.map(quoteHit)), ids: kept.map((h) => h.id) };
}
