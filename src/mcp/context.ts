/**
 * The context operation shared by `POST /v1/context` and the MCP `get_context` tool: the engine's
 * `buildContext` (current facts, supporting turns and summaries within a token budget, each memory quoted as
 * data), with the request shape of the API.
 */
import type { BuildContextOptions } from '../memory/lifecycle/index.js';
import type { Engram } from '../memory/types.js';

export interface ContextRequest {
  query: string;
  user: string;
  agent?: string;
  session?: string;
  now?: string;
  /** Only memories valid at this time; relative words in the query mean it unless `now` is given. */
  asOf?: string;
  maxTokens?: number;
  /** Leave out memories that read like instructions instead of quoting them with a flag. */
  dropFlagged?: boolean;
}

export interface ContextResult {
  /** Ready to paste into a prompt; every memory in it is quoted as data. */
  context: string;
  /** Ids of the memories in the context, in order. */
  ids: string[];
  /** Tokens of `context` (o200k). */
  tokens: number;
  /** Ids of memories whose text reads like an instruction (quoted and flagged, never obeyed). */
  flagged: string[];
}

export const DEFAULT_MAX_TOKENS = 1500;

export async function buildContextFor(engram: Engram, req: ContextRequest): Promise<ContextResult> {
  const options: BuildContextOptions = {
    user: req.user,
    query: req.query,
    tokenBudget: req.maxTokens ?? DEFAULT_MAX_TOKENS,
  };
  if (req.agent !== undefined) options.agent = req.agent;
  if (req.session !== undefined) options.session = req.session;
  if (req.now !== undefined) options.now = req.now;
  if (req.asOf !== undefined) options.asOf = req.asOf;
  if (req.dropFlagged !== undefined) options.dropFlagged = req.dropFlagged;
  const built = await engram.buildContext(options);
  return { context: built.text, ids: built.ids, tokens: built.tokens, flagged: built.flagged };
}
