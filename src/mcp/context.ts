/**
 * The context operation shared by `POST /v1/context` and the MCP `get_context` tool. When the engine offers
 * `buildContext` it is used; otherwise the context is the search hits, quoted as data, within a token budget.
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
  context: string;
  hits: SearchHit[];
}

type BuildContext = (query: string, options: SearchOptions & { maxTokens?: number }) => Promise<unknown>;

const DEFAULT_MAX_TOKENS = 1500;
/** Rough tokens-per-character for English; only used by the fallback, which must stay dependency-free. */
const CHARS_PER_TOKEN = 4;

function searchOptions(req: ContextRequest): SearchOptions {
  const o: SearchOptions = { user: req.user, k: req.k ?? 10 };
  if (req.agent !== undefined) o.agent = req.agent;
  if (req.session !== undefined) o.session = req.session;
  if (req.now !== undefined) o.now = req.now;
  return o;
}

function engineContext(result: unknown): ContextResult | null {
  if (typeof result === 'string') return { context: result, hits: [] };
  if (typeof result !== 'object' || result === null) return null;
  const r = result as { text?: unknown; context?: unknown; hits?: unknown };
  const text = typeof r.context === 'string' ? r.context : typeof r.text === 'string' ? r.text : null;
  if (text === null) return null;
  return { context: text, hits: Array.isArray(r.hits) ? (r.hits as SearchHit[]) : [] };
}

export async function buildContextFor(engram: Engram, req: ContextRequest): Promise<ContextResult> {
  const options = searchOptions(req);
  const build = (engram as Engram & { buildContext?: BuildContext }).buildContext;
  if (typeof build === 'function') {
    const result = engineContext(await build.call(engram, req.query, { ...options, maxTokens: req.maxTokens }));
    if (result) return result;
  }
  const hits = await engram.search(req.query, options);
  const budget = (req.maxTokens ?? DEFAULT_MAX_TOKENS) * CHARS_PER_TOKEN;
  const kept: SearchHit[] = [];
  let used = 0;
  for (const hit of hits) {
    const cost = hit.text.length + 80;
    if (kept.length > 0 && used + cost > budget) break;
    kept.push(hit);
    used += cost;
  }
  return { context: formatAsData(kept.map(quoteHit)), hits: kept };
}
