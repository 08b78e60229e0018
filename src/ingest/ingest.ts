import type { Memory } from '../core/types.js';
import type { LlmFallback } from '../memory/lifecycle/llm-fallback.js';
import type { Engram } from '../memory/types.js';
import { locomoToConversations, type ParsedConversationFile } from './conversation-file.js';

export interface IngestReport {
  format: ParsedConversationFile['format'];
  users: string[];
  sessions: number;
  turns: number;
  facts: number;
  /** LLM work that failed and was done offline instead (turns marked for `maintain`). */
  llmFallbacks: LlmFallback[];
}

/** Stores parsed conversations session by session; each session is committed as one unit. */
export async function ingestParsed(
  engram: Engram,
  parsed: ParsedConversationFile,
  options: { user?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<IngestReport> {
  const inputs =
    parsed.format === 'locomo'
      ? parsed.conversations.flatMap((c) =>
          locomoToConversations(
            c,
            options.user && parsed.conversations.length === 1 ? options.user : c.sampleId,
          ),
        )
      : parsed.conversations;
  const total = inputs.reduce((n, c) => n + c.messages.length, 0);
  let done = 0;
  let facts = 0;
  const turns: Memory[] = [];
  const llmFallbacks: LlmFallback[] = [];
  for (const input of inputs) {
    const r = await engram.addConversation(input);
    turns.push(...r.turns);
    facts += r.facts.length;
    llmFallbacks.push(...r.llmFallbacks);
    done += input.messages.length;
    options.onProgress?.(done, total);
  }
  return {
    format: parsed.format,
    users: [...new Set(inputs.map((c) => c.user))],
    sessions: inputs.length,
    turns: turns.length,
    facts,
    llmFallbacks,
  };
}
